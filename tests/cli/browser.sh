#!/bin/sh
# browser.sh — the feed in real headless Chromium (Debian `chromium`), loaded from file:// as a user
# opens it: app.js must run under the page's CSP without a single console message (a CSP violation
# or a script error shows up there), the index filter must narrow the cards (search "ScreenConnect"
# and the technique filter the coverage cells link to), the rule page's KQL tabs must be set up,
# the coverage filter must recount, and a rule titled <img src=x onerror=alert(1)> must render as
# text. Reads the DOM after scripts ran (--dump-dom), then drives the pages interactively over the
# DevTools protocol (tests/browser/cdp_check.js); screenshots go to tests/artifacts/browser/.
. "$(dirname "$0")/lib.sh"
BIN=$SOCFEED_BIN
SEED=fec96f39-988b-4586-b746-b93d59fd1922
ART=${BROWSER_ARTIFACTS:-tests/artifacts/browser}
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    not_ok "chromium is not installed (scripts/packages.txt lists it; make test installs it)"
    finish
    exit 1
fi
mkdir -p "$ART" "$TMP/profile"

# dump URL OUT: the DOM after scripts ran; console messages (any CONSOLE line) into OUT.console.
dump() {
    timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$TMP/profile" \
        --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom "$1" >"$2" 2>"$2.log"
    grep ':CONSOLE' "$2.log" >"$2.console" || true
}
shot() {
    timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$TMP/profile" \
        --hide-scrollbars --window-size=1280,1600 --virtual-time-budget=5000 --screenshot="$2" "$1" >/dev/null 2>&1
}
no_console() { [ ! -s "$1.console" ] || { cat "$1.console"; return 1; }; }

"$BIN" build --rules examples/rules --events tests/fixtures/events -o "$TMP/site" >/dev/null 2>&1
expect "site builds" [ -s "$TMP/site/index.html" ]
site="file://$(cd "$TMP/site" && pwd)"

dump "$site/index.html#q=ScreenConnect" "$TMP/search.html"
expect "index: app.js ran under the CSP" grep -q 'data-js="ready"' "$TMP/search.html"
expect "index: no console message" no_console "$TMP/search.html"
expect "index: search 'ScreenConnect' leaves the 2 seed rules" grep -q '<p id="count" aria-live="polite">2 of 9 rules</p>' "$TMP/search.html"
expect "index: the other 7 cards are hidden" [ "$(grep -o '<li class="card"[^>]*hidden=""' "$TMP/search.html" | wc -l)" -eq 7 ]
expect "index: the seed card is visible" sh -c "grep -o '<li class=\"card\"[^>]*>' '$TMP/search.html' | grep 'T1219.002' | grep -vq 'hidden'"
shot "$site/index.html#q=ScreenConnect" "$ART/index-search.png"

dump "$site/index.html#technique=T1219" "$TMP/tech.html"
expect "index: technique filter from a coverage link (T1219 has 1 rule)" grep -q '<p id="count" aria-live="polite">1 of 9 rules</p>' "$TMP/tech.html"
dump "$site/index.html#level=high" "$TMP/level.html"
highs=$(grep -l '^level: high' examples/rules/*/*.yml | wc -l)
expect "index: level=high shows exactly the high rules ($highs)" grep -q "<p id=\"count\" aria-live=\"polite\">$highs of 9 rules</p>" "$TMP/level.html"
dump "$site/index.html#level=high&tactic=impact&product=windows" "$TMP/combo.html"
expect "index: filters combine (high + impact + windows = the shadow copy rule)" sh -c "grep -q '<p id=\"count\" aria-live=\"polite\">1 of 9 rules</p>' '$TMP/combo.html' && grep -o '<li class=\"card\"[^>]*>' '$TMP/combo.html' | grep -v hidden | grep -q 'data-tactics=\"impact\"'"

dump "$site/rules/$SEED.html" "$TMP/rule.html"
expect "rule page: app.js ran, no console message" sh -c "grep -q 'data-js=\"ready\"' '$TMP/rule.html' && [ ! -s '$TMP/rule.html.console' ]"
expect "rule page: first KQL tab selected, its panel shown" grep -q 'role="tabpanel" id="panel-0" aria-labelledby="tab-0" data-target="sentinel-asim">' "$TMP/rule.html"
expect "rule page: other KQL panels hidden by the tabs" [ "$(grep -o 'role="tabpanel" id="panel-[12]"[^>]*hidden=""' "$TMP/rule.html" | wc -l)" -eq 2 ]
# A page lands on the first target with a query: the explicit-credential burst has none on ASIM or
# Defender XDR (no Security channel there), so its Azure Monitor tab is the one shown.
dump "$site/rules/f0313b71-58b3-4ca6-aeec-e707dcf29509.html" "$TMP/corr.html"
expect "correlation page: the Azure Monitor tab (the only query) is selected, the others hidden" sh -c \
    "grep -q 'id=\"tab-2\" aria-controls=\"panel-2\" aria-selected=\"true\"' '$TMP/corr.html' && [ \"\$(grep -o 'role=\"tabpanel\" id=\"panel-[01]\"[^>]*hidden=\"\"' '$TMP/corr.html' | wc -l)\" -eq 2 ] && [ ! -s '$TMP/corr.html.console' ]"
for section in hunt sigma kql fp attack tests related; do
    expect "rule page: section $section present" grep -q "<section id=\"$section\"" "$TMP/rule.html"
done
shot "$site/rules/$SEED.html" "$ART/rule-seed.png"

dump "$site/coverage.html#product=windows" "$TMP/cov.html"
expect "coverage: app.js ran, no console message" sh -c "grep -q 'data-js=\"ready\"' '$TMP/cov.html' && [ ! -s '$TMP/cov.html.console' ]"
expect "coverage: T1219 cell shows 1 rule" grep -q 'id="c-TA0011-T1219" data-cell="[0-9:]*"><details><summary><a href="index.html#technique=T1219">T1219 Remote Access Tools</a> <span class="n" title="rules">1</span>' "$TMP/cov.html"
windows=$(grep -l '^    product: windows' examples/rules/*/*.yml | wc -l)
expect "coverage: product filter recounts ($windows windows rules)" grep -q "<span id=\"c-count\" aria-live=\"polite\">$windows of 9 rules</span>" "$TMP/cov.html"
shot "$site/coverage.html" "$ART/coverage.png"

# The hostile title: text on the page, no element, nothing run.
mkdir -p "$TMP/hostile"
cat >"$TMP/hostile/x.yml" <<'YML'
title: <img src=x onerror=alert(1)>
id: 6f4e6b2a-0d8e-4d55-9b55-1a2b3c4d5e6f
description: '</script><script>document.title="pwned"</script>'
logsource: {category: process_creation, product: windows}
detection: {sel: {Image: '<svg onload=alert(2)>'}, condition: sel}
level: high
YML
"$BIN" build --rules "$TMP/hostile" -o "$TMP/hsite" >/dev/null 2>&1
hsite="file://$(cd "$TMP/hsite" && pwd)"
for page in index.html rules/6f4e6b2a-0d8e-4d55-9b55-1a2b3c4d5e6f.html; do
    dump "$hsite/$page" "$TMP/h.html"
    expect "hostile $page: the title is text" grep -q '&lt;img src=x onerror=alert(1)&gt;' "$TMP/h.html"
    expect "hostile $page: no img/svg element, title untouched" sh -c "! grep -Eq '<img|<svg|<title>pwned' '$TMP/h.html'"
    expect "hostile $page: no console message (nothing blocked, nothing ran)" no_console "$TMP/h.html"
done
shot "$hsite/rules/6f4e6b2a-0d8e-4d55-9b55-1a2b3c4d5e6f.html" "$ART/rule-hostile.png"
expect "screenshots written" sh -c "[ -s '$ART/index-search.png' ] && [ -s '$ART/rule-seed.png' ] && [ -s '$ART/coverage.png' ]"

# Interactive: the same pages driven over the DevTools protocol by tests/browser/cdp_check.js (plain
# Node, no npm package): typing, clicking tabs and the copy button, arrow keys, coverage filter.
if command -v node >/dev/null; then
    timeout 180 node tests/browser/cdp_check.js "$CHROME" "$(cd "$TMP/site" && pwd)" "$(cd "$TMP/hsite" && pwd)" "$ART" >"$TMP/cdp.log" 2>&1
    while IFS= read -r line; do
        case "$line" in
        "ok "*) ok "${line#ok }" ;;
        "FAIL "*) not_ok "${line#FAIL }" ;;
        esac
    done <"$TMP/cdp.log"
    expect "DevTools run finished" grep -qE '^[0-9]+ passed, 0 failed$' "$TMP/cdp.log"
else
    not_ok "node is not installed (scripts/packages.txt lists nodejs; make test installs it)"
fi
finish
