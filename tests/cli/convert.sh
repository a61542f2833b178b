#!/bin/sh
# CLI tests for `socfeed convert`: the query/json/sentinel-yaml/arm formats, refusals with reasons,
# exit codes, --mapping overlays (new entries, keyword fields, broken files), --variant, bad rule
# files among good ones, correlations hiding their rules, and the SigmaHQ corpus.
. "$(dirname "$0")/lib.sh"

SEEDS=examples/rules/sigmahq
mkdir -p "$TMP/rules"

# ---- query format: the seed rules, exact text (hand-written from the ASIM schema)
out=$("$SOCFEED_BIN" convert -t sentinel-asim "$SEEDS" 2>"$TMP/err"); rc=$?
want='// ScreenConnect Temporary Installation Artefact (fec96f39-988b-4586-b746-b93d59fd1922)
imFileEvent
| where EventType == "FileCreated" and DvcOs != "Linux"
| where TargetFilePath contains @"\Bin\ScreenConnect."

// Remote Access Tool - ScreenConnect Temporary File (0afecb6e-6223-4a82-99fb-bf5b981e92a5)
imFileEvent
| where EventType == "FileCreated" and DvcOs != "Linux"
| where ActingProcessName endswith @"\ScreenConnect.WindowsClient.exe"
    and TargetFilePath contains @"\Documents\ConnectWiseControl\Temp\"'
expect "seed rules convert (exit 0)" [ "$rc" -eq 0 ]
if [ "$out" = "$want" ]; then ok "seed queries for sentinel-asim"; else not_ok "seed queries for sentinel-asim" "$out"; fi
expect "summary on stderr" grep -qx "sentinel-asim: 2 converted, 0 refused" "$TMP/err"

# ---- refusals: reason on stderr with the rule's position, no query, exit 0
cat >"$TMP/rules/linux.yml" <<'YML'
title: Linux rule
id: 3c1d7a40-6a8e-4b7e-9d35-0a1b2c3d4e5f
logsource: {product: linux, category: process_creation}
detection:
    sel:
        Image|endswith: '/nc'
    condition: sel
YML
cat >"$TMP/rules/keyword.yml" <<'YML'
title: Keyword rule
id: 4d2e8b51-7b9f-4c8f-8e46-1b2c3d4e5f60
logsource: {product: windows, category: process_creation}
detection:
    keywords:
        - 'mimikatz'
    condition: keywords
YML
out=$("$SOCFEED_BIN" convert -t sentinel-asim "$TMP/rules/linux.yml" "$TMP/rules/keyword.yml" 2>"$TMP/err"); rc=$?
expect "refusals alone still exit 0" [ "$rc" -eq 0 ]
expect "no query for refused rules" [ -z "$out" ]
expect "linux refusal names the logsource" grep -q "linux.yml:1:1: refused (sentinel-asim): logsource product=linux category=process_creation has no table on sentinel-asim" "$TMP/err"
expect "keyword refusal names the table" grep -q "keyword.yml:1:1: refused (sentinel-asim): keyword (field-less) detection: imProcessCreate on this target has no field to search" "$TMP/err"
out=$("$SOCFEED_BIN" convert -q -t sentinel-asim "$TMP/rules/linux.yml" 2>&1)
expect "-q silences refusals" [ -z "$out" ]

# ---- json: one object per rule, converted or refused
out=$("$SOCFEED_BIN" convert -t defender-xdr --format json "$TMP/rules/linux.yml" "$TMP/rules/keyword.yml" "$SEEDS/file_event_win_remote_access_tools_screenconnect_artefact.yml" 2>/dev/null)
expect "json: linux converts on defender" sh -c 'printf "%s" "$1" | grep -qF "\"id\":\"3c1d7a40-6a8e-4b7e-9d35-0a1b2c3d4e5f\",\"title\":\"Linux rule\",\"target\":\"defender-xdr\",\"table\":\"DeviceProcessEvents\",\"status\":\"converted\",\"query\":\"DeviceProcessEvents\\n| where FolderPath startswith \\\"/\\\"\\n| where FolderPath endswith \\\"/nc\\\"\""' _ "$out"
expect "json: keyword refused with reason" sh -c 'printf "%s" "$1" | grep -qF "\"status\":\"refused\",\"reason\":\"keyword (field-less) detection: DeviceProcessEvents on this target has no field to search\""' _ "$out"
expect "json: an array of 3 objects" sh -c 'printf "%s" "$1" | head -n 1 | grep -qx "\[" && [ "$(printf "%s" "$1" | grep -c "^{\"file\"")" -eq 3 ]' _ "$out"

# ---- --mapping: give the process entry a keyword field; add a linux entry
cat >"$TMP/overlay.yml" <<'YML'
target: sentinel-asim
version: 1
logsources:
  - id: windows-process_creation           # existing entry: only the keys given change
    keyword_field: TargetProcessCommandLine
  - id: linux-process_creation             # a new entry, tried before the built-in ones
    match: {product: linux, category: process_creation}
    table: imProcessCreate
    where:
      - {column: DvcOs, op: "==", value: Linux}
    fields:
      Image: TargetProcessName
YML
out=$("$SOCFEED_BIN" convert -t sentinel-asim --mapping "$TMP/overlay.yml" "$TMP/rules/linux.yml" "$TMP/rules/keyword.yml" 2>"$TMP/err"); rc=$?
expect "overlay: exit 0" [ "$rc" -eq 0 ]
expect "overlay: keyword searches the keyword field" sh -c 'printf "%s\n" "$1" | grep -qx "| where TargetProcessCommandLine contains \"mimikatz\""' _ "$out"
expect "overlay: new linux entry with its where" sh -c 'printf "%s\n" "$1" | grep -qx "| where DvcOs == \"Linux\"" && printf "%s\n" "$1" | grep -qx "| where TargetProcessName endswith \"/nc\""' _ "$out"
expect "overlay: built-in rows kept" sh -c '"$1" convert -t sentinel-asim --mapping "$2" "$3" 2>/dev/null | grep -q "TargetFilePath contains"' _ "$SOCFEED_BIN" "$TMP/overlay.yml" "$SEEDS"

printf 'target: sentinel-asim\nlogsources:\n  - id: x\n    match: {product: linux}\n    table: T\n    fields:\n      A: {bogus: 1}\n' >"$TMP/bad-mapping.yml"
out=$("$SOCFEED_BIN" convert -t sentinel-asim --mapping "$TMP/bad-mapping.yml" "$SEEDS" 2>&1); rc=$?
expect "broken mapping: exit 1" [ "$rc" -eq 1 ]
expect "broken mapping: file:line:col" sh -c 'printf "%s\n" "$1" | grep -q "bad-mapping.yml:7:10: error: field .A. needs .column., .expr. or .hashes. \[kql-mapping\]"' _ "$out"
printf 'target: sentinel-asim\nlogsources:\n  - id: windows-process_creation\n    fields:\n      CommandLine: "Target Process"\n      Image: {expr: "iff(a, b"}\n' >"$TMP/bad-names.yml"
out=$("$SOCFEED_BIN" convert -t sentinel-asim --mapping "$TMP/bad-names.yml" "$SEEDS" 2>&1); rc=$?
expect "mapping: a column that is not a KQL name is rejected" sh -c '[ "$1" -eq 1 ] && printf "%s\n" "$2" | grep -q "bad-names.yml:5:20: error: field .CommandLine.: column .Target Process. is not a KQL name"' _ "$rc" "$out"
printf 'target: sentinel-asim\nlogsources:\n  - id: windows-process_creation\n    fields:\n      Image: {expr: "iff(a, b"}\n' >"$TMP/bad-expr.yml"
out=$("$SOCFEED_BIN" convert -t sentinel-asim --mapping "$TMP/bad-expr.yml" "$SEEDS" 2>&1); rc=$?
expect "mapping: an expr the KQL parser rejects is rejected" sh -c '[ "$1" -eq 1 ] && printf "%s\n" "$2" | grep -q "bad-expr.yml:5:21: error: .expr. is not KQL that socfeed can check"' _ "$rc" "$out"
printf 'target: defender-xdr\nlogsources: []\n' >"$TMP/other-target.yml"
out=$("$SOCFEED_BIN" convert -t sentinel-asim --mapping "$TMP/other-target.yml" "$SEEDS" 2>&1); rc=$?
expect "mapping for another target: exit 1 with reason" sh -c '[ "$1" -eq 1 ] && printf "%s\n" "$2" | grep -q "this mapping is for target .defender-xdr., not .sentinel-asim."' _ "$rc" "$out"
out=$("$SOCFEED_BIN" convert -t sentinel-asim --mapping "$TMP/missing.yml" "$SEEDS" 2>&1); rc=$?
expect "missing mapping file: exit 1" sh -c '[ "$1" -eq 1 ] && printf "%s\n" "$2" | grep -q "missing.yml.*cannot open mapping file"' _ "$rc" "$out"

# ---- --variant: azure-monitor process creation from Security 4688
cat >"$TMP/rules/proc.yml" <<'YML'
title: Proc
id: 5e3f9c62-8ca0-4d90-9f57-2c3d4e5f6071
logsource: {product: windows, category: process_creation}
detection:
    sel:
        Image|endswith: '\whoami.exe'
    condition: sel
YML
out=$("$SOCFEED_BIN" convert -t azure-monitor --variant security-4688 "$TMP/rules/proc.yml" 2>/dev/null)
expect "variant security-4688 reads SecurityEvent" sh -c 'printf "%s\n" "$1" | sed -n 2,4p | tr "\n" "|" | grep -qF "SecurityEvent|| where EventID == 4688|| where NewProcessName endswith @\"\\whoami.exe\"|"' _ "$out"
out=$("$SOCFEED_BIN" convert -t azure-monitor "$TMP/rules/proc.yml" 2>/dev/null)
expect "default azure-monitor reads Sysmon from WindowsEvent" sh -c 'printf "%s\n" "$1" | grep -qx "| where Provider == \"Microsoft-Windows-Sysmon\" and EventID == 1"' _ "$out"

# ---- sentinel-yaml and arm
out=$("$SOCFEED_BIN" convert -t sentinel-asim --format sentinel-yaml "$SEEDS/file_event_win_remote_access_tools_screenconnect_artefact.yml" 2>/dev/null)
expect "sentinel-yaml: id, name, severity" sh -c 'printf "%s\n" "$1" | grep -qx "id: \"fec96f39-988b-4586-b746-b93d59fd1922\"" && printf "%s\n" "$1" | grep -qx "name: \"ScreenConnect Temporary Installation Artefact\"" && printf "%s\n" "$1" | grep -qx "severity: Medium"' _ "$out"
expect "sentinel-yaml: ATT&CK from the tags" sh -c 'printf "%s\n" "$1" | grep -A1 -x "tactics:" | grep -qx "  - CommandAndControl" && printf "%s\n" "$1" | grep -A1 -x "relevantTechniques:" | grep -qx "  - T1219.002"' _ "$out"
expect "sentinel-yaml: query as a literal block" sh -c 'printf "%s\n" "$1" | grep -A3 -x "query: |" | tail -n 1 | grep -qx "  | where TargetFilePath contains @\"\\\\Bin\\\\ScreenConnect.\""' _ "$out"
expect "sentinel-yaml: entity mappings" sh -c 'printf "%s\n" "$1" | grep -A3 -x "  - entityType: Host" | grep -qx "        columnName: DvcHostname"' _ "$out"
cat >"$TMP/rules/revoked.yml" <<'YML'
title: Revoked technique tag
id: 9a5b1e84-aec2-4fb2-b179-4e5f60718200
tags:
    - attack.t1070.001
logsource: {product: windows, category: process_creation}
detection:
    sel:
        CommandLine|contains: 'wevtutil cl'
    condition: sel
YML
out=$("$SOCFEED_BIN" convert -t azure-monitor --format sentinel-yaml "$TMP/rules/revoked.yml" 2>/dev/null)
expect "sentinel-yaml: a revoked technique becomes its replacement, with its tactic" sh -c 'printf "%s\n" "$1" | grep -A1 -x "relevantTechniques:" | grep -qx "  - T1685.005" && printf "%s\n" "$1" | grep -A1 -x "tactics:" | grep -qx "  - DefenseEvasion"' _ "$out"
out=$("$SOCFEED_BIN" convert -t defender-xdr --format arm "$SEEDS" 2>/dev/null)
expect "arm: deployment template with two alert rules" sh -c 'printf "%s\n" "$1" | grep -q "deploymentTemplate.json#" && [ "$(printf "%s\n" "$1" | grep -c "\"type\": \"Microsoft.OperationalInsights/workspaces/providers/alertRules\"")" -eq 2 ]' _ "$out"
expect "arm: techniques split into subTechniques" sh -c 'printf "%s\n" "$1" | grep -qF "\"techniques\": [\"T1059\"]," && printf "%s\n" "$1" | grep -qF "\"subTechniques\": [\"T1059.003\"]"' _ "$out"
expect "arm: query JSON-escaped" sh -c 'printf "%s\n" "$1" | grep -qF "\"query\": \"DeviceFileEvents\\n| where ActionType == \\\"FileCreated\\\" and FolderPath !startswith \\\"/\\\"\\n| where FolderPath contains @\\\"\\\\Bin\\\\ScreenConnect.\\\"\""' _ "$out"

# ---- correlations: generate: false hides the base rule; the correlation summarizes
cat >"$TMP/rules/corr.yml" <<'YML'
title: Base
name: base_whoami
id: 6f4a0d73-9db1-4ea1-a068-3d4e5f607182
logsource: {product: windows, category: process_creation}
detection:
    sel:
        Image|endswith: '\whoami.exe'
    condition: sel
---
title: Many whoami
id: 7a5b1e84-aec2-4fb2-b179-4e5f60718293
correlation:
    type: event_count
    rules: [base_whoami]
    group-by: [Computer]
    timespan: 15m
    condition: {gte: 3}
YML
out=$("$SOCFEED_BIN" convert -t azure-monitor "$TMP/rules/corr.yml" 2>"$TMP/err")
expect "correlation: only the correlation's query" sh -c '[ "$(printf "%s\n" "$1" | grep -c "^// ")" -eq 1 ] && printf "%s\n" "$1" | grep -qx "// Many whoami (7a5b1e84-aec2-4fb2-b179-4e5f60718293)"' _ "$out"
expect "correlation: gte slides by group and time (sort, next)" sh -c 'printf "%s\n" "$1" | grep -qx "| sort by Computer asc, TimeGenerated asc" && printf "%s\n" "$1" | grep -qx "    and next(TimeGenerated, 2) - TimeGenerated <= 15m"' _ "$out" "$out"
out=$("$SOCFEED_BIN" convert -t azure-monitor --format sentinel-yaml "$TMP/rules/corr.yml" 2>"$TMP/err")
expect "correlation analytic rule: hourly, looking back an hour plus the 15-minute timespan" \
    sh -c 'printf "%s\n" "$1" | grep -qx "queryFrequency: 1h" && printf "%s\n" "$1" | grep -qx "queryPeriod: 75m"' _ "$out" "$out"
# An ARM resource is named by the rule's UUID; a rule without an id (the model refuses one that is
# not a UUID) gets a UUID derived from the rule text, not an empty name, and a title starting with
# '[' stays text.
cat >"$TMP/rules/armsafe.yml" <<'YML'
title: "[concat('not', 'an expression')]"
logsource: {product: windows, category: process_creation}
detection: {sel: {Image|endswith: '\whoami.exe'}, condition: sel}
YML
out=$("$SOCFEED_BIN" convert -t azure-monitor --format arm "$TMP/rules/armsafe.yml" 2>"$TMP/err")
expect "arm: a rule without id gets a derived UUID; a '[' title cannot become an ARM expression" python3 -c '
import json, re, sys
t = json.loads(sys.argv[1])
r = t["resources"][0]
assert re.fullmatch(r"\[concat\(parameters\(.workspace.\),./Microsoft.SecurityInsights/00000000-0000-4000-8000-[0-9a-f]{12}.\)\]", r["name"]), r["name"]
assert r["properties"]["displayName"] == "[[concat(\u0027not\u0027, \u0027an expression\u0027)]", r["properties"]["displayName"]
' "$out"
out=$("$SOCFEED_BIN" convert -t azure-monitor --format sentinel-yaml "$TMP/rules/armsafe.yml" 2>"$TMP/err")
expect "sentinel-yaml: a rule without id gets a derived UUID, as its ARM resource" sh -c \
    'printf "%s\n" "$1" | grep -Eqx "id: \"00000000-0000-4000-8000-[0-9a-f]{12}\""' _ "$out" "$out"
rm "$TMP/rules/armsafe.yml"
out=$("$SOCFEED_BIN" convert -t azure-monitor --format arm "$TMP/rules/corr.yml" 2>"$TMP/err")
expect "correlation ARM rule: PT1H every run, PT1H15M back" \
    sh -c 'printf "%s\n" "$1" | grep -q "\"queryFrequency\": \"PT1H\"" && printf "%s\n" "$1" | grep -q "\"queryPeriod\": \"PT1H15M\""' _ "$out" "$out"

# ---- placeholders: refused until --placeholders gives their values (alternatives, OR-ed)
cat >"$TMP/rules/placeholder.yml" <<'YML'
title: From a DC
id: 8b6c2f95-bfd3-40c3-82a0-5f60718293a4
logsource: {product: windows, category: process_creation}
detection:
    sel:
        Computer|expand: '%domain_controllers%'
    condition: sel
YML
printf 'domain_controllers: [dc1, "dc2*"]\n' >"$TMP/placeholders.yml"
"$SOCFEED_BIN" convert -t azure-monitor "$TMP/rules/placeholder.yml" >/dev/null 2>"$TMP/err"
expect "placeholder without values: refused" grep -q "refused (azure-monitor): field 'Computer': placeholder %domain_controllers% is not resolved" "$TMP/err"
out=$("$SOCFEED_BIN" convert -t azure-monitor --placeholders "$TMP/placeholders.yml" "$TMP/rules/placeholder.yml" 2>/dev/null)
expect "placeholder values: each one an alternative" sh -c 'printf "%s\n" "$1" | grep -qx "| where Computer =~ \"dc1\" or Computer startswith \"dc2\""' _ "$out"

# ---- bad input among good files; usage errors
printf 'title: [unclosed\n' >"$TMP/rules/broken.yml"
out=$("$SOCFEED_BIN" convert -t sentinel-asim "$TMP/rules/broken.yml" "$SEEDS" 2>"$TMP/err"); rc=$?
expect "a broken file: exit 1" [ "$rc" -eq 1 ]
expect "a broken file: reported at file:line:col" grep -q "broken.yml:2:1: error:" "$TMP/err"
expect "a broken file: the good rules still convert" [ "$(printf "%s\n" "$out" | grep -c "^// ")" -eq 2 ]
"$SOCFEED_BIN" convert -t nope "$SEEDS" >/dev/null 2>"$TMP/err"; rc=$?
expect "unknown target: exit 2 with the names" sh -c '[ "$1" -eq 2 ] && grep -q "unknown target .nope. (sentinel-asim, defender-xdr, azure-monitor)" "$2"' _ "$rc" "$TMP/err"
"$SOCFEED_BIN" convert "$SEEDS" >/dev/null 2>&1; rc=$?
expect "missing -t: exit 2" [ "$rc" -eq 2 ]
"$SOCFEED_BIN" convert -t sentinel-asim --format xml "$SEEDS" >/dev/null 2>&1; rc=$?
expect "unknown format: exit 2" [ "$rc" -eq 2 ]
expect "--help exits 0" "$SOCFEED_BIN" convert --help >/dev/null

# ---- the SigmaHQ corpus: every target, no error, a json object per rule
if have_shared && command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
    # every analytic rule document is YAML with the query of its target; the ARM template is JSON
    "$SOCFEED_BIN" convert -q -t sentinel-asim --format sentinel-yaml "$SHARED/sigma/rules" >"$TMP/all.yaml"
    "$SOCFEED_BIN" convert -q -t defender-xdr --format arm "$SHARED/sigma/rules" >"$TMP/all.json"
    expect "corpus sentinel-yaml: every document parses, with a query" python3 -c '
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
assert len(docs) > 1000 and all(d["query"].startswith(("im", "_Im")) and d["id"] and d["tactics"] is not None for d in docs)' "$TMP/all.yaml"
    expect "corpus arm: the template parses, one resource per rule" python3 -c '
import sys, json
t = json.load(open(sys.argv[1]))
assert len(t["resources"]) > 1000 and all(r["properties"]["query"].startswith("Device") for r in t["resources"])' "$TMP/all.json"
fi
if have_shared; then
    for target in sentinel-asim defender-xdr azure-monitor; do
        "$SOCFEED_BIN" convert -t "$target" --format json "$SHARED/sigma/rules" "$SHARED/sigma/rules-emerging-threats" \
            "$SHARED/sigma/rules-threat-hunting" >"$TMP/corpus.json" 2>"$TMP/err"; rc=$?
        expect "corpus $target: exit 0" [ "$rc" -eq 0 ]
        expect "corpus $target: 3754 json objects" [ "$(grep -c '^{"file"' "$TMP/corpus.json")" -eq 3754 ]
        expect "corpus $target: summary adds up" sh -c 'tail -n 1 "$1" | grep -qE "^$2: [0-9]+ converted, [0-9]+ refused$" && [ $(( $(tail -n 1 "$1" | sed -E "s/.*: ([0-9]+) converted, ([0-9]+) refused/\1 + \2/") )) -eq 3754 ]' _ "$TMP/err" "$target"
    done
fi
finish
