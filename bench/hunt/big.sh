#!/bin/sh
# bench/hunt/big.sh — memory stays bounded on a large input (issue 8): `socfeed hunt` with every active
# SigmaHQ rule over one >= 2 GB JSON Lines file (the OTRF datasets of ../shared/samples/otrf, unzipped
# and repeated, in a temp dir), at -j1 and -j2; prints events, wall time and peak RSS. The bound it is
# held to is bench/hunt's: RSS < 300 MB whatever the input size.
# Usage: sh bench/hunt/big.sh   (env: SOCFEED_SHARED=../shared, KEEP=dir to reuse the input, GB=2)
set -eu
cd "$(dirname "$0")/../.."
SHARED=${SOCFEED_SHARED:-../shared}
BIN=${BIN:-bin/socfeed}
GB=${GB:-2}
make -s all >/dev/null
work=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
S="$SHARED/sigma"
RULES="--rules $S/rules --rules $S/rules-emerging-threats --rules $S/rules-threat-hunting"
if [ ! -s "$work/otrf.jsonl" ]; then
    mkdir -p "$work/otrf"
    find "$SHARED/samples/otrf" -name '*.zip' | sort | while read -r z; do unzip -o -q "$z" -d "$work/otrf" 2>/dev/null; done
    find "$work/otrf" -type f -name '*.json' ! -path '*__MACOSX*' ! -name '._*' | sort | xargs cat >"$work/otrf.jsonl"
fi
big="$work/big-${GB}g.jsonl"
if [ ! -s "$big" ]; then
    : >"$big"
    while [ "$(du -m "$big" | cut -f1)" -lt $((GB * 1024)) ]; do cat "$work/otrf.jsonl" >>"$big"; done
fi
echo "input: $(du -m "$big" | cut -f1) MB of JSON Lines in one file"
for j in 1 2; do
    /usr/bin/time -f "RSS %M" "$BIN" hunt $RULES --no-progress -j "$j" "$big" >/dev/null 2>"$work/err" || true
    awk -v j="$j" '/^socfeed hunt:/ { line = $0 } /^RSS/ { rss = $2 }
                   END { sub(/^socfeed hunt: /, "", line); printf "-j%s: %s; peak RSS %d MB\n", j, line, rss / 1024 }' "$work/err"
done
