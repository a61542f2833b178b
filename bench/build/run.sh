#!/bin/sh
# bench/build — `socfeed build` of the whole active SigmaHQ corpus (rules, rules-emerging-threats,
# rules-threat-hunting, rules-compliance, rules-placeholder: 3,780 rules × 3 KQL targets): a fresh
# build, and a rebuild with --previous (unchanged rules: pages reused). Best and median wall time of
# 5 runs each, plus the site's size. Target (issue 7): < 3 s on the 2-core machine.
# Writing ~6,500 files is bound by the file system (ext4 under load from other jobs: ~0.5 ms per
# created file), so the fresh build also runs into tmpfs (/dev/shm) to show socfeed's own cost.
set -eu
BIN=${SOCFEED_BIN:-bin/socfeed}
S=${SOCFEED_SHARED:-../shared}/sigma
runs=5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rules="--rules $S/rules --rules $S/rules-emerging-threats --rules $S/rules-threat-hunting --rules $S/rules-compliance --rules $S/rules-placeholder"
report() { # label times...
    label=$1
    shift
    sorted=$(echo "$@" | tr ' ' '\n' | sort -n)
    echo "$label: best $(echo "$sorted" | head -n 1) ms, median $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p") ms over $runs runs"
}
fresh_build() { # DIR LABEL
    fresh=""
    for i in $(seq $runs); do
        rm -rf "$1"
        start=$(date +%s%N)
        # shellcheck disable=SC2086
        "$BIN" build $rules -o "$1" --retrieved 2026-03-25T03:05:59Z >"$work/summary" 2>/dev/null
        end=$(date +%s%N)
        fresh="$fresh $(( (end - start) / 1000000 ))"
    done
    report "$2" $fresh
    echo "  last run: $(head -n 1 "$work/summary" | sed 's/.*; //')  (wall and CPU of the whole process, all threads)"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    shm=$(mktemp -d /dev/shm/socfeed-bench-XXXXXX)
    fresh_build "$shm/site" "build into tmpfs (fresh output directory)"
    rm -rf "$shm"
fi
fresh_build "$work/site" "build onto disk $(df --output=fstype "$work" | tail -n 1) (fresh output directory)"
again=""
for i in $(seq $runs); do
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    "$BIN" build -q $rules -o "$work/site" --previous "$work/site"
    end=$(date +%s%N)
    again="$again $(( (end - start) / 1000000 ))"
done
report "rebuild over the previous site (--previous, pages reused)" $again
# shellcheck disable=SC2086
"$BIN" build $rules -o "$work/site" --previous "$work/site" | head -n 1
echo "site: $(du -sh "$work/site" | cut -f1), index.html $(du -k "$work/site/index.html" | cut -f1) KB, $(ls "$work/site/rules" | wc -l) rule pages"
