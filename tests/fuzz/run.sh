#!/bin/sh
# Builds the libFuzzer harnesses with clang (ASan+UBSan) and runs each for FUZZ_SECONDS (default 60).
# Seeds come from ../shared (rules, regression JSON/EVTX) and tests/fixtures, copied to a temp dir at
# run time: the project never ships them. A crash leaves its input in build-fuzz/crashes/; turn each
# into a regression test. Usage: sh tests/fuzz/run.sh [SECONDS] [HARNESS...]
# What a run learns stays in build-fuzz/corpus/HARNESS (FUZZ_CORPUS overrides the parent directory), so
# campaigns add up instead of starting from the seeds each time; the seeds are read beside it.
# FUZZ_BUDGET=cpu makes SECONDS CPU seconds: on a shared machine a niced fuzzer gets a fraction of a
# core, and the aim (CPU-hours without a finding) is counted in CPU time, not wall time.
# FUZZ_BUILD (default build-fuzz) lets two runners work side by side without sharing a build.
# FUZZ_TIMEOUT (default 10) is libFuzzer's per-input limit in wall seconds: a niced fuzzer on a busy
# machine can take that long over a sub-second input, so a timeout is re-run alone before it counts.
set -eu
seconds=${1:-${FUZZ_SECONDS:-60}}
[ $# -gt 0 ] && shift
harnesses=${*:-"fuzz_rule_yaml fuzz_condition fuzz_json_events fuzz_evtx fuzz_kql fuzz_hunt fuzz_convert fuzz_kql_mapping fuzz_normalize"}
SHARED=${SOCFEED_SHARED:-../shared}
budget=${FUZZ_BUDGET:-wall}
out=${FUZZ_BUILD:-build-fuzz}
kept=${FUZZ_CORPUS:-$out/corpus}
FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all"
make -s BUILD="$out" CC=clang OPT="-O1 -g" EXTRA_CFLAGS="-fsanitize=fuzzer-no-link $FLAGS" \
    EXTRA_LDFLAGS="$FLAGS" "$out/libsocfeed.a"
LIBS="$(pkg-config --libs yaml-0.1 libpcre2-8 libhs zlib icu-uc) -lpthread -lm"
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$out/crashes"

# Interrupts the fuzzer (libFuzzer then prints its final stats) once the process tree under $1 has had
# $2 CPU seconds; polls every 5 s.
stop_at_cpu_seconds() {
    ticks=$(getconf CLK_TCK)
    while kill -0 "$1" 2>/dev/null; do
        sleep 5
        fuzzer=$(awk '{ print $1 }' "/proc/$1/task/$1/children" 2>/dev/null) || continue
        used=$(awk -v t="$ticks" '{ print int(($14 + $15) / t) }' "/proc/$fuzzer/stat" 2>/dev/null) || continue
        if [ "${used:-0}" -ge "$2" ]; then kill -INT "$fuzzer"; return; fi
    done
}
passed=0
failed=0
for h in $harnesses; do
    clang -std=c17 -D_GNU_SOURCE -g -O1 -Iinclude -Isrc -fsanitize=fuzzer $FLAGS \
        -o "$out/$h" "tests/fuzz/$h.c" "$out/libsocfeed.a" $LIBS
    corpus="$seeds/$h"
    mkdir -p "$corpus"
    case $h in
    fuzz_rule_yaml|fuzz_convert) [ -d "$SHARED/sigma/rules" ] && find "$SHARED/sigma/rules" "$SHARED/sigma/unsupported" -name '*.yml' | head -n 400 | xargs -I{} cp {} "$corpus/" 2>/dev/null || true
                    cp examples/rules/*/*.yml "$corpus/" 2>/dev/null || true ;;
    fuzz_condition) printf 'sel and not 1 of filter_*' >"$corpus/a"; printf '(sel or sel-b) and not (notepad)' >"$corpus/b"
                    printf 'all of them' >"$corpus/c" ;;
    fuzz_json_events) [ -d "$SHARED/sigma/regression_data" ] && find "$SHARED/sigma/regression_data" -name '*.json' | head -n 100 | xargs -I{} cp {} "$corpus/" 2>/dev/null || true
                    cp tests/fixtures/events/*.json "$corpus/" 2>/dev/null || true ;;
    fuzz_evtx)      [ -d "$SHARED/sigma/regression_data" ] && find "$SHARED/sigma/regression_data" -name '*.evtx' | head -n 30 | xargs -I{} cp {} "$corpus/" 2>/dev/null || true ;;
    fuzz_normalize) [ -d "$SHARED/sigma/regression_data" ] && find "$SHARED/sigma/regression_data" -name '*.json' | head -n 60 | xargs -I{} cp {} "$corpus/" 2>/dev/null || true
                    cp tests/fixtures/events/*.json tests/fixtures/normalize/*.jsonl "$corpus/" 2>/dev/null || true ;;
    fuzz_kql)       printf 'imFileEvent\n| where EventType == "FileCreated" and TargetFilePath endswith @"\\cmd.exe"' >"$corpus/a"
                    printf 'SecurityEvent | where EventID in (4688, 1) and not(SrcIpAddr has_any ("a", "b")) or ipv4_is_in_range(SrcIpAddr, "10.0.0.0/8")' >"$corpus/b"
                    printf 'T | where TargetFilePath matches regex "(?i)^c:.*x$" | summarize count() by EventID, bin(TimeGenerated, 5m) | where count_ > 1' >"$corpus/c"
                    printf 'T | where isnotempty(AdditionalFields.Name) and tolower(TargetFilePath) !contains_cs "WIN"' >"$corpus/d"
                    printf 'T | extend K = iff(isempty(SrcIpAddr), "-", SrcIpAddr)\n| sort by K asc, TimeGenerated asc\n| where tostring(next(K, 1)) == tostring(K) and next(TimeGenerated, 1) - TimeGenerated <= 15m\n| summarize F = min(TimeGenerated), L = max(TimeGenerated) by K' >"$corpus/e"
                    printf 'T | order by EventID desc | where prev(EventID, 2, 0) + 1 > EventID - 1h or TimeGenerated + 1d > "2026-01-01T00:00:00Z"' >"$corpus/f" ;;
    fuzz_hunt)      printf 'title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|endswith: ["\\\\cmd.exe", "x?y*z"]\n    CommandLine|contains|all: ["-enc", "AB"]\n  k:\n    - "evil"\n  condition: sel or k\n%%%%\n{"Image":"C:\\\\cmd.exe","CommandLine":"p -enc ABC"}\n{"m":"an evil one","EventID":4.6e3}\n' >"$corpus/a"
                    printf 'title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    EventID: 4624\n    LogonType|gt: 2\n    TargetUserName|re: "^a.*b$"\n  f:\n    IpAddress|cidr: 10.0.0.0/8\n  condition: sel and not f\n%%%%\n{"EventID":"4624","LogonType":3,"TargetUserName":"axb","IpAddress":"11.0.0.1"}\n' >"$corpus/b"
                    # deferred fields: a long CallTrace whose literals mostly need TargetImage or a keyword too
                    pad=$(printf '%0260d' 0)
                    printf 'title: a\nlogsource: {product: windows}\ndetection:\n  s:\n    CallTrace|contains: cmlua.dll\n  condition: s\n---\ntitle: b\nlogsource: {product: windows}\ndetection:\n  s:\n    TargetImage|endswith: lsass.exe\n    CallTrace|contains: [dbghelp, ntdll.dll, kernelbase]\n  k:\n    - kw-here\n  condition: s or (k and s)\n---\ntitle: c\nlogsource: {product: windows}\ndetection:\n  s:\n    CallTrace|contains: "*"\n  f:\n    CallTrace|endswith: ")"\n  condition: s and not f\n%%%%\n{"TargetImage":"c:\\\\lsass.exe","CallTrace":"%s|dbghelp|UNKNOWN(1)"}\n{"TargetImage":"x","CallTrace":"%s|cmlua.dll","k":"kw-here"}\n' "$pad" "$pad" >"$corpus/c"
                    # an OR of conjunctions: two gates, (a1 or c) and (b1 or c); events holding part of one
                    printf 'title: d\nlogsource: {product: windows}\ndetection:\n  selection_1:\n    Image|contains: \\Windows\\\n    CommandLine|contains: [\047\\..\\..\047, x*y]\n  selection_2:\n    CommandLine|contains|all: [.exe, \047..\\\047]\n    User: [SYSTEM, "*AUTH*"]\n  selection_3:\n    - ParentImage|endswith: evil.exe\n    - keyword-one\n  filter:\n    ParentImage|contains: good\n  condition: 1 of selection_* and not filter\n%%%%\n{"Image":"C:\\\\Windows\\\\a.exe","CommandLine":"b"}\n{"Image":"C:\\\\Temp\\\\a.exe","CommandLine":"a.exe ..\\\\ z","User":"NT AUTHORITY"}\n{"ParentImage":"c:\\\\evil.exe"}\n{"m":"keyword-one"}\n' >"$corpus/d"
                    # remembered scans: the same long values again, and near variants (ends moved, case changed)
                    printf 'title: e\nlogsource: {product: windows}\ndetection:\n  s:\n    CommandLine|endswith: \\evil.exe\n  t:\n    CommandLine|startswith: "run "\n  u:\n    Image: "%s"\n  condition: (s and t) or u\n%%%%\n{"CommandLine":"run %s C:\\\\evil.exe","Image":"%s"}\n{"CommandLine":"run %s C:\\\\evil.exe","Image":"%s"}\n{"CommandLine":"RUN %s C:\\\\EVIL.EXE x","Image":"%sx"}\n{"Image":"run %s C:\\\\evil.exe"}\n' "$pad" "$pad" "$pad" "$pad" "$pad" "$pad" "$pad" "$pad" >"$corpus/e"
                    printf 'title: f\nlogsource: {product: windows}\ndetection:\n  k:\n    - \047\\perfc.dat\047\n    - mimi\n  condition: k\n%%%%\n{"a":["x",{"b":"C:\\\\PERFC.DAT"}]}\n{"a":"\\u00c4\\\\perfc.dat","r":1.5}\n{"Provider":{"#attributes":{"Name":"\\\\perfc.dat"}}}\n{"m":"MiMi","n":7,"t":true}\n' >"$corpus/f"
                    printf 'title: g\nlogsource: {product: windows}\ndetection:\n  a:\n    CommandLine|contains: q\n  b:\n    CommandLine|startswith: "-"\n  c:\n    CommandLine|endswith: ":"\n  d:\n    CommandLine: "7"\n  e:\n    CommandLine|contains: long-literal\n  f:\n    Image|endswith: .exe\n  condition: (a and not f) or b or (c and e) or d\n%%%%\n{"CommandLine":"x%sQx","Image":"a.exe"}\n{"CommandLine":"-%s:"}\n{"CommandLine":["7","LONG-LITERAL %s:"]}\n{"CommandLine":"%s-q"}\n' "$pad" "$pad" "$pad" "$pad" >"$corpus/g" ;;
    fuzz_kql_mapping) cp data/targets/*.yml "$corpus/"
                    printf 'target: sentinel-asim\nlogsources:\n  - id: windows-process_creation\n    keyword_field: TargetProcessCommandLine\n' >"$corpus/kw"
                    printf 'logsources:\n  - id: n\n    match: {product: linux}\n    table: T\n    where: [{column: A.b, op: "!startswith", value: "/"}]\n    keyword_field: M\n    fields: {X: {expr: '"'"'iff(a == "", b, c)'"'"', when: g}}\nguards: {g: [{column: G, op: in, values: [1, 2]}]}\n' >"$corpus/new" ;;
    esac
    mkdir -p "$kept/$h"
    echo "== $h for ${seconds}s ($budget)"
    limit=$seconds
    [ "$budget" = cpu ] && limit=$((seconds * 100))
    # -max_total_time is wall time; the CPU seconds the run really had are recorded beside it.
    /usr/bin/time -f "%U %S" -o "$out/$h.cpu" "$out/$h" -max_total_time="$limit" -rss_limit_mb=2048 \
        -timeout="${FUZZ_TIMEOUT:-10}" -artifact_prefix="$out/crashes/$h-" -print_final_stats=1 \
        "$kept/$h" "$corpus" 2>"$out/$h.log" &
    runner=$!
    [ "$budget" = cpu ] && stop_at_cpu_seconds "$runner" "$seconds" &
    status=0
    wait "$runner" || status=$?
    # The budget's interrupt ends the run with libFuzzer's exit code 72 (clang 14 has no
    # -interrupted_exit_code); that is a normal end, any other failure is a finding.
    if [ "$budget" = cpu ] && [ "$status" -eq 72 ] && grep -q 'libFuzzer: run interrupted' "$out/$h.log"; then
        status=0
    fi
    if [ "$status" -ne 0 ]; then
        echo "FAIL $h: see $out/$h.log and $out/crashes/"
        tail -n 30 "$out/$h.log"
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
        grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$out/$h.log" | tr '\n' ' '
        tail -n 1 "$out/$h.cpu" | awk '{ printf "cpu_s: %.0f\n", $1 + $2 }'
    fi
    wait
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
