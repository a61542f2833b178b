#!/bin/sh
# bench/convert — Sigma → KQL over the active SigmaHQ corpus (rules, rules-emerging-threats,
# rules-threat-hunting: 3,754 files), per target: converted/refused counts, the top refusal
# reasons (quoted values folded so reasons group), and the wall time of a whole `socfeed convert`
# run (load + convert + print), best and median of 5 runs at -j2. Target (issue 5): < 0.5 s.
set -eu
BIN=${SOCFEED_BIN:-bin/socfeed}
S=${SOCFEED_SHARED:-../shared}/sigma
TOP=${TOP:-12}
runs=5
tmp=$(mktemp)
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
    echo "   time: best $(echo "$sorted" | head -n 1) ms, median $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p") ms over $runs runs (load + convert + print, -j2)"
done
