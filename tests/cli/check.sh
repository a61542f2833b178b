#!/bin/sh
# CLI tests for `socfeed check`: diagnostics format, JSON output, exit codes, bad input among good
# files, and the SigmaHQ corpus.
. "$(dirname "$0")/lib.sh"

good="$TMP/rules/good.yml"
mkdir -p "$TMP/rules/sub"
cat >"$good" <<'YML'
title: Good rule
id: 5f5b3d3e-1b6b-4a44-9a11-2b6a3f0c9d01
status: test
logsource: {product: windows, category: process_creation}
detection:
    selection:
        Image|endswith: '\cmd.exe'
    condition: selection
level: low
YML
printf 'title: [unclosed\n' >"$TMP/rules/sub/broken.yml"
printf 'title: t\nlogsource: {product: w}\ndetection:\n  s:\n    a|bogus: 1\n  condition: s\n' >"$TMP/rules/sub/modifier.yml"
printf '' >"$TMP/rules/sub/empty.yml"
head -c 4096 /dev/urandom >"$TMP/rules/sub/random.yml"
printf 'not a rule' >"$TMP/rules/sub/ignored.txt"

out=$("$SOCFEED_BIN" check "$TMP/rules" 2>&1); rc=$?
expect "exit 1 when any file has an error" [ "$rc" -eq 1 ]
expect "broken YAML reported at file:line:col" sh -c 'printf "%s\n" "$1" | grep -qE "sub/broken.yml:2:1: error: .*\[yaml-syntax\]"' _ "$out"
expect "unknown modifier reported at its column" sh -c 'printf "%s\n" "$1" | grep -q "sub/modifier.yml:5:7: error: unknown modifier .bogus. \[modifier-unknown\]"' _ "$out"
expect "empty file reported" sh -c 'printf "%s\n" "$1" | grep -q "sub/empty.yml:1:1: error: .*\[empty-file\]"' _ "$out"
expect "random bytes reported" sh -c 'printf "%s\n" "$1" | grep -q "sub/random.yml:.*error"' _ "$out"
expect "non-.yml files are not read" sh -c '! printf "%s\n" "$1" | grep -q ignored.txt' _ "$out"
expect "summary counts the good rule as valid" sh -c 'printf "%s\n" "$1" | tail -n 1 | grep -qE "^checked 5 files: [0-9]+ rules, 0 correlations, 0 filters \(1 valid\); [0-9]+ errors"' _ "$out"

out=$("$SOCFEED_BIN" check "$good"); rc=$?
expect "a clean rule exits 0" [ "$rc" -eq 0 ]
expect "a clean rule prints only the summary" [ "$out" = "checked 1 files: 1 rules, 0 correlations, 0 filters (1 valid); 0 errors, 0 warnings" ]

json=$("$SOCFEED_BIN" check --format json "$TMP/rules/sub/modifier.yml")
expect "json output has the diagnostic" sh -c 'printf "%s" "$1" | grep -q "\"line\":5,\"column\":7,\"severity\":\"error\",\"code\":\"modifier-unknown\""' _ "$json"
expect "json output has the summary" sh -c 'printf "%s" "$1" | grep -q "\"summary\":{\"files\":1,\"rules\":1,\"correlations\":0,\"filters\":0,\"valid\":0,\"errors\":1,"' _ "$json"
if command -v python3 >/dev/null; then
    expect "json output parses" sh -c 'printf "%s" "$1" | python3 -c "import json,sys; json.load(sys.stdin)"' _ "$json"
fi

"$SOCFEED_BIN" check "$TMP/does-not-exist" >"$TMP/out" 2>&1; rc=$?
expect "a missing path is an error" sh -c '[ "$1" -eq 1 ] && grep -q "does-not-exist: error: cannot read" "$2"' _ "$rc" "$TMP/out"
"$SOCFEED_BIN" check --bogus >/dev/null 2>&1; rc=$?
expect "an unknown option exits 2" [ "$rc" -eq 2 ]

if [ -d examples/rules ]; then
    out=$("$SOCFEED_BIN" check examples/rules); rc=$?
    expect "the bundled example rules are clean" sh -c '[ "$1" -eq 0 ] && printf "%s\n" "$2" | tail -n 1 | grep -q "; 0 errors, 0 warnings"' _ "$rc" "$out"
fi

if have_shared; then
    S="$SHARED/sigma"
    out=$("$SOCFEED_BIN" check -q "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting" "$S/rules-placeholder" "$S/rules-compliance"); rc=$?
    expect "SigmaHQ active corpus: 3780 files, 0 errors" sh -c '[ "$1" -eq 0 ] && printf "%s\n" "$2" | tail -n 1 | grep -q "^checked 3780 files: 3780 rules, 0 correlations, 0 filters (3780 valid); 0 errors"' _ "$rc" "$out"
    out=$("$SOCFEED_BIN" check -q "$S/deprecated" "$S/unsupported"); rc=$?
    expect "SigmaHQ retired rules load, rejected ones with reasons" sh -c '[ "$1" -eq 1 ] && printf "%s\n" "$2" | tail -n 1 | grep -q "; 59 errors"' _ "$rc" "$out"
fi
finish
