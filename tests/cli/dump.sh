#!/bin/sh
# CLI tests for `socfeed dump`: the evtx_dump JSON shape, XML view, JSON inputs unchanged, stdin,
# directories, and bad input reported with position while the rest is still printed.
. "$(dirname "$0")/lib.sh"

printf '{"Event":{"System":{"EventID":1}}}\n{"b":tru\n{"Event":{"System":{"EventID":2}}}\n' >"$TMP/bad.jsonl"
out=$("$SOCFEED_BIN" dump "$TMP/bad.jsonl" 2>"$TMP/err"); rc=$?
expect "truncated JSON line: exit 2" [ "$rc" -eq 2 ]
expect "truncated JSON line: file:line:col in the message" grep -q "bad.jsonl:2:6: error: invalid JSON" "$TMP/err"
expect "truncated JSON line: the events around it still come out" [ "$(printf '%s\n' "$out" | grep -c EventID)" -eq 2 ]
expect "summary counts events and errors" grep -q "1 file, 2 events, 1 error" "$TMP/err"

out=$(printf '[{"a":1},{"a":"x\\ty"}]' | "$SOCFEED_BIN" dump - 2>/dev/null); rc=$?
expect "stdin JSON array: one line per element, values unchanged" [ "$out" = '{"a":1}
{"a":"x\ty"}' ]
expect "stdin read cleanly: exit 0" [ "$rc" -eq 0 ]

head -c 70000 /dev/urandom >"$TMP/noise.evtx"
printf '{"ok":1}\n' >"$TMP/good.json"
"$SOCFEED_BIN" dump "$TMP/noise.evtx" "$TMP/good.json" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "random bytes: exit 2, later input still read" sh -c '[ "$1" -eq 2 ] && grep -q "{\"ok\":1}" "$2"' _ "$rc" "$TMP/out"
expect "random bytes: reported with the file name" grep -q "noise.evtx" "$TMP/err"

if have_shared; then
    d="$SHARED/sigma/regression_data/rules/windows/process_creation/proc_creation_win_bitsadmin_download"
    evtx=$(ls "$d"/*.evtx | head -n 1)
    out=$("$SOCFEED_BIN" dump "$evtx" 2>/dev/null)
    expect "evtx: evtx_dump shape with GUID braces" sh -c 'printf "%s" "$1" | grep -q "\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Sysmon\",\"Guid\":\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\"}}"' _ "$out"
    expect "evtx: EventData flattened under Event" sh -c 'printf "%s" "$1" | grep -q "\"EventData\":{.*\"Image\":"' _ "$out"
    xml=$("$SOCFEED_BIN" dump --format xml "$evtx" 2>/dev/null)
    expect "xml: Windows' XML view" sh -c 'printf "%s" "$1" | grep -q "<Provider Name=\"Microsoft-Windows-Sysmon\" Guid=\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\"/>"' _ "$xml"
    n=$("$SOCFEED_BIN" dump "$SHARED/sigma/regression_data/rules/windows/process_creation" 2>"$TMP/err" | wc -l)
    files=$(find "$SHARED/sigma/regression_data/rules/windows/process_creation" -name '*.evtx' -o -name '*.json' | wc -l)
    expect "directory: every file read, one event per line" sh -c 'grep -q "socfeed dump: $1 files, $2 events, 0 errors" "$3"' _ "$files" "$n" "$TMP/err"
    # A file of 15 used chunks takes the decoding pool, which also writes the JSON: output in file
    # order, byte for byte what one thread writes.
    big="$SHARED/samples/evtx-attack-samples/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx"
    if [ -f "$big" ]; then
        "$SOCFEED_BIN" dump -j1 "$big" >"$TMP/j1" 2>/dev/null
        "$SOCFEED_BIN" dump -j 3 "$big" >"$TMP/j3" 2>"$TMP/e3"; rc=$?
        expect "multi-chunk EVTX: -j3 output identical to -j1" sh -c '[ "$1" -eq 0 ] && [ -s "$2" ] && cmp -s "$2" "$3"' _ "$rc" "$TMP/j1" "$TMP/j3"
        expect "multi-chunk EVTX: every record once" sh -c '[ "$(wc -l <"$1")" -eq "$(grep -c "EventRecordID" "$1")" ] && grep -q "1 file, $(wc -l <"$1") events, 0 errors" "$2"' _ "$TMP/j3" "$TMP/e3"
    fi
fi
finish
