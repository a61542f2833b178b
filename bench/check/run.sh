#!/bin/sh
# bench/check — loading and validating the whole active SigmaHQ corpus (3,780 files) with
# `socfeed check`, at -j1 and -j2. Prints the best and median wall time of 7 runs each.
# Target (issue 2): < 0.3 s on the 2-core machine.
set -eu
BIN=${SOCFEED_BIN:-bin/socfeed}
S=${SOCFEED_SHARED:-../shared}/sigma
runs=7
measure() {
    jobs=$1
    times=""
    for _ in $(seq $runs); do
        start=$(date +%s%N)
        "$BIN" check -q -j "$jobs" "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting" \
            "$S/rules-placeholder" "$S/rules-compliance" >/dev/null
        end=$(date +%s%N)
        times="$times $(( (end - start) / 1000000 ))"
    done
    sorted=$(echo $times | tr ' ' '\n' | sort -n)
    best=$(echo "$sorted" | head -n 1)
    median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
    echo "check -j$jobs: best ${best} ms, median ${median} ms over $runs runs (3,780 files)"
}
measure 1
measure 2
