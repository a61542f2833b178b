#!/bin/sh
# bench/verify — `socfeed verify` over the 202 SigmaHQ rules with regression data (404 test files,
# 476 events), per target: the verdict table (verified / over-match / under-match / no-samples /
# refused / error) and the wall time, then the reasons of the refusals, counted. Then the same with the
# cross-check widened by --events to the 277 EVTX-ATTACK-SAMPLES files (8,255 more events), and with
# VERIFY_ALL_RULES=1 every rule of the corpus verified on those events (--all-rules).
# Issue 6: sentinel-asim verifies every rule it converts (or a test explains the mismatch).
set -eu
BIN=${SOCFEED_BIN:-bin/socfeed}
S=${SOCFEED_SHARED:-../shared}/sigma
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
printf '%-14s %6s %9s %11s %12s %11s %8s %6s %9s\n' target rules verified over-match under-match no-samples refused error "time(ms)"
run() { # extra verify options (one word each, no spaces), then prints one table
extra="$*"
for t in sentinel-asim azure-monitor defender-xdr; do
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    "$BIN" verify -t "$t" $extra "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting" >"$OUT" 2>/dev/null || true
    end=$(date +%s%N)
    row=$(grep -E "^$t +[0-9]" "$OUT")
    set -- $row
    printf '%-14s %6s %9s %11s %12s %11s %8s %6s %9s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$(( (end - start) / 1000000 ))"
    grep -E '^\(' "$OUT" | sed "s/^/    $t: /"
    grep '^REFUSED' "$OUT" | sed 's/.* — //' | sort | uniq -c | sort -rn | sed "s/^/    refused: /"
    grep -E '^(OVER|UNDER|ERROR)' "$OUT" | sed "s/^/    /" || true
done
}
run
SAMPLES=${SOCFEED_SHARED:-../shared}/samples/evtx-attack-samples
if [ -d "$SAMPLES" ] && [ "$SAMPLES" = "$(echo "$SAMPLES" | tr -d ' ')" ]; then
    echo "== cross-check widened with --events $SAMPLES"
    run --events "$SAMPLES"
fi
# The whole corpus on the attack samples: every rule the engine runs, verified on those events alone
# (minutes per target; opt in with VERIFY_ALL_RULES=1).
if [ "${VERIFY_ALL_RULES:-0}" = 1 ] && [ -d "$SAMPLES" ]; then
    echo "== every rule (--all-rules) on --events $SAMPLES"
    run --all-rules --events "$SAMPLES"
fi
