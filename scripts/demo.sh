#!/bin/sh
# `make demo`: socfeed's main job on the bundled example rules (examples/rules) and their sample events
# (tests/fixtures/events for the two seed rules, examples/events for the others): validate, hunt, test against SigmaHQ's regression data (when ../shared is
# there), convert to KQL, prove the queries, and publish the feed as a static site in ./site.
set -eu
BIN=${SOCFEED_BIN:-bin/socfeed}
SHARED=${SOCFEED_SHARED:-../shared}
step() { printf '\n== %s\n' "$*"; }

step "socfeed check examples/rules"
"$BIN" check examples/rules

EVENTS="tests/fixtures/events examples/events"

step "socfeed hunt --rules examples/rules $EVENTS"
"$BIN" hunt --rules examples/rules --no-progress $EVENTS

if [ -d "$SHARED/sigma/regression_data" ]; then
    step "socfeed test: SigmaHQ's regression tests (every tested rule, .evtx and .json twin)"
    "$BIN" test "$SHARED/sigma/rules" "$SHARED/sigma/rules-emerging-threats" "$SHARED/sigma/rules-threat-hunting" | tail -n 1
fi

step "socfeed convert -t sentinel-asim examples/rules/sigmahq (the seed rules, done right)"
"$BIN" convert -t sentinel-asim examples/rules/sigmahq

step "socfeed verify -t all: each query run on the normalized sample events"
"$BIN" verify -t all --all-rules --events tests/fixtures/events --events examples/events examples/rules | tail -n 7

step "socfeed build --rules examples/rules --events tests/fixtures/events --events examples/events -o site"
"$BIN" build --rules examples/rules --events tests/fixtures/events --events examples/events -o site
echo "open site/index.html in a browser (works from file://)"
