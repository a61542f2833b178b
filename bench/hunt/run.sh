#!/bin/sh
# bench/hunt/run.sh — `socfeed hunt` with every active SigmaHQ rule (rules, rules-emerging-threats,
# rules-threat-hunting) on real data, against the parse-only rate of the same input (no rules):
#   (a) the OTRF datasets of ../shared/samples/otrf, unzipped and concatenated into one ~1 GB
#       JSON Lines file (in a temp dir, never in the project);
#   (b) the EVTX files of ../shared/samples/evtx-attack-samples, the directory replicated until
#       it holds >= 500 MB.
# Prints events/s, MB/s and peak RSS at -j1 and -j2, best of RUNS (wall time from hunt's summary,
# which excludes loading the rules; the rule-set load time is printed separately), and the CPU time
# of the hunt: on a shared machine, events per CPU-second is the fair per-core figure.
# Usage: sh bench/hunt/run.sh   (env: RUNS=3, SOCFEED_SHARED=../shared, KEEP=dir to reuse inputs)
set -eu
cd "$(dirname "$0")/../.."
SHARED=${SOCFEED_SHARED:-../shared}
RUNS=${RUNS:-3}
BIN=${BIN:-bin/socfeed}
make -s all >/dev/null
work=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
S="$SHARED/sigma"
RULES="--rules $S/rules --rules $S/rules-emerging-threats --rules $S/rules-threat-hunting"
mkdir -p "$work/norules"

if [ ! -s "$work/otrf.jsonl" ]; then
    mkdir -p "$work/otrf"
    find "$SHARED/samples/otrf" -name '*.zip' | sort | while read -r z; do unzip -o -q "$z" -d "$work/otrf" 2>/dev/null; done
    # AppleDouble metadata (__MACOSX/._*) in some archives is binary, not JSON: left out.
    find "$work/otrf" -type f -name '*.json' ! -path '*__MACOSX*' ! -name '._*' | sort | xargs cat >"$work/otrf.jsonl"
fi
if [ ! -d "$work/evtx" ]; then
    mkdir -p "$work/evtx"
    i=0
    while [ "$(du -sm "$work/evtx" | cut -f1)" -lt 500 ]; do
        i=$((i + 1))
        cp -r "$SHARED/samples/evtx-attack-samples" "$work/evtx/copy$i"
    done
fi

# run LABEL RULES-ARGS INPUT J: best of RUNS by events/s; prints events/s, MB/s, events, time, RSS
run() {
    best=""
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "RSS %M" "$BIN" hunt $2 --no-progress -j "$4" "$3" >/dev/null 2>"$work/err" || true
        cur=$(awk '/^socfeed hunt:/ { for (i = 2; i <= NF; i++) { if ($i == "events," && !ev) ev = $(i - 1);
                                                                  if ($i == "MB") mb = $(i - 1);
                                                                  if ($i == "s" && !s) s = $(i - 1)
                                                                  if ($i == "CPU,") cpu = $(i - 2) } }
                   /^RSS/ { rss = $2 }
                   END { printf "%d %d %s %s %d %s", (s > 0 ? ev / s : 0), ev, mb, s, rss / 1024, cpu }' "$work/err")
        if [ -z "$best" ] || [ "${cur%% *}" -gt "${best%% *}" ]; then best=$cur; fi
    done
    printf '%s\n' "$best" | awk -v label="$1" '{
        printf "%-32s %9d events/s  %7.1f MB/s  %9d events  %6.2f s  CPU %6.2f s (%7d events/CPU-s)  peak RSS %4d MB\n",
               label, $1, ($4 > 0 ? $3 / $4 : 0), $2, $4, $6, ($6 > 0 ? $2 / $6 : 0), $5 }'
}

echo "input (a): $(du -mL "$work/otrf.jsonl" | cut -f1) MB OTRF JSON Lines; (b): $(du -sm "$work/evtx" | cut -f1) MB EVTX in $(find "$work/evtx" -name '*.evtx' | wc -l) files"

t0=$(date +%s.%N)
"$BIN" hunt $RULES --no-progress -j 1 "$work/norules" >/dev/null 2>&1 || true
t1=$(date +%s.%N)
echo "rule set load + compile (-j1, no input): $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
for j in 1 2; do
    run "otrf jsonl, parse only, -j$j" "--rules $work/norules" "$work/otrf.jsonl" "$j"
    run "otrf jsonl, 3780 rules, -j$j" "$RULES" "$work/otrf.jsonl" "$j"
    run "evtx >=500MB, parse only, -j$j" "--rules $work/norules" "$work/evtx" "$j"
    run "evtx >=500MB, 3780 rules, -j$j" "$RULES" "$work/evtx" "$j"
done
