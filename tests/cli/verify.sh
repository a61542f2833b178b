#!/bin/sh
# CLI tests for `socfeed verify`: a rule whose KQL finds its own samples verifies on every target; the
# seeds' mistake (Sigma TargetFilename read from ASIM TargetFileName, brought in with a --mapping
# override) is reported as under-matching with the missed event; the output formats, usage errors, and
# the pinned SigmaHQ corpus (no over/under-match, no error on any target).
. "$(dirname "$0")/lib.sh"
FIX=tests/fixtures/events

# A small repository: the seed rule plus its regression_tests_path, and an info.yml naming our own
# hand-written samples (the positive and the near miss, concatenated into one test file).
mkdir -p "$TMP/repo/rules" "$TMP/repo/regression_data/seed"
cat "$FIX/seed_screenconnect_artefact.json" "$FIX/seed_screenconnect_artefact_nomatch.json" \
    >"$TMP/repo/regression_data/seed/artefact.json"
{ cat examples/rules/sigmahq/file_event_win_remote_access_tools_screenconnect_artefact.yml
  echo "regression_tests_path: regression_data/seed/info.yml"; } >"$TMP/repo/rules/artefact.yml"
cat >"$TMP/repo/regression_data/seed/info.yml" <<'YML'
regression_tests_info:
  - name: Positive Detection Test
    type: evtx
    path: regression_data/seed/artefact.json
    match_count: 1
YML

"$SOCFEED_BIN" verify -t sentinel-asim "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "seed rule verifies on sentinel-asim" grep -q "^VERIFIED sentinel-asim .*ScreenConnect Temporary Installation Artefact — 1/2 sigma, 1 kql \[imFileEvent\]" "$TMP/out"
expect "verified: exit 0" [ "$rc" -eq 0 ]
expect "verified: closing line" sh -c '[ "$(tail -n 1 "$1")" = "1 passed, 0 failed" ]' _ "$TMP/out"
expect "summary table row" grep -Eq "^sentinel-asim +1 +1 +0 +0 +0 +0 +0$" "$TMP/out"

"$SOCFEED_BIN" verify -t all "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "all targets: one line per target" sh -c '[ "$(grep -c "^VERIFIED" "$1")" -eq 3 ]' _ "$TMP/out"
expect "defender rows are marked approximate" grep -q "^VERIFIED defender-xdr .*(approximate rows)" "$TMP/out"
expect "all targets: 3 passed" grep -qx "3 passed, 0 failed" "$TMP/out"

# --events widens the cross-check: the four seed fixtures join the two samples.
"$SOCFEED_BIN" verify -t sentinel-asim --events "$FIX" "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "--events: cross-checked over 6 events, still verified" grep -q "^VERIFIED .*cross-checked over 6 events" "$TMP/out" "$(cat "$TMP/out")"
expect "--events: files counted" grep -q "^(6 events in 5 files)" "$TMP/out"

# --all-rules: a rule without regression data is verified on the --events events alone.
mkdir -p "$TMP/repo2"
cp "$TMP/repo/rules/artefact.yml" examples/rules/sigmahq/file_event_win_remote_access_tools_screenconnect_remote_file.yml "$TMP/repo2/"
mkdir -p "$TMP/repo2/regression_data" && cp -r "$TMP/repo/regression_data/seed" "$TMP/repo2/regression_data/"
"$SOCFEED_BIN" verify -t sentinel-asim --all-rules --events "$FIX" "$TMP/repo2" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "--all-rules: the rule without regression data verifies on the fixtures" \
    grep -q "^VERIFIED sentinel-asim .*ScreenConnect Temporary File — 1/6 sigma, 1 kql \[imFileEvent\]: .*remote_file.yml" "$TMP/out" "$(cat "$TMP/out")"
expect "--all-rules: both rules, exit 0" sh -c '[ "$1" -eq 0 ] && grep -qx "2 passed, 0 failed" "$2"' _ "$rc" "$TMP/out"
"$SOCFEED_BIN" verify -t sentinel-asim --all-rules "$TMP/repo2" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "--all-rules without --events: exit 2" sh -c '[ "$1" -eq 2 ] && grep -q "needs --events" "$2"' _ "$rc" "$TMP/err"

# The example rules on their example events (`make demo`): every rule a target converts verifies there,
# each on its own events (the cross-check runs each query over all 27 events, near misses included);
# the Linux rule on Defender XDR goes through the Sysmon-for-Linux row of data/normalize/defender-xdr.yml.
"$SOCFEED_BIN" verify -t all --all-rules --events "$FIX" --events examples/events examples/rules >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "examples: exit 0, nothing failed" sh -c '[ "$1" -eq 0 ] && grep -qx "21 passed, 0 failed" "$2"' _ "$rc" "$TMP/out" "$(cat "$TMP/out")"
expect "examples: sentinel-asim verifies all it converts" grep -Eq "^sentinel-asim +9 +6 +0 +0 +0 +3 +0$" "$TMP/out"
expect "examples: defender-xdr verifies all it converts" grep -Eq "^defender-xdr +9 +7 +0 +0 +0 +2 +0$" "$TMP/out"
expect "examples: azure-monitor verifies all it converts" grep -Eq "^azure-monitor +9 +8 +0 +0 +0 +1 +0$" "$TMP/out"
expect "examples: the burst correlation verifies by group on azure-monitor" \
    grep -q "^VERIFIED azure-monitor Burst Of Explicit Credential Use Against Remote Hosts — 11/27 sigma, 11 kql (groups alerted: 1 by the rule, 1 by the query) \[SecurityEvent\]" "$TMP/out"

expect "examples: the Linux reverse shell verifies on Defender XDR" \
    grep -q "^VERIFIED defender-xdr  Interactive Shell Redirected To Bash /dev/tcp Socket — 1/27 sigma, 1 kql \[DeviceProcessEvents\]" "$TMP/out"
expect "examples: 11 explicit-credential events on azure-monitor" \
    grep -q "^VERIFIED azure-monitor Explicit Credentials Used Against A Remote Host — 11/27 sigma, 11 kql \[SecurityEvent\]" "$TMP/out"

# A correlation is compared by the groups it alerts on. An event_count ("10 or more in 15 minutes")
# converts to the exact sliding window (sort by group and time, next()): ten 4648 events in 9 minutes
# that straddle 14:15 fire both the rule and the query (fixed 15-minute bins would hold 5 and 5); a
# second account with 3 events is a group neither side alerts on. The window's edge is inclusive on
# both sides: ten events spanning exactly 15:00 alert, 15:01 do not.
mkdir -p "$TMP/corr"
cp examples/rules/socfeed/win_security_explicit_credentials_remote_target.yml examples/rules/socfeed/mr_win_security_explicit_credentials_burst.yml "$TMP/corr/"
event() { # MINUTE SECOND USER [SERVER]: one 4648 event at 14:MINUTE:SECOND
    sed -n 1p examples/events/win_security_4648_remote_burst.jsonl |
        sed "s/\"SystemTime\":\"[^\"]*\"/\"SystemTime\":\"2026-03-24T14:$(printf %02d "$1"):$(printf %02d "$2").000000Z\"/; s/\"SubjectUserName\":\"alice\"/\"SubjectUserName\":\"$3\"/; s/\"TargetServerName\":\"[^\"]*\"/\"TargetServerName\":\"${4:-FS01.corp.example.com}\"/"
}
burst() { # START-MINUTE USER COUNT: events a minute apart, to a different server each
    for i in $(seq 0 $(($3 - 1))); do event $(($1 + i)) 0 "$2" "SRV$i.corp.example.com"; done
}
{ burst 10 alice 10; burst 0 bob 3; } >"$TMP/corr/split.jsonl"
"$SOCFEED_BIN" verify -t all --all-rules --events "$TMP/corr/split.jsonl" "$TMP/corr" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "correlation straddling a bin edge: verified by the sliding query" sh -c '[ "$1" -eq 0 ] && grep -q "^VERIFIED azure-monitor Burst Of Explicit Credential Use Against Remote Hosts — 10/13 sigma, 10 kql (groups alerted: 1 by the rule, 1 by the query)" "$2"' _ "$rc" "$TMP/out" "$(cat "$TMP/out")"
"$SOCFEED_BIN" convert -q -t azure-monitor "$TMP/corr" >"$TMP/kql"
expect "the event_count query slides: sort by group and time, next() nine rows on" \
    grep -q '^    and next(TimeGenerated, 9) - TimeGenerated <= 15m$' "$TMP/kql" "$(cat "$TMP/kql")"
{ burst 0 alice 9; event 15 0 alice; } >"$TMP/corr/edge.jsonl"
"$SOCFEED_BIN" verify -t azure-monitor --all-rules --events "$TMP/corr/edge.jsonl" "$TMP/corr" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "ten events spanning exactly the timespan: both alert" sh -c '[ "$1" -eq 0 ] && grep -q "^VERIFIED azure-monitor Burst .* — 10/10 sigma, 10 kql (groups alerted: 1 by the rule, 1 by the query)" "$2"' _ "$rc" "$TMP/out" "$(cat "$TMP/out")"
{ burst 0 alice 9; event 15 1 alice; } >"$TMP/corr/edge.jsonl"
"$SOCFEED_BIN" verify -t azure-monitor --all-rules --events "$TMP/corr/edge.jsonl" "$TMP/corr" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "one second past the timespan: neither alerts (nothing to verify on)" sh -c '[ "$1" -eq 0 ] && grep -q "^NOSAMPLE azure-monitor Burst .* — 0/10 sigma, 0 kql (groups alerted: 0 by the rule, 0 by the query)" "$2"' _ "$rc" "$TMP/out" "$(cat "$TMP/out")"

# Other correlations count in fixed bins of the timespan (summarize … by bin()). A value_count over
# the same straddling burst (ten servers in 9 minutes, five per bin) is then an under-match: the gap
# the feed page and verify name.
cat >"$TMP/corr/servers.yml" <<'YML'
title: Explicit Credentials Against Many Servers
id: 3f1c2b7a-9d4e-4a61-8c55-1b2e3d4f5a60
correlation:
  type: value_count
  rules:
    - socfeed_explicit_credentials_remote_target
  group-by:
    - SubjectUserName
  timespan: 15m
  condition:
    field: TargetServerName
    gte: 8
YML
"$SOCFEED_BIN" verify -t azure-monitor --all-rules --events "$TMP/corr/split.jsonl" "$TMP/corr" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "value_count split across bins: under-match, named, exit 1" sh -c '[ "$1" -eq 1 ] && grep -q "^UNDER    azure-monitor Explicit Credentials Against Many Servers — 10/13 sigma, 0 kql (groups alerted: 1 by the rule, 0 by the query; the query counts in fixed bins)" "$2"' _ "$rc" "$TMP/out" "$(cat "$TMP/out")"
rm "$TMP/corr/split.jsonl" "$TMP/corr/edge.jsonl"
{ burst 0 alice 10; burst 0 bob 3; } >"$TMP/corr/onebin.jsonl"
"$SOCFEED_BIN" verify -t azure-monitor --all-rules --events "$TMP/corr/onebin.jsonl" "$TMP/corr" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "value_count inside one bin: verified, the 3-server group on neither side" sh -c '[ "$1" -eq 0 ] && grep -q "^VERIFIED azure-monitor Explicit Credentials Against Many Servers — 10/13 sigma, 10 kql (groups alerted: 1 by the rule, 1 by the query; the query counts in fixed bins)" "$2"' _ "$rc" "$TMP/out" "$(cat "$TMP/out")"

# Sigma's Computer (the System field) on every target: Dvc on ASIM, DeviceName on Defender XDR, the
# Computer column on Azure Monitor; the certutil event on WKS-FIN-0417 is found, the one elsewhere is not.
mkdir -p "$TMP/host"
cat >"$TMP/host/host.yml" <<'YML'
title: Certutil On The Finance Workstations
id: 6a0f5a8e-4a7e-4f43-9d55-0c1f3c9b2d10
logsource: {product: windows, category: process_creation}
detection:
  sel:
    Computer|startswith: 'wks-fin-'
    Image|endswith: '\certutil.exe'
  condition: sel
YML
sed 's/WKS-FIN-0417.corp.example.com/SRV-APP-02.corp.example.com/' examples/events/proc_creation_win_certutil_download.json >"$TMP/host/elsewhere.json"
"$SOCFEED_BIN" verify -t all --all-rules --events examples/events --events "$TMP/host/elsewhere.json" "$TMP/host" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "Computer: verified on every target, one host's two certutil events" \
    sh -c '[ "$1" -eq 0 ] && [ "$(grep -c "^VERIFIED .*— 2/24 sigma, 2 kql" "$2")" -eq 3 ]' _ "$rc" "$TMP/out" "$(cat "$TMP/out")"

# The seeds' mapping: TargetFilename read from TargetFileName (the basename). verify must catch it.
cat >"$TMP/seed-mapping.yml" <<'YML'
target: sentinel-asim
version: 1
logsources:
  - id: windows-file_event
    fields:
      TargetFilename: TargetFileName
YML
"$SOCFEED_BIN" verify -t sentinel-asim --mapping "$TMP/seed-mapping.yml" "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "seed mapping: under-match" grep -q "^UNDER    sentinel-asim .*1/2 sigma, 0 kql" "$TMP/out" "$(cat "$TMP/out" "$TMP/err")"
expect "seed mapping: the missed event is named" grep -q "missed (Sigma matches, KQL does not): .*artefact.json#1$" "$TMP/out"
expect "seed mapping: exit 1" [ "$rc" -eq 1 ]
expect "seed mapping: 0 passed, 1 failed" grep -qx "0 passed, 1 failed" "$TMP/out"

"$SOCFEED_BIN" verify -t sentinel-asim --explain --mapping "$TMP/seed-mapping.yml" "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"
expect "explain: the row shows TargetFileName is only the basename" \
    grep -q 'first difference, .*artefact.json#1: imFileEvent row {.*"TargetFileName":"ScreenConnect.ClientService.exe"' "$TMP/out"
expect "explain: the query is shown" grep -q '^      | where TargetFileName contains @"\\Bin\\ScreenConnect."$' "$TMP/out" "$(cat "$TMP/out")"

"$SOCFEED_BIN" verify -t sentinel-asim --format json --mapping "$TMP/seed-mapping.yml" "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"
expect "json: status and missed event" grep -q '"status":"under-match".*"under":\[".*artefact.json#1"\]' "$TMP/out"
expect "json: the emitted query is included" grep -q '"query":"imFileEvent' "$TMP/out"
expect "json: evidence row" grep -q '"evidence":".*artefact.json#1: imFileEvent row' "$TMP/out"
expect "json: summary" grep -q '"summary":\[{"target":"sentinel-asim","verified":0,"over-match":0,"under-match":1' "$TMP/out"

# Damaged sample data: the rule is an ERROR naming the problem, the run goes on, exit 1.
mkdir -p "$TMP/bad/rules" "$TMP/bad/regression_data/x"
printf '{"Event": {"System": {"EventID": 11,' >"$TMP/bad/regression_data/x/cut.json"
sed 's|regression_data/seed/info.yml|regression_data/x/info.yml|' "$TMP/repo/rules/artefact.yml" >"$TMP/bad/rules/cut.yml"
printf 'regression_tests_info:\n  - name: t\n    type: evtx\n    path: regression_data/x/cut.json\n' >"$TMP/bad/regression_data/x/info.yml"
{ sed 's|regression_data/seed/info.yml|regression_data/none/info.yml|; s|^id: .*|id: 7d0f6a52-3c1e-4b8e-9d51-2f4a6c0b9e13|' \
    "$TMP/repo/rules/artefact.yml"; } >"$TMP/bad/rules/missing.yml"
"$SOCFEED_BIN" verify -t sentinel-asim "$TMP/bad/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "damaged events: ERROR line with the reason" grep -q "^ERROR .*cut.yml — .*cut.json" "$TMP/out" "$(cat "$TMP/out" "$TMP/err")"
expect "missing info.yml: ERROR line" grep -q "^ERROR .*missing.yml — regression_tests_path 'regression_data/none/info.yml' not found" "$TMP/out"
expect "bad data: exit 1, 0 passed, 2 failed" sh -c '[ "$1" -eq 1 ] && grep -qx "0 passed, 2 failed" "$2"' _ "$rc" "$TMP/out"

# Usage errors.
"$SOCFEED_BIN" verify "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "no target: exit 2 with a message" sh -c '[ "$1" -eq 2 ] && grep -q "TARGET is required" "$2"' _ "$rc" "$TMP/err"
"$SOCFEED_BIN" verify -t splunk "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "unknown target: exit 2" [ "$rc" -eq 2 ]
"$SOCFEED_BIN" verify -t sentinel-asim --format yaml "$TMP/repo/rules" >"$TMP/out" 2>"$TMP/err"; rc=$?
expect "unknown format: exit 2" [ "$rc" -eq 2 ]

if have_shared; then
    S="$SHARED/sigma"
    for t in sentinel-asim azure-monitor defender-xdr; do
        "$SOCFEED_BIN" verify -t "$t" "$S/rules" "$S/rules-emerging-threats" "$S/rules-threat-hunting" >"$TMP/out" 2>"$TMP/err"; rc=$?
        expect "corpus $t: 202 rules, no over/under-match or error" grep -Eq "^$t +202 +[0-9]+ +0 +0 +0 +[0-9]+ +0$" "$TMP/out" "$(tail -n 5 "$TMP/out")"
        expect "corpus $t: exit 0" [ "$rc" -eq 0 ]
        expect "corpus $t: every verified query was cross-checked over all 476 events" \
            sh -c '[ "$(grep -c "^VERIFIED" "$1")" -eq "$(grep -c "^VERIFIED .*cross-checked over 476 events" "$1")" ]' _ "$TMP/out"
    done
fi
finish
