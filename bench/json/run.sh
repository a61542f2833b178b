#!/bin/sh
# run.sh — JSON reader benchmark: socfeed's reader against jansson on the OTRF JSON Lines.
# Unzips ../shared/samples/otrf/**/*.zip into a temporary directory (never into the project),
# concatenates the datasets into one ~1 GB file, and times both parsers on it (parse + tree,
# single thread, file mapped and pre-faulted, best of RUNS). Needs libjansson-dev and unzip
# (scripts/packages.txt) and the library built: `make BUILD=$BUILD $BUILD/libsocfeed.a`.
# Usage: sh bench/json/run.sh [RUNS]   (env: BUILD=build, SOCFEED_SHARED=../shared, KEEP=dir)
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SHARED=${SOCFEED_SHARED:-../shared}
RUNS=${1:-3}
work=${KEEP:-$(mktemp -d)}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work/otrf"
if [ ! -s "$work/otrf-all.jsonl" ]; then
    find "$SHARED/samples/otrf" -name '*.zip' | sort | while read -r z; do
        unzip -o -q "$z" -x '__MACOSX/*' -d "$work/otrf"
    done
    find "$work/otrf" -type f -name '*.json' | sort | xargs cat >"$work/otrf-all.jsonl"
fi
make -s BUILD="$BUILD" "$BUILD/libsocfeed.a"
cc -std=c17 -D_GNU_SOURCE -O2 -o "$work/bench_jansson" bench/json/bench_jansson.c -ljansson
cc -std=c17 -D_GNU_SOURCE -O2 -Iinclude -Isrc -o "$work/bench_socfeed" bench/json/bench_socfeed.c \
    "$BUILD/libsocfeed.a" $(pkg-config --libs yaml-0.1 libpcre2-8 libhs zlib icu-uc 2>/dev/null) -lpthread -lm
echo "input: $(wc -c <"$work/otrf-all.jsonl") bytes, $(wc -l <"$work/otrf-all.jsonl") lines ($(find "$work/otrf" -type f | wc -l) files)"
"$work/bench_jansson" "$work/otrf-all.jsonl" "$RUNS"
"$work/bench_socfeed" "$work/otrf-all.jsonl" "$RUNS"
