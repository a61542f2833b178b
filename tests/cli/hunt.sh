#!/bin/sh
# CLI tests for `socfeed hunt`: output formats, exit codes, bad inputs among good ones, the same
# output whatever -j (also when a large JSON Lines file is cut into slices), atomic --output,
# --min-level, stdin, and the summary.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/rules"
cat >"$TMP/rules/whoami.yml" <<'YML'
title: Whoami Run By "Tester", <b>
id: 0f5a6e0c-1111-4222-8333-944455556666
status: test
level: high
tags: [attack.discovery, attack.t1033]
logsource: {product: windows, category: process_creation}
detection:
  sel:
    Image|endswith: '\whoami.exe'
  filter:
    User: 'svc'
  condition: sel and not filter
YML
cat >"$TMP/rules/low.yml" <<'YML'
title: Any Notepad
level: low
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|endswith: '\notepad.exe'}
  condition: sel
YML
ev() { # ev IMAGE USER RECORD
    printf '{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"pc1","EventRecordID":%s,"TimeCreated":{"#attributes":{"SystemTime":"2026-01-02T03:04:05Z"}}},"EventData":{"Image":"%s","User":"%s","CommandLine":"a,\\"b\\""}}}\n' "$3" "$1" "$2"
}
{ ev 'C:\\Windows\\whoami.exe' bob 1; ev 'C:\\Windows\\whoami.exe' svc 2; ev 'C:\\x\\notepad.exe' bob 3; } >"$TMP/a.jsonl"

"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress "$TMP/a.jsonl" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "table: exit 0 with detections" [ "$rc" -eq 0 ]
expect "table: one line per detection (+ header)" [ "$(wc -l <"$TMP/out")" -eq 3 ]
expect "table: time, computer, level, title, tags, matched field, record, file" \
    grep -q '^2026-01-02T03:04:05Z  *pc1  *high  *Whoami Run By "Tester", <b>  \[discovery,T1033\]  Image=C:\\Windows\\whoami.exe  #1  .*a.jsonl$' "$TMP/out"
expect "table: the filtered event is not reported" sh -c '! grep -q "#2 " "$1"' _ "$TMP/out"
expect "summary: detections by host" sh -c 'grep -q "^hosts: 1 with detections" "$1" && grep -qE "^ +2  pc1$" "$1"' _ "$TMP/err"

# -j takes its value as the next argument or attached (-j2, as make does); nonsense is a usage error
"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress -j1 "$TMP/a.jsonl" >"$TMP/out_j1" 2>/dev/null; rc=$?
expect "-j1: the same detections as -j 1's default run" sh -c '[ "$1" -eq 0 ] && cmp -s "$2" "$3"' _ "$rc" "$TMP/out" "$TMP/out_j1"
"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress -j0 "$TMP/a.jsonl" >/dev/null 2>"$TMP/err_j0"; rc=$?
expect "-j0: exit 2 with the reason" sh -c '[ "$1" -eq 2 ] && grep -q -- "-j needs a number from 1 to 256" "$2"' _ "$rc" "$TMP/err_j0"
expect "summary: detections by level" grep -q "detections: 2 (high 1, low 1) by 2 rules" "$TMP/err"
expect "summary: files and events" grep -q "socfeed hunt: 1 file, 3 events" "$TMP/err"

"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress --fail-on-detection "$TMP/a.jsonl" >/dev/null 2>&1
expect "--fail-on-detection: exit 1" [ $? -eq 1 ]
"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress --min-level high --format csv "$TMP/a.jsonl" >"$TMP/out" 2>/dev/null
expect "--min-level high keeps the high rule only" [ "$(grep -c notepad "$TMP/out")" -eq 0 ]
expect "csv: header" grep -q "^time,computer,rule,rule_id,level,attack,matched,record_id,file" "$TMP/out"
expect "csv: quotes doubled in quoted fields" grep -q '"Whoami Run By ""Tester"", <b>"' "$TMP/out"

"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress --format jsonl "$TMP/a.jsonl" >"$TMP/out" 2>/dev/null
expect "jsonl: two objects" [ "$(wc -l <"$TMP/out")" -eq 2 ]
expect "jsonl: matched values and the whole event" grep -q '"matched":{"Image":"C:\\\\Windows\\\\whoami.exe"},"record_id":1,"input":".*a.jsonl","line":1,"event":{"Event":' "$TMP/out"

out=$(cat "$TMP/a.jsonl" | "$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress - 2>/dev/null)
expect "stdin: read as JSON Lines" [ "$(printf '%s\n' "$out" | grep -c '<stdin>')" -eq 2 ]

# A broken line and a missing file among good inputs: reported with position, the rest hunted.
{ ev 'C:\\Windows\\whoami.exe' bob 7; printf '{"Event":{"System":\n'; ev 'C:\\Windows\\whoami.exe' bob 9; } >"$TMP/bad.jsonl"
"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress "$TMP/bad.jsonl" "$TMP/missing.evtx" "$TMP/a.jsonl" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "bad input: exit 2" [ "$rc" -eq 2 ]
expect "bad input: file:line of the broken record" grep -q "bad.jsonl:3:1: error: .*record that began at line 2 is not closed" "$TMP/err"
expect "bad input: missing file named" grep -q "missing.evtx.*cannot open" "$TMP/err"
expect "bad input: events after the damage still hunted" sh -c 'grep -q "#9 " "$1" && grep -q "#1 .*a.jsonl" "$1"' _ "$TMP/out"

# Atomic --output: the file appears complete, no temporary left behind.
"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress -o "$TMP/det.txt" "$TMP/a.jsonl" 2>/dev/null
expect "--output: written" [ "$(wc -l <"$TMP/det.txt")" -eq 3 ]
expect "--output: no temporary file left" [ -z "$(ls "$TMP" | grep 'det.txt.tmp')" ]

# A JSON Lines file above the slicing threshold (32 MB): -j2 cuts it at line starts; the output
# (order, line numbers) and the error position must equal -j1's.
awk 'BEGIN { for (i = 1; i <= 140000; i++) {
        img = (i % 20000 == 0) ? "C:\\\\Windows\\\\whoami.exe" : "C:\\\\x\\\\calc.exe";
        pad = sprintf("%0200d", i);
        printf "{\"Event\":{\"System\":{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventRecordID\":%d},\"EventData\":{\"Image\":\"%s\",\"Pad\":\"%s\"}}}\n", i, img, pad
        if (i == 100001) print "{\"broken\":"
     } }' >"$TMP/big.jsonl"
"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress --format jsonl -j 1 "$TMP/big.jsonl" >"$TMP/j1" 2>"$TMP/e1"
"$SOCFEED_BIN" hunt --rules "$TMP/rules" --no-progress --format jsonl -j 2 "$TMP/big.jsonl" >"$TMP/j2" 2>"$TMP/e2"
expect "big JSONL: 7 detections" [ "$(wc -l <"$TMP/j1")" -eq 7 ]
expect "big JSONL: -j2 output identical to -j1" cmp -s "$TMP/j1" "$TMP/j2"
expect "big JSONL: line numbers are file lines" grep -q '"record_id":140000,.*"line":140001' "$TMP/j2"
expect "big JSONL: the broken line is reported at its file line with -j2" grep -q "big.jsonl:100003:1: .*began at line 100002" "$TMP/e2"
expect "big JSONL: 140000 events either way" sh -c 'grep -q " 140000 events" "$1" && grep -q " 140000 events" "$2"' _ "$TMP/e1" "$TMP/e2"

# A rule that fires on every one of the 140,000 events: the output (tens of MB of JSON Lines) is
# written while hunting, not held until the end, and stays in input order whatever -j.
mkdir -p "$TMP/noisy"
printf 'title: Every Sysmon Process\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel: {Image|contains: "\\\\"}\n  condition: sel\n' >"$TMP/noisy/all.yml"
"$SOCFEED_BIN" hunt --rules "$TMP/noisy" --no-progress --format jsonl -j 1 "$TMP/big.jsonl" 2>/dev/null | cksum >"$TMP/n1"
"$SOCFEED_BIN" hunt --rules "$TMP/noisy" --no-progress --format jsonl -j2 -o "$TMP/n2.jsonl" "$TMP/big.jsonl" 2>/dev/null
expect "noisy rule: every event detected" [ "$(wc -l <"$TMP/n2.jsonl")" -eq 140000 ]
expect "noisy rule: -j2 output identical to -j1" [ "$(cksum <"$TMP/n2.jsonl")" = "$(cat "$TMP/n1")" ]
expect "noisy rule: in input order" sh -c 'head -n 1 "$1" | grep -q "\"record_id\":1," && tail -n 1 "$1" | grep -q "\"record_id\":140000,"' _ "$TMP/n2.jsonl"

if have_shared; then
    S="$SHARED/samples/evtx-attack-samples"
    "$SOCFEED_BIN" hunt --rules "$SHARED/sigma/rules" --no-progress -j 1 "$S" >"$TMP/s1" 2>"$TMP/se1"
    "$SOCFEED_BIN" hunt --rules "$SHARED/sigma/rules" --no-progress -j 2 "$S" >"$TMP/s2" 2>/dev/null
    expect "evtx samples: -j2 output identical to -j1" cmp -s "$TMP/s1" "$TMP/s2"
    expect "evtx samples: detections found" [ "$(wc -l <"$TMP/s1")" -gt 1000 ]
    expect "evtx samples: unmapped rules are counted, not silently dropped" grep -q "not run (logsource not mapped)" "$TMP/se1"
    # The literal prefilter only skips rules that cannot match, and Hyperscan answers regexes as
    # PCRE2 does: same output as the plain engine (--no-prefilter: every routed rule, every regex
    # by PCRE2), over the attack samples and over every regression event, with all 3,780 rules.
    "$SOCFEED_BIN" hunt --rules "$SHARED/sigma/rules" --no-progress --no-prefilter -j 2 "$S" >"$TMP/s3" 2>/dev/null
    expect "prefilter: attack samples, same detections as without it" cmp -s "$TMP/s2" "$TMP/s3"
    R="--rules $SHARED/sigma/rules --rules $SHARED/sigma/rules-emerging-threats --rules $SHARED/sigma/rules-threat-hunting"
    "$SOCFEED_BIN" hunt $R --no-progress "$SHARED/sigma/regression_data" >"$TMP/r1" 2>/dev/null
    "$SOCFEED_BIN" hunt $R --no-progress --no-prefilter "$SHARED/sigma/regression_data" >"$TMP/r2" 2>/dev/null
    expect "prefilter: regression events, same detections as without it" cmp -s "$TMP/r1" "$TMP/r2"
    expect "prefilter: regression events give detections" [ "$(wc -l <"$TMP/r1")" -gt 400 ]
fi
# Correlations: a burst of one rule's detections; the base rule prints nothing of its own
# (generate is false), the alert comes after the detections with its group and count.
mkdir -p "$TMP/corr"
cat >"$TMP/corr/burst.yml" <<'YML'
title: Logon Failure
name: logon_failure
level: low
logsource: {product: windows, service: security}
detection:
  sel: {EventID: 4625}
  condition: sel
---
title: Logon Failure Burst
level: high
correlation:
  type: event_count
  rules: [logon_failure]
  group-by: [TargetUserName]
  timespan: 5m
  condition: {gte: 3}
YML
for i in 1 2 3; do
    printf '{"Event":{"System":{"EventID":4625,"Channel":"Security","Computer":"dc1","TimeCreated":{"#attributes":{"SystemTime":"2026-01-02T03:0%s:00Z"}}},"EventData":{"TargetUserName":"bob"}}}
' "$i"
done >"$TMP/corr.jsonl"
printf '{"Event":{"System":{"EventID":4625,"Channel":"Security","TimeCreated":{"#attributes":{"SystemTime":"2026-01-02T03:01:00Z"}}},"EventData":{"TargetUserName":"eve"}}}
' >>"$TMP/corr.jsonl"
"$SOCFEED_BIN" hunt --rules "$TMP/corr" --no-progress "$TMP/corr.jsonl" >"$TMP/out" 2>"$TMP/err"
expect "correlation: one alert with group and count" grep -q 'Logon Failure Burst  \[\]  event_count=3 over 3 events from 2026-01-02T03:01:00.000Z; TargetUserName=bob  (correlation)' "$TMP/out"
expect "correlation: base rule without generate prints nothing" sh -c '! grep -q "Logon Failure  " "$1"' _ "$TMP/out"
expect "correlation: summary counts the kept inputs" grep -q "4 more kept only as correlation input" "$TMP/err"
expect "correlation: the alert is on the host all its events name" grep -Eq '^2026-01-02T03:03:00.000Z +dc1 +high +Logon Failure Burst' "$TMP/out"
expect "correlation: hosts summary counts the alert" sh -c 'grep -q "^hosts: 1 with detections" "$1" && grep -qE "^ +1  dc1$" "$1"' _ "$TMP/err"
"$SOCFEED_BIN" hunt --rules "$TMP/corr" --no-progress --format jsonl "$TMP/corr.jsonl" >"$TMP/out" 2>/dev/null
expect "correlation: jsonl alert" grep -q '"correlation":{"type":"event_count","group":"TargetUserName=bob","value":3,"events":3' "$TMP/out"
expect "correlation: jsonl names the computer" grep -q '^{"time":"2026-01-02T03:03:00.000Z","computer":"dc1",' "$TMP/out"

# An event that two of the correlated rules match is one event: a second rule over the same 4625s
# (bob has 3 events in the window, not 6) leaves the count at 3, with one or two workers.
cat >"$TMP/corr/any.yml" <<'YML'
title: Any Logon Failure
name: any_logon_failure
level: low
logsource: {product: windows, service: security}
detection:
  sel: {EventID: [4625, 4771]}
  condition: sel
---
title: Logon Failure Burst Of Four
level: high
correlation:
  type: event_count
  rules: [logon_failure, any_logon_failure]
  group-by: [TargetUserName]
  timespan: 5m
  condition: {gte: 4}
YML
for j in 1 2; do
    "$SOCFEED_BIN" hunt --rules "$TMP/corr" --no-progress -j $j "$TMP/corr.jsonl" "$TMP/corr.jsonl" >"$TMP/out" 2>"$TMP/err"
    expect "correlation: an event of two correlated rules counts once (-j $j; the file twice: 6 events for bob)" \
        sh -c '[ "$(grep -c "Logon Failure Burst Of Four .*event_count=4 over 4 events" "$1")" -eq 1 ] && ! grep -q "event_count=[5-9]" "$1"' _ "$TMP/out" "$(cat "$TMP/out")"
done
rm "$TMP/corr/any.yml"

# The example rules over their example events (examples/events, `make demo`): every positive event is
# found by its own rule and by no other, no near miss (*_nomatch*) is reported, and the 11 explicit-
# credential events of one account make one burst alert on that workstation.
"$SOCFEED_BIN" hunt --rules examples/rules --no-progress --format csv examples/events >"$TMP/out" 2>"$TMP/err"
expect "examples: no near miss reported" sh -c '! grep -q "_nomatch" "$1"' _ "$TMP/out"
for pair in "certutil_download.json:File Download Via Certutil URL Cache" \
            "shadow_copy_deletion.json:Shadow Copy Or Backup Catalog Deletion Via Built-in Tools" \
            "lsa_restricted_admin.json:RDP Restricted Admin Mode Enabled Via Registry" \
            "smb_public_ip.json:Outbound SMB Connection To Public IP Address" \
            "dev_tcp_reverse_shell.json:Interactive Shell Redirected To Bash /dev/tcp Socket"; do
    file=${pair%%:*} title=${pair#*:}
    expect "examples: $file is found by its rule alone" \
        sh -c '[ "$(grep -c "$1" "$3")" -eq 1 ] && grep "$1" "$3" | grep -q ",$2,"' _ "$file" "$title" "$TMP/out"
done
expect "examples: every 4648 of the burst is reported" \
    sh -c '[ "$(grep -c "^[^,]*,WKS-FIN-0417.corp.example.com,Explicit Credentials Used Against A Remote Host," "$1")" -eq 11 ]' _ "$TMP/out"
expect "examples: one burst alert on the workstation, after the tenth event" \
    grep -q '^2026-03-24T14:39:41.154Z,WKS-FIN-0417.corp.example.com,Burst Of Explicit Credential Use Against Remote Hosts,.*event_count=10 over 10 events.*SubjectUserName=alice' "$TMP/out"
"$SOCFEED_BIN" hunt --rules examples/rules --no-progress --format jsonl examples/events >"$TMP/out" 2>/dev/null
expect "examples: the jsonl alert lists the ten events that made it (record ids, lines)" python3 - "$TMP/out" <<'PY'
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1]) if '"correlation"' in l]
assert len(alerts) == 1, alerts
c = alerts[0]["correlation"]
recs = c["records"]
assert c["events"] == 10 and len(recs) == 10, c
assert [r["record_id"] for r in recs] == [413990 + 7 * i for i in range(10)], recs
assert [r["line"] for r in recs] == list(range(1, 11)), recs
assert all(r["file"] == "examples/events/win_security_4648_remote_burst.jsonl" for r in recs)
assert recs[0]["time"] == c["first"] and recs[-1]["time"] == c["last"] == alerts[0]["time"]
PY

# Killed mid-run with -o: the output name never holds a partial file (it is written to a temporary
# name and renamed at the end). Loading the whole corpus takes longer than the kill delay.
if have_shared; then
    timeout -s KILL 0.3 "$SOCFEED_BIN" hunt --rules "$SHARED/sigma/rules" --no-progress -o "$TMP/killed.txt" "$TMP/big.jsonl" 2>/dev/null
    expect "killed mid-run: exit by SIGKILL" [ $? -eq 137 ]
    expect "killed mid-run: no output file under the final name" [ ! -e "$TMP/killed.txt" ]
fi

expect "no --rules: exit 2" sh -c '"$1" hunt "$2" >/dev/null 2>&1; [ $? -eq 2 ]' _ "$SOCFEED_BIN" "$TMP/a.jsonl"
# --from/--to: a time window on the events' own time; events outside it or without a time are
# counted in the summary, not matched.
tev() { # tev TIME-OR-EMPTY RECORD
    if [ -n "$1" ]; then t=",\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"$1\"}}"; else t=""; fi
    printf '{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"pc1","EventRecordID":%s%s},"EventData":{"Image":"C:\\\\x\\\\notepad.exe"}}}\n' "$2" "$t"
}
{ tev 2026-03-23T23:59:59Z 1; tev 2026-03-24T00:00:00Z 2; tev 2026-03-24T23:59:59.999Z 3; tev 2026-03-25T00:00:00Z 4
  tev 2026-03-24T12:00:00+14:00 5; tev "" 6; } >"$TMP/times.jsonl"
win() { "$SOCFEED_BIN" hunt --rules "$TMP/rules/low.yml" --no-progress --format csv "$@" "$TMP/times.jsonl" 2>"$TMP/win_err" | tail -n +2 | sed -E 's/.*,([0-9]+),[^,]*$/\1/' | tr '\n' ' '; }
expect "no window: every event" [ "$(win)" = "1 2 3 4 5 6 " ]
expect "--from a date: from its midnight UTC on" [ "$(win --from 2026-03-24)" = "2 3 4 " ]
expect "--to a date: that whole day included" [ "$(win --to 2026-03-24)" = "1 2 3 5 " ]
expect "--from/--to instants, offsets honoured (12:00+14:00 is 22:00Z the day before)" \
    [ "$(win --from 2026-03-23T21:00:00Z --to 2026-03-24T00:00:00.001Z)" = "1 2 5 " ]
win --from 2026-03-24 --to 2026-03-24 >/dev/null
expect "window summary: outside and without a time counted" grep -q "^time window: 3 events outside it, 1 without a readable time" "$TMP/win_err"
"$SOCFEED_BIN" hunt --rules "$TMP/rules/low.yml" --no-progress --from yesterday "$TMP/times.jsonl" >/dev/null 2>"$TMP/win_bad"; rc=$?
expect "--from nonsense: exit 2 with the expected form" sh -c '[ "$1" -eq 2 ] && grep -q "takes a time like 2026-03-24" "$2"' _ "$rc" "$TMP/win_bad"
# File: sources are matched against the input's absolute path with symbolic links resolved: the
# same answer whether the file is named relatively, through a linked directory, or by a link to it.
mkdir -p "$TMP/srclogs/real" "$TMP/srcrules"
cat >"$TMP/srcmap.yml" <<'YML'
version: 1
logsources:
  - match: {product: acme, service: gate}
    any:
      - sources: ['File:*/srclogs/real/gate*']
YML
cat >"$TMP/srcrules/gate.yml" <<'YML'
title: Acme Gate Opened
level: medium
logsource: {product: acme, service: gate}
detection:
  sel: {action: open}
  condition: sel
YML
printf '{"action":"open"}\n' >"$TMP/srclogs/real/gate.jsonl"
printf '{"action":"open"}\n' >"$TMP/srclogs/real/other.jsonl"
ln -s real "$TMP/srclogs/linkdir"
ln -s real/gate.jsonl "$TMP/srclogs/other.jsonl"
bin_abs=$(cd "$(dirname "$SOCFEED_BIN")" && pwd)/$(basename "$SOCFEED_BIN")
hunt_in() { # hunt_in DIR INPUT: detections of the rule, hunting INPUT from DIR
    (cd "$1" && "$bin_abs" hunt --rules "$TMP/srcrules" --mapping "$TMP/srcmap.yml" --no-progress "$2" 2>/dev/null) | grep -c "Acme Gate Opened"
}
expect "sources: a path relative to the working directory" [ "$(hunt_in "$TMP/srclogs/real" gate.jsonl)" -eq 1 ]
expect "sources: a relative path through .." [ "$(hunt_in "$TMP/srclogs/real" ../real/gate.jsonl)" -eq 1 ]
expect "sources: a path through a linked directory" [ "$(hunt_in "$TMP/srclogs" linkdir/gate.jsonl)" -eq 1 ]
expect "sources: a link whose target's path matches" [ "$(hunt_in "$TMP/srclogs" ./other.jsonl)" -eq 1 ]
expect "sources: a file whose path does not match" [ "$(hunt_in "$TMP/srclogs/real" other.jsonl)" -eq 0 ]
expect "sources: files of one directory, each by its own name" [ "$(hunt_in "$TMP/srclogs/real" .)" -eq 1 ]
finish
