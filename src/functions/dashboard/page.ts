/**
 * The dashboard page: one HTML document with inline CSS and script (no build step, no CDN, works offline). It reads
 * `dashboard/data` next to itself (forwarding `?code=` when a function key is in the URL) and draws: the estate at a
 * glance, the trend, one row per cache with its SVG network topology, workflows with their steps, pending decisions.
 * Accessibility: semantic tables and headings, every control a real button (keyboard), focus outlines, colours with
 * at least 4.5:1 contrast plus a text label (never colour alone), SVGs with role="img", <title> and <desc>, and a
 * text list of the same facts next to each picture.
 */
export const DASHBOARD_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Redis Private Link Autopilot: compliance dashboard</title>
<style>
  :root { --fg:#1b1b1b; --muted:#4a4a4a; --bg:#ffffff; --panel:#f4f6f8; --ok:#0b6b2f; --bad:#a4161a; --warn:#7a4b00; --accent:#0b4f8a; --line:#5c6670; }
  * { box-sizing: border-box; }
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
  header, main { max-width: 1200px; margin: 0 auto; padding: 12px 20px; }
  header { border-bottom: 1px solid #d0d7de; }
  h1 { font-size: 1.5rem; margin: .2rem 0; } h2 { font-size: 1.2rem; margin: 1.4rem 0 .5rem; } h3 { font-size: 1.05rem; margin: .8rem 0 .4rem; }
  .muted { color: var(--muted); }
  .cards { display: flex; flex-wrap: wrap; gap: 10px; list-style: none; padding: 0; margin: .5rem 0; }
  .cards li { background: var(--panel); border-radius: 6px; padding: 8px 14px; min-width: 120px; }
  .cards .n { font-size: 1.6rem; font-weight: 700; display: block; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 16px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; border-bottom: 1px solid #d0d7de; padding: 5px 8px; vertical-align: top; }
  th { background: var(--panel); }
  .tag { display: inline-block; border-radius: 4px; padding: 0 6px; font-weight: 600; border: 1px solid currentColor; }
  .ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); }
  button { font: inherit; padding: 3px 10px; border-radius: 4px; border: 1px solid var(--accent); background: #fff; color: var(--accent); cursor: pointer; }
  button:hover { background: #e8f0f8; }
  button.approve { border-color: var(--ok); color: var(--ok); } button.reject { border-color: var(--bad); color: var(--bad); }
  :focus-visible { outline: 3px solid #1f6feb; outline-offset: 2px; }
  .topology { background: var(--panel); border-radius: 6px; padding: 8px 12px; margin: 6px 0 12px; }
  .topology svg { width: 100%; height: auto; max-width: 1150px; background: #fff; border: 1px solid #d0d7de; }
  .bar { fill: var(--accent); } .bar.bad { fill: var(--bad); } .bar.ok { fill: var(--ok); }
  progress { width: 140px; vertical-align: middle; }
  .sr { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
  #status[role=status] { min-height: 1.2em; }
</style>
</head>
<body>
<header>
  <h1>Redis Private Link Autopilot</h1>
  <p id="sweep" class="muted">Loading the last sweep report...</p>
  <p id="status" role="status" aria-live="polite"></p>
</header>
<main>
  <section aria-labelledby="h-glance">
    <h2 id="h-glance">Estate at a glance</h2>
    <ul class="cards" id="cards"></ul>
    <div class="grid">
      <div><h3>Caches by tier</h3><table id="tiers"><caption class="sr">Caches by tier</caption><thead><tr><th scope="col">Tier</th><th scope="col">Caches</th><th scope="col">Compliant</th></tr></thead><tbody></tbody></table></div>
      <div><h3>Findings by rule</h3><table id="rules"><caption class="sr">Open findings by rule (after the last sweep)</caption><thead><tr><th scope="col">Rule</th><th scope="col">Before</th><th scope="col">After</th></tr></thead><tbody></tbody></table></div>
      <div><h3>Trend over the last sweeps</h3><div id="trend"></div></div>
    </div>
  </section>
  <section aria-labelledby="h-decisions">
    <h2 id="h-decisions">Pending decisions</h2>
    <div id="decisions"><p class="muted">None.</p></div>
  </section>
  <section aria-labelledby="h-workflows">
    <h2 id="h-workflows">Running and recent workflows</h2>
    <table id="workflows"><caption class="sr">Workflows of the last 24 hours, newest first</caption><thead><tr><th scope="col">Workflow</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Steps done</th></tr></thead><tbody></tbody></table>
  </section>
  <section aria-labelledby="h-caches">
    <h2 id="h-caches">Caches</h2>
    <p class="muted">One row per cache: findings before, actions with their outcomes, findings after, compliant after. "Topology" draws its network picture.</p>
    <table id="caches"><caption class="sr">Caches of the last sweep</caption><thead><tr><th scope="col">Cache</th><th scope="col">Tier</th><th scope="col">Status</th><th scope="col">Before</th><th scope="col">Actions</th><th scope="col">After</th><th scope="col">Compliant</th><th scope="col">Network</th></tr></thead><tbody></tbody></table>
  </section>
</main>
<script>
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var code = params.get('code');
  var base = location.pathname.replace(/\/+$/, '');
  var withCode = function (u) { return code ? u + (u.indexOf('?') < 0 ? '?' : '&') + 'code=' + encodeURIComponent(code) : u; };
  var SVGNS = 'http://www.w3.org/2000/svg';
  var last = null;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in (attrs || {})) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); }
    (children || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function s(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in (attrs || {})) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function nameOf(id) { return String(id || '').split('/').pop(); }
  function rulesOf(fs) { return (fs || []).map(function (f) { return f.rule; }).join(', ') || 'none'; }
  function after(c) { return c.remaining || c.findings || []; }
  function verdict(ok, yes, no) { return el('span', { class: 'tag ' + (ok ? 'ok' : 'bad'), text: ok ? yes : no }); }
  function say(text) { document.getElementById('status').textContent = text; }

  function glance(data) {
    var r = data.report;
    var cards = document.getElementById('cards');
    cards.textContent = '';
    if (!r) { document.getElementById('sweep').textContent = 'No sweep report yet: run a compliance sweep.'; return; }
    document.getElementById('sweep').textContent = 'Last sweep ' + r.sweepId + ' (' + r.mode + (r.dryRun ? ', dry-run' : '') + '), started ' + r.startedAt + (r.finishedAt ? ', finished ' + r.finishedAt : '') + '.';
    var caches = r.caches;
    var exempt = caches.filter(function (c) { return c.status === 'exempt'; }).length;
    var compliant = caches.filter(function (c) { return c.compliant; }).length;
    var unreachable = caches.filter(function (c) { return c.topology && c.topology.unreachable; }).length;
    [['Caches', caches.length, ''], ['Compliant', compliant, 'ok'], ['Non-compliant', caches.length - compliant, caches.length - compliant ? 'bad' : 'ok'], ['Exempt', exempt, ''],
     ['Remediated', caches.filter(function (c) { return (c.actions || []).some(function (a) { return a.status === 'done'; }); }).length, ''],
     ['Failed', caches.filter(function (c) { return c.status === 'failed' || c.status === 'refused'; }).length, ''], ['Unreachable', unreachable, unreachable ? 'bad' : 'ok']]
      .forEach(function (x) { cards.appendChild(el('li', { 'data-card': x[0].toLowerCase() }, [el('span', { class: 'n ' + x[2], text: String(x[1]) }), x[0]])); });
    var tiers = {};
    caches.forEach(function (c) { var t = c.tier || 'unknown'; tiers[t] = tiers[t] || [0, 0]; tiers[t][0]++; if (c.compliant) tiers[t][1]++; });
    var tb = document.querySelector('#tiers tbody'); tb.textContent = '';
    Object.keys(tiers).sort().forEach(function (t) { tb.appendChild(el('tr', {}, [el('th', { scope: 'row', text: t }), el('td', { text: String(tiers[t][0]) }), el('td', { text: String(tiers[t][1]) })])); });
    var rules = {};
    caches.forEach(function (c) {
      (c.findings || []).forEach(function (f) { rules[f.rule] = rules[f.rule] || [0, 0]; rules[f.rule][0]++; });
      after(c).forEach(function (f) { rules[f.rule] = rules[f.rule] || [0, 0]; rules[f.rule][1]++; });
    });
    var rb = document.querySelector('#rules tbody'); rb.textContent = '';
    var names = Object.keys(rules).sort();
    if (!names.length) rb.appendChild(el('tr', {}, [el('td', { colspan: '3', text: 'No finding.' })]));
    names.forEach(function (k) { rb.appendChild(el('tr', { 'data-rule': k }, [el('th', { scope: 'row', text: k }), el('td', { text: String(rules[k][0]) }), el('td', { class: rules[k][1] ? 'bad' : 'ok', text: String(rules[k][1]) })])); });
  }

  function trend(data) {
    var box = document.getElementById('trend'); box.textContent = '';
    var t = (data.trend || []).slice(-12);
    if (!t.length) { box.appendChild(el('p', { class: 'muted', text: 'No sweep yet.' })); return; }
    var w = 320, h = 130, bw = Math.min(40, Math.max(8, Math.floor((w - 20) / t.length) - 6));
    var max = Math.max.apply(null, t.map(function (x) { return x.summary.caches || 1; }));
    var svg = s('svg', { viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-labelledby': 'trend-title trend-desc', id: 'trend-chart' });
    svg.appendChild(s('title', { id: 'trend-title' }, 'Compliant and non-compliant caches over the last ' + t.length + ' sweep(s)'));
    svg.appendChild(s('desc', { id: 'trend-desc' }, t.map(function (x) { return x.startedAt + ': ' + x.summary.compliant + ' compliant, ' + x.summary.nonCompliant + ' non-compliant'; }).join('; ')));
    t.forEach(function (x, i) {
      var x0 = 10 + i * (bw + 6), ok = x.summary.compliant, bad = x.summary.nonCompliant;
      var hOk = Math.round((h - 30) * ok / max), hBad = Math.round((h - 30) * bad / max);
      svg.appendChild(s('rect', { class: 'bar ok', x: x0, y: h - 20 - hOk, width: bw, height: hOk }));
      svg.appendChild(s('rect', { class: 'bar bad', x: x0, y: h - 20 - hOk - hBad, width: bw, height: hBad }));
      svg.appendChild(s('text', { x: x0 + bw / 2, y: h - 6, 'text-anchor': 'middle', 'font-size': '10', fill: '#1b1b1b' }, String(i + 1)));
    });
    box.appendChild(svg);
    box.appendChild(el('p', { class: 'muted', text: 'Green: compliant; red: non-compliant (bars numbered oldest to newest). Latest: ' + t[t.length - 1].summary.compliant + ' compliant, ' + t[t.length - 1].summary.nonCompliant + ' non-compliant.' }));
  }

  function decide(d, verdictWord, button) {
    button.disabled = true;
    var url = withCode(last.decisionsUrl.replace('{instanceId}', encodeURIComponent(d.instanceId)));
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ gate: d.gate || d.decision, decision: verdictWord, comment: 'from the dashboard' }) })
      .then(function (r) { say(verdictWord + ' ' + d.instanceId + ': HTTP ' + r.status + (r.status === 404 ? ' (the decision runbook is not deployed)' : '')); return load(); })
      .catch(function (e) { say('Could not send the decision: ' + e.message); button.disabled = false; });
  }

  function decisions(data) {
    var box = document.getElementById('decisions'); box.textContent = '';
    if (!data.decisions.length) { box.appendChild(el('p', { class: 'muted', text: 'None.' })); return; }
    var ul = el('ul');
    data.decisions.forEach(function (d) {
      var a = el('button', { type: 'button', class: 'approve', 'aria-label': 'Approve ' + d.decision + ' for ' + nameOf(d.cacheId || d.instanceId), text: 'Approve' });
      var r = el('button', { type: 'button', class: 'reject', 'aria-label': 'Reject ' + d.decision + ' for ' + nameOf(d.cacheId || d.instanceId), text: 'Reject' });
      a.addEventListener('click', function () { decide(d, 'approve', a); });
      r.addEventListener('click', function () { decide(d, 'reject', r); });
      ul.appendChild(el('li', { 'data-decision': d.instanceId }, [el('strong', { text: d.decision }), ' ' + (d.cacheId ? nameOf(d.cacheId) + ': ' : '') + d.question + (d.expiresAt ? ' (until ' + d.expiresAt + ')' : '') + ' ', a, ' ', r]));
    });
    box.appendChild(ul);
  }

  function workflows(data) {
    var tb = document.querySelector('#workflows tbody'); tb.textContent = '';
    if (!data.workflows.length) { tb.appendChild(el('tr', {}, [el('td', { colspan: '4', text: 'No workflow in the last 24 hours.' })])); return; }
    data.workflows.forEach(function (w) {
      var p = w.progress || {};
      var prog = null;
      if (p.of) {
        prog = el('span', {}, [el('progress', { max: String(p.of), value: String(p.step || 0), 'aria-label': w.name + ' step ' + p.step + ' of ' + p.of }), ' ' + p.step + '/' + p.of + ' ' + (p.doing || '') + (p.items && p.items.total ? ' (' + p.items.done + '/' + p.items.total + ' caches)' : '')]);
      }
      var st = w.runtimeStatus;
      tb.appendChild(el('tr', { 'data-instance': w.instanceId }, [
        el('td', {}, [el('strong', { text: w.name }), el('br'), el('small', { class: 'muted', text: w.instanceId })]),
        el('td', {}, [el('span', { class: 'tag ' + (st === 'Failed' || st === 'Terminated' ? 'bad' : st === 'Completed' ? 'ok' : 'warn'), text: st })]),
        el('td', {}, [prog || el('span', { class: 'muted', text: '-' })]),
        el('td', {}, [(p.done && p.done.length) ? el('ol', {}, p.done.map(function (d) { return el('li', { text: d }); })) : el('span', { class: 'muted', text: '-' })]),
      ]));
    });
  }

  /** The SVG picture of one cache: cache -> endpoints -> VNets -> DNS zone -> what the name resolves to. */
  function topology(c) {
    var t = c.topology;
    var wrap = el('div', { class: 'topology', id: 'topology-' + nameOf(c.id), 'data-cache': c.id, 'data-unreachable': String(!!t.unreachable) });
    var rows = Math.max(1, t.endpoints.length, t.resolutions.length);
    var W = 1100, H = 90 + rows * 70 + (t.geo ? 60 : 0);
    var idT = 'tt-' + nameOf(c.id), idD = 'td-' + nameOf(c.id);
    var svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': idT + ' ' + idD, 'data-topology': c.id });
    var lines = [];
    lines.push('Cache ' + t.name + ' (' + (c.tier || '?') + '), ' + t.hostName + ':' + t.port + '.');
    lines.push('Public network access: ' + t.publicNetworkAccess + (t.publicNetworkAccess === 'Enabled' ? ' (door open: reachable from the internet)' : t.publicNetworkAccess === 'Disabled' ? ' (door closed)' : ''));
    if (t.injectedSubnetId) lines.push('VNet-injected into ' + nameOf(t.injectedSubnetId) + ': private endpoints cannot be used.');
    if (!t.endpoints.length) lines.push('No private endpoint.');
    t.endpoints.forEach(function (e) { lines.push('Private endpoint ' + e.name + ': IP ' + (e.privateIp || 'unknown') + ', connection ' + e.connectionStatus + ', subnet ' + nameOf(e.subnetId) + ' in VNet ' + nameOf(e.virtualNetworkId) + '.'); });
    if (t.dnsZone) lines.push('Private DNS zone ' + t.dnsZone.name + ': ' + t.dnsZone.recordName + ' -> ' + (t.dnsZone.addresses.join(', ') || 'no A record') + '; linked to ' + (t.dnsZone.linkedVirtualNetworks.map(nameOf).join(', ') || 'no VNet') + '.');
    else lines.push('No private DNS zone found for this cache.');
    t.resolutions.forEach(function (r) { lines.push('From VNet ' + nameOf(r.virtualNetworkId) + ' (' + r.role + '): resolves to ' + (r.resolvesTo === 'private' ? r.addresses.join(', ') + ' (private)' : r.resolvesTo === 'public' ? 'the public address' : 'nothing (zone without record)') + ', ' + (r.reachable ? 'reachable' : 'NOT reachable') + '.'); });
    if (t.geo) lines.push('Geo-replication partner ' + nameOf(t.geo.partnerId) + ' (' + t.geo.role + '): ' + (t.geo.linked ? 'linked' : 'NOT linked (' + t.geo.provisioningState + ')') + '.');
    if (t.unreachable) lines.push('UNREACHABLE: no client can connect (no approved endpoint resolving privately, public access disabled).');
    svg.appendChild(s('title', { id: idT }, 'Network topology of ' + t.name + (t.unreachable ? ' (unreachable)' : '')));
    svg.appendChild(s('desc', { id: idD }, lines.join(' ')));
    var defs = s('defs');
    var marker = s('marker', { id: 'arrow-' + nameOf(c.id), viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto' });
    marker.appendChild(s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#5c6670' }));
    defs.appendChild(marker); svg.appendChild(defs);
    var arrow = 'url(#arrow-' + nameOf(c.id) + ')';
    function box(g, x, y, w, h, fill, stroke, label, sub, extra) {
      g.appendChild(s('rect', { x: x, y: y, width: w, height: h, rx: 6, fill: fill, stroke: stroke, 'stroke-width': 2 }));
      g.appendChild(s('text', { x: x + 8, y: y + 18, 'font-size': 13, 'font-weight': 700, fill: '#1b1b1b' }, label));
      (sub || []).forEach(function (line, i) { g.appendChild(s('text', { x: x + 8, y: y + 34 + i * 14, 'font-size': 11, fill: '#333' }, line)); });
      for (var k in (extra || {})) g.setAttribute(k, extra[k]);
      return g;
    }
    function link(x1, y1, x2, y2, dashed) { svg.appendChild(s('line', { x1: x1, y1: y1, x2: x2, y2: y2, stroke: '#5c6670', 'stroke-width': 1.5, 'stroke-dasharray': dashed ? '5,4' : '', 'marker-end': arrow })); }
    var headers = ['Cache', 'Private endpoints', 'Subnet / VNet', 'Private DNS zone', 'Name resolves to (per VNet)'];
    var X = [10, 230, 450, 670, 890];
    headers.forEach(function (hd, i) { svg.appendChild(s('text', { x: X[i], y: 18, 'font-size': 12, 'font-weight': 700, fill: '#4a4a4a' }, hd)); });
    var cy = 40;
    var cacheG = box(s('g', { class: 'node cache' }), X[0], cy, 190, 64, t.unreachable ? '#fde8e8' : '#e8f0f8', t.unreachable ? '#a4161a' : '#0b4f8a', t.name.length > 21 ? t.name.slice(0, 20) + '\u2026' : t.name, [c.tier || '', t.unreachable ? 'UNREACHABLE' : (c.compliant ? 'compliant' : 'non-compliant')], { 'data-node': 'cache' });
    if (t.unreachable) cacheG.setAttribute('data-unreachable', 'true');
    svg.appendChild(cacheG);
    // the door: public network access
    var open = t.publicNetworkAccess === 'Enabled';
    var door = s('g', { class: 'node door', 'data-node': 'public-access', 'data-open': String(open), transform: 'translate(' + (X[0] + 10) + ',' + (cy + 74) + ')' });
    door.appendChild(s('rect', { x: 0, y: 0, width: 22, height: 34, fill: '#fff', stroke: open ? '#a4161a' : '#0b6b2f', 'stroke-width': 2 }));
    door.appendChild(open ? s('path', { d: 'M0,0 L14,5 L14,39 L0,34 z', fill: '#f6c9c9', stroke: '#a4161a', 'stroke-width': 2 }) : s('circle', { cx: 17, cy: 18, r: 2, fill: '#0b6b2f' }));
    door.appendChild(s('text', { x: 30, y: 14, 'font-size': 11, fill: open ? '#a4161a' : '#0b6b2f', 'font-weight': 700 }, 'public access ' + (t.publicNetworkAccess === 'n/a' ? 'n/a (Enterprise)' : open ? 'OPEN' : 'closed')));
    door.appendChild(s('title', {}, 'Public network access ' + t.publicNetworkAccess));
    svg.appendChild(door);
    if (t.injectedSubnetId) svg.appendChild(s('text', { x: X[1], y: cy + 30, 'font-size': 12, fill: '#7a4b00' }, 'VNet-injected (' + nameOf(t.injectedSubnetId) + '): no private endpoint possible'));
    else if (!t.endpoints.length) svg.appendChild(s('text', { x: X[1], y: cy + 30, 'font-size': 12, fill: '#a4161a' }, 'no private endpoint'));
    var vnetY = {};
    t.endpoints.forEach(function (e, i) {
      var y = cy + i * 70;
      var ok = e.connectionStatus === 'Approved';
      svg.appendChild(box(s('g', { class: 'node endpoint' }), X[1], y, 200, 58, '#fff', ok ? '#0b6b2f' : '#a4161a', e.name.length > 26 ? e.name.slice(0, 25) + '\u2026' : e.name, ['IP ' + (e.privateIp || '?'), 'connection ' + e.connectionStatus + (ok ? '' : ' (!)')], { 'data-node': 'endpoint', 'data-endpoint-id': e.id }));
      link(X[0] + 190, cy + 32, X[1], y + 29);
      var key = e.virtualNetworkId.toLowerCase();
      if (vnetY[key] == null) {
        vnetY[key] = y;
        svg.appendChild(box(s('g', { class: 'node vnet' }), X[2], y, 200, 58, '#fff', '#5c6670', nameOf(e.virtualNetworkId), ['subnet ' + nameOf(e.subnetId)], { 'data-node': 'vnet', 'data-vnet-id': e.virtualNetworkId }));
      }
      link(X[1] + 200, y + 29, X[2], vnetY[key] + 29);
    });
    if (t.dnsZone) {
      var z = t.dnsZone;
      svg.appendChild(box(s('g', { class: 'node zone' }), X[3], cy, 200, 72, '#fff', z.addresses.length ? '#0b6b2f' : '#a4161a', z.name.length > 28 ? z.name.slice(0, 27) + '\u2026' : z.name, ['A ' + z.recordName.slice(0, 18) + ' -> ' + (z.addresses.join(', ') || 'none'), 'links: ' + (z.linkedVirtualNetworks.map(nameOf).join(', ') || 'none')], { 'data-node': 'dns-zone', 'data-zone-id': z.id }));
      Object.keys(vnetY).forEach(function (k) {
        var linked = z.linkedVirtualNetworks.some(function (v) { return v.toLowerCase() === k; });
        link(X[2] + 200, vnetY[k] + 29, X[3], cy + 36, !linked);
      });
    } else {
      svg.appendChild(s('text', { x: X[3], y: cy + 30, 'font-size': 12, fill: '#a4161a' }, 'no private DNS zone'));
    }
    t.resolutions.forEach(function (r, i) {
      var y = cy + i * 70;
      var label = r.resolvesTo === 'private' ? r.addresses.join(', ') + ' (private)' : r.resolvesTo === 'public' ? 'public address' : 'no record';
      svg.appendChild(box(s('g', { class: 'node resolution' }), X[4], y, 200, 58, r.reachable ? '#e9f6ee' : '#fde8e8', r.reachable ? '#0b6b2f' : '#a4161a', 'from ' + nameOf(r.virtualNetworkId), [label, r.reachable ? 'reachable' : 'NOT reachable'], { 'data-node': 'resolution', 'data-vnet-id': r.virtualNetworkId, 'data-reachable': String(r.reachable) }));
      link(X[3] + 200, cy + 36, X[4], y + 29, r.resolvesTo !== 'private');
    });
    if (t.geo) {
      var gy = H - 56;
      svg.appendChild(box(s('g', { class: 'node geo' }), X[0], gy, 190, 48, '#fff', t.geo.linked ? '#0b6b2f' : '#a4161a', 'geo partner ' + nameOf(t.geo.partnerId), [(t.geo.linked ? 'linked' : 'NOT linked') + ' (' + t.geo.role + ')'], { 'data-node': 'geo', 'data-linked': String(t.geo.linked) }));
      svg.appendChild(s('line', { x1: X[0] + 95, y1: cy + 64, x2: X[0] + 95, y2: gy, stroke: t.geo.linked ? '#0b6b2f' : '#a4161a', 'stroke-width': 2, 'stroke-dasharray': t.geo.linked ? '' : '6,4' }));
    }
    wrap.appendChild(svg);
    var ul = el('ul', { class: 'facts' });
    lines.forEach(function (l) { ul.appendChild(el('li', { text: l })); });
    wrap.appendChild(el('details', {}, [el('summary', { text: 'The same as text' }), ul]));
    return wrap;
  }

  function caches(data) {
    var tb = document.querySelector('#caches tbody'); tb.textContent = '';
    ((data.report && data.report.caches) || []).forEach(function (c) {
      var name = nameOf(c.id);
      var actions = (c.actions || []).length ? el('ul', {}, c.actions.map(function (a) { return el('li', { text: a.step.split(' ')[0].replace(/:$/, '') + ': ' + a.status }); })) : el('span', { class: 'muted', text: '-' });
      var btn = null;
      var row = el('tr', { 'data-cache': c.id, id: 'row-' + name });
      var detail = el('tr', { hidden: '' });
      var cell = el('td', { colspan: '8' });
      detail.appendChild(cell);
      if (c.topology) {
        btn = el('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'topology-' + name, 'data-show-topology': c.id, text: 'Topology' });
        btn.addEventListener('click', function () {
          var openNow = btn.getAttribute('aria-expanded') === 'true';
          if (!openNow && !cell.firstChild) cell.appendChild(topology(c));
          btn.setAttribute('aria-expanded', String(!openNow));
          if (openNow) detail.setAttribute('hidden', ''); else detail.removeAttribute('hidden');
        });
      }
      var unreachable = c.topology && c.topology.unreachable;
      [el('th', { scope: 'row' }, [name, unreachable ? el('span', {}, [' ', el('span', { class: 'tag bad', 'data-unreachable-badge': 'true', text: 'unreachable' })]) : null]),
       el('td', { text: c.tier || '-' }), el('td', { text: c.status }), el('td', { text: rulesOf(c.findings) }), el('td', {}, [actions]), el('td', { text: rulesOf(after(c)) }),
       el('td', {}, [verdict(c.compliant, 'yes', 'no')]), el('td', {}, [btn || el('span', { class: 'muted', text: '-' })])].forEach(function (td) { row.appendChild(td); });
      tb.appendChild(row); tb.appendChild(detail);
      (c.pendingDecisions || []).forEach(function () {});
    });
  }

  function render(data) {
    last = data;
    glance(data); trend(data); decisions(data); workflows(data); caches(data);
    document.body.setAttribute('data-loaded', 'true');
  }

  function load() {
    return fetch(withCode(base + '/data'), { headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(render)
      .catch(function (e) { say('Could not load the dashboard data: ' + e.message); });
  }
  window.autopilotDashboard = { load: load, topology: topology };
  load();
  // Workflows move: refresh their progress (not the open topologies) every 5 s.
  setInterval(function () {
    fetch(withCode(base + '/data')).then(function (r) { return r.ok ? r.json() : null; }).then(function (d) { if (d) { last = d; workflows(d); decisions(d); } }).catch(function () {});
  }, 5000);
})();
</script>
</body>
</html>
`;
