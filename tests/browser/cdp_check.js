// cdp_check.js — drives headless Chromium over the DevTools protocol (--remote-debugging-pipe, no npm
// package needed) through the feed the way a user would: type a search, click a card, click the KQL
// tabs and the copy button, open coverage and change its filter. Records every console message,
// exception, CSP violation and JavaScript dialog; any of them fails the run.
// usage: node cdp_check.js CHROMIUM SITE_DIR HOSTILE_SITE_DIR ARTIFACT_DIR
// Prints "ok NAME" / "FAIL NAME: why" per check.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const os = require('os');

const [chrome, siteDir, hostileDir, artDir] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'socfeed-cdp-'));
const proc = spawn(chrome, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--remote-debugging-pipe',
  '--user-data-dir=' + profile, '--window-size=1280,1600', 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const toChrome = proc.stdio[3], fromChrome = proc.stdio[4];

let nextId = 1, buffer = '';
const pending = new Map(), listeners = [];
fromChrome.on('data', (chunk) => {
  buffer += chunk.toString('utf8');
  let end;
  while ((end = buffer.indexOf('\0')) >= 0) {
    const msg = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(JSON.stringify(msg.error))); else resolve(msg.result);
    } else if (msg.method) {
      listeners.forEach((fn) => fn(msg));
    }
  }
});
function send(method, params, sessionId) {
  const id = nextId++;
  const msg = { id, method, params: params || {} };
  if (sessionId) msg.sessionId = sessionId;
  toChrome.write(JSON.stringify(msg) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
function waitFor(method, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout waiting for ' + method)), timeoutMs || 15000);
    const fn = (msg) => {
      if (msg.method === method) {
        clearTimeout(timer);
        listeners.splice(listeners.indexOf(fn), 1);
        resolve(msg.params);
      }
    };
    listeners.push(fn);
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let passed = 0, failed = 0;
function check(name, cond, why) {
  if (cond) { passed++; console.log('ok ' + name); } else { failed++; console.log('FAIL ' + name + (why ? ': ' + why : '')); }
}

(async () => {
  const problems = []; // console messages, exceptions, CSP violations, dialogs
  listeners.push((msg) => {
    const p = msg.params || {};
    if (msg.method === 'Runtime.consoleAPICalled') problems.push('console.' + p.type + ': ' + (p.args || []).map((a) => a.value).join(' '));
    if (msg.method === 'Runtime.exceptionThrown') problems.push('exception: ' + JSON.stringify(p.exceptionDetails && p.exceptionDetails.text));
    if (msg.method === 'Log.entryAdded') problems.push('log ' + p.entry.level + ' ' + p.entry.source + ': ' + p.entry.text);
    if (msg.method === 'Page.javascriptDialogOpening') problems.push('dialog: ' + p.message);
  });
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const s = (m, p) => send(m, p, sessionId);
  await s('Page.enable'); await s('Runtime.enable'); await s('Log.enable');
  const evaluate = async (expr) => {
    const r = await s('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error('evaluate: ' + r.exceptionDetails.text + ' in ' + expr);
    return r.result.value;
  };
  const open = async (url) => {
    const loaded = waitFor('Page.loadEventFired');
    await s('Page.navigate', { url });
    await loaded;
    for (let i = 0; i < 50 && (await evaluate('document.documentElement.getAttribute("data-js")')) !== 'ready'; i++) await sleep(100);
  };
  const shot = async (file) => {
    const { data } = await s('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
    fs.writeFileSync(path.join(artDir, file), Buffer.from(data, 'base64'));
  };
  const problemsSince = (n) => problems.slice(n).join(' | ');

  // Index: type "ScreenConnect" into the search box like a user.
  let mark = problems.length;
  await open('file://' + siteDir + '/index.html');
  check('index: app.js ready', (await evaluate('document.documentElement.dataset.js')) === 'ready');
  const total = await evaluate('document.querySelectorAll("#cards > .card").length');
  await evaluate('(() => { const q = document.getElementById("q"); q.focus(); })()');
  await s('Input.insertText', { text: 'ScreenConnect' });
  await sleep(200);
  const visible = await evaluate('[...document.querySelectorAll("#cards > .card")].filter(c => !c.hidden).map(c => c.querySelector("h2").textContent)');
  check('index: typing "ScreenConnect" leaves the two ScreenConnect rules', visible.length === 2 && visible.every((t) => /ScreenConnect/.test(t)), JSON.stringify(visible));
  check('index: the count says so', (await evaluate('document.getElementById("count").textContent')) === '2 of ' + total + ' rules');
  check('index: the URL keeps the search', /q=ScreenConnect/.test(await evaluate('location.hash')));
  await shot('cdp-index-search.png');
  // Clear, then a select filter.
  await evaluate('document.getElementById("reset").click()');
  await sleep(200);
  check('index: Clear shows every rule again', (await evaluate('[...document.querySelectorAll("#cards > .card")].filter(c => !c.hidden).length')) === total);
  check('index: no console message, exception or CSP violation', problems.length === mark, problemsSince(mark));

  // Open the seed rule from its card.
  mark = problems.length;
  await evaluate('document.getElementById("q").value = "Temporary Installation Artefact"; document.getElementById("q").dispatchEvent(new Event("input"))');
  const href = await evaluate('[...document.querySelectorAll("#cards > .card")].find(c => !c.hidden).querySelector("h2 a").href');
  await open(href);
  check('rule: opened from the card', /ScreenConnect Temporary Installation Artefact/.test(await evaluate('document.querySelector("h1").textContent')));
  const sections = await evaluate('[...document.querySelectorAll("section[id]")].map(x => x.id)');
  const want = ['hunt', 'sigma', 'kql', 'fp', 'attack', 'tests', 'related'];
  check('rule: every section, in order', want.every((id, i) => sections.indexOf(id) >= 0 && (i === 0 || sections.indexOf(want[i - 1]) < sections.indexOf(id))), JSON.stringify(sections));
  const panelsShown = 'JSON.stringify([...document.querySelectorAll("[role=tabpanel]")].map(p => !p.hidden))';
  check('rule: first KQL tab shown, others hidden', (await evaluate(panelsShown)) === '[true,false,false]');
  await evaluate('document.getElementById("tab-1").click()');
  check('rule: clicking the defender-xdr tab shows its panel only', (await evaluate(panelsShown)) === '[false,true,false]');
  check('rule: the clicked tab is selected', (await evaluate('document.getElementById("tab-1").getAttribute("aria-selected")')) === 'true');
  await evaluate('document.getElementById("tab-1").focus()');
  await s('Input.dispatchKeyEvent', { type: 'keyDown', key: 'ArrowRight', code: 'ArrowRight', windowsVirtualKeyCode: 39 });
  await s('Input.dispatchKeyEvent', { type: 'keyUp', key: 'ArrowRight', code: 'ArrowRight', windowsVirtualKeyCode: 39 });
  check('rule: arrow key moves to the azure-monitor tab', (await evaluate(panelsShown)) === '[false,false,true]');
  await evaluate('document.getElementById("tab-0").click()');
  const kql = await evaluate('document.getElementById("q-0") ? document.getElementById("q-0").textContent : ""');
  check('rule: the ASIM query reads TargetFilePath (the seed\'s TargetFileName bug is gone)', /TargetFilePath contains/.test(kql) && !/TargetFileName/.test(kql), kql);
  check('rule: the ASIM query carries its verification proof', /✓ Verified:/.test(await evaluate('document.querySelector("#panel-0 .verdict").textContent')));
  await evaluate('document.querySelector("#panel-0 button.copy").click()');
  await sleep(300);
  const label = await evaluate('document.querySelector("#panel-0 button.copy").textContent');
  check('rule: the copy button answers (copied, or selected for copying by hand)', label === 'Copied' || label === 'Select and copy by hand', label);
  await shot('cdp-rule-seed.png');
  check('rule: no console message, exception or CSP violation', problems.length === mark, problemsSince(mark));

  // Coverage: T1219's cell, and the product filter recounts.
  mark = problems.length;
  await evaluate('document.querySelector(\'a[href="../coverage.html"]\').click()');
  await waitFor('Page.loadEventFired');
  for (let i = 0; i < 50 && (await evaluate('document.documentElement.getAttribute("data-js")')) !== 'ready'; i++) await sleep(100);
  const cell = await evaluate('(() => { const c = document.getElementById("c-TA0011-T1219"); return c ? c.querySelector(".n").textContent : null; })()');
  check('coverage: T1219 cell under Command and Control counts 1 rule', cell === '1', String(cell));
  await evaluate('(() => { const s = document.getElementById("c-product"); s.value = "linux"; s.dispatchEvent(new Event("change")); })()');
  const after = await evaluate('document.getElementById("c-TA0011-T1219").querySelector(".n").textContent');
  check('coverage: filtering on product linux drops the Windows ScreenConnect rule from T1219', after === '0', after);
  await evaluate('(() => { const s = document.getElementById("c-product"); s.value = ""; s.dispatchEvent(new Event("change")); })()');
  await shot('cdp-coverage.png');
  check('coverage: no console message, exception or CSP violation', problems.length === mark, problemsSince(mark));

  // The hostile title renders as text and runs nothing.
  if (hostileDir) {
    mark = problems.length;
    await open('file://' + hostileDir + '/index.html');
    const h = await evaluate('(() => { const a = [...document.querySelectorAll("#cards h2 a")].find(x => x.textContent.includes("onerror")); return a ? { text: a.textContent, imgs: document.querySelectorAll("img").length } : null; })()');
    check('hostile: the title is shown as text in the index', h && h.text === '<img src=x onerror=alert(1)>' && h.imgs === 0, JSON.stringify(h));
    const link = await evaluate('[...document.querySelectorAll("#cards h2 a")].find(x => x.textContent.includes("onerror")).href');
    await open(link);
    const r = await evaluate('({ h1: document.querySelector("h1").textContent, imgs: document.querySelectorAll("img, svg, iframe").length, title: document.title })');
    check('hostile: the rule page shows the title as text, creates no element', r.h1 === '<img src=x onerror=alert(1)>' && r.imgs === 0, JSON.stringify(r));
    await shot('cdp-rule-hostile.png');
    check('hostile: no dialog, console message or CSP violation', problems.length === mark, problemsSince(mark));
  }
  console.log(passed + ' passed, ' + failed + ' failed');
})().catch((e) => {
  console.log('FAIL driver: ' + e.message);
  console.log(passed + ' passed, ' + (failed + 1) + ' failed');
}).finally(() => {
  try { toChrome.write(JSON.stringify({ id: nextId++, method: 'Browser.close' }) + '\0'); } catch (e) { /* gone */ }
  setTimeout(() => { try { proc.kill('SIGKILL'); } catch (e) { /* gone */ } fs.rmSync(profile, { recursive: true, force: true }); process.exit(0); }, 500);
});
