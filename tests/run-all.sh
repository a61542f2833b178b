#!/bin/sh
# Runs every test suite and prints one closing line "N passed, N failed" over all of them.
# Arguments: unit-test binaries to run (plain, sanitizer). Then the CLI suites in tests/cli/*.sh,
# once per binary build (SOCFEED_BIN points at the tool of that build).
set -u
total_pass=0
total_fail=0
add_counts() { # reads the last "N passed, N failed" line of a log
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    if [ -z "$line" ]; then
        echo "run-all: $2 printed no result line" >&2
        total_fail=$((total_fail + 1))
        return
    fi
    p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) failed.*/\1/')
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for unit in "$@"; do
    echo "== unit tests: $unit"
    "$unit" >"$log" 2>&1
    rc=$?
    cat "$log"
    add_counts "$log" "$unit"
    if [ $rc -ne 0 ] && ! grep -qE '^[0-9]+ passed, [1-9][0-9]* failed' "$log"; then
        echo "run-all: $unit exited $rc" >&2
        total_fail=$((total_fail + 1))
    fi
    bindir=$(dirname "$(dirname "$unit")")
    for suite in tests/cli/*.sh; do
        [ -f "$suite" ] || continue
        [ "$(basename "$suite")" = lib.sh ] && continue # shared helpers, not a suite
        echo "== $suite ($bindir/socfeed)"
        SOCFEED_BIN="$bindir/socfeed" sh "$suite" >"$log" 2>&1
        cat "$log"
        add_counts "$log" "$suite"
    done
done
# ThreadSanitizer over the threaded paths, when `make test` built the TSan tool.
if [ -n "${TSAN_BIN:-}" ] && [ -x "$TSAN_BIN" ]; then
    echo "== tests/tsan/threads.sh ($TSAN_BIN)"
    SOCFEED_BIN="$TSAN_BIN" sh tests/tsan/threads.sh >"$log" 2>&1
    cat "$log"
    add_counts "$log" "tests/tsan/threads.sh"
fi
# A short fuzz smoke run of every harness (the long runs are `make fuzz`).
if [ "${FUZZ_SMOKE_SECONDS:-10}" -gt 0 ] && command -v clang >/dev/null; then
    echo "== fuzz smoke run (${FUZZ_SMOKE_SECONDS:-10}s per harness)"
    sh tests/fuzz/run.sh "${FUZZ_SMOKE_SECONDS:-10}" >"$log" 2>&1
    cat "$log"
    add_counts "$log" "tests/fuzz/run.sh"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
