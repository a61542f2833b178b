#!/bin/sh
# CLI tests for `socfeed test`: the SigmaHQ regression tests of the pinned corpus all pass, a rule
# that cannot match its sample is reported with the exact count, and bad info.yml is an error.
. "$(dirname "$0")/lib.sh"

if have_shared; then
    S="$SHARED/sigma"
    "$SOCFEED_BIN" test "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting" >"$TMP/out" 2>"$TMP/err"; rc=$?
    expect "corpus: 404 regression tests pass (202 rules × evtx and json)" grep -qx "404 passed, 0 failed" "$TMP/out"
    expect "corpus: exit 0" [ "$rc" -eq 0 ]
    expect "corpus: every test ran on both twins" sh -c '[ "$(grep -c "^PASS .*\[evtx\]" "$1")" -eq 202 ] && [ "$(grep -c "^PASS .*\[json\]" "$1")" -eq 202 ]' _ "$TMP/out"

    # A copy of a tested rule whose selection cannot match: both twins must fail with the real count.
    mkdir -p "$TMP/repo/rules"
    ln -s "$(cd "$S" && pwd)/regression_data" "$TMP/repo/regression_data"
    sed "s/' \/transfer '/' \/no-such-switch '/; s/' \/create '/' \/nope '/" \
        "$S/rules/windows/process_creation/proc_creation_win_bitsadmin_download.yml" >"$TMP/repo/rules/broken.yml"
    "$SOCFEED_BIN" test "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
    expect "broken rule: exit 1" [ "$rc" -eq 1 ]
    expect "broken rule: FAIL with the exact count" grep -q "^FAIL .*\[evtx\] 0/1 matches in 1 events" "$TMP/out"
    expect "broken rule: both twins fail" grep -qx "0 passed, 2 failed" "$TMP/out"

    # The original rule from the same place passes: the failure above is the edit, not the setup.
    cp "$S/rules/windows/process_creation/proc_creation_win_bitsadmin_download.yml" "$TMP/repo/rules/broken.yml"
    "$SOCFEED_BIN" test "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"
    expect "original rule in the copy passes" grep -qx "2 passed, 0 failed" "$TMP/out"
fi

# A rule pointing at a missing info.yml is an error naming the path.
mkdir -p "$TMP/r2"
cat >"$TMP/r2/x.yml" <<'YML'
title: x
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image: x}
  condition: sel
regression_tests_path: regression_data/none/info.yml
YML
"$SOCFEED_BIN" test "$TMP/r2" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "missing info.yml: exit 1" [ "$rc" -eq 1 ]
expect "missing info.yml: ERROR names the path" grep -q "^ERROR .*regression_data/none/info.yml.*not found" "$TMP/out"
expect "no arguments: usage and exit 2" sh -c '"$1" test >/dev/null 2>&1; [ $? -eq 2 ]' _ "$SOCFEED_BIN"
finish
