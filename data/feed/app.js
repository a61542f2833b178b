/* app.js — the feed's only script (socfeed build). Loaded with `defer` under a CSP that forbids
 * inline script; it never builds HTML from strings and never fetches anything, so it works from
 * file:// and cannot turn rule text into markup. When it has set a page up it marks
 * <html data-js="ready">; the browser tests read that to know no error stopped it. */
(function () {
  'use strict';

  function readHash() {
    var out = {};
    var h = window.location.hash.replace(/^#/, '');
    h.split('&').forEach(function (part) {
      if (!part) return;
      var i = part.indexOf('=');
      var k = i < 0 ? part : part.slice(0, i);
      var v = i < 0 ? '' : part.slice(i + 1);
      try { out[decodeURIComponent(k)] = decodeURIComponent(v.replace(/\+/g, ' ')); } catch (e) { /* bad escape: ignore */ }
    });
    return out;
  }

  function writeHash(state) {
    var parts = [];
    Object.keys(state).forEach(function (k) {
      if (state[k]) parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(state[k]));
    });
    var url = window.location.pathname + window.location.search + (parts.length ? '#' + parts.join('&') : '');
    try { window.history.replaceState(null, '', url); } catch (e) { /* some file:// setups refuse: filters still work */ }
  }

  /* ---- index: search and filters over the static cards ---- */
  function setupIndex() {
    var cards = Array.prototype.slice.call(document.querySelectorAll('#cards > .card'));
    var texts = cards.map(function (c) {
      return (c.textContent + ' ' + (c.getAttribute('data-techniques') || '') + ' ' +
              (c.getAttribute('data-tactics') || '')).toLowerCase();
    });
    var q = document.getElementById('q');
    var selects = Array.prototype.slice.call(document.querySelectorAll('#filters select[data-attr]'));
    var count = document.getElementById('count');
    var nomatch = document.getElementById('nomatch');
    var keyOf = function (sel) { return sel.id.replace(/^f-/, ''); };

    function apply() {
      var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var active = selects.filter(function (s) { return s.value; });
      var shown = 0;
      for (var i = 0; i < cards.length; i++) {
        var ok = true;
        for (var w = 0; ok && w < words.length; w++) ok = texts[i].indexOf(words[w]) >= 0;
        for (var s = 0; ok && s < active.length; s++) {
          var have = (cards[i].getAttribute('data-' + active[s].getAttribute('data-attr')) || '').split(' ');
          ok = have.indexOf(active[s].value) >= 0;
        }
        if (cards[i].hidden === ok) cards[i].hidden = !ok;
        if (ok) shown++;
      }
      count.textContent = shown === cards.length ? cards.length + ' rules' : shown + ' of ' + cards.length + ' rules';
      nomatch.hidden = shown !== 0;
      var state = { q: q.value };
      selects.forEach(function (sel) { state[keyOf(sel)] = sel.value; });
      writeHash(state);
    }

    var initial = readHash();
    if (initial.q) q.value = initial.q;
    selects.forEach(function (sel) {
      var v = initial[keyOf(sel)];
      if (v === undefined) return;
      var known = Array.prototype.some.call(sel.options, function (o) { return o.value === v; });
      if (known) sel.value = v;
    });
    q.addEventListener('input', apply);
    selects.forEach(function (sel) { sel.addEventListener('change', apply); });
    document.getElementById('filters').addEventListener('reset', function () { window.setTimeout(apply, 0); });
    document.getElementById('filters').addEventListener('submit', function (ev) { ev.preventDefault(); });
    window.addEventListener('hashchange', function () {
      var h = readHash();
      q.value = h.q || '';
      selects.forEach(function (sel) { sel.value = h[keyOf(sel)] || ''; });
      apply();
    });
    apply();
  }

  /* ---- rule page: KQL tabs and copy buttons ---- */
  function setupRule() {
    var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));
    function select(tab) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute('aria-selected', on ? 'true' : 'false');
        t.tabIndex = on ? 0 : -1;
        var panel = document.getElementById(t.getAttribute('aria-controls'));
        if (panel) panel.hidden = !on;
      });
    }
    tabs.forEach(function (t, i) {
      t.addEventListener('click', function () { select(t); });
      t.addEventListener('keydown', function (ev) {
        var d = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 : 0;
        if (!d) return;
        var next = tabs[(i + d + tabs.length) % tabs.length];
        select(next);
        next.focus();
      });
    });
    /* the page marks the tab to land on (the first verified query); else the first */
    var initial = tabs[0];
    tabs.forEach(function (t) { if (t.getAttribute('aria-selected') === 'true') initial = t; });
    if (initial) select(initial);
    Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (b) {
      var label = b.textContent;
      b.addEventListener('click', function () {
        var code = document.getElementById(b.getAttribute('data-copy'));
        if (!code) return;
        var done = function (ok) {
          b.textContent = ok ? 'Copied' : 'Select and copy by hand';
          window.setTimeout(function () { b.textContent = label; }, 1500);
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(code.textContent).then(function () { done(true); }, function () { selectText(code); done(false); });
        } else {
          selectText(code);
          done(false);
        }
      });
    });
  }

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  /* ---- coverage: recount cells for a product / level ---- */
  function shade(n) { return n === 0 ? 0 : n === 1 ? 1 : n <= 4 ? 2 : n <= 14 ? 3 : n <= 49 ? 4 : 5; }

  function setupCoverage() {
    var data = window.SOCFEED_COVERAGE || [];
    var product = document.getElementById('c-product');
    var level = document.getElementById('c-level');
    var label = document.getElementById('c-count');
    var cells = {};
    Array.prototype.forEach.call(document.querySelectorAll('[data-cell]'), function (li) {
      cells[li.getAttribute('data-cell')] = li;
    });
    var columns = Array.prototype.slice.call(document.querySelectorAll('section.tactic'));
    function apply() {
      var counts = {}, verified = {}, tn = {}, tv = {}, rules = 0;
      data.forEach(function (r) {
        if (product.value && r[0] !== product.value) return;
        if (level.value && r[1] !== level.value) return;
        rules++;
        (r[3] ? r[3].split(' ') : []).forEach(function (k) {
          counts[k] = (counts[k] || 0) + 1;
          if (r[2]) verified[k] = (verified[k] || 0) + 1;
        });
        (r[4] ? r[4].split(' ') : []).forEach(function (t) {
          tn[t] = (tn[t] || 0) + 1;
          if (r[2]) tv[t] = (tv[t] || 0) + 1;
        });
      });
      Object.keys(cells).forEach(function (k) {
        var li = cells[k], n = counts[k] || 0;
        li.className = li.className.replace(/\bh\d\b/, 'h' + shade(n));
        var nEl = li.querySelector('.n'), vEl = li.querySelector('.v');
        if (nEl) nEl.textContent = String(n);
        if (vEl) vEl.textContent = '\u2713' + (verified[k] || 0);
      });
      columns.forEach(function (col) {
        var t = col.getAttribute('data-tactic');
        col.querySelector('.tn').textContent = String(tn[t] || 0);
        col.querySelector('.tv').textContent = String(tv[t] || 0);
      });
      label.textContent = rules + ' of ' + data.length + ' rules';
      writeHash({ product: product.value, level: level.value });
    }
    var h = readHash();
    if (h.product) product.value = h.product;
    if (h.level) level.value = h.level;
    product.addEventListener('change', apply);
    level.addEventListener('change', apply);
    apply();
  }

  function start() {
    var page = document.body.getAttribute('data-page');
    if (page === 'index') setupIndex();
    else if (page === 'rule') setupRule();
    else if (page === 'coverage') setupCoverage();
    document.documentElement.setAttribute('data-js', 'ready');
  }

  /* DOMContentLoaded comes after every deferred script, so coverage-data.js has run by then. */
  if (document.readyState === 'complete') start();
  else document.addEventListener('DOMContentLoaded', start);
})();
