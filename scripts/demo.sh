#!/bin/sh
# `make demo`: runs socfeed's main jobs on the bundled example rules and sample events.
set -eu
BIN=${SOCFEED_BIN:-bin/socfeed}
echo "== socfeed check examples/rules"
"$BIN" check examples/rules
echo
echo "== socfeed dump tests/fixtures/events/seed_screenconnect_artefact.json (the event as the engine sees it)"
"$BIN" dump tests/fixtures/events/seed_screenconnect_artefact.json
if "$BIN" --help | grep -q '^  test '; then
    echo
    echo "== the commands available in this build"
    "$BIN" --help
fi
