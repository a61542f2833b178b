#!/bin/sh
# Runs every benchmark script under bench/ (each prints its own figures).
set -u
for script in bench/*/run.sh; do
    echo "== $script"
    sh "$script" || echo "bench: $script failed"
done
