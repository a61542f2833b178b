#!/bin/sh
# check-mapping-columns.sh — verify that every column named in data/targets/*.yml exists in its table.
#
# Usage: tools/check-mapping-columns.sh [-v] [file.yml ...]     (default: all three target files)
# Env:   SOCFEED_SHARED (default ../shared, relative to the project root)
# Exit:  0 if every column exists, 1 if any is missing or unknown, 2 on usage/setup errors.
#
# What is checked, per logsource entry (its `table:`):
#   - every `column: X` (in `where`, in field maps, in guards used through `when:`),
#   - every name in `columns: [..]`, every value in `hashes: {ALGO: X}`,
#   - every shorthand field row `SigmaField: X` directly under `fields:`,
#   - every capitalised identifier inside `expr: '...'` (outside string literals) must be listed in `columns:`,
#   - every `column:` of the top-level `entities:` defaults, against each entry's table, and every `keyword_field:`.
#   A dotted column (EventData.Image, AdditionalFields.X) is checked by its base column.
# Column lists:
#   sentinel-asim : reference/tables/sentinel_asim-columns.tsv for the parser, plus reference/asim/schemas/ASimTester.csv
#                   rows of the parser's schema and of the Common schema (common fields such as EventOriginalType).
#   defender-xdr  : reference/tables/microsoft_xdr-columns.tsv.
#   azure-monitor : reference/tables/azure_monitor-columns.tsv, plus the WindowsEvent columns below, copied from the
#                   Azure Monitor table reference "WindowsEvent" (learn.microsoft.com/azure/azure-monitor/reference/tables/windowsevent),
#                   because the shared table list stops at SecurityEvent and SigninLogs; likewise the Syslog columns.
set -eu

verbose=0
if [ "${1:-}" = "-v" ]; then verbose=1; shift; fi

root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SOCFEED_SHARED:-$root/../shared}
tables="$shared/reference/tables"
asimcsv="$shared/reference/asim/schemas/ASimTester.csv"
for f in "$tables/sentinel_asim-columns.tsv" "$tables/microsoft_xdr-columns.tsv" "$tables/azure_monitor-columns.tsv" "$asimcsv"; do
    [ -r "$f" ] || { echo "check-mapping-columns: missing $f (set SOCFEED_SHARED)" >&2; exit 2; }
done

if [ $# -eq 0 ]; then
    set -- "$root/data/targets/sentinel-asim.yml" "$root/data/targets/defender-xdr.yml" "$root/data/targets/azure-monitor.yml"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- build one "table<TAB>column" list per target
# ASIM: parser table list + ASimTester rows (schema of the parser, and Common).
{
    tail -n +2 "$tables/sentinel_asim-columns.tsv" | tr -d '\r '
    tr -d '\r' < "$asimcsv" | awk -F, 'NR > 1 {
        s = $4
        if (s == "Common") { print "imProcessCreate\t" $1; print "imFileEvent\t" $1; print "imRegistry\t" $1;
                             print "imNetworkSession\t" $1; print "_Im_Dns\t" $1; print "imAuthentication\t" $1 }
        else if (s == "ProcessEvent")   print "imProcessCreate\t" $1
        else if (s == "FileEvent")      print "imFileEvent\t" $1
        else if (s == "RegistryEvent")  print "imRegistry\t" $1
        else if (s == "NetworkSession") print "imNetworkSession\t" $1
        else if (s == "Dns")            print "_Im_Dns\t" $1
        else if (s == "Authentication") print "imAuthentication\t" $1
    }'
} | sort -u > "$tmp/sentinel-asim.cols"

tail -n +2 "$tables/microsoft_xdr-columns.tsv" | tr -d '\r ' | sort -u > "$tmp/defender-xdr.cols"

{
    tail -n +2 "$tables/azure_monitor-columns.tsv" | tr -d '\r '
    for c in Channel Computer Correlation EventData EventID EventLevel EventLevelName EventOriginId EventRecordId \
             Keywords ManagementGroupName Opcode Provider RawEventData SystemProcessId SystemThreadId SystemUserId \
             Task TenantId TimeGenerated Type Version _ResourceId _SubscriptionId; do
        printf 'WindowsEvent\t%s\n' "$c"
    done
    # Syslog, from the Azure Monitor table reference "Syslog" (learn.microsoft.com/azure/azure-monitor/reference/tables/syslog).
    for c in CollectorHostName Computer EventTime Facility HostIP HostName ProcessID ProcessName SeverityLevel SourceSystem \
             SyslogMessage TenantId TimeGenerated Type _ResourceId _SubscriptionId; do
        printf 'Syslog\t%s\n' "$c"
    done
} | sort -u > "$tmp/azure-monitor.cols"

status=0
for file in "$@"; do
    [ -r "$file" ] || { echo "check-mapping-columns: cannot read $file" >&2; exit 2; }
    target=$(awk '/^target:/ { print $2; exit }' "$file")
    cols="$tmp/$target.cols"
    [ -r "$cols" ] || { echo "check-mapping-columns: $file: unknown target '$target'" >&2; status=1; continue; }

    awk -v COLS="$cols" -v FILE="$(basename "$file")" -v VERBOSE="$verbose" '
    function indent(s) { match(s, /^ */); return RLENGTH }
    function strip_comment(s,    out, i, c, q) {   # drop a trailing "# ..." that is outside quotes
        out = ""; q = ""
        for (i = 1; i <= length(s); i++) {
            c = substr(s, i, 1)
            if (q == "" && (c == "\047" || c == "\"")) q = c
            else if (q != "" && c == q) q = ""
            else if (q == "" && c == "#" && (i == 1 || substr(s, i - 1, 1) == " ")) break
            out = out c
        }
        sub(/[ \t]+$/, "", out); return out
    }
    function check(col, what,    base) {
        base = col; sub(/\..*/, "", base)
        if (table == "") { printf "%s:%d: %s %s outside a logsource\n", FILE, NR, what, col; bad++; return }
        if ((table SUBSEP base) in have) {
            ok++; if (VERBOSE) printf "ok      %s %-18s %-22s %s\n", FILE, table, col, what
        } else {
            printf "MISSING %s:%d: %s: column %s (%s) not in %s\n", FILE, NR, id, col, what, table; bad++
        }
    }
    function check_list(s, what,    n, a, i, t) {
        n = split(s, a, /[,\[\] ]+/)
        for (i = 1; i <= n; i++) { t = a[i]; if (t != "") { check(t, what); listed[t] = 1 } }
    }
    BEGIN {
        while ((getline line < COLS) > 0) { split(line, p, "\t"); have[p[1] SUBSEP p[2]] = 1 }
        table = ""; id = ""; in_guards = 0; fields_ind = -1
        timecol = "TimeGenerated"   # the converter'"'"'s default event-time column (correlation bins)
    }
    {
        raw = $0
        line = strip_comment(raw)
        if (line ~ /^[ ]*$/) next
        ind = indent(line)

        if (ind == 0) { in_guards = (line ~ /^guards:/); in_entities = (line ~ /^entities:/); fields_ind = -1 }
        if (line ~ /^time_column: /) { timecol = line; sub(/^time_column: /, "", timecol); next }
        if (in_entities) {
            if (match(line, /column: [A-Za-z_][A-Za-z0-9_.]*/)) defcols = defcols " " substr(line, RSTART + 8, RLENGTH - 8)
            next
        }
        if (in_guards) {
            if (ind == 2 && line ~ /^  [A-Za-z_0-9]+:/) { g = line; sub(/^  /, "", g); sub(/:.*/, "", g); cur_guard = g; next }
            if (match(line, /column: [A-Za-z_][A-Za-z0-9_.]*/)) {
                c = substr(line, RSTART + 8, RLENGTH - 8); guardcols[cur_guard] = guardcols[cur_guard] " " c
            }
            next
        }
        if (line ~ /^  - id: /) { id = line; sub(/^  - id: /, "", id); table = ""; fields_ind = -1; next }
        if (line ~ /^    table: /) {
            table = line; sub(/^    table: /, "", table)
            n = split(defcols, dc, " "); for (i = 1; i <= n; i++) if (dc[i] != "") check(dc[i], "default entity")
            check(timecol, "time column")
            next
        }

        # leaving a fields block
        if (fields_ind >= 0 && ind <= fields_ind) fields_ind = -1
        if (line ~ /^    fields:[ ]*$/) { fields_ind = ind; next }

        # start of a field row: remember expr/columns pairing per field
        if (fields_ind >= 0 && ind == fields_ind + 2) {
            for (k in listed) delete listed[k]
            pending_expr = ""
            # shorthand row  SigmaField: Column
            if (match(line, /^ *[A-Za-z_][A-Za-z0-9_]*: [A-Za-z_][A-Za-z0-9_.]*$/)) {
                v = line; sub(/^ *[A-Za-z_][A-Za-z0-9_]*: /, "", v); check(v, "field")
            }
        }
        s = line
        while (match(s, /column: [A-Za-z_][A-Za-z0-9_.]*/)) {
            check(substr(s, RSTART + 8, RLENGTH - 8), "column"); s = substr(s, RSTART + RLENGTH)
        }
        if (match(line, /keyword_field: [A-Za-z_][A-Za-z0-9_.]*/)) check(substr(line, RSTART + 15, RLENGTH - 15), "keyword field")
        if (match(line, /columns: \[[^]]*\]/)) {
            check_list(substr(line, RSTART + 9, RLENGTH - 9), "columns")
            if (pending_expr != "") { verify_expr(pending_expr); pending_expr = "" }
        }
        if (match(line, /hashes: \{[^}]*\}/)) {
            h = substr(line, RSTART + 9, RLENGTH - 9); gsub(/[{}]/, "", h)
            n = split(h, hp, ",")
            for (i = 1; i <= n; i++) { v = hp[i]; sub(/^[^:]*: */, "", v); gsub(/ /, "", v); if (v != "") check(v, "hash") }
        }
        if (match(line, /when: [A-Za-z_0-9]+/)) {
            g = substr(line, RSTART + 6, RLENGTH - 6)
            if (!(g in guardcols)) { printf "MISSING %s:%d: %s: guard %s not defined\n", FILE, NR, id, g; bad++ }
            else { n = split(guardcols[g], gc, " "); for (i = 1; i <= n; i++) if (gc[i] != "") check(gc[i], "guard " g) }
        }
        if (match(line, /expr: \047[^\047]*\047/)) {
            e = substr(line, RSTART + 7, RLENGTH - 8)
            # an expr may come before or after its columns: list on the same field
            if (length(listed) > 0) verify_expr(e); else pending_expr = e
        }
    }
    function verify_expr(e,    t) {
        gsub(/"[^"]*"/, "", e)                       # drop string literals
        while (match(e, /[A-Za-z_][A-Za-z0-9_]*/)) {
            t = substr(e, RSTART, RLENGTH); e = substr(e, RSTART + RLENGTH)
            if (t ~ /^[A-Z]/ && !(t in listed)) { printf "MISSING %s:%d: %s: expr uses %s, not in columns:\n", FILE, NR, id, t; bad++ }
        }
    }
    END {
        printf "%s: %d column references checked, %d problems\n", FILE, ok + bad, bad
        exit (bad > 0)
    }' "$file" || status=1
done
exit $status
