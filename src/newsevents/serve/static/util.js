/* newsevents web UI: shared helpers (DOM building, API access, filters,
 * highlighting, record rendering).
 *
 * Security rules followed everywhere in this code base:
 *  - data is only ever put into the DOM with textContent / createTextNode
 *    (never innerHTML and friends);
 *  - href values are only built by us (hash routes with encodeURIComponent,
 *    /api/export URLs) or are http(s) URLs checked with isHttpUrl();
 *  - no inline styles: classes and SVG presentation attributes only.
 */
(function () {
  'use strict';

  var NE = window.NE = window.NE || {};

  var API_BASE = '/api';

  /* ------------------------------------------------------------------ DOM */

  var SAFE_HREF = /^(#\/|\/api\/|vendor\/|https?:\/\/)/i;

  /**
   * el('div', {class: 'x', text: 'hello', onclick: fn}, [children...])
   * Children may be nodes, strings (added as text), numbers, arrays or null.
   */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'class') node.className = String(v);
        else if (k === 'text') node.textContent = String(v);
        else if (k === 'dataset') Object.keys(v).forEach(function (d) { node.dataset[d] = String(v[d]); });
        else if (typeof v === 'function' && k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
        else if (k === 'style') throw new Error('inline styles are not allowed (CSP)');
        else if (k === 'href') {
          var h = String(v);
          if (SAFE_HREF.test(h)) node.setAttribute('href', h);
        } else if (k === 'hidden') node.hidden = !!v;
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === undefined || children === null || children === false) return node;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === undefined || c === null || c === false) return;
      if (Array.isArray(c)) append(node, c);
      else if (c instanceof Node) node.appendChild(c);
      else node.appendChild(document.createTextNode(String(c)));
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function isHttpUrl(u) {
    return typeof u === 'string' && /^https?:\/\/[^\s]+$/i.test(u.trim());
  }

  function loadingEl(text) {
    return el('p', {class: 'loading', role: 'status', text: text || 'Loading…'});
  }

  function emptyEl(text) {
    return el('p', {class: 'empty', text: text || 'Nothing matches.'});
  }

  function errorEl(err) {
    var msg = err && err.message ? err.message : String(err || 'Something went wrong.');
    var box = el('div', {class: 'error', role: 'alert'});
    var title = 'Error';
    if (err && err.status) title = 'Error ' + err.status + (err.code ? ' (' + err.code + ')' : '');
    append(box, [el('strong', {text: title + ': '}), el('span', {class: 'error-message', text: msg})]);
    return box;
  }

  function str(v) {
    if (v === undefined || v === null) return '';
    return String(v);
  }

  function dash(v) {
    var s = str(v);
    return s === '' ? '—' : s;
  }

  function num(v) {
    var n = Number(v);
    return isFinite(n) ? n : null;
  }

  function fmtInt(v) {
    var n = num(v);
    return n === null ? '—' : n.toLocaleString('en-US');
  }

  function asArray(v) {
    return Array.isArray(v) ? v : [];
  }

  function isObj(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  /* ------------------------------------------------------------------ API */

  function ApiError(status, code, message) {
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.message = message;
  }
  ApiError.prototype = Object.create(Error.prototype);
  ApiError.prototype.constructor = ApiError;

  /** Build a query string from [[k, v], ...] or {k: v}; empty values are skipped. */
  function qs(params) {
    if (!params) return '';
    var entries = Array.isArray(params) ? params : Object.keys(params).map(function (k) { return [k, params[k]]; });
    var parts = [];
    entries.forEach(function (e) {
      var k = e[0], v = e[1];
      if (v === undefined || v === null || v === '' || v === false) return;
      parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(v)));
    });
    return parts.join('&');
  }

  function apiUrl(path, params) {
    var q = qs(params);
    return API_BASE + path + (q ? '?' + q : '');
  }

  function getJSON(path, params) {
    var url = apiUrl(path, params);
    return fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
      .catch(function (e) {
        throw new ApiError(0, 'network', 'Could not reach the server (' + (e && e.message ? e.message : 'network error') + ').');
      })
      .then(function (res) {
        return res.text().then(function (body) {
          var data = null;
          try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
          if (!res.ok) {
            var msg = null, code = 'http_' + res.status;
            if (data && isObj(data.error)) {
              if (data.error.message) msg = String(data.error.message);
              if (data.error.code) code = String(data.error.code);
            } else if (data && Array.isArray(data.detail)) {
              msg = data.detail.map(function (d) {
                return asArray(d && d.loc).join('.') + ': ' + str(d && d.msg);
              }).join('; ');
            } else if (data && typeof data.detail === 'string') {
              msg = data.detail;
            }
            throw new ApiError(res.status, code, msg || ('HTTP ' + res.status + ' ' + (res.statusText || '')).trim());
          }
          if (data === null || typeof data !== 'object') {
            throw new ApiError(res.status, 'bad_response', 'The server sent a response that is not JSON.');
          }
          return data;
        });
      });
  }

  var statsPromise = null;
  function getStats() {
    if (!statsPromise) {
      statsPromise = getJSON('/stats').catch(function (e) { statsPromise = null; throw e; });
    }
    return statsPromise;
  }

  var worldPromise = null;
  function getWorld() {
    if (!worldPromise) {
      worldPromise = fetch('vendor/countries-110m.json', {credentials: 'same-origin'}).then(function (r) {
        if (!r.ok) throw new ApiError(r.status, 'world', 'Could not load the world map outlines.');
        return r.json();
      }).catch(function (e) { worldPromise = null; throw e; });
    }
    return worldPromise;
  }

  /* -------------------------------------------------------------- filters */

  var FACTUALITY_DEFAULT = ['asserted', 'negated', 'hypothetical', 'future', 'historical'];

  var FILTER_FIELDS = [
    {name: 'actor', label: 'Actor', hint: 'name or code, actor or recipient', placeholder: 'e.g. USA or Donald Trump', maxlength: 200},
    {name: 'recipient', label: 'Recipient', hint: 'name or code', placeholder: 'e.g. IRN', maxlength: 200},
    {name: 'dyad', label: 'Dyad', hint: 'ACTOR,RECIPIENT', placeholder: 'e.g. USA,IRN', maxlength: 401, pattern: '[^,]*,[^,]*'},
    {name: 'type', label: 'Type', hint: 'PLOVER type', placeholder: 'e.g. ASSAULT', maxlength: 40, list: 'type-options'},
    {name: 'factuality', label: 'Factuality', select: true},
    {name: 'country', label: 'Country', hint: 'ISO 3166 alpha-3', placeholder: 'e.g. USA', maxlength: 3},
    {name: 'place', label: 'Place', hint: 'name contains', maxlength: 200},
    {name: 'source', label: 'Source', hint: 'article source contains', maxlength: 500},
    {name: 'q', label: 'Text', hint: 'sentence or title contains', maxlength: 200, type: 'search'},
    {name: 'since', label: 'Since', type: 'date'},
    {name: 'until', label: 'Until', type: 'date'},
    {name: 'story', label: 'Story ID', maxlength: 100},
    {name: 'mentions', label: 'One row per report (mentions)', type: 'checkbox'}
  ];
  var FILTER_NAMES = FILTER_FIELDS.map(function (f) { return f.name; });

  function truthy(v) {
    return v === true || v === 'true' || v === '1' || v === 'on' || v === 'yes';
  }

  /** Known filters from a parsed hash query, empty ones dropped. */
  function filtersFromQuery(query) {
    var out = {};
    FILTER_NAMES.forEach(function (k) {
      if (!query || !Object.prototype.hasOwnProperty.call(query, k)) return;
      var v = query[k];
      if (k === 'mentions') {
        if (truthy(v)) out.mentions = 'true';
        return;
      }
      v = str(v).trim();
      if (v !== '') out[k] = v;
    });
    return out;
  }

  /** Ordered [[k, v]] entries of a filters object. */
  function filterEntries(filters) {
    var out = [];
    FILTER_NAMES.forEach(function (k) {
      if (filters && filters[k] !== undefined && filters[k] !== null && filters[k] !== '') out.push([k, filters[k]]);
    });
    return out;
  }

  function hasFilters(filters, ignore) {
    return FILTER_NAMES.some(function (k) {
      if (ignore && ignore.indexOf(k) >= 0) return false;
      return filters && filters[k] !== undefined && filters[k] !== '';
    });
  }

  function hashFor(route, entries) {
    var q = qs(entries);
    return '#/' + route + (q ? '?' + q : '');
  }

  /* ------------------------------------------------------------- routing */

  function safeDecode(s) {
    try { return decodeURIComponent(s); } catch (e) { return s; }
  }

  function parseHash(hash) {
    var h = hash || '';
    if (h.charAt(0) === '#') h = h.slice(1);
    var qi = h.indexOf('?');
    var path = qi >= 0 ? h.slice(0, qi) : h;
    var qstr = qi >= 0 ? h.slice(qi + 1) : '';
    var segs = path.split('/').filter(function (s) { return s !== ''; }).map(safeDecode);
    var query = Object.create(null);
    qstr.split('&').forEach(function (p) {
      if (!p) return;
      var i = p.indexOf('=');
      var k = safeDecode(i >= 0 ? p.slice(0, i) : p);
      var v = safeDecode(i >= 0 ? p.slice(i + 1) : '');
      if (!(k in query)) query[k] = v;
    });
    return {segs: segs, query: query};
  }

  /* ------------------------------------------------------- colour scales */

  // Colour-blind-safe qualitative colours: Okabe-Ito + Paul Tol "muted".
  var PALETTE = [
    '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442',
    '#332288', '#117733', '#882255', '#44AA99', '#999933', '#AA4499', '#DDCC77',
    '#88CCEE', '#CC6677', '#6b6b6b', '#000000'
  ];
  // PLOVER types, cooperative to hostile, so colours are stable across pages.
  var TYPE_ORDER = ['AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT',
    'REQUEST', 'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT'];
  var typeIndex = {};
  TYPE_ORDER.forEach(function (t, i) { typeIndex[t] = i; });
  var nextType = TYPE_ORDER.length;

  function typeColor(type) {
    var t = str(type) || '(none)';
    if (!Object.prototype.hasOwnProperty.call(typeIndex, t)) typeIndex[t] = nextType++;
    return PALETTE[typeIndex[t] % PALETTE.length];
  }

  function compareTypes(a, b) {
    typeColor(a); typeColor(b);
    return typeIndex[str(a) || '(none)'] - typeIndex[str(b) || '(none)'];
  }

  function swatch(color, cls) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'swatch' + (cls ? ' ' + cls : ''));
    svg.setAttribute('width', '14');
    svg.setAttribute('height', '14');
    svg.setAttribute('viewBox', '0 0 14 14');
    svg.setAttribute('aria-hidden', 'true');
    var r = document.createElementNS(ns, 'rect');
    r.setAttribute('x', '0.5'); r.setAttribute('y', '0.5');
    r.setAttribute('width', '13'); r.setAttribute('height', '13');
    r.setAttribute('rx', '2');
    r.setAttribute('fill', color);
    r.setAttribute('stroke', '#333');
    r.setAttribute('stroke-width', '0.5');
    svg.appendChild(r);
    return svg;
  }

  /* --------------------------------------------------------- highlighting */

  var KIND_ORDER = {quote: 0, event: 1, actor: 2, recipient: 3, place: 4, time: 5};

  function toInt(v) {
    if (v === null || v === undefined || v === '') return null;
    var n = Number(v);
    if (!isFinite(n)) return null;
    return Math.floor(n);
  }

  /**
   * Cut text at every span boundary and wrap each segment in nested <mark>s,
   * one per covering span (outermost = longest span). Offsets are Unicode
   * code points (converted with Array.from). Returns {node, segments} where
   * segments is a WeakMap from the outer <mark> of a segment to its spans.
   */
  function highlight(text, spans, opts) {
    opts = opts || {};
    var cps = Array.from(str(text));
    var n = cps.length;
    var valid = [];
    asArray(spans).forEach(function (s, i) {
      if (!s) return;
      var a = toInt(s.start), b = toInt(s.end);
      if (a === null || b === null) return;
      a = Math.max(0, Math.min(n, a));
      b = Math.max(0, Math.min(n, b));
      if (b <= a) return;
      valid.push({start: a, end: b, kind: s.kind, rec: s.rec, label: s.label, id: s.id, order: i});
    });
    var starts = new Map(), ends = new Map(), bounds = new Set([0, n]);
    valid.forEach(function (s) {
      bounds.add(s.start); bounds.add(s.end);
      if (!starts.has(s.start)) starts.set(s.start, []);
      starts.get(s.start).push(s);
      if (!ends.has(s.end)) ends.set(s.end, []);
      ends.get(s.end).push(s);
    });
    var pts = Array.from(bounds).sort(function (x, y) { return x - y; });
    var frag = document.createDocumentFragment();
    var segMap = new WeakMap();
    var firstMarkById = new Map();
    var active = [];
    for (var i = 0; i < pts.length - 1; i++) {
      var a = pts[i], b = pts[i + 1];
      var ending = ends.get(a);
      if (ending) active = active.filter(function (s) { return ending.indexOf(s) < 0; });
      var starting = starts.get(a);
      if (starting) active = active.concat(starting);
      var piece = cps.slice(a, b).join('');
      if (!active.length) {
        frag.appendChild(document.createTextNode(piece));
        continue;
      }
      var sorted = active.slice().sort(function (x, y) {
        return (y.end - y.start) - (x.end - x.start) ||
          (KIND_ORDER[x.kind] || 9) - (KIND_ORDER[y.kind] || 9) || x.order - y.order;
      });
      var outer = null, inner = null;
      sorted.forEach(function (s) {
        var m = document.createElement('mark');
        m.className = 'hl hl-' + s.kind;
        if (s.start === a) m.classList.add('hl-start');
        if (s.end === b) m.classList.add('hl-end');
        if (!outer) outer = m; else inner.appendChild(m);
        inner = m;
        if (s.id && !firstMarkById.has(s.id)) firstMarkById.set(s.id, outer);
      });
      inner.appendChild(document.createTextNode(piece));
      outer.classList.add('hl-seg');
      if (opts.interactive) {
        // one tab stop per span start keeps keyboard navigation reasonable
        if (starting && starting.length) outer.setAttribute('tabindex', '0');
      }
      segMap.set(outer, sorted);
      frag.appendChild(outer);
    }
    return {node: frag, segments: segMap, byId: firstMarkById, count: valid.length};
  }

  /* ------------------------------------------------------- record views */

  function isSpanPair(v) {
    return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
  }

  function humanKey(k) {
    return String(k).replace(/_/g, ' ');
  }

  /** Readable key/value rendering of any JSON value (text only). */
  function renderValue(v, depth) {
    depth = depth || 0;
    if (v === undefined || v === null || v === '') return el('span', {class: 'muted', text: '—'});
    if (typeof v === 'boolean') return el('span', {text: v ? 'yes' : 'no'});
    if (typeof v !== 'object') return el('span', {class: 'val', text: String(v)});
    if (Array.isArray(v)) {
      if (!v.length) return el('span', {class: 'muted', text: '(none)'});
      if (v.every(isSpanPair)) {
        return el('span', {class: 'val', text: v.map(function (p) { return p[0] + '–' + p[1]; }).join(', ')});
      }
      if (v.every(function (x) { return x === null || typeof x !== 'object'; })) {
        return el('span', {class: 'val', text: v.map(function (x) { return x === null ? '—' : String(x); }).join(', ')});
      }
      if (depth > 4) return el('span', {class: 'val', text: '[' + v.length + ' items]'});
      var ol = el('ol', {class: 'kv-list'});
      v.slice(0, 100).forEach(function (x) { ol.appendChild(el('li', null, renderValue(x, depth + 1))); });
      if (v.length > 100) ol.appendChild(el('li', {class: 'muted', text: '… ' + (v.length - 100) + ' more'}));
      return ol;
    }
    if (depth > 4) return el('span', {class: 'val', text: '{…}'});
    var keys = Object.keys(v);
    if (!keys.length) return el('span', {class: 'muted', text: '(empty)'});
    var dl = el('dl', {class: 'kv'});
    keys.forEach(function (k) {
      dl.appendChild(el('dt', {text: humanKey(k)}));
      dl.appendChild(el('dd', null, renderValue(v[k], depth + 1)));
    });
    return dl;
  }

  function kvList(pairs) {
    var dl = el('dl', {class: 'kv'});
    pairs.forEach(function (p) {
      if (!p) return;
      dl.appendChild(el('dt', {text: p[0]}));
      var v = p[1];
      var dd = el('dd');
      if (v instanceof Node) dd.appendChild(v);
      else if (Array.isArray(v)) append(dd, v);
      else dd.appendChild(document.createTextNode(dash(v)));
      dl.appendChild(dd);
    });
    return dl;
  }

  function actorLabel(a) {
    if (!a) return '';
    if (typeof a === 'string') return a;
    var name = str(a.name) || str(a.text) || str(a.code);
    if (!name) return '?';
    var code = str(a.code);
    return code && code !== name ? name + ' (' + code + ')' : name;
  }

  function actorsLabel(list) {
    return asArray(list).map(actorLabel).filter(Boolean).join('; ');
  }

  function placeLabel(p) {
    if (!p || !isObj(p)) return '';
    var name = str(p.name);
    var c = str(p.country);
    if (!name) return c;
    return c && c !== name ? name + ', ' + c : name;
  }

  function articleHref(id, eventId) {
    var h = '#/article/' + encodeURIComponent(str(id));
    if (eventId) h += '?event=' + encodeURIComponent(str(eventId));
    return h;
  }

  function storyHref(id) {
    return '#/story/' + encodeURIComponent(str(id));
  }

  NE.util = {
    el: el, append: append, clear: clear, isHttpUrl: isHttpUrl,
    loadingEl: loadingEl, emptyEl: emptyEl, errorEl: errorEl,
    str: str, dash: dash, num: num, fmtInt: fmtInt, asArray: asArray, isObj: isObj,
    ApiError: ApiError, qs: qs, apiUrl: apiUrl, getJSON: getJSON, getStats: getStats, getWorld: getWorld,
    FILTER_FIELDS: FILTER_FIELDS, FILTER_NAMES: FILTER_NAMES, FACTUALITY_DEFAULT: FACTUALITY_DEFAULT,
    filtersFromQuery: filtersFromQuery, filterEntries: filterEntries, hasFilters: hasFilters, hashFor: hashFor,
    truthy: truthy, parseHash: parseHash, safeDecode: safeDecode,
    typeColor: typeColor, compareTypes: compareTypes, swatch: swatch, PALETTE: PALETTE,
    highlight: highlight, renderValue: renderValue, kvList: kvList,
    actorLabel: actorLabel, actorsLabel: actorsLabel, placeLabel: placeLabel,
    articleHref: articleHref, storyHref: storyHref, toInt: toInt
  };
})();
