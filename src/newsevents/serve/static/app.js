/* newsevents web UI: pages and hash router. */
(function () {
  'use strict';

  var NE = window.NE;
  var U = NE.util;
  var el = U.el, str = U.str, dash = U.dash, asArray = U.asArray;

  var PAGE_LIMIT = 50;       // rows per listing request (never above 100)
  var FILTER_PAGES = [
    ['events', 'Events'], ['timeline', 'Timeline'], ['map', 'Map'], ['network', 'Network']
  ];

  var navToken = 0;
  var currentRoute = null;

  function navigate(hash) {
    if (location.hash === hash) render();
    else location.hash = hash;
  }

  /* ------------------------------------------------------- filter panel */

  function ensureTypeDatalist(form) {
    var dl = el('datalist', {id: 'type-options'});
    form.appendChild(dl);
    U.getStats().then(function (stats) {
      var types = new Set();
      asArray(stats && stats.events_by_type).forEach(function (r) { if (r && r.type) types.add(String(r.type)); });
      Array.from(types).sort(U.compareTypes).forEach(function (t) {
        dl.appendChild(el('option', {value: t}));
      });
    }).catch(function () { /* datalist is optional */ });
  }

  function fillFactuality(select, current) {
    var values = U.FACTUALITY_DEFAULT.slice();
    function add(v) {
      if (v && values.indexOf(v) < 0) values.push(v);
    }
    add(current);
    function rebuild() {
      var keep = select.value;
      U.clear(select);
      select.appendChild(el('option', {value: '', text: 'any'}));
      values.forEach(function (v) { select.appendChild(el('option', {value: v, text: v})); });
      select.value = keep || '';
    }
    rebuild();
    select.value = current || '';
    U.getStats().then(function (stats) {
      var before = values.length;
      asArray(stats && stats.events_by_type).forEach(function (r) { if (r && r.factuality) add(String(r.factuality)); });
      if (values.length !== before) rebuild();
    }).catch(function () { /* optional */ });
  }

  /**
   * The shared filter form. route: page to navigate to on Apply;
   * extra(): extra [[k, v]] entries to keep in the hash (e.g. interval).
   */
  function filterPanel(route, filters, extra) {
    var form = el('form', {id: 'filters', class: 'filters', 'aria-label': 'Event filters', novalidate: null});
    var grid = el('div', {class: 'filter-grid'});
    U.FILTER_FIELDS.forEach(function (f) {
      var id = 'f-' + f.name;
      var wrap = el('div', {class: 'field field-' + f.name + (f.type === 'checkbox' ? ' field-check' : '')});
      var input;
      if (f.select) {
        input = el('select', {id: id, name: f.name});
        fillFactuality(input, filters[f.name] || '');
      } else if (f.type === 'checkbox') {
        input = el('input', {id: id, name: f.name, type: 'checkbox', value: 'true'});
        input.checked = U.truthy(filters[f.name]);
      } else {
        input = el('input', {
          id: id, name: f.name, type: f.type || 'text',
          placeholder: f.placeholder || null, maxlength: f.maxlength || null,
          pattern: f.pattern || null, list: f.list || null, autocomplete: 'off',
          title: f.pattern ? (f.hint || null) : null
        });
        input.value = filters[f.name] || '';
      }
      var label = el('label', {for: id}, [f.label, f.hint ? el('span', {class: 'hint', text: ' (' + f.hint + ')'}) : null]);
      if (f.type === 'checkbox') append2(wrap, input, label);
      else append2(wrap, label, input);
      grid.appendChild(wrap);
    });
    form.appendChild(grid);

    var actions = el('div', {class: 'filter-actions'});
    var apply = el('button', {type: 'submit', class: 'primary', text: 'Apply'});
    var reset = el('button', {type: 'button', class: 'secondary', text: 'Clear filters'});
    actions.appendChild(apply);
    actions.appendChild(reset);

    var same = el('span', {class: 'same-filters'}, 'Same filters: ');
    FILTER_PAGES.forEach(function (p, i) {
      if (p[0] === route) return;
      same.appendChild(el('a', {href: U.hashFor(p[0], U.filterEntries(filters)), text: p[1]}));
      same.appendChild(document.createTextNode(' '));
    });
    actions.appendChild(same);
    form.appendChild(actions);
    ensureTypeDatalist(form);

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (typeof form.reportValidity === 'function' && !form.reportValidity()) return;
      var f = readFilters(form);
      navigate(U.hashFor(route, U.filterEntries(f).concat(extra ? extra() : [])));
    });
    reset.addEventListener('click', function () {
      navigate(U.hashFor(route, extra ? extra() : []));
    });
    return form;
  }

  function append2(node, a, b) { node.appendChild(a); node.appendChild(b); }

  function readFilters(form) {
    var out = {};
    U.FILTER_NAMES.forEach(function (k) {
      var input = form.elements.namedItem(k);
      if (!input) return;
      if (k === 'mentions') {
        if (input.checked) out.mentions = 'true';
      } else {
        var v = str(input.value).trim();
        if (v !== '') out[k] = v;
      }
    });
    return out;
  }

  function activeFiltersLine(filters) {
    var entries = U.filterEntries(filters);
    if (!entries.length) return el('p', {class: 'active-filters muted', text: 'No filters: showing everything.'});
    var p = el('p', {class: 'active-filters'}, 'Filters: ');
    entries.forEach(function (e) {
      p.appendChild(el('span', {class: 'chip'}, [el('span', {class: 'chip-key', text: e[0] + ' '}), e[1]]));
      p.appendChild(document.createTextNode(' '));
    });
    return p;
  }

  /* ------------------------------------------------------------- helpers */

  function pageHeader(title, sub) {
    return el('header', {class: 'page-header'}, [el('h1', {text: title}), sub ? el('p', {class: 'lead', text: sub}) : null]);
  }

  /** Replace the content of a status area with a loading/empty/error node. */
  function setStatus(box, node) {
    U.clear(box);
    if (node) box.appendChild(node);
  }

  function eventsHash(filters, override) {
    var f = Object.assign({}, filters, override || {});
    return U.hashFor('events', U.filterEntries(f));
  }

  function articleLink(id, title, eventId) {
    if (!id) return el('span', {class: 'muted', text: '—'});
    return el('a', {href: U.articleHref(id, eventId), text: str(title) || str(id)});
  }

  function shortSource(s) {
    var t = str(s);
    if (!t) return '';
    var parts = t.split(/[\\/]/);
    return parts[parts.length - 1] || t;
  }

  /* ============================================================ EVENTS */

  var EVENT_COLUMNS = [
    {key: 'date', label: 'Date', get: function (e) { return str(e.date_first) || str(e.date); }, show: function (e) { return dash(e.date); }},
    {key: 'type', label: 'Type', get: function (e) { return str(e.type); }},
    {key: 'mode', label: 'Mode', get: function (e) { return str(e.mode); }},
    {key: 'cameo', label: 'CAMEO', get: function (e) { return str(e.cameo); }},
    {key: 'factuality', label: 'Factuality', get: function (e) { return str(e.factuality); }},
    {key: 'actors', label: 'Actors', get: function (e) { return U.actorsLabel(e.actors); }},
    {key: 'recipients', label: 'Recipients', get: function (e) { return U.actorsLabel(e.recipients); }},
    {key: 'place', label: 'Place', get: function (e) { return U.placeLabel(e.place); }},
    {key: 'trigger', label: 'Trigger', get: function (e) { return str(e.trigger && e.trigger.text); }},
    {key: 'reports', label: 'Reports', numeric: true, get: function (e) { return U.num(e.n_mentions); }},
    {key: 'article', label: 'Article', get: function (e) { return str(e.article_title) || str(e.article_id); }}
  ];

  function compareValues(a, b, numeric) {
    var ea = a === null || a === undefined || a === '', eb = b === null || b === undefined || b === '';
    if (ea && eb) return 0;
    if (ea) return 1;   // empty values last, whatever the direction
    if (eb) return -1;
    if (numeric) return a - b;
    return String(a).localeCompare(String(b), undefined, {numeric: true, sensitivity: 'base'});
  }

  function pageEvents(main, route, ctx) {
    var filters = U.filtersFromQuery(route.query);
    var state = {rows: [], next: null, sortKey: null, sortDir: 1, selected: null, loading: false};

    main.appendChild(pageHeader('Events', 'Who did what to whom, when and where.'));
    main.appendChild(filterPanel('events', filters));

    var bar = el('div', {class: 'results-bar'});
    var count = el('p', {id: 'event-count', class: 'count', 'aria-live': 'polite', text: 'Loading…'});
    var dl = el('p', {class: 'downloads'}, 'Download: ');
    var formats = [['csv', 'CSV'], ['parquet', 'Parquet'], ['jsonl', 'JSONL']];
    formats.forEach(function (f) {
      dl.appendChild(el('a', {
        id: 'download-' + f[0], class: 'download',
        href: U.apiUrl('/export', [['format', f[0]]].concat(U.filterEntries(filters))),
        download: '', text: f[1]
      }));
      dl.appendChild(document.createTextNode(' '));
    });
    bar.appendChild(count);
    bar.appendChild(dl);
    main.appendChild(activeFiltersLine(filters));
    main.appendChild(bar);

    var layout = el('div', {class: 'events-layout'});
    var tableWrap = el('div', {class: 'table-wrap'});
    var table = el('table', {id: 'events-table', class: 'data-table'});
    table.appendChild(el('caption', {class: 'visually-hidden', text: 'Events; activate a column header to sort, a row to see details'}));
    var thead = el('thead');
    var hr = el('tr');
    EVENT_COLUMNS.forEach(function (c) {
      var arrow = el('span', {class: 'sort-arrow', 'aria-hidden': 'true', text: ''});
      var btn = el('button', {type: 'button', class: 'sort', dataset: {key: c.key}}, [c.label, arrow]);
      btn.addEventListener('click', function () {
        if (state.sortKey === c.key) state.sortDir = -state.sortDir;
        else { state.sortKey = c.key; state.sortDir = 1; }
        drawRows();
      });
      hr.appendChild(el('th', {scope: 'col', 'aria-sort': 'none', class: 'col-' + c.key}, btn));
    });
    thead.appendChild(hr);
    table.appendChild(thead);
    var tbody = el('tbody');
    table.appendChild(tbody);
    tableWrap.appendChild(table);
    var status = el('div', {class: 'status'});
    tableWrap.appendChild(status);
    var more = el('button', {id: 'load-more', type: 'button', class: 'secondary', text: 'Load more', hidden: true});
    tableWrap.appendChild(more);

    var detail = el('aside', {id: 'event-detail', class: 'detail-panel', 'aria-live': 'polite', 'aria-label': 'Event details'});
    detail.appendChild(el('p', {class: 'muted', text: 'Select a row to see the event record.'}));
    layout.appendChild(tableWrap);
    layout.appendChild(detail);
    main.appendChild(layout);

    // How many match: counted once per filter by the database (every page together).
    var totalText = '';
    U.getJSON('/aggregates/count', U.filterEntries(filters)).then(function (res) {
      if (!ctx.alive() || !res || typeof res.n !== 'number') return;
      totalText = ' of ' + U.fmtInt(res.n) + (filters.mentions ? ' matching event reports' : ' matching happenings');
      updateCount();
    }).catch(function () { /* the count is optional: the rows still show */ });

    function updateCount() {
      if (state.loading && !state.rows.length) { count.textContent = 'Loading…'; return; }
      var t = U.fmtInt(state.rows.length) + ' shown' + totalText;
      if (state.next) t += ' — more available';
      count.textContent = t + '.';
    }

    function sortedRows() {
      var rows = state.rows.map(function (r, i) { return {r: r, i: i}; });
      if (state.sortKey) {
        var col = EVENT_COLUMNS.filter(function (c) { return c.key === state.sortKey; })[0];
        rows.sort(function (a, b) {
          var va = col.get(a.r), vb = col.get(b.r);
          var ea = va === null || va === '', eb = vb === null || vb === '';
          if (ea || eb) return compareValues(va, vb, col.numeric) || a.i - b.i;
          return state.sortDir * compareValues(va, vb, col.numeric) || a.i - b.i;
        });
      }
      return rows.map(function (x) { return x.r; });
    }

    function drawRows() {
      Array.prototype.forEach.call(hr.children, function (th, idx) {
        var c = EVENT_COLUMNS[idx];
        var arrow = th.querySelector('.sort-arrow');
        if (c.key === state.sortKey) {
          th.setAttribute('aria-sort', state.sortDir > 0 ? 'ascending' : 'descending');
          arrow.textContent = state.sortDir > 0 ? ' ▲' : ' ▼';
        } else {
          th.setAttribute('aria-sort', 'none');
          arrow.textContent = '';
        }
      });
      U.clear(tbody);
      sortedRows().forEach(function (e) {
        var tr = el('tr', {tabindex: '0', class: 'clickable'});
        if (state.selected === e) tr.classList.add('selected');
        EVENT_COLUMNS.forEach(function (c) {
          var td = el('td', {class: 'col-' + c.key});
          if (c.key === 'article') td.appendChild(articleLink(e.article_id, e.article_title || shortSource(e.article_source), e.id));
          else if (c.key === 'type') {
            td.appendChild(U.swatch(U.typeColor(e.type)));
            td.appendChild(document.createTextNode(' ' + dash(e.type)));
          } else if (c.show) td.textContent = c.show(e);
          else td.textContent = c.numeric ? U.fmtInt(c.get(e)) : dash(c.get(e));
          if (c.key === 'date' && e.date_source) td.setAttribute('title', str(e.date_source));
          tr.appendChild(td);
        });
        function select(ev) {
          if (ev.target && ev.target.closest && ev.target.closest('a')) return;
          state.selected = e;
          Array.prototype.forEach.call(tbody.querySelectorAll('tr.selected'), function (x) { x.classList.remove('selected'); });
          tr.classList.add('selected');
          showDetail(detail, e);
        }
        tr.addEventListener('click', select);
        tr.addEventListener('keydown', function (ev) {
          if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); select(ev); }
        });
        tbody.appendChild(tr);
      });
      if (!state.rows.length && !state.loading) setStatus(status, U.emptyEl('No events match these filters.'));
      updateCount();
    }

    function load(after) {
      state.loading = true;
      more.disabled = true;
      setStatus(status, U.loadingEl());
      updateCount();
      var params = U.filterEntries(filters).concat([['limit', PAGE_LIMIT], ['after', after || null]]);
      U.getJSON('/events', params).then(function (page) {
        if (!ctx.alive()) return;
        state.loading = false;
        setStatus(status, null);
        state.rows = state.rows.concat(asArray(page && page.items));
        state.next = page && page.next ? String(page.next) : null;
        more.hidden = !state.next;
        more.disabled = false;
        drawRows();
      }).catch(function (err) {
        if (!ctx.alive()) return;
        state.loading = false;
        more.disabled = false;
        setStatus(status, U.errorEl(err));
        count.textContent = state.rows.length ? U.fmtInt(state.rows.length) + ' shown (loading more failed).' : 'No results (error).';
      });
    }

    more.addEventListener('click', function () { if (state.next) load(state.next); });
    load(null);
  }

  /** Sentence with the trigger (and actors / recipients) highlighted. */
  function sentenceNode(e) {
    var text = str(e.sentence_text);
    var p = el('p', {class: 'sentence'});
    if (!text) { p.appendChild(el('span', {class: 'muted', text: '(no sentence text)'})); return p; }
    var cps = Array.from(text);
    var base = U.toInt(e.sentence && e.sentence.start);
    var spans = [];
    function locate(obj, kind) {
      if (!obj) return;
      var t = str(obj.text);
      var s = U.toInt(obj.start), en = U.toInt(obj.end);
      if (base !== null && s !== null && en !== null) {
        var a = s - base, b = en - base;
        if (a >= 0 && b <= cps.length && b > a && (!t || cps.slice(a, b).join('') === t)) {
          spans.push({start: a, end: b, kind: kind});
          return;
        }
      }
      if (t) {   // fall back to a text search (code point offsets)
        var idx = text.indexOf(t);
        if (idx >= 0) {
          var ca = Array.from(text.slice(0, idx)).length;
          spans.push({start: ca, end: ca + Array.from(t).length, kind: kind});
        }
      }
    }
    locate(e.trigger, 'event');
    asArray(e.actors).forEach(function (a) { locate(a, 'actor'); });
    asArray(e.recipients).forEach(function (a) { locate(a, 'recipient'); });
    p.appendChild(U.highlight(text, spans).node);
    return p;
  }

  function actorsNode(list) {
    var arr = asArray(list);
    if (!arr.length) return el('span', {class: 'muted', text: '(none)'});
    var ul = el('ul', {class: 'plain'});
    arr.forEach(function (a) {
      var li = el('li');
      var label = U.actorLabel(a);
      var key = a && (a.name || a.code || a.text);
      if (key) li.appendChild(el('a', {href: U.hashFor('events', [['actor', key]]), text: label}));
      else li.appendChild(document.createTextNode(label));
      if (a && a.text && a.text !== a.name) li.appendChild(el('span', {class: 'muted', text: ' — “' + a.text + '”'}));
      ul.appendChild(li);
    });
    return ul;
  }

  function showDetail(panel, e) {
    U.clear(panel);
    panel.appendChild(el('h2', null, [U.swatch(U.typeColor(e.type)), ' ', dash(e.type), e.mode ? el('span', {class: 'muted', text: ' · ' + e.mode}) : null]));
    panel.appendChild(sentenceNode(e));
    var place = null;
    if (U.isObj(e.place)) {
      var pl = e.place;
      place = el('span', null, [
        pl.name ? el('a', {href: U.hashFor('events', [['place', pl.name]]), text: U.placeLabel(pl)}) : dash(U.placeLabel(pl)),
        pl.precision ? el('span', {class: 'muted', text: ' (' + pl.precision + ')'}) : null,
        (U.num(pl.lat) !== null && U.num(pl.lon) !== null && pl.lat !== null && pl.lon !== null) ?
          el('span', {class: 'muted', text: ' ' + Number(pl.lat).toFixed(2) + ', ' + Number(pl.lon).toFixed(2)}) : null
      ]);
    }
    var dateTxt = dash(e.date);
    if (e.date_precision && e.date_precision !== 'unknown') dateTxt += ' (' + e.date_precision + ')';
    if (e.date_first || e.date_last) dateTxt += ' · ' + dash(e.date_first) + ' … ' + dash(e.date_last);
    panel.appendChild(U.kvList([
      ['Date', dateTxt],
      e.date_source ? ['Date from', str(e.date_source)] : null,
      ['CAMEO', dash(e.cameo) + (e.goldstein !== null && e.goldstein !== undefined ? ' (Goldstein ' + e.goldstein + ')' : '')],
      ['Factuality', dash(e.factuality) + (e.happening_factuality && e.happening_factuality !== e.factuality ? ' (happening: ' + e.happening_factuality + ')' : '')],
      ['Actors', actorsNode(e.actors)],
      ['Recipients', actorsNode(e.recipients)],
      ['Place', place || el('span', {class: 'muted', text: '—'})],
      e.reported_by ? ['Reported by', U.isObj(e.reported_by) ? U.actorLabel(e.reported_by) : str(e.reported_by)] : null,
      ['Trigger', dash(e.trigger && e.trigger.text)],
      ['Reports', U.fmtInt(e.n_mentions) + ' mentions · ' + U.fmtInt(e.n_articles) + ' articles · ' + U.fmtInt(e.n_sources) + ' sources'],
      ['Article', articleLink(e.article_id, e.article_title || shortSource(e.article_source), e.id)],
      e.story_id ? ['Story', el('a', {href: U.storyHref(e.story_id), text: str(e.story_id)})] : null,
      asArray(e.contradicts).length ? ['Contradicts', asArray(e.contradicts).map(String).join(', ')] : null
    ]));
    var mentions = asArray(e.mentions);
    panel.appendChild(el('h3', {text: 'Mentions (' + mentions.length + ')'}));
    if (!mentions.length) panel.appendChild(el('p', {class: 'muted', text: 'No other reports.'}));
    else {
      var ul = el('ul', {class: 'mentions'});
      mentions.forEach(function (m) {
        if (!m) return;
        ul.appendChild(el('li', null, [
          articleLink(m.article_id, m.article_id, m.event_id),
          m.published ? el('span', {class: 'muted', text: ' · ' + m.published}) : null,
          m.trigger && m.trigger.text ? el('span', {text: ' · “' + m.trigger.text + '”'}) : null,
          m.factuality ? el('span', {class: 'muted', text: ' · ' + m.factuality}) : null,
          m.duplicate_of ? el('span', {class: 'muted', text: ' · duplicate of ' + m.duplicate_of}) : null
        ]));
      });
      panel.appendChild(ul);
    }
    var details = el('details', {class: 'raw'});
    details.appendChild(el('summary', {text: 'All fields'}));
    details.appendChild(U.renderValue(e));
    panel.appendChild(details);
  }

  /* =========================================================== ARTICLE */

  var KINDS = [
    ['event', 'Event triggers'], ['actor', 'Actors'], ['quote', 'Quotes'], ['time', 'Times'], ['place', 'Places']
  ];

  function spanOf(v) {
    // a mention span is [start, end] or {start, end}
    if (Array.isArray(v) && v.length >= 2) return {start: v[0], end: v[1]};
    if (U.isObj(v)) return {start: v.start, end: v.end};
    return null;
  }

  function articleSpans(doc) {
    var spans = [];
    asArray(doc.events).forEach(function (e) {
      if (!e) return;
      var t = e.trigger || {};
      spans.push({start: t.start, end: t.end, kind: 'event', rec: e, id: e.id});
    });
    asArray(doc.quotes).forEach(function (q) {
      if (!q) return;
      spans.push({start: q.start, end: q.end, kind: 'quote', rec: q, id: q.id});
    });
    asArray(doc.actors).forEach(function (a) {
      if (!a) return;
      asArray(a.mentions).forEach(function (m) {
        var s = spanOf(m);
        if (s) spans.push({start: s.start, end: s.end, kind: 'actor', rec: a, id: a.id});
      });
    });
    asArray(doc.places).forEach(function (p) {
      if (!p) return;
      asArray(p.mentions).forEach(function (m) {
        var s = spanOf(m);
        if (s) spans.push({start: s.start, end: s.end, kind: 'place', rec: p, id: p.id});
      });
    });
    asArray(doc.times).forEach(function (t) {
      if (!t) return;
      spans.push({start: t.start, end: t.end, kind: 'time', rec: t});
    });
    return spans;
  }

  function recordTitle(kind, r) {
    if (kind === 'event') return dash(r.type) + ': “' + str(r.trigger && r.trigger.text) + '”';
    if (kind === 'quote') return 'Quote' + (r.speaker ? ' by ' + U.actorLabel(r.speaker) : '');
    if (kind === 'actor') return U.actorLabel(r) + (r.kind ? ' · ' + r.kind : '');
    if (kind === 'place') return U.placeLabel(r) + (r.precision ? ' · ' + r.precision : '');
    if (kind === 'time') return 'Time: “' + str(r.text) + '”';
    return kind;
  }

  function showRecords(panel, spans) {
    U.clear(panel);
    panel.appendChild(el('h2', {text: spans.length === 1 ? 'Record' : spans.length + ' records'}));
    var seen = new Set();
    spans.forEach(function (s) {
      if (seen.has(s.rec)) return;
      seen.add(s.rec);
      var sec = el('section', {class: 'record record-' + s.kind});
      sec.appendChild(el('h3', null, [el('span', {class: 'kind-tag hl-' + s.kind, text: s.kind}), ' ', recordTitle(s.kind, s.rec)]));
      var links = [];
      if (s.kind === 'actor' && (s.rec.name || s.rec.code)) links.push(el('a', {href: U.hashFor('events', [['actor', s.rec.name || s.rec.code]]), text: 'Events with this actor'}));
      if (s.kind === 'place' && s.rec.name) links.push(el('a', {href: U.hashFor('events', [['place', s.rec.name]]), text: 'Events at this place'}));
      if (s.kind === 'event' && s.rec.type) links.push(el('a', {href: U.hashFor('events', [['type', s.rec.type]]), text: 'Events of this type'}));
      if (links.length) sec.appendChild(el('p', {class: 'record-links'}, links));
      sec.appendChild(U.renderValue(s.rec));
      panel.appendChild(sec);
    });
  }

  var REMOVED_TEXT_KEYS = ['text', 'content', 'line', 'value'];

  function removedItem(item) {
    if (item === null || item === undefined) return el('li', {class: 'muted', text: '—'});
    if (typeof item !== 'object') return el('li', null, el('span', {class: 'removed-text', text: String(item)}));
    if (Array.isArray(item)) return el('li', {text: item.map(str).join(' · ')});
    var li = el('li');
    var textKey = REMOVED_TEXT_KEYS.filter(function (k) { return typeof item[k] === 'string'; })[0];
    if (textKey) li.appendChild(el('span', {class: 'removed-text', text: item[textKey]}));
    var rest = {};
    Object.keys(item).forEach(function (k) { if (k !== textKey) rest[k] = item[k]; });
    if (Object.keys(rest).length) li.appendChild(U.renderValue(rest));
    return li;
  }

  function pageArticle(main, route, ctx) {
    var id = route.segs[1] || '';
    var focusEvent = route.query.event || '';
    main.appendChild(el('p', {class: 'back'}, el('a', {href: '#/events', text: '← Events'})));
    var status = el('div', {class: 'status'}, U.loadingEl());
    main.appendChild(status);
    if (!id) { setStatus(status, U.errorEl('No article id in the address.')); return; }

    U.getJSON('/articles/' + encodeURIComponent(id)).then(function (doc) {
      if (!ctx.alive()) return;
      setStatus(status, null);
      var art = U.isObj(doc && doc.article) ? doc.article : {};
      var title = str(art.title) || shortSource(art.source) || str(art.id) || id;
      document.title = title + ' · newsevents';

      var head = el('header', {class: 'page-header article-header'});
      head.appendChild(el('h1', {text: title}));
      if (art.subtitle) head.appendChild(el('p', {class: 'lead', text: str(art.subtitle)}));
      var urlNode;
      if (U.isHttpUrl(art.url)) urlNode = el('a', {href: art.url.trim(), rel: 'noopener noreferrer nofollow', target: '_blank', text: art.url});
      else urlNode = art.url ? el('span', {text: str(art.url)}) : el('span', {class: 'muted', text: '—'});
      var pub = dash(art.published);
      if (!art.published && art.published_inferred) {
        const pi = art.published_inferred;
        const range = typeof pi === 'object'
          ? [pi.earliest ? 'after ' + str(pi.earliest) : '', pi.latest ? 'before ' + str(pi.latest) : ''].filter(Boolean).join(', ')
          : str(pi);
        pub = (range || 'unknown') + ' (inferred' + (typeof pi === 'object' && pi.reason ? ': ' + str(pi.reason) : '') + ')';
      }
      head.appendChild(U.kvList([
        ['Source', dash(art.source)],
        ['Published', pub],
        ['URL', urlNode],
        ['Article ID', dash(art.id || id)],
        art.source ? ['Events', el('a', {href: U.hashFor('events', [['source', art.source]]), text: 'Events from this source'})] : null
      ]));
      main.appendChild(head);

      var spans = articleSpans(doc || {});
      var counts = {};
      spans.forEach(function (s) { counts[s.kind] = (counts[s.kind] || 0) + 1; });

      var layout = el('div', {class: 'article-layout'});
      var left = el('div', {class: 'article-main'});
      var textBox = el('div', {class: 'article-text', id: 'article-text'});

      var legend = el('fieldset', {id: 'legend', class: 'legend'});
      legend.appendChild(el('legend', {text: 'Highlights (toggle)'}));
      KINDS.forEach(function (k) {
        var cid = 'kind-' + k[0];
        var cb = el('input', {type: 'checkbox', id: cid, name: 'kind', value: k[0], dataset: {kind: k[0]}});
        cb.checked = true;
        cb.addEventListener('change', function () {
          textBox.classList.toggle('hide-' + k[0], !cb.checked);
        });
        legend.appendChild(el('label', {for: cid, class: 'legend-item'}, [cb, ' ', el('mark', {class: 'hl hl-' + k[0], text: k[1]}), el('span', {class: 'muted', text: ' ' + (counts[k[0]] || 0)})]));
      });
      left.appendChild(legend);

      var text = str(art.text);
      var hl = U.highlight(text, spans, {interactive: true});
      if (!text) textBox.appendChild(U.emptyEl('This article has no text.'));
      else textBox.appendChild(hl.node);
      left.appendChild(textBox);

      var record = el('aside', {id: 'record', class: 'detail-panel', 'aria-live': 'polite', 'aria-label': 'Selected record'});
      record.appendChild(el('p', {class: 'muted', text: 'Click a highlight to see its record.'}));

      function visibleSpans(outer) {
        var list = hl.segments.get(outer) || [];
        return list.filter(function (s) { return !textBox.classList.contains('hide-' + (s.kind === 'recipient' ? 'actor' : s.kind)); });
      }
      function pick(target) {
        var m = target && target.closest ? target.closest('mark.hl') : null;
        if (!m || !textBox.contains(m)) return;
        while (m.parentElement && m.parentElement.matches && m.parentElement.matches('mark.hl') && textBox.contains(m.parentElement)) m = m.parentElement;
        var list = visibleSpans(m);
        if (!list.length) return;
        Array.prototype.forEach.call(textBox.querySelectorAll('.hl-selected'), function (x) { x.classList.remove('hl-selected'); });
        m.classList.add('hl-selected');
        showRecords(record, list);
      }
      textBox.addEventListener('click', function (ev) { pick(ev.target); });
      textBox.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') {
          if (ev.target && ev.target.closest && ev.target.closest('mark.hl')) { ev.preventDefault(); pick(ev.target); }
        }
      });

      // What cleaning removed
      var removed = asArray(art.removed);
      var rsec = el('section', {id: 'removed', class: 'removed'});
      rsec.appendChild(el('h2', {text: 'What cleaning removed'}));
      if (!removed.length) rsec.appendChild(U.emptyEl('Nothing was removed.'));
      else {
        var ul = el('ul', {class: 'removed-list'});
        removed.forEach(function (r) { ul.appendChild(removedItem(r)); });
        rsec.appendChild(ul);
      }
      left.appendChild(rsec);

      var positions = asArray(doc && doc.positions);
      if (positions.length) {
        var psec = el('section', {id: 'positions', class: 'positions'});
        psec.appendChild(el('h2', {text: 'Positions'}));
        var pul = el('ul');
        positions.forEach(function (p) {
          if (!p) return;
          pul.appendChild(el('li', null, [el('strong', {text: U.actorLabel(p.holder) || '?'}), ' ', el('em', {text: dash(p.stance)}), ' ', str(p.target)]));
        });
        psec.appendChild(pul);
        left.appendChild(psec);
      }

      layout.appendChild(left);
      layout.appendChild(record);
      main.appendChild(layout);

      if (focusEvent) {
        var m = hl.byId.get(String(focusEvent));
        var ev = asArray(doc.events).filter(function (e) { return e && String(e.id) === String(focusEvent); })[0];
        if (m) {
          m.classList.add('hl-selected');
          if (m.scrollIntoView) m.scrollIntoView({block: 'center'});
        }
        if (ev) showRecords(record, [{kind: 'event', rec: ev}]);
      }
    }).catch(function (err) {
      if (!ctx.alive()) return;
      setStatus(status, U.errorEl(err));
    });
  }

  /* ========================================================== TIMELINE */

  // 'auto': the API picks the finest interval that draws the matching days in at most 400 bars.
  var INTERVALS = ['auto', 'day', 'week', 'month', 'year'];

  function pad2(n) { return (n < 10 ? '0' : '') + n; }
  function isoDay(d) { return d.getUTCFullYear() + '-' + pad2(d.getUTCMonth() + 1) + '-' + pad2(d.getUTCDate()); }

  /** since/until of a histogram period ("YYYY", "YYYY-MM", "YYYY-MM-DD", "YYYY-Www"). */
  function periodRange(period, interval) {
    var p = str(period), m;
    if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p))) {
      if (interval === 'week') {
        var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
        var e = new Date(d.getTime() + 6 * 86400000);
        return [p, isoDay(e)];
      }
      return [p, p];
    }
    if ((m = /^(\d{4})-(\d{2})$/.exec(p))) {
      var last = new Date(Date.UTC(+m[1], +m[2], 0));
      return [p + '-01', isoDay(last)];
    }
    if ((m = /^(\d{4})-?W(\d{1,2})$/i.exec(p))) {
      var y = +m[1], w = +m[2];
      var jan4 = new Date(Date.UTC(y, 0, 4));
      var dow = jan4.getUTCDay() || 7;
      var mon = new Date(jan4.getTime() - (dow - 1) * 86400000 + (w - 1) * 7 * 86400000);
      return [isoDay(mon), isoDay(new Date(mon.getTime() + 6 * 86400000))];
    }
    if ((m = /^(\d{4})$/.exec(p))) return [p + '-01-01', p + '-12-31'];
    return null;
  }

  function pageTimeline(main, route, ctx) {
    var filters = U.filtersFromQuery(route.query);
    var interval = INTERVALS.indexOf(route.query.interval) >= 0 ? route.query.interval : 'auto';
    main.appendChild(pageHeader('Timeline', 'Happenings per period, stacked by type.'));
    var sel = el('select', {id: 'interval', name: 'interval'});
    INTERVALS.forEach(function (i) { sel.appendChild(el('option', {value: i, text: i})); });
    sel.value = interval;
    function extra() { return [['interval', sel.value]]; }
    main.appendChild(filterPanel('timeline', filters, extra));
    main.appendChild(activeFiltersLine(filters));
    main.appendChild(el('p', {class: 'controls'}, [el('label', {for: 'interval', text: 'Interval '}), sel]));
    sel.addEventListener('change', function () {
      navigate(U.hashFor('timeline', U.filterEntries(filters).concat(extra())));
    });

    var status = el('div', {class: 'status'}, U.loadingEl());
    var chart = el('div', {id: 'timeline-chart', class: 'chart-wrap'});
    var legend = el('ul', {id: 'timeline-legend', class: 'type-legend', 'aria-label': 'Event types'});
    var note = el('p', {class: 'muted chart-note'});
    main.appendChild(status);
    main.appendChild(legend);
    main.appendChild(chart);
    main.appendChild(note);

    U.getJSON('/aggregates/histogram', [['interval', interval]].concat(U.filterEntries(filters))).then(function (res) {
      if (!ctx.alive()) return;
      setStatus(status, null);
      var items = asArray(res && res.items);
      var used = str(items[0] && items[0].interval) || (interval === 'auto' ? 'day' : interval);
      var info = NE.charts.stackedBars(chart, items, {
        interval: used,
        onBarClick: function (period, type) {
          var r = periodRange(period, used);
          var o = {type: type === '(none)' ? '' : type};
          if (r) { o.since = r[0]; o.until = r[1]; }
          navigate(eventsHash(filters, o));
        }
      });
      if (!info.periods) {
        setStatus(status, U.emptyEl(info.undated ? 'No dated happenings match these filters (' + U.fmtInt(info.undated) + ' undated).' : 'No happenings match these filters.'));
        return;
      }
      info.types.forEach(function (t) {
        legend.appendChild(el('li', null, [U.swatch(U.typeColor(t)), ' ', el('a', {href: eventsHash(filters, {type: t}), text: t})]));
      });
      var total = items.reduce(function (s, d) { return s + (d && d.period ? (U.num(d.n) || 0) : 0); }, 0);
      note.textContent = U.fmtInt(total) + ' dated happenings in ' + U.fmtInt(info.periods) + ' ' + used + (info.periods === 1 ? '' : 's') + (info.continuous ? ' with happenings' : '') +
        (interval === 'auto' ? ' (interval chosen for the range)' : '') +
        (info.continuous ? '' : ' (only periods with happenings are drawn)') + (info.undated ? '; ' + U.fmtInt(info.undated) + ' undated not shown' : '') +
        '. Click a bar to list its events.';
    }).catch(function (err) {
      if (!ctx.alive()) return;
      setStatus(status, U.errorEl(err));
    });
  }

  /* =============================================================== MAP */

  function pageMap(main, route, ctx) {
    var filters = U.filtersFromQuery(route.query);
    main.appendChild(pageHeader('Map', 'Where events happened; circle area grows with the number of happenings.'));
    main.appendChild(filterPanel('map', filters));
    main.appendChild(activeFiltersLine(filters));
    var status = el('div', {class: 'status'}, U.loadingEl());
    var map = el('div', {id: 'map', class: 'chart-wrap'});
    var note = el('p', {class: 'muted chart-note'});
    var list = el('ol', {id: 'place-list', class: 'place-list'});
    main.appendChild(status);
    main.appendChild(map);
    main.appendChild(note);
    main.appendChild(list);

    Promise.all([
      U.getWorld().catch(function () { return null; }),
      U.getJSON('/aggregates/places', [['top', 500]].concat(U.filterEntries(filters)))
    ]).then(function (r) {
      if (!ctx.alive()) return;
      setStatus(status, null);
      var world = r[0], items = asArray(r[1] && r[1].items);
      if (!world) status.appendChild(U.errorEl('The country outlines (vendor/countries-110m.json) could not be loaded.'));
      var info = NE.charts.worldMap(map, world, items, {
        onPlaceClick: function (p) { navigate(eventsHash(filters, {place: str(p.name)})); }
      });
      if (!items.length) { status.appendChild(U.emptyEl('No event places match these filters.')); return; }
      note.textContent = U.fmtInt(info.shown) + ' places drawn' + (info.skipped ? ', ' + U.fmtInt(info.skipped) + ' without coordinates' : '') + '. Click a circle to list its events.';
      list.appendChild(el('li', {class: 'list-head', text: 'Top places'}));
      items.slice(0, 25).forEach(function (p) {
        if (!p) return;
        list.appendChild(el('li', null, [
          p.name ? el('a', {href: eventsHash(filters, {place: str(p.name)}), text: U.placeLabel(p)}) : dash(U.placeLabel(p)),
          el('span', {class: 'muted', text: ' ' + U.fmtInt(p.n) + (p.precision ? ' · ' + p.precision : '')})
        ]));
      });
    }).catch(function (err) {
      if (!ctx.alive()) return;
      setStatus(status, U.errorEl(err));
    });
  }

  /* =========================================================== NETWORK */

  function pageNetwork(main, route, ctx) {
    var filters = U.filtersFromQuery(route.query);
    main.appendChild(pageHeader('Network', 'Actor → recipient dyads (top 100); edge width grows with the number of happenings.'));
    main.appendChild(filterPanel('network', filters));
    main.appendChild(activeFiltersLine(filters));
    var status = el('div', {class: 'status'}, U.loadingEl());
    var net = el('div', {id: 'network', class: 'chart-wrap'});
    var note = el('p', {class: 'muted chart-note'});
    main.appendChild(status);
    main.appendChild(net);
    main.appendChild(note);

    U.getJSON('/aggregates/dyads', [['top', 100]].concat(U.filterEntries(filters))).then(function (res) {
      if (!ctx.alive()) return;
      setStatus(status, null);
      var items = asArray(res && res.items);
      if (!items.length) { setStatus(status, U.emptyEl('No actor dyads match these filters.')); return; }
      var info = NE.charts.network(net, items, {
        onNodeClick: function (n) { navigate(eventsHash(filters, {actor: n.name || n.code})); }
      });
      if (!info.nodes) { setStatus(status, U.emptyEl('No actor dyads match these filters.')); return; }
      note.textContent = U.fmtInt(info.nodes) + ' actors, ' + U.fmtInt(info.links) + ' dyads (layout: ' + info.ticks + ' simulation steps). Click an actor to list its events.';
    }).catch(function (err) {
      if (!ctx.alive()) return;
      setStatus(status, U.errorEl(err));
    });
  }

  /* =========================================================== STORIES */

  function pageStories(main, route, ctx) {
    var q = {q: str(route.query.q).trim(), since: str(route.query.since).trim(), until: str(route.query.until).trim()};
    main.appendChild(pageHeader('Stories', 'Groups of articles about the same developments.'));
    var form = el('form', {id: 'stories-filters', class: 'filters inline', 'aria-label': 'Story filters'});
    [['q', 'Title contains', 'search'], ['since', 'Since', 'date'], ['until', 'Until', 'date']].forEach(function (f) {
      var input = el('input', {id: 's-' + f[0], name: f[0], type: f[2], maxlength: f[0] === 'q' ? 200 : null});
      input.value = q[f[0]];
      form.appendChild(el('div', {class: 'field'}, [el('label', {for: 's-' + f[0], text: f[1]}), input]));
    });
    form.appendChild(el('div', {class: 'filter-actions'}, el('button', {type: 'submit', class: 'primary', text: 'Apply'})));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var entries = ['q', 'since', 'until'].map(function (k) { return [k, str(form.elements.namedItem(k).value).trim()]; });
      navigate(U.hashFor('stories', entries));
    });
    main.appendChild(form);

    var count = el('p', {id: 'story-count', class: 'count', 'aria-live': 'polite', text: 'Loading…'});
    main.appendChild(count);
    var wrap = el('div', {class: 'table-wrap'});
    var table = el('table', {id: 'stories-table', class: 'data-table'});
    var hr = el('tr');
    ['Story', 'First … last', 'Articles', 'Events', 'Sources'].forEach(function (h) { hr.appendChild(el('th', {scope: 'col', text: h})); });
    table.appendChild(el('thead', null, hr));
    var tbody = el('tbody');
    table.appendChild(tbody);
    wrap.appendChild(table);
    var status = el('div', {class: 'status'});
    wrap.appendChild(status);
    var more = el('button', {id: 'stories-more', type: 'button', class: 'secondary', text: 'Load more', hidden: true});
    wrap.appendChild(more);
    main.appendChild(wrap);

    var n = 0, next = null;
    function load(after) {
      more.disabled = true;
      setStatus(status, U.loadingEl());
      U.getJSON('/stories', [['q', q.q], ['since', q.since], ['until', q.until], ['limit', PAGE_LIMIT], ['after', after || null]]).then(function (page) {
        if (!ctx.alive()) return;
        setStatus(status, null);
        var items = asArray(page && page.items);
        items.forEach(function (s) {
          if (!s) return;
          n++;
          tbody.appendChild(el('tr', null, [
            el('td', null, s.id ? el('a', {href: U.storyHref(s.id), text: str(s.title) || str(s.id)}) : dash(s.title)),
            el('td', {text: (s.first || s.last) ? dash(s.first) + ' … ' + dash(s.last) : '—'}),
            el('td', {class: 'num', text: U.fmtInt(s.n_articles)}),
            el('td', {class: 'num', text: U.fmtInt(s.n_events)}),
            el('td', {class: 'num', text: U.fmtInt(s.n_sources)})
          ]));
        });
        next = page && page.next ? String(page.next) : null;
        more.hidden = !next;
        more.disabled = false;
        count.textContent = U.fmtInt(n) + ' shown' + (next ? ', more available' : '') + '.';
        if (!n) setStatus(status, U.emptyEl('No stories match.'));
      }).catch(function (err) {
        if (!ctx.alive()) return;
        more.disabled = false;
        setStatus(status, U.errorEl(err));
        count.textContent = n ? U.fmtInt(n) + ' shown (loading more failed).' : 'No results (error).';
      });
    }
    more.addEventListener('click', function () { if (next) load(next); });
    load(null);
  }

  function happeningSortKey(h) {
    return str(h.date_first) || str(h.date) || '';
  }

  function pageStory(main, route, ctx) {
    var id = route.segs[1] || '';
    main.appendChild(el('p', {class: 'back'}, el('a', {href: '#/stories', text: '← Stories'})));
    var status = el('div', {class: 'status'}, U.loadingEl());
    main.appendChild(status);
    if (!id) { setStatus(status, U.errorEl('No story id in the address.')); return; }

    U.getJSON('/stories/' + encodeURIComponent(id) + '/timeline').then(function (res) {
      if (!ctx.alive()) return;
      setStatus(status, null);
      var story = U.isObj(res && res.story) ? res.story : {id: id};
      var haps = asArray(res && res.happenings).filter(Boolean);
      document.title = (str(story.title) || 'Story') + ' · newsevents';

      var head = el('header', {class: 'page-header story-header'});
      head.appendChild(el('h1', {text: str(story.title) || '(untitled story)'}));
      head.appendChild(U.kvList([
        ['Dates', (story.first || story.last) ? dash(story.first) + ' … ' + dash(story.last) : '—'],
        ['Articles', U.fmtInt(story.n_articles)],
        ['Events', U.fmtInt(story.n_events)],
        ['Mentions', U.fmtInt(story.n_mentions)],
        ['Sources', U.fmtInt(story.n_sources)],
        ['Linked by', asArray(story.linked_by).map(String).join(', ') || '—'],
        ['Story ID', dash(story.id || id)],
        ['In the event list', el('a', {href: U.hashFor('events', [['story', story.id || id]]), text: 'events of this story'})]
      ]));
      main.appendChild(head);

      // ---- timeline of happenings
      var tsec = el('section', {id: 'story-timeline', class: 'story-timeline'});
      tsec.appendChild(el('h2', {text: 'Timeline (' + haps.length + ' happenings)'}));
      if (!haps.length) tsec.appendChild(U.emptyEl('This story has no happenings.'));
      else {
        var sorted = haps.map(function (h, i) { return {h: h, i: i}; }).sort(function (a, b) {
          return compareValues(happeningSortKey(a.h), happeningSortKey(b.h), false) || a.i - b.i;
        }).map(function (x) { return x.h; });
        var ol = el('ol', {class: 'timeline-list'});
        sorted.forEach(function (h) {
          var who = U.actorsLabel(h.actors) || '(no actor)';
          var whom = U.actorsLabel(h.recipients);
          ol.appendChild(el('li', {class: 'happening'}, [
            el('div', {class: 'hap-head'}, [
              el('span', {class: 'hap-date', text: dash(h.date)}), ' ',
              U.swatch(U.typeColor(h.type)), ' ',
              el('strong', {text: dash(h.type)}), ' ',
              el('span', {text: who + (whom ? ' → ' + whom : '')}),
              el('span', {class: 'muted', text: ' · ' + dash(h.happening_factuality || h.factuality)}),
              el('span', {class: 'muted', text: ' · ' + U.fmtInt(h.n_mentions) + ' reports'})
            ]),
            sentenceNode(h),
            el('p', {class: 'hap-links'}, [articleLink(h.article_id, h.article_title || shortSource(h.article_source), h.id)])
          ]));
        });
        tsec.appendChild(ol);
      }
      main.appendChild(tsec);

      // ---- sources
      var info = new Map();
      haps.forEach(function (h) {
        asArray(h.sources).forEach(function (s) {
          if (!s || !s.article_id) return;
          var k = String(s.article_id);
          var cur = info.get(k) || {article_id: k, title: null, published: null, sources: [], n: 0};
          cur.title = cur.title || s.title;
          cur.published = cur.published || s.published || s.published_earliest;
          asArray(s.sources).forEach(function (x) { if (cur.sources.indexOf(x) < 0) cur.sources.push(x); });
          cur.n++;
          info.set(k, cur);
        });
        if (h.article_id && !info.has(String(h.article_id))) {
          info.set(String(h.article_id), {article_id: String(h.article_id), title: h.article_title, published: h.article_published, sources: h.article_source ? [h.article_source] : [], n: 0});
        }
      });
      var ids = asArray(story.articles).map(String);
      info.forEach(function (v, k) { if (ids.indexOf(k) < 0) ids.push(k); });
      var ssec = el('section', {id: 'story-sources', class: 'story-sources'});
      ssec.appendChild(el('h2', {text: 'Sources (' + ids.length + ' articles)'}));
      if (!ids.length) ssec.appendChild(U.emptyEl('No articles listed.'));
      else {
        var ul = el('ul', {class: 'source-list'});
        ids.forEach(function (aid) {
          var s = info.get(aid) || {};
          var label = str(s.title) || shortSource(asArray(s.sources)[0]) || aid;
          ul.appendChild(el('li', null, [
            el('a', {href: U.articleHref(aid), text: label}),
            s.published ? el('span', {class: 'muted', text: ' · ' + s.published}) : null,
            (s.title && asArray(s.sources).length) ? el('span', {class: 'muted', text: ' · ' + asArray(s.sources).map(shortSource).join(', ')}) : null
          ]));
        });
        ssec.appendChild(ul);
      }
      main.appendChild(ssec);
    }).catch(function (err) {
      if (!ctx.alive()) return;
      setStatus(status, U.errorEl(err));
    });
  }

  /* ============================================================ ROUTER */

  var ROUTES = {
    events: {page: 'events', title: 'Events', fn: pageEvents},
    article: {page: 'article', title: 'Article', fn: pageArticle},
    timeline: {page: 'timeline', title: 'Timeline', fn: pageTimeline},
    map: {page: 'map', title: 'Map', fn: pageMap},
    network: {page: 'network', title: 'Network', fn: pageNetwork},
    stories: {page: 'stories', title: 'Stories', fn: pageStories},
    story: {page: 'story', title: 'Story', fn: pageStory}
  };

  function pageNotFound(main) {
    main.appendChild(pageHeader('Page not found'));
    main.appendChild(el('p', null, ['There is no page at this address. ', el('a', {href: '#/events', text: 'Go to the events.'})]));
  }

  function render() {
    var main = document.getElementById('app');
    if (!main) return;
    var route = U.parseHash(location.hash);
    var name = route.segs[0] || 'events';
    var def = Object.prototype.hasOwnProperty.call(ROUTES, name) ? ROUTES[name] : null;
    var token = ++navToken;
    var ctx = {alive: function () { return token === navToken; }};
    currentRoute = route;
    U.clear(main);
    main.dataset.page = def ? def.page : 'notfound';
    document.title = (def ? def.title : 'Not found') + ' · newsevents';
    var navKey = name === 'article' ? 'events' : (name === 'story' ? 'stories' : name);
    Array.prototype.forEach.call(document.querySelectorAll('.nav a[data-route]'), function (a) {
      if (a.getAttribute('data-route') === navKey) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    try {
      if (def) def.fn(main, route, ctx);
      else pageNotFound(main);
    } catch (err) {
      main.appendChild(U.errorEl(err));
      if (window.console) console.error(err);
    }
  }

  var lastPath = null;
  window.addEventListener('hashchange', function () {
    var path = U.parseHash(location.hash).segs.join('/');
    render();
    if (path !== lastPath) window.scrollTo(0, 0);
    lastPath = path;
  });

  function start() {
    lastPath = U.parseHash(location.hash).segs.join('/');
    render();
    if (!window.d3 || !window.topojson) {
      var main = document.getElementById('app');
      main.insertBefore(U.errorEl('vendor/d3.min.js or vendor/topojson-client.min.js did not load; charts will not work.'), main.firstChild);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
