#!/bin/sh
# bench/convert — Sigma → KQL over the active SigmaHQ corpus (rules, rules-emerging-threats,
# rules-threat-hunting: 3,754 files), per target: converted/refused counts, the top refusal
# reasons (quoted values folded so reasons group), and the wall time of a whole `socfeed convert`
# run (load + convert + print), best and median of 5 runs at -j2, next to `socfeed check` on the same
# files (load + validate only); and bench/convert/convert_bench.c times the conversion alone (rules
# loaded once, best of 10). Target (issue 5): converting the corpus for one target < 0.5 s.
set -eu
BIN=${SOCFEED_BIN:-bin/socfeed}
S=${SOCFEED_SHARED:-../shared}/sigma
TOP=${TOP:-12}
runs=5
BUILD=${BUILD:-build}
cd "$(dirname "$0")/../.."
make -s BUILD="$BUILD" "$BUILD/libsocfeed.a"
cc -std=c17 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Iinclude -Isrc bench/convert/convert_bench.c "$BUILD/libsocfeed.a" \
    $(pkg-config --libs yaml-0.1 libpcre2-8 libhs zlib icu-uc) -lpthread -lm -o "$BUILD/convert_bench"
echo "== conversion alone (rules loaded once; socfeed_kql_convert_all)"
"$BUILD/convert_bench" 10 "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting"
tmp=$(mktemp)
best_ms() { # best_ms CMD...: best wall time of $runs runs, in ms
    b=""
    for _ in $(seq $runs); do
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        t=$(( (end - start) / 1000000 ))
        if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
    done
    echo "$b"
}
load_ms=$(best_ms "$BIN" check -q -j 2 "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting")
echo "load + validate only (socfeed check): best $load_ms ms"
trap 'rm -f "$tmp"' EXIT
for target in sentinel-asim defender-xdr azure-monitor; do
    "$BIN" convert -t "$target" -j 2 "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting" \
        >/dev/null 2>"$tmp" || true
    echo "== $target: $(tail -n 1 "$tmp" | sed "s/^$target: //")"
    echo "   top refusal reasons:"
    grep ': refused (' "$tmp" | sed -e 's/^.*: refused ([a-z-]*): //' \
        -e "s/value '[^']*'/value '…'/g" -e "s/'[^']*…'/'…'/g" -e "s/ %[^%]*% / %…% /g" |
        sort | uniq -c | sort -rn | head -n "$TOP" | sed 's/^/   /'
    times=""
    for _ in $(seq $runs); do
        start=$(date +%s%N)
        "$BIN" convert -q -t "$target" -j 2 "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting" >/dev/null || true
        end=$(date +%s%N)
        times="$times $(( (end - start) / 1000000 ))"
    done
    sorted=$(echo $times | tr ' ' '\n' | sort -n)
    best=$(echo "$sorted" | head -n 1)
    echo "   time: best $best ms, median $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p") ms over $runs runs (load + convert + print, -j2)"
done
