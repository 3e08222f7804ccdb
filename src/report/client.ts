/**
 * The table's script, inlined into the report. Plain ES2017 so any browser an auditor has runs it.
 * Rows are virtual: only those in view (plus a margin) exist in the DOM, recycled as the user
 * scrolls, so 100,000 files cost what 40 do. Server text only ever reaches the page through
 * `textContent`, `title` and a pre-encoded relative `href`, never through innerHTML.
 *
 * It records on <html>, for the benchmark and the browser test (performance.now(), measured after
 * the next frame is painted): `data-open-ms` (first screen drawn), `data-ready-ms` (every row read
 * and drawn), `data-filter-ms` (event to table redrawn) and `data-filter-at` (when it was redrawn).
 *
 * Kept free of backticks and dollar-brace so it can live in this template literal untouched.
 *
 * One file although past the ~250-line guide: the script is one closure whose parts (rows, search,
 * sorting, data loading) share its state, and inside a string no compiler or linter checks a name.
 * Split over files, each piece would use variables declared in another, unchecked.
 */
export const REPORT_JS = String.raw`
(function () {
  'use strict';
  var ROW_H = 34, OVERSCAN = 10;
  var root = document.documentElement;
  performance.mark('report:script');
  var $ = function (id) { return document.getElementById(id); };
  var viewport = $('rows-viewport'), spacer = $('rows-spacer'), body = $('rows-body');
  var search = $('search'), stateSel = $('filter-state'), mimeSel = $('filter-mime'), countEl = $('row-count');
  var noRows = $('no-rows');

  // The first screen of rows sits ahead of this script, the rest of the data after it, still being
  // parsed when this runs: draw those rows now and read the rest once the whole document is in.
  var first = JSON.parse($('report-first').textContent);
  var n = first.n;
  var R, docs, mimes, states, dirs, errs, have, shaOf;
  use(first.table, function (i) { return first.sha[i]; });
  function use(data, sha) {
    R = data.rows; docs = data.docs; mimes = data.mimes; states = data.states; dirs = data.dirs; errs = data.errs;
    have = R.name.length; shaOf = sha;
  }
  // Until every row is in hand, what the auditor does waits here (see timed), in order.
  var ready = false, pending = [];

  var order = new Int32Array(n);
  for (var i = 0; i < n; i++) order[i] = i;
  var view = order.slice(), viewLen = n;
  var sortKey = 'size', sortDir = -1;
  var hay = null;

  function fmtBytes(b) {
    if (b === null || b === undefined) return '\u2014';
    var u = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'], k = 0;
    while (b >= 1024 && k < u.length - 1) { b /= 1024; k++; }
    return b.toFixed(k === 0 || b >= 100 ? 0 : b >= 10 ? 1 : 2) + ' ' + u[k];
  }
  function fmtCount(x) { return String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function docsOf(i) { var d = R.docs[i]; return typeof d === 'number' ? [d] : d; }
  function decode(h) { try { return decodeURIComponent(h); } catch (e) { return h; } }
  function safeHref(h) { return /^[a-z][a-z0-9+.-]*:/i.test(h) && h.slice(0, 8) !== 'file:///' ? null : h; }

  // The search index, one lowercase string per row, built in idle slices once the rows are in so
  // that a keystroke never waits behind it; a search that needs it sooner finishes it at once.
  var indexed = 0, shownDirs;
  function buildHaystack(deadline) {
    if (!hay) {
      hay = new Array(n);
      shownDirs = dirs.map(decode);
    }
    while (indexed < n) {
      var end = Math.min(n, indexed + 2000);
      for (var i = indexed; i < end; i++) {
        // The link as shown: a folder's decoded text plus the name needs no encoding round trip.
        var l = R.loc[i];
        var text = R.name[i] + '\n' + mimes[R.mime[i]] + '\n' + (shaOf(i) || '') + '\n' +
          (typeof l === 'string' ? decode(l) : l > 0 ? shownDirs[l - 1] + R.name[i] : '');
        var ds = docsOf(i);
        for (var j = 0; j < ds.length; j++) text += '\n' + docs[ds[j]][0];
        hay[i] = text.toLowerCase();
      }
      indexed = end;
      if (deadline && deadline.timeRemaining() < 2 && indexed < n) {
        requestIdleCallback(buildHaystack);
        return;
      }
    }
  }
  // A relative link to the backed-up file: a folder from the list plus the encoded file name, or
  // the whole link where it is not built that way.
  function hrefOf(i) {
    var l = R.loc[i];
    if (typeof l === 'string') return l;
    return l > 0 ? dirs[l - 1] + encodeURIComponent(R.name[i]) : null;
  }
  function errOf(i) { return R.err[i] > 0 ? errs[R.err[i] - 1] : ''; }

  // Rows are recycled: each keeps its cells, and filling one only sets text and attributes.
  var pool = [];
  function cell(row, cls, tag) {
    var c = document.createElement(tag || 'div');
    c.className = 'td ' + cls;
    c.setAttribute('role', 'cell');
    row.appendChild(c);
    return c;
  }
  function makeRow() {
    var el = document.createElement('div');
    el.className = 'tr';
    el.setAttribute('role', 'row');
    var r = { el: el, name: cell(el, 'name'), mime: cell(el, 'mime'), size: cell(el, 'num'), sha: cell(el, 'mono') };
    r.state = cell(el, 'state').appendChild(document.createElement('span'));
    r.where = cell(el, 'where');
    r.local = cell(el, 'local');
    r.link = document.createElement('a');
    r.link.target = '_blank';
    r.local.appendChild(r.link);
    body.appendChild(el);
    return r;
  }
  function fill(r, i) {
    if (i >= have) {
      r.name.textContent = 'Loading\u2026'; r.name.title = '';
      r.mime.textContent = r.size.textContent = r.sha.textContent = r.where.textContent = '';
      r.state.className = ''; r.state.textContent = ''; r.link.removeAttribute('href'); r.link.textContent = '';
      return;
    }
    r.name.textContent = R.name[i]; r.name.title = R.name[i];
    r.mime.textContent = mimes[R.mime[i]]; r.mime.title = mimes[R.mime[i]];
    r.size.textContent = fmtBytes(R.size[i]);
    var sha = shaOf(i);
    r.sha.textContent = sha ? sha.slice(0, 12) + '\u2026' : '\u2014'; r.sha.title = sha || '';
    r.state.className = 'pill s' + R.state[i]; r.state.textContent = states[R.state[i]];
    r.state.title = errOf(i);
    var ds = docsOf(i), titles = [];
    for (var j = 0; j < ds.length; j++) titles.push(docs[ds[j]][0] + ' (' + docs[ds[j]][1] + ')');
    r.where.textContent = ds.length ? docs[ds[0]][0] + (ds.length > 1 ? '  +' + (ds.length - 1) + ' more' : '') : '\u2014';
    r.where.title = titles.join('\n');
    var h = hrefOf(i);
    h = h && safeHref(h);
    if (h) { r.link.href = h; r.link.textContent = decode(h); r.link.title = decode(h); }
    else { r.link.removeAttribute('href'); r.link.textContent = '\u2014'; r.link.title = ''; }
  }

  // On screen only the rows in view are drawn; on paper (print, PDF) every row of the current view is.
  var printing = false;
  function render() {
    var first = printing ? 0 : Math.max(0, Math.floor(viewport.scrollTop / ROW_H) - OVERSCAN);
    var want = printing ? viewLen : Math.ceil((viewport.clientHeight || 600) / ROW_H) + 2 * OVERSCAN;
    var last = Math.min(viewLen, first + want);
    body.style.transform = printing ? 'none' : 'translateY(' + first * ROW_H + 'px)';
    while (pool.length < last - first) pool.push(makeRow());
    for (var k = 0; k < pool.length; k++) {
      var r = pool[k];
      if (first + k < last) { fill(r, view[first + k]); r.el.hidden = false; r.el.setAttribute('aria-rowindex', String(first + k + 2)); }
      else r.el.hidden = true;
    }
  }

  function applyFilters() {
    var st = stateSel.value === '' ? -1 : +stateSel.value;
    var mt = mimeSel.value === '' ? -1 : +mimeSel.value;
    var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (terms.length) buildHaystack(null);
    var out = 0;
    for (var p = 0; p < n; p++) {
      var i = order[p];
      if (st >= 0 && R.state[i] !== st) continue;
      if (mt >= 0 && R.mime[i] !== mt) continue;
      var ok = true;
      for (var t = 0; t < terms.length && ok; t++) ok = hay[i].indexOf(terms[t]) !== -1;
      if (ok) view[out++] = i;
    }
    viewLen = out;
    spacer.style.height = viewLen * ROW_H + 'px';
    countEl.textContent = viewLen === n ? 'All ' + fmtCount(n) + (n === 1 ? ' file' : ' files') : 'Showing ' + fmtCount(viewLen) + ' of ' + fmtCount(n) + ' files';
    countEl.setAttribute('data-count', String(viewLen));
    noRows.hidden = viewLen !== 0;
    viewport.scrollTop = 0;
    render();
  }

  function keyOf(name) {
    if (name === 'size') return function (i) { var s = R.size[i]; return s === null ? -1 : s; };
    if (name === 'state') return function (i) { return R.state[i]; };
    if (name === 'mime') return function (i) { return mimes[R.mime[i]]; };
    if (name === 'where') return function (i) { var d = docsOf(i); return d.length ? docs[d[0]][0].toLowerCase() : ''; };
    if (name === 'sha') return function (i) { return shaOf(i) || ''; };
    if (name === 'local') return function (i) { return hrefOf(i) || ''; };
    return function (i) { return R.name[i].toLowerCase(); };
  }
  function sortBy(name, dir) {
    var f = keyOf(name), keys = new Array(n);
    for (var i = 0; i < n; i++) keys[i] = f(i);
    var idx = Array.prototype.slice.call(order);
    idx.sort(function (a, b) { var x = keys[a], y = keys[b]; return x < y ? -dir : x > y ? dir : a - b; });
    order.set(idx);
    sortKey = name; sortDir = dir;
    var heads = document.querySelectorAll('.thead [data-sort]');
    for (var h = 0; h < heads.length; h++) {
      var s = heads[h].getAttribute('data-sort');
      heads[h].setAttribute('aria-sort', s === sortKey ? (dir > 0 ? 'ascending' : 'descending') : 'none');
    }
  }

  var seq = 0;
  function afterPaint(cb) { requestAnimationFrame(function () { setTimeout(cb, 0); }); }
  // Times from the event to the table repainted, including any wait for the rest of the data.
  function timed(fn) {
    return function () {
      var t0 = performance.now();
      function go() {
        fn();
        var mine = ++seq;
        afterPaint(function () {
          if (mine !== seq) return;
          var now = performance.now();
          root.setAttribute('data-filter-ms', (now - t0).toFixed(1));
          root.setAttribute('data-filter-at', now.toFixed(1));
          root.setAttribute('data-filter-seq', String(mine));
        });
      }
      if (ready) go();
      else pending.push(go);
    };
  }

  search.addEventListener('input', timed(applyFilters));
  stateSel.addEventListener('change', timed(applyFilters));
  mimeSel.addEventListener('change', timed(applyFilters));
  var scheduled = false;
  viewport.addEventListener('scroll', function () {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(function () { scheduled = false; render(); });
  });
  window.addEventListener('resize', render);
  function setPrinting(on) {
    if (printing === on) return;
    printing = on;
    document.documentElement.toggleAttribute('data-printing', on);
    render();
  }
  window.addEventListener('beforeprint', function () { setPrinting(true); });
  window.addEventListener('afterprint', function () { setPrinting(false); });
  var printQuery = window.matchMedia && window.matchMedia('print');
  if (printQuery && printQuery.addEventListener) printQuery.addEventListener('change', function (e) { setPrinting(e.matches); });
  document.querySelector('.thead').addEventListener('click', function (e) {
    var cellEl = e.target.closest('[data-sort]');
    if (!cellEl) return;
    var name = cellEl.getAttribute('data-sort');
    timed(function () { sortBy(name, name === sortKey ? -sortDir : name === 'size' ? -1 : 1); applyFilters(); })();
  });
  // Chart bars and the state band carry data-filter-* attributes: a click narrows the table.
  function chartFilter(e) {
    if (e.type === 'keydown' && e.key !== 'Enter' && e.key !== ' ') return;
    var t = e.target.closest && e.target.closest('[data-filter-state],[data-filter-mime]');
    if (!t) return;
    e.preventDefault();
    if (t.hasAttribute('data-filter-state')) stateSel.value = t.getAttribute('data-filter-state');
    if (t.hasAttribute('data-filter-mime')) mimeSel.value = t.getAttribute('data-filter-mime');
    timed(applyFilters)();
    $('files').scrollIntoView({ behavior: 'smooth' });
  }
  document.addEventListener('click', chartFilter);
  document.addEventListener('keydown', chartFilter);


  spacer.style.height = n * ROW_H + 'px';
  render();
  performance.mark('report:drawn');
  afterPaint(function () { root.setAttribute('data-open-ms', performance.now().toFixed(1)); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', readAll);
  else readAll();

  function readAll() {
    var parts = document.querySelectorAll('script.report-data'), chunks = [];
    for (var c = 0; c < parts.length; c++) chunks.push(parts[c].textContent);
    var packed = parts.length && parts[0].getAttribute('data-encoding') === 'gzip-base64';
    if (!packed) finish(JSON.parse(chunks.join('') || 'null'));
    else if (typeof DecompressionStream === 'undefined') {
      fail('This browser is too old to show the whole file table (it lacks DecompressionStream); the summary above is complete.');
    } else {
      gunzip(chunks.join('')).then(function (text) { finish(JSON.parse(text)); }, function (err) {
        fail('The file table could not be read: ' + err);
      });
    }
  }
  function fail(message) {
    noRows.textContent = message;
    noRows.hidden = false;
  }

  // A reader and one TextDecoder call: several times faster than new Response(stream).text().
  function gunzip(base64) {
    var bin = atob(base64), bytes = new Uint8Array(bin.length);
    for (var b = 0; b < bin.length; b++) bytes[b] = bin.charCodeAt(b);
    var ds = new DecompressionStream('gzip'), writer = ds.writable.getWriter();
    writer.write(bytes);
    writer.close();
    var reader = ds.readable.getReader(), out = [], total = 0;
    function pump() {
      return reader.read().then(function (r) {
        if (!r.done) { out.push(r.value); total += r.value.length; return pump(); }
        var all = new Uint8Array(total), at = 0;
        for (var k = 0; k < out.length; k++) { all.set(out[k], at); at += out[k].length; }
        return new TextDecoder().decode(all);
      });
    }
    return pump();
  }

  // Every row is in hand: swap the first screen for the whole table, then do what the auditor
  // asked for meanwhile (typed, filtered, sorted), each in turn.
  function finish(data) {
    performance.mark('report:parsed');
    var shaEls = document.querySelectorAll('script.report-sha'), shaParts = [];
    for (var q = 0; q < shaEls.length; q++) shaParts.push(shaEls[q].textContent);
    var shas = shaParts.join(''), shaSlot = new Int32Array(n);
    for (var z = 0, slot = 0; z < n; z++) shaSlot[z] = data.rows.h[z] ? slot++ : -1;
    var HEX = [];
    for (var x = 0; x < 256; x++) HEX.push((x < 16 ? '0' : '') + x.toString(16));
    use(data, function (i) {
      var at = shaSlot[i];
      if (at < 0) return null;
      var bin = atob(shas.substr(at * 43, 43) + '='), hex = '';
      for (var y = 0; y < bin.length; y++) hex += HEX[bin.charCodeAt(y)];
      return hex;
    });
    ready = true;
    var todo = pending;
    pending = [];
    if (todo.length === 0) render();
    for (var t = 0; t < todo.length; t++) todo[t]();
    afterPaint(function () {
      root.setAttribute('data-ready-ms', performance.now().toFixed(1));
      // Build the search index while the auditor reads the summary, so the first keystroke is quick.
      if (window.requestIdleCallback) requestIdleCallback(buildHaystack);
      else setTimeout(function () { buildHaystack(null); }, 50);
    });
  }
})();
`;
