#!/bin/sh
# build.sh — `socfeed build` end to end on examples/rules: every page and export is written, rule text
# is escaped everywhere (a hostile rule title/description/reference), the exports parse and carry the
# expected values (Atom, Navigator layer 4.5, index.json, changelog against --previous), the output
# directory is only ever replaced when it is a former site, and bad rules are reported, not dropped.
. "$(dirname "$0")/lib.sh"
BIN=$SOCFEED_BIN
SEED=fec96f39-988b-4586-b746-b93d59fd1922
SEED2=0afecb6e-6223-4a82-99fb-bf5b981e92a5
NEXAMPLES=9 # 7 socfeed rules (one correlation) + 2 SigmaHQ seeds

out=$("$BIN" build --rules examples/rules -o "$TMP/site" --retrieved 2026-03-25T03:05:59Z 2>&1)
expect "build examples exits 0" [ $? -eq 0 ]
for f in index.html coverage.html coverage-data.js feed.xml index.json changelog.json navigator-layer.json \
         assets/app.js assets/style.css .socfeed-site "rules/$SEED.html" "rules/$SEED2.html"; do
    expect "writes $f" [ -s "$TMP/site/$f" ]
done
expect "one page per rule" [ "$(ls "$TMP/site/rules" | wc -l)" -eq $NEXAMPLES ]
expect "index has a card per rule" [ "$(grep -c '<li class="card"' "$TMP/site/index.html")" -eq $NEXAMPLES ]
expect "index: a correlation card names its type, not an empty logsource" grep -q "date <time>[0-9-]*</time> · correlation: event_count · <span class=\"id\">" "$TMP/site/index.html"
expect "summary line names the site" sh -c "printf '%s' \"\$1\" | grep -q '^built .*: $NEXAMPLES rules'" _ "$out"
expect "no temporary directory left beside the site" [ -z "$(ls "$TMP" | grep -E 'site\.(tmp|old)-')" ]

# Every page: the strict CSP, no inline script, no inline event handler.
csp_ok=1
for f in "$TMP"/site/*.html "$TMP"/site/rules/*.html; do
    grep -q "Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'" "$f" || { csp_ok=0; echo "no CSP: $f"; }
    grep -Eq '<script>|<script [^>]*>[^<]' "$f" && { csp_ok=0; echo "inline script: $f"; }
    grep -Eiq '<[a-z][^>]* on[a-z]+=' "$f" && { csp_ok=0; echo "event handler: $f"; }
done
expect "every page has the CSP and no inline script or handler" [ $csp_ok -eq 1 ]

page="$TMP/site/rules/$SEED.html"
expect "seed page: title" grep -q '<h1>ScreenConnect Temporary Installation Artefact</h1>' "$page"
expect "seed page: level badge" grep -q 'level-medium">MEDIUM<' "$page"
expect "seed page: technique id" grep -q 'href="#T1219.002">T1219.002<' "$page"
expect "seed page: link to the original at SigmaHQ" grep -q 'href="https://github.com/SigmaHQ/sigma/blob/master/rules/windows/file/file_event/file_event_win_remote_access_tools_screenconnect_artefact.yml">View original rule at SigmaHQ' "$page"
expect "seed page: retrieved time and confidence" grep -q 'Retrieved: <time>2026-03-25T03:05:59Z</time> · Confidence: <strong class="conf conf-medium">medium' "$page"
expect "seed page: sections in the seed's order" sh -c "grep -o 'id=\"[a-z]*-h\"' '$page' | tr '\n' ' ' | grep -q 'hunt-h.*sigma-h.*kql-h.*fp-h.*attack-h.*tests-h.*related-h'"
expect "seed page: Sigma source kept (comment highlighted)" grep -q '<span class="y-c"># pattern to dll and jar file</span>' "$page"
expect "seed page: a KQL tab per target" [ "$(grep -o 'role="tab"' "$page" | wc -l)" -eq 3 ]
expect "seed page: ASIM query reads the full path (TargetFilePath), not the file name" grep -q 'TargetFilePath contains @&quot;\\Bin\\ScreenConnect.&quot;' "$page"
expect "seed page: an unverified query says so" grep -q '<strong>Unverified:</strong>' "$page"
expect "seed page: target table shown" grep -q '<code class="table">imFileEvent</code>' "$page"
expect "correlation page: refused target shows the converter's reason" grep -q 'No query:</strong> correlated rule' "$TMP/site/rules/$(python3 -c "
import json; print([r['slug'] for r in json.load(open('$TMP/site/index.json'))['rules'] if r['kind']=='correlation'][0])").html"
expect "seed page: ATT&CK names" grep -q 'T1219.002 Remote Desktop Software</a>' "$page"
expect "seed page: back and coverage links" sh -c "grep -q '← Back to SOC feed' '$page' && grep -q 'Coverage →' '$page'"
expect "local rule has no invented source link" sh -c "! grep -q 'View original rule' '$TMP/site/rules/427507c5-a729-4655-8067-0cc9e6644ffd.html'"

expect "sentinel/: analytic rule for the seed, query as a quoted scalar" sh -c "grep -q '^query: \"imFileEvent\\\\n| where' '$TMP/site/sentinel/$SEED.yaml' && grep -q '^relevantTechniques:' '$TMP/site/sentinel/$SEED.yaml' && grep -q '^  - CommandAndControl' '$TMP/site/sentinel/$SEED.yaml'"
expect "sentinel/: per rule with a deployable query an analytic rule YAML and an ARM template, and one ARM template with all" python3 -c "
import json, os
d = json.load(open('$TMP/site/index.json'))
slugs = sorted(r['slug'] for r in d['rules'] if any(t['deployable'] for t in r['targets']))
want = [s + '.yaml' for s in slugs] + [s + '.json' for s in slugs]
assert sorted(os.listdir('$TMP/site/sentinel')) == sorted(want + ['azuredeploy.json']), want
arm = json.load(open('$TMP/site/sentinel/azuredeploy.json'))
assert len(arm['resources']) == len(slugs)
for s in slugs:
    one = json.load(open('$TMP/site/sentinel/' + s + '.json'))
    assert len(one['resources']) == 1 and one['resources'][0] in arm['resources'], s
seed = [x for x in arm['resources'] if '$SEED' in x['name']][0]
p = seed['properties']
assert p['displayName'] == 'ScreenConnect Temporary Installation Artefact' and p['severity'] == 'Medium'
assert p['query'].startswith('imFileEvent') and p['enabled'] is False  # unverified: deployed disabled
assert p['tactics'] == ['CommandAndControl'] and p['techniques'] == ['T1219'] and p['subTechniques'] == ['T1219.002']"

# Coverage: T1219.002 under Command and Control holds the one seed rule.
expect "coverage: T1219.002 cell counts 1" grep -q 'id="c-TA0011-T1219.002" data-cell="[0-9:]*"><a href="index.html#technique=T1219.002">T1219.002 Remote Desktop Software</a> <span class="n" title="rules">1</span>' "$TMP/site/coverage.html"
expect "coverage: 15 tactic columns" [ "$(grep -c '<section class="tactic"' "$TMP/site/coverage.html")" -eq 15 ]
expect "coverage: MITRE notice on the page" grep -q 'The MITRE Corporation' "$TMP/site/coverage.html"

# Exports parse and carry the expected values (python3 reads them; see scripts/packages.txt).
expect "index.json: all rules, queries absent with a refusal" python3 - "$TMP/site/index.json" "$SEED" $NEXAMPLES <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rules = {r["id"]: r for r in d["rules"]}
seed = rules[sys.argv[2]]
assert d["count"] == int(sys.argv[3]) == len(d["rules"])
assert d["attack_version"] == "19.2"
assert seed["level"] == "medium" and seed["status"] == "test"
assert [t["id"] for t in seed["techniques"]] == ["T1219.002"]
assert [t["target"] for t in seed["targets"]] == ["sentinel-asim", "defender-xdr", "azure-monitor"]
assert [t["table"] for t in seed["targets"]] == ["imFileEvent", "DeviceFileEvents", "WindowsEvent"]
assert all(t["query"] and t["refusal"] is None and t["verdict"] == "unverified" for t in seed["targets"])
assert "TargetFilePath contains" in seed["targets"][0]["query"]
refused = [t for r in d["rules"] for t in r["targets"] if t["query"] is None]
assert refused and all(t["refusal"] and not t["deployable"] and t["verdict"] is None for t in refused)
assert seed["enrichment"]["confidence"] == "medium" and seed["enrichment"]["score"] == 45  # test 30 + medium 10 + all 3 converted 5
PY
expect "feed.xml: Atom with one entry per rule, RFC 3339 dates" python3 - "$TMP/site/feed.xml" "$SEED" $NEXAMPLES <<'PY'
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == A + "feed"
for req in ("title", "id", "updated"):
    assert root.find(A + req) is not None, req
entries = root.findall(A + "entry")
assert len(entries) == int(sys.argv[3]), len(entries)
seed = [e for e in entries if e.find(A + "id").text == "urn:uuid:" + sys.argv[2]]
assert len(seed) == 1
assert seed[0].find(A + "updated").text == "2022-02-13T00:00:00Z"
assert seed[0].find(A + "title").text == "ScreenConnect Temporary Installation Artefact"
assert seed[0].find(A + "link").get("href") == "rules/" + sys.argv[2] + ".html"
PY
expect "navigator-layer.json: layer 4.5 with required fields and rule counts" python3 - "$TMP/site/navigator-layer.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d["name"], str) and d["name"]
assert d["domain"] == "enterprise-attack"
assert d["versions"] == {"attack": "19", "navigator": "5.1.0", "layer": "4.5"}
t = {(x["techniqueID"], x["tactic"]): x for x in d["techniques"]}
assert all(isinstance(x["score"], int) and x["score"] >= 1 for x in d["techniques"])
assert t[("T1219.002", "command-and-control")]["score"] == 1
assert t[("T1219", "command-and-control")]["score"] == 1
assert t[("T1059.003", "execution")]["score"] == 1
assert d["gradient"]["maxValue"] >= max(x["score"] for x in d["techniques"])
PY
expect "changelog.json: first build adds everything" python3 -c "
import json,sys; d=json.load(open('$TMP/site/changelog.json')); assert len(d['added'])==$NEXAMPLES and d['changed']==[] and d['removed']==[]"

# --events: the seed rules are verified on their sample events (tests/fixtures/events), each query
# selecting exactly the one event its rule matches among the four.
"$BIN" build -q --rules examples/rules --events tests/fixtures/events -o "$TMP/vsite" 2>"$TMP/err"
expect "build with --events exits 0" [ $? -eq 0 ]
expect "--events: both seed rules verified on every target, others honestly unverified" python3 - "$TMP/vsite/index.json" "$SEED" "$SEED2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
by = {r["id"]: r for r in d["rules"]}
for sid in sys.argv[2:4]:
    ts = by[sid]["targets"]
    assert [t["verdict"] for t in ts] == ["verified"] * 3, ts
    assert all("the Sigma rule matches 1, the query selects 1" in t["verdict_detail"] for t in ts), ts
others = [t for r in d["rules"] if r["id"] not in sys.argv[2:4] for t in r["targets"] if t["query"]]
assert others and all(t["verdict"] == "unverified" for t in others)
# confidence: test 30 + medium 10 + 3 verified targets 30 + all converted 5 = 75
assert by[sys.argv[2]]["enrichment"]["score"] == 75 and by[sys.argv[2]]["enrichment"]["confidence"] == "high"
PY
expect "--events: the seed page shows the proof" grep -q '<strong>✓ Verified:</strong> on the normalized sample events this query finds exactly what the Sigma rule finds. <span class="detail">On 4 sample events' "$TMP/vsite/rules/$SEED.html"

# With the example events too (`make demo`): every query is verified, the correlation's by the groups it
# alerts on, and its page says how the query's window differs from the rule's.
"$BIN" build -q --rules examples/rules --events tests/fixtures/events --events examples/events -o "$TMP/esite" 2>"$TMP/err"
expect "examples: build exits 0" [ $? -eq 0 ]
expect "examples: every query verified, the correlation's by group" python3 - "$TMP/esite/index.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
single = [t for r in d["rules"] if r["kind"] != "correlation" for t in r["targets"] if t["query"]]
corr = [t for r in d["rules"] if r["kind"] == "correlation" for t in r["targets"] if t["query"]]
assert len(single) == 20 and all(t["verdict"] == "verified" for t in single), single
assert len(corr) == 1 and corr[0]["verdict"] == "verified", corr
assert "the correlation alerts on 1 group (11 events), the query on 1 (11 events)" in corr[0]["verdict_detail"], corr
assert "The query's window slides as the rule's does" in corr[0]["verdict_detail"], corr
assert "fixed time bins" not in corr[0]["verdict_detail"], corr
PY
expect "examples: the correlation page shows its proof and how its window slides" \
    grep -q 'this query alerts on exactly the groups the correlation alerts on. <span class="detail">On 27 sample events (the --events files): the correlation alerts on 1 group (11 events), the query on 1 (11 events). The query&#39;s window slides as the rule&#39;s does' \
    "$TMP/esite/rules/f0313b71-58b3-4ca6-aeec-e707dcf29509.html"
expect "examples: the correlation's analytic rule looks back an hour plus its 15-minute timespan" \
    sh -c 'grep -qx "queryPeriod: 75m" "$1" && grep -q "\"queryPeriod\": \"PT1H15M\"" "$2"' _ \
    "$TMP/esite/sentinel/f0313b71-58b3-4ca6-aeec-e707dcf29509.yaml" "$TMP/esite/sentinel/azuredeploy.json"
expect "examples: analytic rules carry the query's entity mappings; the correlation only its group-by host" python3 - "$TMP/esite/sentinel" <<'PY'
import json, sys
d = sys.argv[1]
corr = open(d + "/f0313b71-58b3-4ca6-aeec-e707dcf29509.yaml").read()
assert "entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: Computer\nversion" in corr, corr
certutil = open(d + "/427507c5-a729-4655-8067-0cc9e6644ffd.yaml").read()
assert "  - entityType: Process\n    fieldMappings:\n      - identifier: CommandLine\n        columnName: TargetProcessCommandLine" in certutil, certutil
arm = json.load(open(d + "/azuredeploy.json"))
maps = {r["properties"]["displayName"]: r["properties"]["entityMappings"] for r in arm["resources"]}
assert maps["Burst Of Explicit Credential Use Against Remote Hosts"] == [
    {"entityType": "Host", "fieldMappings": [{"identifier": "HostName", "columnName": "Computer"}]}], maps
assert all(maps.values()), maps
PY
expect "--events: a verified query is deployed enabled in the ARM template" python3 -c "
import json; arm = json.load(open('$TMP/vsite/sentinel/azuredeploy.json'))
assert [x['properties']['enabled'] for x in arm['resources'] if '$SEED' in x['name']] == [True]"

# A rule without id: the feed's analytic rule and ARM resource are named as `convert` names them (a
# UUID from the rule's text), and the name holds when only the verdict changes (it once came from
# the entry's hash, which covers the queries and verdicts: each such change redeployed a new rule).
mkdir -p "$TMP/noid"
cat >"$TMP/noid/noid.yml" <<'YML'
title: Whoami Without An Id
status: test
logsource: {product: windows, category: process_creation}
detection: {sel: {Image|endswith: '\whoami.exe'}, condition: sel}
level: low
YML
"$BIN" build --rules "$TMP/noid" -o "$TMP/noid-site" >/dev/null 2>&1
"$BIN" build --rules "$TMP/noid" --events examples/events -o "$TMP/noid-site2" >/dev/null 2>&1
conv=$("$BIN" convert -t sentinel-asim --format sentinel-yaml "$TMP/noid/noid.yml" 2>/dev/null | sed -n 's/^id: "\(.*\)"$/\1/p')
expect "feed: a rule without id is named as convert names it, whatever its verdict" python3 - "$conv" "$TMP/noid-site" "$TMP/noid-site2" <<'PY'
import glob, json, re, sys
conv, sites = sys.argv[1], sys.argv[2:]
assert re.fullmatch(r"00000000-0000-4000-8000-[0-9a-f]{12}", conv), conv
for site in sites:
    (yml,) = glob.glob(site + "/sentinel/*.yaml")
    assert 'id: "%s"' % conv in open(yml).read(), (site, conv)
    arm = json.load(open(site + "/sentinel/azuredeploy.json"))
    assert [conv in r["name"] for r in arm["resources"]] == [True], (site, conv)
PY

# Rebuild in place against itself: nothing changed, every page reused.
out=$("$BIN" build --rules examples/rules -o "$TMP/site" --previous "$TMP/site" --retrieved 2026-03-26T00:00:00Z 2>&1)
expect "rebuild with --previous exits 0" [ $? -eq 0 ]
expect "rebuild reuses all pages" sh -c "printf '%s' \"\$1\" | grep -q '(0 pages written, $NEXAMPLES reused)'" _ "$out"
expect "unchanged rule keeps its first retrieved time" grep -q 'Retrieved: <time>2026-03-25T03:05:59Z' "$TMP/site/rules/$SEED.html"
expect "rebuild: empty changelog, empty Atom" python3 -c "
import json; d=json.load(open('$TMP/site/changelog.json')); assert d['added']==d['changed']==d['removed']==[]
import xml.etree.ElementTree as ET; assert not ET.parse('$TMP/site/feed.xml').getroot().findall('{http://www.w3.org/2005/Atom}entry')"

# Change one rule, remove another: the changelog says exactly that.
mkdir -p "$TMP/rules"
cp -r examples/rules/* "$TMP/rules/"
sed -i 's/^level: medium/level: high/' "$TMP/rules/sigmahq/file_event_win_remote_access_tools_screenconnect_artefact.yml"
rm "$TMP/rules/sigmahq/file_event_win_remote_access_tools_screenconnect_remote_file.yml"
"$BIN" build --rules "$TMP/rules" -o "$TMP/site2" --previous "$TMP/site" >/dev/null 2>&1
expect "changelog: one changed, one removed" python3 -c "
import json; d=json.load(open('$TMP/site2/changelog.json'))
assert d['added']==[] and d['changed']==['$SEED'] and d['removed']==['$SEED2'], d"

# The hostile rule: markup in every text field comes out as text.
mkdir -p "$TMP/hostile"
cat >"$TMP/hostile/hostile.yml" <<'YML'
title: <img src=x onerror=alert(1)>
id: 6f4e6b2a-0d8e-4d55-9b55-1a2b3c4d5e6f
status: experimental
description: 'Closing "quotes" and </script><script>alert(2)</script> & more'
author: <b>mallory</b>
references:
    - javascript:alert(3)
    - https://example.org/ok
tags:
    - attack.execution
    - attack.t1059
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        CommandLine|contains: '"><svg onload=alert(4)>'
    condition: selection
falsepositives:
    - <iframe src=javascript:alert(5)>
level: high
YML
cat >"$TMP/hostile/arm.yml" <<'YML'
title: "[concat(parameters('workspace'), 'x')]"
id: 7f4e6b2a-0d8e-4d55-9b55-1a2b3c4d5e6f
logsource: {category: process_creation, product: windows}
detection: {sel: {CommandLine|contains: 'x'}, condition: sel}
level: low
YML
"$BIN" build --rules "$TMP/hostile" -o "$TMP/hsite" >/dev/null 2>&1
expect "ARM: a title that looks like an ARM expression is escaped" python3 -c "
import json
arm = json.load(open('$TMP/hsite/sentinel/azuredeploy.json'))
names = [x['properties']['displayName'] for x in arm['resources']]
assert \"[[concat(parameters('workspace'), 'x')]\" in names, names"
expect "hostile rule builds" [ -s "$TMP/hsite/rules/6f4e6b2a-0d8e-4d55-9b55-1a2b3c4d5e6f.html" ]
hp="$TMP/hsite/rules/6f4e6b2a-0d8e-4d55-9b55-1a2b3c4d5e6f.html"
expect "hostile title escaped on its page" grep -q '<h1>&lt;img src=x onerror=alert(1)&gt;</h1>' "$hp"
expect "hostile title escaped in the index" grep -q '&lt;img src=x onerror=alert(1)&gt;</a></h2>' "$TMP/hsite/index.html"
bad=0
for f in "$hp" "$TMP/hsite/index.html" "$TMP/hsite/coverage.html"; do
    grep -Eiq '<img|<svg|<iframe|<b>mallory|<script>alert|onerror=alert\(1\)>|href="javascript' "$f" && { bad=1; echo "unescaped markup in $f"; }
done
expect "no hostile markup survives anywhere" [ $bad -eq 0 ]
expect "javascript: reference shown as text, https one linked" sh -c "grep -q '<li>javascript:alert(3)</li>' '$hp' && grep -q 'href=\"https://example.org/ok\"' '$hp'"
expect "hostile title escaped in Atom and kept verbatim in JSON" python3 -c "
import json, xml.etree.ElementTree as ET
d=json.load(open('$TMP/hsite/index.json')); assert '<img src=x onerror=alert(1)>' in [r['title'] for r in d['rules']]
A='{http://www.w3.org/2005/Atom}'
t=[e.find(A+'title').text for e in ET.parse('$TMP/hsite/feed.xml').getroot().findall(A+'entry')]; assert '<img src=x onerror=alert(1)>' in t"

# The output directory is replaced only when it is a former site.
mkdir -p "$TMP/precious"
echo keep >"$TMP/precious/notes.txt"
"$BIN" build --rules examples/rules -o "$TMP/precious" >/dev/null 2>"$TMP/err"
expect "refuses to replace a directory that is not a site" [ $? -ne 0 ]
expect "…and leaves it untouched" [ "$(cat "$TMP/precious/notes.txt")" = keep ]
expect "…saying why" grep -q 'not a socfeed site' "$TMP/err"

# A broken rule is reported with its position; the others are still published.
mkdir -p "$TMP/mixed"
cp examples/rules/sigmahq/*.yml "$TMP/mixed/"
printf 'title: broken\nid: 1\ndetection: [unclosed\n' >"$TMP/mixed/broken.yml"
"$BIN" build --rules "$TMP/mixed" -o "$TMP/msite" >/dev/null 2>"$TMP/err"
expect "broken rule makes the exit code 1" [ $? -eq 1 ]
expect "broken rule reported as file:line:col" grep -q 'broken.yml:[0-9]*:[0-9]*: error' "$TMP/err"
expect "the good rules are still published" [ "$(ls "$TMP/msite/rules" | wc -l)" -eq 2 ]

"$BIN" build -q --rules examples/rules -o "$TMP/np" --previous "$TMP/nothing-here" 2>"$TMP/err"
expect "a --previous that is not a site is warned about, and everything counts as added" sh -c "grep -q 'is not a socfeed site' '$TMP/err' && python3 -c \"import json; assert len(json.load(open('$TMP/np/changelog.json'))['added']) == $NEXAMPLES\""
expect "missing -o is a usage error" sh -c "'$BIN' build --rules examples/rules >/dev/null 2>&1; [ \$? -eq 2 ]"
expect "bad --retrieved is a usage error" sh -c "'$BIN' build --rules examples/rules -o '$TMP/x' --retrieved yesterday >/dev/null 2>&1; [ \$? -eq 2 ]"

if have_shared; then
    S=$SHARED/sigma
    out=$("$BIN" build -q --rules "$S/rules" --rules "$S/rules-emerging-threats" --rules "$S/rules-threat-hunting" \
          --rules "$S/rules-compliance" --rules "$S/rules-placeholder" -o "$TMP/full" 2>&1)
    expect "full SigmaHQ feed builds" [ $? -eq 0 ]
    expect "full SigmaHQ feed: 3780 rule pages" [ "$(ls "$TMP/full/rules" | wc -l)" -eq 3780 ]
    expect "full SigmaHQ feed: regression tests run, their result on the rule page" python3 -c "
import json
d = json.load(open('$TMP/full/index.json'))
passed = [r for r in d['rules'] if r['regression_tests']['state'] == 'passed']
failed = [r for r in d['rules'] if r['regression_tests']['state'] == 'failed']
assert len(passed) > 150 and not failed, (len(passed), len(failed))
page = open('$TMP/full/' + passed[0]['page']).read()
assert 'verdict-verified\">passed</span>' in page and 'SigmaHQ regression test file' in page"
    expect "full SigmaHQ feed: queries verified on the regression events, verdict and evidence on the page" python3 -c "
import json
d = json.load(open('$TMP/full/index.json'))
ver = [(r, t) for r in d['rules'] for t in r['targets'] if t['verdict'] == 'verified']
assert len(ver) > 300, len(ver)
assert all(t['query'] and t['deployable'] and t['verdict_detail'].startswith('On ') for r, t in ver)
# only rules with regression data can be verified
assert all(r['regression_tests']['state'] != 'none' for r, t in ver)
r, t = ver[0]
page = open('$TMP/full/' + r['page']).read()
assert '<strong>✓ Verified:</strong>' in page and 'the Sigma rule matches' in page"
    expect "full SigmaHQ feed: ScreenConnect seed links to its SigmaHQ path" grep -q 'blob/master/rules/windows/file/file_event/file_event_win_remote_access_tools_screenconnect_artefact.yml"' "$TMP/full/rules/$SEED.html"
fi
finish
