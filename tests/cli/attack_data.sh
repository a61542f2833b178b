#!/bin/sh
# attack_data.sh — the committed ATT&CK tables in data/attack/ match tools/gen-attack.sh's output
# and hold the v19.2 counts (15 tactics, 697 techniques = 222 techniques + 475 sub-techniques,
# 17 revoked). The regeneration check needs ../shared (or $SOCFEED_SHARED); the count checks
# run on the committed files alone.
. tests/cli/lib.sh

DATA=data/attack
MAIN=$DATA/attack-enterprise-v19.2.tsv
REV=$DATA/revoked-v19.tsv

# --- committed files are present ---------------------------------------------------------------
expect "attack: table present" test -s "$MAIN"
expect "attack: revoked table present" test -s "$REV"
expect "attack: MITRE notice present" test -s "$DATA/NOTICE-ATTACK.txt"
expect "attack: generator present" test -f tools/gen-attack.sh

# --- generator and committed data never drift --------------------------------------------------
if [ -d "$SHARED/attack" ]; then
    if SOCFEED_SHARED=$SHARED sh tools/gen-attack.sh "$TMP/attack" 2>"$TMP/gen.err"; then
        ok "attack: generator runs"
    else
        not_ok "attack: generator runs" "$(cat "$TMP/gen.err")"
    fi
    for f in attack-enterprise-v19.2.tsv revoked-v19.tsv NOTICE-ATTACK.txt; do
        if cmp -s "$TMP/attack/$f" "$DATA/$f"; then
            ok "attack: $f matches generator"
        else
            not_ok "attack: $f matches generator (run tools/gen-attack.sh)" \
                "$(diff "$DATA/$f" "$TMP/attack/$f" 2>&1 | head -n 10)"
        fi
    done
    expect "attack: notice is MITRE's verbatim" cmp -s "$DATA/NOTICE-ATTACK.txt" "$SHARED/attack/NOTICE-ATTACK.txt"
elif have_shared; then
    not_ok "attack: $SHARED/attack missing although $SHARED/sigma is there"
else
    ok "attack: regeneration skipped (no shared reference at $SHARED)"
fi

# --- shape and counts of the committed table ---------------------------------------------------
count() { awk -F'\t' "$1" "$MAIN"; }
header=$(grep -v '^#' "$MAIN" | head -n 1)
expect "attack: column header" test "$header" = "$(printf 'kind\tid\tname\tparent_id\ttactics\tsentinel_tactic\torder\tplatforms\turl\tdetection_strategy_ids\tdetection_strategy_names\tdescription')"
expect "attack: header comment names version" grep -q '^# ATT&CK Enterprise v19\.2' "$MAIN"
expect "attack: header comment carries the notice" grep -q '^#.*reproduced and distributed with the permission of The MITRE Corporation' "$MAIN"
expect "attack: revoked header comment carries the notice" grep -q '^#.*reproduced and distributed with the permission of The MITRE Corporation' "$REV"
expect "attack: every row has 12 columns" test "$(count '!/^#/ && NF != 12' | wc -l)" -eq 0
expect "attack: 15 tactics" test "$(count '$1 == "tactic"' | wc -l)" -eq 15
expect "attack: 697 techniques in all" test "$(count '$1 == "technique"' | wc -l)" -eq 697
expect "attack: 222 top-level techniques" test "$(count '$1 == "technique" && $4 == ""' | wc -l)" -eq 222
expect "attack: 475 sub-techniques" test "$(count '$1 == "technique" && $4 != ""' | wc -l)" -eq 475
expect "attack: ids unique" test "$(count '!/^#/ && $1 != "kind" {print $2}' | sort | uniq -d | wc -l)" -eq 0
expect "attack: tactic order 1..15" test "$(count '$1 == "tactic" {printf "%s ", $7}')" = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 "
expect "attack: TA0005 is Stealth" test "$(count '$2 == "TA0005" {print $3 "/" $5}')" = "Stealth/stealth"
expect "attack: TA0112 Defense Impairment 8th" test "$(count '$2 == "TA0112" {print $5 "/" $6 "/" $7}')" = "defense-impairment/DefenseEvasion/8"
expect "attack: no technique keeps defense-evasion" test "$(count '$1 == "technique" && $5 ~ /defense-evasion/' | wc -l)" -eq 0
expect "attack: every technique has a tactic" test "$(count '$1 == "technique" && $5 == ""' | wc -l)" -eq 0
expect "attack: every technique has a resolved detection strategy" \
    test "$(count '$1 == "technique" && ($10 !~ /^DET[0-9][0-9][0-9][0-9]/ || $11 == "")' | wc -l)" -eq 0
expect "attack: sub-technique parents exist" \
    test "$(count '$1 == "technique" { if ($4 == "") top[$2] = 1; else sub_[$2] = $4 } END { for (s in sub_) if (!(sub_[s] in top)) print s }' | wc -l)" -eq 0
expect "attack: T1003.001 row" test "$(count '$2 == "T1003.001" {print $3 "|" $4 "|" $5}')" = "LSASS Memory|T1003|credential-access"
expect "attack: T1562 revoked, absent" test "$(count '$2 == "T1562"' | wc -l)" -eq 0

# --- revoked table ------------------------------------------------------------------------------
rcount() { awk -F'\t' "$1" "$REV"; }
expect "attack: 17 revoked" test "$(rcount '!/^#/ && $1 != "id"' | wc -l)" -eq 17
expect "attack: revoked rows have 7 columns" test "$(rcount '!/^#/ && NF != 7' | wc -l)" -eq 0
expect "attack: T1562.001 replaced by T1685" test "$(rcount '$1 == "T1562.001" {print $5 "|" $6}')" = "T1685|Disable or Modify Tools"
expect "attack: T1070.001 replaced by T1685.005" test "$(rcount '$1 == "T1070.001" {print $5}')" = "T1685.005"
expect "attack: replacements exist in main table" \
    test "$(awk -F'\t' 'FNR == NR { if (!/^#/) have[$2] = 1; next } !/^#/ && $1 != "id" && !($5 in have)' "$MAIN" "$REV" | wc -l)" -eq 0
expect "attack: revoked ids not in main table" \
    test "$(awk -F'\t' 'FNR == NR { if (!/^#/ && $1 != "id") gone[$1] = 1; next } ($2 in gone)' "$REV" "$MAIN" | wc -l)" -eq 0

finish
