#!/bin/sh
# CLI tests for `socfeed verify`: a rule whose KQL finds its own samples verifies on every target; the
# seeds' mistake (Sigma TargetFilename read from ASIM TargetFileName, brought in with a --mapping
# override) is reported as under-matching with the missed event; the output formats, usage errors, and
# the pinned SigmaHQ corpus (no over/under-match, no error on any target).
. "$(dirname "$0")/lib.sh"
FIX=tests/fixtures/events

# A small repository: the seed rule plus its regression_tests_path, and an info.yml naming our own
# hand-written samples (the positive and the near miss, concatenated into one test file).
mkdir -p "$TMP/repo/rules" "$TMP/repo/regression_data/seed"
cat "$FIX/seed_screenconnect_artefact.json" "$FIX/seed_screenconnect_artefact_nomatch.json" \
    >"$TMP/repo/regression_data/seed/artefact.json"
{ cat examples/rules/sigmahq/file_event_win_remote_access_tools_screenconnect_artefact.yml
  echo "regression_tests_path: regression_data/seed/info.yml"; } >"$TMP/repo/rules/artefact.yml"
cat >"$TMP/repo/regression_data/seed/info.yml" <<'YML'
regression_tests_info:
  - name: Positive Detection Test
    type: evtx
    path: regression_data/seed/artefact.json
    match_count: 1
YML

"$SOCFEED_BIN" verify -t sentinel-asim "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "seed rule verifies on sentinel-asim" grep -q "^VERIFIED sentinel-asim .*ScreenConnect Temporary Installation Artefact — 1/2 sigma, 1 kql \[imFileEvent\]" "$TMP/out"
expect "verified: exit 0" [ "$rc" -eq 0 ]
expect "verified: closing line" sh -c '[ "$(tail -n 1 "$1")" = "1 passed, 0 failed" ]' _ "$TMP/out"
expect "summary table row" grep -Eq "^sentinel-asim +1 +1 +0 +0 +0 +0 +0$" "$TMP/out"

"$SOCFEED_BIN" verify -t all "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "all targets: one line per target" sh -c '[ "$(grep -c "^VERIFIED" "$1")" -eq 3 ]' _ "$TMP/out"
expect "defender rows are marked approximate" grep -q "^VERIFIED defender-xdr .*(approximate rows)" "$TMP/out"
expect "all targets: 3 passed" grep -qx "3 passed, 0 failed" "$TMP/out"

# The seeds' mapping: TargetFilename read from TargetFileName (the basename). verify must catch it.
cat >"$TMP/seed-mapping.yml" <<'YML'
target: sentinel-asim
version: 1
logsources:
  - id: windows-file_event
    fields:
      TargetFilename: TargetFileName
YML
"$SOCFEED_BIN" verify -t sentinel-asim --mapping "$TMP/seed-mapping.yml" "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "seed mapping: under-match" grep -q "^UNDER    sentinel-asim .*1/2 sigma, 0 kql" "$TMP/out" "$(cat "$TMP/out" "$TMP/err")"
expect "seed mapping: the missed event is named" grep -q "missed (Sigma matches, KQL does not): .*artefact.json#1$" "$TMP/out"
expect "seed mapping: exit 1" [ "$rc" -eq 1 ]
expect "seed mapping: 0 passed, 1 failed" grep -qx "0 passed, 1 failed" "$TMP/out"

"$SOCFEED_BIN" verify -t sentinel-asim --format json --mapping "$TMP/seed-mapping.yml" "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"
expect "json: status and missed event" grep -q '"status":"under-match".*"under":\[".*artefact.json#1"\]' "$TMP/out"
expect "json: the emitted query is included" grep -q '"query":"imFileEvent' "$TMP/out"
expect "json: summary" grep -q '"summary":\[{"target":"sentinel-asim","verified":0,"over-match":0,"under-match":1' "$TMP/out"

# Usage errors.
"$SOCFEED_BIN" verify "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "no target: exit 2 with a message" sh -c '[ "$1" -eq 2 ] && grep -q "TARGET is required" "$2"' _ "$rc" "$TMP/err"
"$SOCFEED_BIN" verify -t splunk "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "unknown target: exit 2" [ "$rc" -eq 2 ]
"$SOCFEED_BIN" verify -t sentinel-asim --format yaml "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "unknown format: exit 2" [ "$rc" -eq 2 ]

if have_shared; then
    S="$SHARED/sigma"
    for t in sentinel-asim azure-monitor defender-xdr; do
        "$SOCFEED_BIN" verify -t "$t" "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting" >"$TMP/out" 2>"$TMP/err"; rc=$?
        expect "corpus $t: 202 rules, no over/under-match or error" grep -Eq "^$t +202 +[0-9]+ +0 +0 +0 +[0-9]+ +0$" "$TMP/out" "$(tail -n 5 "$TMP/out")"
        expect "corpus $t: exit 0" [ "$rc" -eq 0 ]
        expect "corpus $t: every verified query was cross-checked over all 476 events" \
            sh -c '[ "$(grep -c "^VERIFIED" "$1")" -eq "$(grep -c "^VERIFIED .*cross-checked over 476 events" "$1")" ]' _ "$TMP/out"
    done
fi
finish
