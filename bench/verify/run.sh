#!/bin/sh
# bench/verify — `socfeed verify` over the 202 SigmaHQ rules with regression data (404 test files,
# 476 events), per target: the verdict table (verified / over-match / under-match / no-samples /
# refused / error) and the wall time, then the reasons of the refusals, counted.
# Issue 6: sentinel-asim verifies every rule it converts (or a test explains the mismatch).
set -eu
BIN=${SOCFEED_BIN:-bin/socfeed}
S=${SOCFEED_SHARED:-../shared}/sigma
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
printf '%-14s %6s %9s %11s %12s %11s %8s %6s %9s\n' target rules verified over-match under-match no-samples refused error "time(ms)"
for t in sentinel-asim azure-monitor defender-xdr; do
    start=$(date +%s%N)
    "$BIN" verify -t "$t" "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting" >"$OUT" 2>/dev/null || true
    end=$(date +%s%N)
    row=$(grep -E "^$t +[0-9]" "$OUT")
    set -- $row
    printf '%-14s %6s %9s %11s %12s %11s %8s %6s %9s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$(( (end - start) / 1000000 ))"
    grep -E '^\(' "$OUT" | sed "s/^/    $t: /"
    grep '^REFUSED' "$OUT" | sed 's/.* — //' | sort | uniq -c | sort -rn | sed "s/^/    refused: /"
    grep -E '^(OVER|UNDER|ERROR)' "$OUT" | sed "s/^/    /" || true
done
