# lib.sh — helpers for the CLI test suites: each suite sources this, calls ok/not_ok, then finish.
SOCFEED_BIN=${SOCFEED_BIN:-bin/socfeed}
SHARED=${SOCFEED_SHARED:-../shared}
T_PASS=0
T_FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ok() { T_PASS=$((T_PASS + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
not_ok() { T_FAIL=$((T_FAIL + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | head -n 20; return 0; }
# expect NAME CONDITION-COMMAND...: passes when the command succeeds
expect() { name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
have_shared() { [ -d "$SHARED/sigma/rules" ]; }
finish() { echo "$T_PASS passed, $T_FAIL failed"; [ "$T_FAIL" -eq 0 ]; }
