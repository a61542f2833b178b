#!/bin/sh
# valgrind memcheck over the main commands on the example rules and fixtures: no leak, no invalid
# access (issue 8). Runs against the plain build only: the sanitizer build has its own checker and
# does not run under valgrind. Commands that do not exist yet in this build are skipped, not passed.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)

case "$SOCFEED_BIN" in *asan*) echo "valgrind: skipped for the sanitizer build"; finish; exit $? ;; esac
if ! command -v valgrind >/dev/null; then not_ok "valgrind is not installed (scripts/packages.txt lists it)"; finish; exit 1; fi

memcheck() { # name, then socfeed arguments
    name=$1; shift
    log="$TMP/vg.$(echo "$name" | tr -c 'a-z0-9' _)"
    valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --log-file="$log" \
        "$SOCFEED_BIN" "$@" >/dev/null 2>&1
    rc=$?
    if [ $rc -eq 99 ] || [ -s "$log" ]; then not_ok "memcheck: $name" "$(head -n 30 "$log")"; else ok "memcheck: $name"; fi
}
has_command() { "$SOCFEED_BIN" --help 2>/dev/null | grep -qE "^  $1 "; }

memcheck "check example rules" check "$root/examples/rules"
memcheck "dump fixtures" dump "$root/tests/fixtures/events"
evtx=$(find "$SHARED/sigma/regression_data" -name '*.evtx' 2>/dev/null | head -n 3)
[ -n "$evtx" ] && memcheck "dump evtx (2 threads)" dump -j 2 $evtx
if has_command hunt; then
    memcheck "hunt example rules over fixtures" hunt --rules "$root/examples/rules" "$root/tests/fixtures/events"
    [ -n "$evtx" ] && memcheck "hunt example rules over evtx" hunt --rules "$root/examples/rules" $evtx
fi
if has_command build; then memcheck "build the example feed" build --rules "$root/examples/rules" --out "$TMP/site"; fi
if has_command convert; then
    for t in sentinel-asim defender-xdr azure-monitor; do memcheck "convert -t $t" convert -t $t "$root/examples/rules"; done
fi
if has_command verify && have_shared; then
    memcheck "verify -t all (file_event rules, with cross-check)" verify -t all "$SHARED/sigma/rules/windows/file/file_event"
fi
finish
