#!/bin/sh
# Runs the bad-input table (tests/bad-input/cases.txt): each input must give a clear diagnostic with
# file and position, the expected exit code, and the rest of the input must still come through —
# with no crash, in bounded time, and (plain build) in bounded memory.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/bad-input/gen.sh"

# The sanitizer build reserves terabytes of address space: the memory bound applies to the plain build.
case "$SOCFEED_BIN" in *asan*) mem_limit=unlimited ;; *) mem_limit=524288 ;; esac

n=0
while IFS= read -r row; do
    case $row in '#'* | '') continue ;; esac
    n=$((n + 1))
    name=$(printf '%s' "$row" | awk -F' [|] ' '{gsub(/ +$/, "", $1); print $1}')
    field() { printf '%s' "$row" | awk -F' [|] ' -v i="$1" '{v = $i; gsub(/^ +| +$/, "", v); print v}'; }
    gen=$(field 2); args=$(field 3); want_rc=$(field 4); want_diag=$(field 5); through=$(field 6)
    dir="$TMP/case$n"
    mkdir -p "$dir"
    out="$TMP/out$n"; err="$TMP/err$n"
    case $args in
    *' -')  # the generator streams the input: nothing that large ever touches the disk
        (ulimit -v "$mem_limit"; "$gen" | timeout 120 "$SOCFEED_BIN" ${args%% -} - >"$out" 2>"$err"); rc=$? ;;
    *)
        input=$( ("$gen") ); grc=$?
        if [ $grc -eq 77 ]; then ok "$name (skipped: needs ../shared)"; continue; fi
        set -f
        # shellcheck disable=SC2086 # args are words from the table
        set -- $args
        set +f
        cmd=""
        for a in "$@"; do
            case $a in *INPUT*) a=$(printf '%s' "$a" | sed "s|INPUT|$input|g") ;; esac
            cmd="$cmd '$a'"
        done
        (ulimit -v "$mem_limit"; eval "timeout 120 \"\$SOCFEED_BIN\" $cmd" >"$out" 2>"$err"); rc=$? ;;
    esac
    detail="exit $rc; output: $(cat "$err" "$out" | head -c 600)"
    if [ "$rc" -ge 124 ] && [ "$rc" -ne "$want_rc" ]; then not_ok "$name: crashed or timed out (exit $rc)" "$detail"; continue; fi
    if [ "$rc" -ne "$want_rc" ]; then not_ok "$name: exit $rc, expected $want_rc" "$detail"; continue; fi
    if ! cat "$out" "$err" | grep -qE -- "$want_diag"; then not_ok "$name: no diagnostic /$want_diag/" "$detail"; continue; fi
    case $through in
    lines=*) got=$(wc -l <"$out"); [ "$got" -eq "${through#lines=}" ] || { not_ok "$name: $got lines came through, expected ${through#lines=}" "$detail"; continue; } ;;
    out~*) cat "$out" "$err" | grep -qE -- "${through#out~}" || { not_ok "$name: /${through#out~}/ not in the output" "$detail"; continue; } ;;
    esac
    ok "$name"
done <"$root/tests/bad-input/cases.txt"
expect "the table has cases" [ "$n" -ge 20 ]
finish
