/* newsevents web UI: d3 charts (stacked bar timeline, world map, dyad network).
 * Only d3 .text()/.attr() are used (never .html()), no inline styles. */
(function () {
  'use strict';

  var NE = window.NE = window.NE || {};
  var U = NE.util;

  function containerWidth(node, fallback) {
    var w = node ? node.clientWidth : 0;
    return Math.max(320, Math.floor(w || fallback || 900));
  }

  /** An accessible chart <svg> of w x h in `container`, with class "chart <kind>". */
  function chartSvg(container, kind, w, h, label) {
    return window.d3.select(container).append('svg')
      .attr('class', 'chart ' + kind)
      .attr('width', w).attr('height', h)
      .attr('viewBox', '0 0 ' + w + ' ' + h)
      .attr('role', 'img')
      .attr('aria-label', label);
  }

  function activate(sel, fn) {
    // click + keyboard (Enter / Space) activation for SVG elements
    sel.on('click', function (event, d) { fn(d, event); })
      .on('keydown', function (event, d) {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          fn(d, event);
        }
      });
  }

  /* ---------------------------------------------------- stacked bar chart */

  /**
   * items: [{period, type, n}], opts: {interval, onBarClick(period, type)}.
   * Returns {types: [...], undated: n}.
   */
  function stackedBars(container, items, opts) {
    opts = opts || {};
    var d3 = window.d3;
    var undated = 0;
    var rows = [];
    U.asArray(items).forEach(function (d) {
      if (!d) return;
      var n = U.num(d.n) || 0;
      if (d.period === null || d.period === undefined || d.period === '') { undated += n; return; }
      rows.push({period: String(d.period), type: U.str(d.type) || '(none)', n: n});
    });
    var periods = Array.from(new Set(rows.map(function (d) { return d.period; }))).sort();
    var types = Array.from(new Set(rows.map(function (d) { return d.type; }))).sort(U.compareTypes);
    if (!periods.length) return {types: [], undated: undated, periods: 0};

    var withData = periods.length;
    var filled = fillPeriods(periods, opts.interval);
    if (filled) periods = filled;  // a continuous axis: empty periods take their place, at zero

    var byPeriod = new Map();
    periods.forEach(function (p) {
      var o = {period: p};
      types.forEach(function (t) { o[t] = 0; });
      byPeriod.set(p, o);
    });
    rows.forEach(function (d) { byPeriod.get(d.period)[d.type] += d.n; });
    var data = periods.map(function (p) { return byPeriod.get(p); });
    var series = d3.stack().keys(types)(data);
    var maxY = d3.max(data, function (o) { return types.reduce(function (s, t) { return s + o[t]; }, 0); }) || 1;

    var margin = {top: 12, right: 16, bottom: 78, left: 60};
    var w = Math.max(containerWidth(container) - 16, periods.length * 5 + margin.left + margin.right);
    var h = 380;
    var iw = w - margin.left - margin.right, ih = h - margin.top - margin.bottom;

    var x = d3.scaleBand().domain(periods).range([0, iw]).paddingInner(periods.length > 120 ? 0.05 : 0.15);
    var y = d3.scaleLinear().domain([0, maxY]).nice().range([ih, 0]);

    var svg = chartSvg(container, 'timeline-chart', w, h,
      'Stacked bar chart of happenings per ' + (opts.interval || 'period') + ' by type')
      .attr('data-periods', periods.length);
    var g = svg.append('g').attr('transform', 'translate(' + margin.left + ',' + margin.top + ')');

    g.append('g').attr('class', 'grid')
      .call(d3.axisLeft(y).ticks(6).tickSize(-iw).tickFormat(function () { return ''; }))
      .call(function (s) { s.select('.domain').remove(); });

    var layer = g.append('g').attr('class', 'bars').selectAll('g')
      .data(series).join('g')
      .attr('fill', function (s) { return U.typeColor(s.key); })
      .attr('data-type', function (s) { return s.key; });

    var rects = layer.selectAll('rect')
      .data(function (s) { return s.map(function (v) { return {v: v, type: s.key}; }).filter(function (d) { return d.v[1] > d.v[0]; }); })
      .join('rect')
      .attr('x', function (d) { return x(d.v.data.period); })
      .attr('y', function (d) { return y(d.v[1]); })
      .attr('height', function (d) { return Math.max(0, y(d.v[0]) - y(d.v[1])); })
      .attr('width', Math.max(1, x.bandwidth()))
      .attr('class', 'bar');
    rects.append('title').text(function (d) {
      return d.v.data.period + ' · ' + d.type + ': ' + (d.v[1] - d.v[0]);
    });
    if (opts.onBarClick) {
      rects.attr('tabindex', periods.length <= 200 ? 0 : null)
        .attr('role', 'link')
        .attr('aria-label', function (d) { return d.v.data.period + ', ' + d.type + ': ' + (d.v[1] - d.v[0]) + ' (show events)'; })
        .classed('clickable', true);
      activate(rects, function (d) { opts.onBarClick(d.v.data.period, d.type); });
    }

    var maxLabels = Math.max(2, Math.floor(iw / 64));
    var step = Math.max(1, Math.ceil(periods.length / maxLabels));
    var xAxis = d3.axisBottom(x).tickValues(periods.filter(function (p, i) { return i % step === 0; })).tickSizeOuter(0);
    g.append('g').attr('class', 'axis x-axis').attr('transform', 'translate(0,' + ih + ')').call(xAxis)
      .selectAll('text').attr('text-anchor', 'end').attr('dx', '-0.5em').attr('dy', '0.3em').attr('transform', 'rotate(-40)');
    g.append('g').attr('class', 'axis y-axis').call(d3.axisLeft(y).ticks(6, 's'));

    svg.append('text').attr('class', 'axis-label')
      .attr('x', margin.left + iw / 2).attr('y', h - 8).attr('text-anchor', 'middle')
      .text('Period (' + (opts.interval || 'period') + ')');
    svg.append('text').attr('class', 'axis-label')
      .attr('transform', 'translate(16,' + (margin.top + ih / 2) + ') rotate(-90)')
      .attr('text-anchor', 'middle')
      .text('Happenings');

    return {types: types, undated: undated, periods: withData, continuous: !!filled};
  }

  /** Every period of `interval` from the first of `periods` (sorted) to the last, or null when the interval
   * is unknown, a period is not of its shape, or there would be more than MAX_FILLED. */
  var MAX_FILLED = 1500;
  function fillPeriods(periods, interval) {
    var first = periods[0], last = periods[periods.length - 1], out = [], m, cur;
    function pad(n, w) { n = String(n); while (n.length < w) n = '0' + n; return n; }
    if (interval === 'year') {
      if (!/^\d{4}$/.test(first) || !/^\d{4}$/.test(last)) return null;
      for (var y = +first; y <= +last; y++) { out.push(pad(y, 4)); if (out.length > MAX_FILLED) return null; }
      return out;
    }
    if (interval === 'month') {
      if (!(m = /^(\d{4})-(\d{2})$/.exec(first)) || !/^\d{4}-\d{2}$/.test(last)) return null;
      for (var yy = +m[1], mm = +m[2]; ; ) {
        cur = pad(yy, 4) + '-' + pad(mm, 2);
        out.push(cur);
        if (cur >= last || out.length > MAX_FILLED) break;
        if (++mm > 12) { mm = 1; yy++; }
      }
      return out.length > MAX_FILLED ? null : out;
    }
    if (interval === 'day' || interval === 'week') {
      var re = /^(\d{4})-(\d{2})-(\d{2})$/, a = re.exec(first), b = re.exec(last);
      if (!a || !b) return null;
      var t = Date.UTC(+a[1], +a[2] - 1, +a[3]), end = Date.UTC(+b[1], +b[2] - 1, +b[3]);
      var stepMs = (interval === 'week' ? 7 : 1) * 86400000;
      if ((end - t) / stepMs > MAX_FILLED) return null;
      for (; t <= end; t += stepMs) {
        var d = new Date(t);
        out.push(pad(d.getUTCFullYear(), 4) + '-' + pad(d.getUTCMonth() + 1, 2) + '-' + pad(d.getUTCDate(), 2));
      }
      return out;
    }
    return null;
  }

  /* ------------------------------------------------------------- world map */

  /** places: [{name, country, lat, lon, n, precision}]; opts.onPlaceClick(place). */
  function worldMap(container, world, places, opts) {
    opts = opts || {};
    var d3 = window.d3, topojson = window.topojson;
    var w = containerWidth(container);
    var h = Math.round(w * 0.52);
    var svg = chartSvg(container, 'map-chart', w, h, 'World map of event places');
    var sphere = {type: 'Sphere'};
    var projection = d3.geoNaturalEarth1().fitExtent([[4, 4], [w - 4, h - 4]], sphere);
    var path = d3.geoPath(projection);

    svg.append('path').attr('class', 'sphere').attr('d', path(sphere));
    svg.append('path').attr('class', 'graticule').attr('d', path(d3.geoGraticule10()));

    var countries = [];
    if (world && world.objects && world.objects.countries && topojson) {
      countries = topojson.feature(world, world.objects.countries).features;
    }
    svg.append('g').attr('class', 'countries').selectAll('path')
      .data(countries).join('path')
      .attr('class', 'country')
      .attr('d', path)
      .append('title').text(function (f) { return (f.properties && f.properties.name) || ''; });
    if (world && world.objects && world.objects.countries && topojson) {
      svg.append('path').attr('class', 'borders')
        .attr('d', path(topojson.mesh(world, world.objects.countries, function (a, b) { return a !== b; })));
    }

    var pts = [];
    var skipped = 0;
    U.asArray(places).forEach(function (p) {
      if (!p) return;
      var lat = U.num(p.lat), lon = U.num(p.lon), n = U.num(p.n) || 0;
      if (lat === null || lon === null || p.lat === null || p.lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) { skipped++; return; }
      var xy = projection([lon, lat]);
      if (!xy || !isFinite(xy[0]) || !isFinite(xy[1])) { skipped++; return; }
      pts.push({p: p, x: xy[0], y: xy[1], n: n});
    });
    pts.sort(function (a, b) { return b.n - a.n; });
    var maxN = d3.max(pts, function (d) { return d.n; }) || 1;
    var r = d3.scaleSqrt().domain([0, maxN]).range([0, Math.max(14, Math.min(34, w / 30))]);

    var circles = svg.append('g').attr('class', 'places').selectAll('circle')
      .data(pts).join('circle')
      .attr('class', function (d) { return 'place place-' + (U.str(d.p.precision) || 'unknown').replace(/[^a-z0-9_-]/gi, ''); })
      .attr('cx', function (d) { return d.x; })
      .attr('cy', function (d) { return d.y; })
      .attr('r', function (d) { return Math.max(2.5, r(d.n)); })
      .attr('tabindex', 0)
      .attr('role', 'link')
      .attr('aria-label', function (d) { return placeText(d.p) + ': ' + d.n + ' (show events)'; });
    circles.append('title').text(function (d) { return placeText(d.p) + ': ' + d.n; });
    if (opts.onPlaceClick) activate(circles, function (d) { opts.onPlaceClick(d.p); });

    return {shown: pts.length, skipped: skipped};
  }

  function placeText(p) {
    var s = U.str(p.name) || '(unnamed place)';
    if (p.country && p.country !== p.name) s += ' (' + p.country + ')';
    return s;
  }

  /* --------------------------------------------------------------- network */

  /** dyads: [{source, source_name, target, target_name, n}]; opts.onNodeClick(node). */
  function network(container, dyads, opts) {
    opts = opts || {};
    var d3 = window.d3;
    var nodes = new Map();
    var links = [];

    function nodeFor(code, name) {
      var c = U.str(code), nm = U.str(name);
      var key = nm || c;
      if (!key) return null;
      if (!nodes.has(key)) nodes.set(key, {id: key, name: nm, code: c, label: nm || c, out: 0, inn: 0});
      return nodes.get(key);
    }

    U.asArray(dyads).forEach(function (d) {
      if (!d) return;
      var s = nodeFor(d.source, d.source_name), t = nodeFor(d.target, d.target_name);
      if (!s || !t) return;
      var n = U.num(d.n) || 0;
      s.out += n; t.inn += n;
      links.push({source: s.id, target: t.id, n: n, sLabel: s.label, tLabel: t.label});
    });
    var nodeList = Array.from(nodes.values());
    if (!nodeList.length) return {nodes: 0, links: 0};

    // curve links that have a reverse link so both directions stay visible
    var pairKeys = new Set(links.map(function (l) { return l.source + '\u0000' + l.target; }));
    links.forEach(function (l) { l.curved = l.source !== l.target && pairKeys.has(l.target + '\u0000' + l.source); });

    var w = containerWidth(container);
    var h = Math.max(460, Math.min(760, Math.round(w * 0.7)));
    var maxW = d3.max(nodeList, function (d) { return d.out + d.inn; }) || 1;
    var radius = d3.scaleSqrt().domain([0, maxW]).range([4, 22]);
    var maxN = d3.max(links, function (l) { return l.n; }) || 1;
    var width = d3.scaleSqrt().domain([0, maxN]).range([0.8, 9]);

    var sim = d3.forceSimulation(nodeList)
      .force('link', d3.forceLink(links).id(function (d) { return d.id; }).distance(90).strength(0.4))
      .force('charge', d3.forceManyBody().strength(-260))
      .force('center', d3.forceCenter(w / 2, h / 2))
      .force('x', d3.forceX(w / 2).strength(0.06))
      .force('y', d3.forceY(h / 2).strength(0.08))
      .force('collide', d3.forceCollide(function (d) { return radius(d.out + d.inn) + 6; }))
      .stop();
    var TICKS = 300;
    for (var i = 0; i < TICKS; i++) sim.tick();
    sim.stop();

    // fit the laid-out graph into the viewport
    var pad = 40;
    var x0 = d3.min(nodeList, function (d) { return d.x; }), x1 = d3.max(nodeList, function (d) { return d.x; });
    var y0 = d3.min(nodeList, function (d) { return d.y; }), y1 = d3.max(nodeList, function (d) { return d.y; });
    var sx = (x1 - x0) > 0 ? (w - 2 * pad - 80) / (x1 - x0) : 1;
    var sy = (y1 - y0) > 0 ? (h - 2 * pad) / (y1 - y0) : 1;
    var sc = Math.min(1.5, sx, sy);
    nodeList.forEach(function (d) {
      d.px = w / 2 + (d.x - (x0 + x1) / 2) * sc;
      d.py = h / 2 + (d.y - (y0 + y1) / 2) * sc;
    });

    var svg = chartSvg(container, 'network-chart', w, h, 'Network of actor dyads');
    var defs = svg.append('defs');
    defs.append('marker')
      .attr('id', 'ne-arrow')
      .attr('viewBox', '0 -5 10 10')
      .attr('refX', 10).attr('refY', 0)
      .attr('markerWidth', 11).attr('markerHeight', 11)
      .attr('markerUnits', 'userSpaceOnUse')
      .attr('orient', 'auto')
      .append('path').attr('d', 'M0,-5L10,0L0,5Z').attr('class', 'arrow-head');

    function edgePath(l) {
      var s = l.source, t = l.target;
      var rs = radius(s.out + s.inn), rt = radius(t.out + t.inn);
      if (s === t) {
        var x = s.px, y = s.py - rs;
        return 'M' + (x - rs * 0.6) + ',' + y + ' C' + (x - rs * 2.5) + ',' + (y - rs * 3.2) + ' ' +
          (x + rs * 2.5) + ',' + (y - rs * 3.2) + ' ' + (x + rs * 0.6) + ',' + (y - 1);
      }
      var dx = t.px - s.px, dy = t.py - s.py;
      var dist = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / dist, uy = dy / dist;
      var sx2 = s.px + ux * rs, sy2 = s.py + uy * rs;
      var tx = t.px - ux * (rt + 2), ty = t.py - uy * (rt + 2);
      if (!l.curved) return 'M' + sx2 + ',' + sy2 + 'L' + tx + ',' + ty;
      var mx = (sx2 + tx) / 2 - uy * dist * 0.15, my = (sy2 + ty) / 2 + ux * dist * 0.15;
      return 'M' + sx2 + ',' + sy2 + 'Q' + mx + ',' + my + ' ' + tx + ',' + ty;
    }

    var edge = svg.append('g').attr('class', 'edges').selectAll('path')
      .data(links).join('path')
      .attr('class', 'edge')
      .attr('d', edgePath)
      .attr('fill', 'none')
      .attr('stroke-width', function (l) { return width(l.n); })
      .attr('marker-end', 'url(#ne-arrow)');
    edge.append('title').text(function (l) { return l.sLabel + ' → ' + l.tLabel + ': ' + l.n; });

    var node = svg.append('g').attr('class', 'nodes').selectAll('g')
      .data(nodeList).join('g')
      .attr('class', 'node')
      .attr('transform', function (d) { return 'translate(' + d.px + ',' + d.py + ')'; })
      .attr('tabindex', 0)
      .attr('role', 'link')
      .attr('aria-label', function (d) { return d.label + ' (show events)'; });
    node.append('circle')
      .attr('r', function (d) { return radius(d.out + d.inn); })
      .attr('fill', function (d) { return codeColor(d.code); });
    node.append('text')
      .attr('class', 'node-label')
      .attr('x', function (d) { return radius(d.out + d.inn) + 3; })
      .attr('dy', '0.35em')
      .text(function (d) { return d.label; });
    node.append('title').text(function (d) {
      var s = d.label;
      if (d.code && d.code !== d.label) s += ' [' + d.code + ']';
      return s + '\nas actor: ' + d.out + '\nas recipient: ' + d.inn;
    });
    if (opts.onNodeClick) activate(node, function (d) { opts.onNodeClick(d); });

    return {nodes: nodeList.length, links: links.length, ticks: TICKS};
  }

  // colour nodes by the country part (first 3 letters) of their CAMEO code
  var codeColors = new Map();
  function codeColor(code) {
    var c = U.str(code);
    var k = /^[A-Z]{3}/.test(c) ? c.slice(0, 3) : '(none)';
    if (!codeColors.has(k)) codeColors.set(k, k === '(none)' ? '#9a9a9a' : U.PALETTE[codeColors.size % 8]);
    return codeColors.get(k);
  }

  NE.charts = {stackedBars: stackedBars, worldMap: worldMap, network: network};
})();
