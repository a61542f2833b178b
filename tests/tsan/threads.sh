#!/bin/sh
# ThreadSanitizer over the paths that run threads: EVTX chunks decoded (and written as JSON) by a
# pool while the calling thread delivers them in order, hunt's file workers, a large JSON Lines file
# cut into slices, and the decode threads hunt lends to a single big EVTX file. Any TSan report fails.
# SOCFEED_BIN must be a -fsanitize=thread build (`make test` builds build-tsan/socfeed).
. "$(dirname "$0")/../cli/lib.sh"
export TSAN_OPTIONS="halt_on_error=0 exitcode=66 ${TSAN_OPTIONS:-}"

no_report() { ! grep -q "ThreadSanitizer" "$1"; }

# A JSON Lines file above hunt's slicing threshold (32 MB), from the project's own fixture events.
i=0
while [ "$i" -lt 9000 ]; do
    printf '{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,"Image":"C:\\\\Windows\\\\System32\\\\whoami.exe","CommandLine":"whoami /all %s","Pad":"%04000d"}\n' "$i" 0
    i=$((i + 1))
done >"$TMP/big.jsonl"
"$SOCFEED_BIN" hunt --rules examples/rules --no-progress -j 2 "$TMP/big.jsonl" >/dev/null 2>"$TMP/e1"; rc=$?
expect "hunt -j2 over JSON Lines slices: no race report" sh -c '[ "$1" -ne 66 ] && ! grep -q ThreadSanitizer "$2"' _ "$rc" "$TMP/e1"
expect "hunt -j2 over JSON Lines slices: every event read" grep -q "1 file, 9000 events" "$TMP/e1"

# Every event a detection, its whole event written (jsonl): each slice's output passes the 8 MB at
# which a worker flushes early while the other slice is due, and units are written by the workers
# themselves in input order.
mkdir -p "$TMP/rules"
printf 'title: whoami\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel:\n    Image|endswith: \\whoami.exe\n  condition: sel\nlevel: low\n' >"$TMP/rules/w.yml"
"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress -j 2 --format jsonl "$TMP/big.jsonl" >"$TMP/o5" 2>"$TMP/e5"; rc=$?
expect "hunt -j2, jsonl output flushed early by workers: no race report" sh -c '[ "$1" -ne 66 ] && ! grep -q ThreadSanitizer "$2"' _ "$rc" "$TMP/e5"
expect "hunt -j2, jsonl output flushed early: one line per event" sh -c '[ "$(wc -l <"$1")" -eq 9000 ]' _ "$TMP/o5"
expect "hunt -j2, jsonl output flushed early: in input order" sh -c \
    'grep -o "whoami /all [0-9]*" "$1" | awk "{ if (NR > 1 && \$3 != prev + 1) bad = 1; prev = \$3 } END { exit bad || NR != 9000 }"' _ "$TMP/o5"

if have_shared; then
    big="$SHARED/samples/evtx-attack-samples/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx"
    "$SOCFEED_BIN" dump -j 3 "$big" >/dev/null 2>"$TMP/e2"; rc=$?
    expect "dump -j3 (decoding and JSON on a pool): no race report" sh -c '[ "$1" -eq 0 ] && ! grep -q ThreadSanitizer "$2"' _ "$rc" "$TMP/e2"
    "$SOCFEED_BIN" hunt --rules "$SHARED/sigma/rules/windows/process_creation" --no-progress -j 2 "$big" >/dev/null 2>"$TMP/e3"; rc=$?
    expect "hunt -j2 on one big EVTX file (decode threads): no race report" sh -c '[ "$1" -ne 66 ] && ! grep -q ThreadSanitizer "$2"' _ "$rc" "$TMP/e3"
    "$SOCFEED_BIN" hunt --rules "$SHARED/sigma/rules/windows/process_creation" --no-progress -j 2 \
        "$SHARED/samples/evtx-attack-samples/Lateral Movement" >/dev/null 2>"$TMP/e4"; rc=$?
    expect "hunt -j2 over a directory (file workers): no race report" sh -c '[ "$1" -ne 66 ] && ! grep -q ThreadSanitizer "$2"' _ "$rc" "$TMP/e4"
fi
finish
