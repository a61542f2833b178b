#!/bin/sh
# bench/evtx/run.sh — speed of the native EVTX reader (records/s, MB/s) on 1 and 2 threads, and of
# libevtx's `evtxexport -f xml` over the same input, plus a per-file record-count cross-check
# against evtxexport.
#
# Input: the 277 files of ../shared/samples/evtx-attack-samples, (a) as they are, read from memory,
# and (b) merged into one large file in a temp dir (every used chunk, REPEAT times; chunks are
# self-contained so the merged file is valid EVTX) for a stable timing and a fair single-process
# libevtx run. Each figure is the best of RUNS runs. Nothing is written into the project.
set -eu
cd "$(dirname "$0")/../.."
SHARED=${SOCFEED_SHARED:-../shared}
SAMPLES="$SHARED/samples/evtx-attack-samples"
REPEAT=${REPEAT:-10}
RUNS=${RUNS:-5}
BUILD=${BUILD:-build-bench-evtx}

make -s BUILD="$BUILD" OPT="-O2 -g" "$BUILD/libsocfeed.a"
cc -std=c17 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Iinclude -Isrc bench/evtx/evtx_bench.c \
    "$BUILD/libsocfeed.a" $(pkg-config --libs zlib) -lpthread -lm -o "$BUILD/evtx_bench"
BENCH="$BUILD/evtx_bench"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$SAMPLES" -name '*.evtx' | sort > "$tmp/files"
nfiles=$(wc -l < "$tmp/files")
tr '\n' '\0' < "$tmp/files" | xargs -0 "$BENCH" --merge "$tmp/all.evtx" "$REPEAT" > /dev/null
merged_mb=$(awk -v b="$(wc -c < "$tmp/all.evtx")" 'BEGIN { printf "%.1f", b / 1e6 }')

# best RUNS CMD...: runs CMD RUNS times, prints the line with the highest records/s.
best() {
    runs=$1
    shift
    i=0
    : > "$tmp/runs"
    while [ "$i" -lt "$runs" ]; do
        "$@" >> "$tmp/runs"
        i=$((i + 1))
    done
    awk '{ for (f = 1; f <= NF; f++) if ($f ~ /^records\/s=/) { v = substr($f, 11) + 0; if (v > m) { m = v; l = $0 } } } END { print l }' "$tmp/runs"
}

echo "== EVTX reader ($(nproc) cores): $nfiles sample files; merged file $merged_mb MB ($REPEAT copies)"
echo "-- socfeed, 277 files as they are (x20 in one process)"
for t in 1 2; do
    printf '   '
    best "$RUNS" sh -c 'tr "\n" "\0" < "$1" | xargs -0 "$0" -t "$2" -r 20' "$BENCH" "$tmp/files" "$t"
done
echo "-- socfeed, merged file"
for t in 1 2; do
    printf '   '
    best "$RUNS" "$BENCH" -t "$t" -r 3 "$tmp/all.evtx"
done
records=$("$BENCH" --count "$tmp/all.evtx" | awk '{ print $1 }')

# The command users run: `socfeed dump` (decoding + one compact JSON line per record, written out).
echo "-- socfeed dump (the CLI: decode and write JSON Lines to /dev/null), merged file"
make -s bin/socfeed > /dev/null
for t in 1 2; do
    bestline=""
    for _ in $(seq "$RUNS"); do
        start=$(date +%s.%N)
        bin/socfeed dump -j "$t" "$tmp/all.evtx" > /dev/null 2>&1
        end=$(date +%s.%N)
        line=$(awk -v s="$start" -v e="$end" -v r="$records" -v b="$(wc -c < "$tmp/all.evtx")" -v t="$t" \
            'BEGIN { d = e - s; printf "threads=%d seconds=%.3f records/s=%.0f MB/s=%.1f", t, d, r / d, b / 1e6 / d }')
        bestline=$(printf '%s\n%s\n' "$bestline" "$line" | awk '{ for (f = 1; f <= NF; f++) if ($f ~ /^records\/s=/) { v = substr($f, 11) + 0; if (v > m) { m = v; l = $0 } } } END { print l }')
    done
    echo "   $bestline"
done

echo "-- libevtx evtxexport -f xml (one process over the merged file; $records records)"
if command -v evtxexport > /dev/null 2>&1; then
    start=$(date +%s.%N)
    evtxexport -f xml "$tmp/all.evtx" > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v r="$records" -v b="$(wc -c < "$tmp/all.evtx")" \
        'BEGIN { t = e - s; printf "   seconds=%.3f records/s=%.0f MB/s=%.1f\n", t, r / t, b / 1e6 / t }'
    echo "-- libevtx, 277 files, one evtxexport per file"
    start=$(date +%s.%N)
    tr '\n' '\0' < "$tmp/files" | xargs -0 -n 1 evtxexport -f xml > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    n277=$(tr '\n' '\0' < "$tmp/files" | xargs -0 "$BENCH" --count | awk '{ s += $1 } END { print s }')
    awk -v s="$start" -v e="$end" -v r="$n277" 'BEGIN { t = e - s; printf "   seconds=%.3f records/s=%.0f (%d records)\n", t, r / t, r }'
    echo "-- record counts, socfeed vs evtxexport, per file"
    agree=0
    differ=0
    while IFS= read -r f; do
        ours=$("$BENCH" --count "$f" | awk '{ print $1 }')
        theirs=$(evtxexport -f xml "$f" 2> /dev/null | grep -c '^<Event ' || true)
        if [ "$ours" = "$theirs" ]; then agree=$((agree + 1)); else
            differ=$((differ + 1))
            echo "   differ: $f socfeed=$ours evtxexport=$theirs"
        fi
    done < "$tmp/files"
    echo "   $agree files agree, $differ differ"
else
    echo "   evtxexport not installed (Debian package libevtx-utils; see scripts/packages.txt)"
fi
