// report.js - the wtrec HTML report's behaviour (html/report.html).
//
// Reads the data island (#wtrec-data: the sections of html/data.sql, each
// {cols, rows}, the summary report, and the calls of html_calls.c) and
// draws: the findings with explanations, the timeline in SVG (a lane per
// process: alive and zombie spans, a row per waiting thread with its
// calls, arrows exit -> reap, markers for stolen reaps, ECHILD and
// auto-reaps), the process tree, and the details pane with the SQL row
// behind whatever is clicked.  Times are ns since the earliest
// recording's start (*_rel columns).
'use strict';

const DATA = JSON.parse(document.getElementById('wtrec-data').textContent);
const SVGNS = 'http://www.w3.org/2000/svg';
const LABEL_W = 230, AXIS_H = 22, LIFE_H = 12, THREAD_H = 13, PAD = 4;

// ---- data -----------------------------------------------------------------

// {cols, rows} -> array of objects keyed by column name.
function objects(sec) {
  if (!sec) return [];
  return sec.rows.map((r) => {
    const o = {};
    sec.cols.forEach((c, i) => { if (!(c in o)) o[c] = r[i]; });
    o.__row = r;
    o.__cols = sec.cols;
    return o;
  });
}

const recordings = objects(DATA.recordings);
const procs = objects(DATA.processes);
const threads = objects(DATA.threads);
const reaps = objects(DATA.reaps);
const steals = objects(DATA.steals);
const autoreaps = objects(DATA.autoreaps);
const summary = objects(DATA.summary);
const budget = objects(DATA.lanes_budget)[0] || {};
const calls = DATA.calls || { cols: [], items: [], info: {} };
// A call's label from its row: "wait4(P_PID 123, WNOHANG)".
const callCol = new Map(calls.cols.map((c, i) => [c, i]));
function callLabel(row) {
  const v = (c) => (row ? row[callCol.get(c)] : null);
  const target = v('target') === null ? '' : ' ' + v('target');
  return `${v('syscall')}(${v('idtype') === null ? '?' : v('idtype') + target}, ${v('options_text') ?? '?'})`;
}
const items = calls.items.map((it) => {
  const o = {};
  calls.item_cols.forEach((c, i) => { o[c] = it[i]; });
  o.label = callLabel(o.row);
  return o;
});

const procByUpid = new Map(procs.map((p) => [p.upid, p]));
const threadByUtid = new Map(threads.map((t) => [t.utid, t]));

// ---- formatting -------------------------------------------------------------

function fmtDur(ns) {
  if (ns === null || ns === undefined) return '?';
  const a = Math.abs(ns);
  if (a < 1e3) return ns + ' ns';
  if (a < 1e6) return (ns / 1e3).toFixed(1) + ' us';
  if (a < 1e9) return (ns / 1e6).toFixed(3) + ' ms';
  return (ns / 1e9).toFixed(3) + ' s';
}
function fmtAt(rel) { return rel === null || rel === undefined ? '?' : '+' + fmtDur(rel); }
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function sv(tag, attrs, parent) {
  const e = document.createElementNS(SVGNS, tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
function title(node, text) { sv('title', {}, node).textContent = text; }

// ---- header, warnings, findings -------------------------------------------

function drawHeader() {
  const info = document.getElementById('rec-info');
  info.textContent = recordings.map((r) =>
    `${r.path} — host ${r.host || '?'}, kernel ${r.kernel || '?'}, ${r.backend || '?'} backend, ` +
    `${fmtDur(r.end_ns - r.start_ns)}, ${r.events} events`).join('; ') + ` (${DATA.generator})`;
  const warn = document.getElementById('warnings');
  for (const r of recordings) {
    const w = [];
    if (r.lost_events > 0) w.push(`${r.lost_events} events lost: every finding may be incomplete`);
    if (r.damaged) w.push(`damaged: ${r.damage}`);
    else if (!r.complete) w.push('incomplete: no trailer, the recorder did not stop cleanly');
    if (w.length) warn.appendChild(el('div', { class: 'warn' }, `${r.path}: ${w.join('; ')}`));
  }
}

// What each finding of the summary means, and where to look next.
const EXPLAIN = {
  'zombies': 'Children that exited and that no wait reaped before the recording ended: their parent ' +
    'never waited for them (or not for these). They hold a pid each until reaped or until the parent exits.',
  'stolen reaps': 'A wait for one specific child (waitpid(pid), waitid(P_PID)) failed with ECHILD, or was still ' +
    'blocked, because another wait had already reaped that child - typically another thread\'s wait(-1) or a ' +
    'SIGCHLD handler: the check-then-use race of waiting on "any child".',
  'auto-reaped': 'Children that vanished without any wait returning them: the kernel released them because ' +
    'the parent ignores SIGCHLD (SIG_IGN or SA_NOCLDWAIT), or they were reparented. A wait for them gets ECHILD.',
  'failed waits': 'Wait calls that returned an error. ECHILD means the caller had no child matching the call ' +
    '(none left, all auto-reaped, or stolen by another wait).',
  'polling threads': 'Threads calling wait with WNOHANG in a loop where most calls find nothing: CPU spent on ' +
    'polling. Their runs of empty polls are drawn as one span with a count.',
  'worst exit->reap latency': 'The longest time a child spent as a zombie between its exit and the wait that ' +
    'reaped it.',
  'children never reaped': 'Zombies plus auto-reaped children: exits that no traced wait returned.',
  'reaps inferred': 'waitid() success whose child the tracepoint does not name: wtrec inferred it as the ' +
    'earliest matching exited child.',
  '  lost events': 'Events the kernel lost (ring buffer overrun, commit overrun, dropped): if not 0, any finding may be incomplete.',
};

// Findings whose non-zero count is trouble.
const BAD = new Set(['zombies', 'stolen reaps', 'auto-reaped', 'failed waits', 'polling threads',
  'children never reaped', '  lost events']);

function drawFindings() {
  const tb = document.querySelector('#findings tbody');
  const all = document.querySelector('#summary tbody');
  for (const s of summary) {
    const key = s.item, value = s.value === null ? '' : String(s.value);
    const tr = el('tr');
    tr.appendChild(el('td', {}, key));
    tr.appendChild(el('td', {}, value));
    all.appendChild(tr);
    const why = EXPLAIN[key];
    if (!why) continue;
    const f = el('tr', { class: 'finding', 'data-finding': key.trim() });
    if (BAD.has(key) && parseInt(value, 10) > 0) f.classList.add('bad');
    f.appendChild(el('td', {}, key.trim()));
    const td = el('td', {}, value);
    td.appendChild(el('div', { class: 'why' }, why));
    f.appendChild(td);
    tb.appendChild(f);
  }
  const agg = document.getElementById('aggregated');
  const note = (t) => agg.appendChild(el('div', { class: 'note' }, t));
  const ci = calls.info || {};
  if (ci.runs > 0)
    note(`${ci.calls_in_runs} wait calls in ${ci.runs} runs of empty (or equally failing) WNOHANG polls ` +
      'are drawn as one span per run, with its count.');
  if (ci.group_size > 1)
    note(`Beyond the budget of ${ci.budget} spans (${ci.items_before_budget} after the runs), every ` +
      `${ci.group_size} consecutive spans of a thread are drawn as one group span with their counts.`);
  if (budget.candidates > budget.drawn)
    note(`${budget.candidates - budget.drawn} of ${budget.candidates} processes are not drawn (at most ` +
      `${budget.drawn} lanes, those with findings first): ${budget.not_drawn_by_fate}.`);
  const w = DATA.window || {};
  if (w.since_s >= 0 || w.until_s >= 0 || w.pid >= 0)
    note('Window: ' + [w.since_s >= 0 ? `since ${w.since_s} s` : '', w.until_s >= 0 ? `until ${w.until_s} s` : '',
      w.pid >= 0 ? `pid ${w.pid}, its parent and children` : ''].filter(Boolean).join(', ') + '.');
}

// ---- tree order -------------------------------------------------------------

const children = new Map();
const roots = [];
for (const p of procs) {
  if (p.parent_upid !== null && procByUpid.has(p.parent_upid)) {
    if (!children.has(p.parent_upid)) children.set(p.parent_upid, []);
    children.get(p.parent_upid).push(p);
  } else {
    roots.push(p);
  }
}
const byFork = (a, b) => (a.life_b_rel - b.life_b_rel) || (a.upid - b.upid);
roots.sort(byFork);
for (const l of children.values()) l.sort(byFork);
function dfs(list, depth, out) {
  for (const p of list) {
    p.__depth = depth;
    out.push(p);
    dfs(children.get(p.upid) || [], depth + 1, out);
  }
  return out;
}
const ordered = dfs(roots, 0, []);

const stealByChild = new Map(steals.map((s) => [s.child_upid, s]));

function fateText(p) {
  const lat = p.exit_ns !== null && p.reaped_ns !== null ? ' after ' + fmtDur(p.reaped_ns - p.exit_ns) : '';
  switch (p.fate) {
    case 'stolen': {
      const s = stealByChild.get(p.upid);
      return `stolen by tid ${p.reaper_tid} ${p.reap_call}${lat}` +
        (s ? `; tid ${s.victim_tid}'s ${s.victim_syscall} got ${s.victim_result}` : '');
    }
    case 'reaped': return `reaped by ${p.reaper_tid} ${p.reap_call}${lat}`;
    case 'zombie': return 'ZOMBIE' + (p.zombie_e_rel !== null && p.zombie_b_rel !== null ?
      ' ' + fmtDur(p.zombie_e_rel - p.zombie_b_rel) : '');
    case 'autoreaped': return `auto-reaped (${p.autoreap_evidence})`;
    case 'running': return 'running at end';
    default: return p.exit_ns !== null ? 'not reaped in the recording' : '';
  }
}

function drawTree() {
  const root = document.getElementById('tree');
  function list(ps) {
    const ul = el('ul');
    for (const p of ps) {
      const li = el('li');
      const node = el('span', { class: 'node', 'data-sel': 'proc:' + p.upid, 'data-upid': p.upid, 'data-pid': p.pid });
      node.appendChild(el('b', {}, `${p.comm || '?'} (pid ${p.pid})`));
      node.appendChild(document.createTextNode(' ' + p.status + ', '));
      node.appendChild(el('span', { class: 'fate-' + p.fate.replace(' ', '-') }, fateText(p)));
      li.appendChild(node);
      const kids = children.get(p.upid);
      if (kids) li.appendChild(list(kids));
      ul.appendChild(li);
    }
    return ul;
  }
  root.appendChild(list(roots));
  root.addEventListener('click', (ev) => {
    const n = ev.target.closest('[data-sel]');
    if (n) select(n.getAttribute('data-sel'));
  });
}

// ---- timeline layout ----------------------------------------------------------

const rec0 = recordings[0] || { start_rel: 0, end_rel: 1, win_lo_rel: 0, win_hi_rel: 1 };
const full = {
  t0: Math.min(...recordings.map((r) => r.win_lo_rel)),
  t1: Math.max(...recordings.map((r) => r.win_hi_rel)),
};
if (!(full.t1 > full.t0)) { full.t0 = 0; full.t1 = Math.max(1, rec0.end_rel || 1); }
const view = { t0: full.t0, t1: full.t1 };
// "#view=A,B" in the URL opens the timeline at ns A..B (relative times, as
// the axis shows them): a link to a moment of the incident.
{
  const m = /view=(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/.exec(location.hash);
  if (m && Number(m[2]) > Number(m[1])) { view.t0 = Number(m[1]); view.t1 = Number(m[2]); }
}

// Threads that waited, per process, in utid order; rows: y of each.
const waitThreads = new Map();
for (const t of threads) {
  if (!waitThreads.has(t.upid)) waitThreads.set(t.upid, []);
  waitThreads.get(t.upid).push(t);
}
const laneY = new Map(), threadY = new Map();
let height = AXIS_H;
for (const p of ordered) {
  const ts = waitThreads.get(p.upid) || [];
  p.__y = height;
  p.__h = PAD + LIFE_H + ts.length * THREAD_H + PAD;
  laneY.set(p.upid, height + PAD + LIFE_H / 2);
  ts.forEach((t, i) => threadY.set(t.utid, height + PAD + LIFE_H + i * THREAD_H + THREAD_H / 2));
  height += p.__h;
}

const svg = document.getElementById('timeline');
let width = 800;
const timed = []; // elements positioned in time: {node, b, e, kind}

function x(t) { return LABEL_W + (t - view.t0) / (view.t1 - view.t0) * (width - LABEL_W - 8); }

function build() {
  svg.textContent = '';
  const defs = sv('defs', {}, svg);
  const mk = sv('marker', { id: 'arrowhead', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 6,
    markerHeight: 6, orient: 'auto-start-reverse' }, defs);
  sv('path', { d: 'M0,0 L8,4 L0,8 z', fill: '#3c8d3c' }, mk);
  const clip = sv('clipPath', { id: 'plot' }, defs);
  const clipRect = sv('rect', { x: LABEL_W, y: 0, width: 10, height }, clip);
  timed.push({ node: clipRect, kind: 'clip' });

  const lanes = sv('g', { id: 'lanes' }, svg);
  const plot = sv('g', { 'clip-path': 'url(#plot)' }, svg);
  const spans = sv('g', { id: 'spans' }, plot);
  const arrows = sv('g', { id: 'arrows' }, plot);
  const markers = sv('g', { id: 'markers' }, plot);
  sv('g', { id: 'axis', class: 'axis' }, svg);

  ordered.forEach((p, i) => {
    const g = sv('g', { class: 'lane', 'data-upid': p.upid, 'data-pid': p.pid, 'data-fate': p.fate }, lanes);
    sv('rect', { class: 'lane-bg' + (i % 2 ? ' odd' : ''), x: 0, y: p.__y, width: '100%', height: p.__h }, g);
    const label = sv('text', { class: 'lane-label', x: 4 + 8 * Math.min(p.__depth, 12), y: p.__y + PAD + LIFE_H - 2,
      'data-sel': 'proc:' + p.upid }, g);
    label.textContent = `${p.comm || '?'} (pid ${p.pid})`;
    (waitThreads.get(p.upid) || []).forEach((t) => {
      const tl = sv('text', { class: 'thread-label', x: 14 + 8 * Math.min(p.__depth, 12),
        y: threadY.get(t.utid) + 4, 'data-sel': 'thread:' + t.utid, 'data-tid': t.tid }, g);
      tl.textContent = `tid ${t.tid} waits`;
    });
    const y = p.__y + PAD;
    if (p.life_b_rel !== null && p.life_e_rel !== null) {
      const r = sv('rect', { class: 'alive', y, height: LIFE_H, 'data-sel': 'proc:' + p.upid,
        'data-kind': 'alive', 'data-pid': p.pid }, spans);
      title(r, `${p.comm} (pid ${p.pid}) alive ${fmtAt(p.life_b_rel)} to ${fmtAt(p.life_e_rel)}, ${p.status}`);
      timed.push({ node: r, b: p.life_b_rel, e: p.life_e_rel, kind: 'span' });
    }
    if (p.zombie_b_rel !== null && p.zombie_e_rel !== null) {
      const never = p.fate === 'zombie';
      const r = sv('rect', { class: 'zombie' + (never ? ' never' : ''), y, height: LIFE_H,
        'data-sel': 'proc:' + p.upid, 'data-kind': never ? 'zombie-never-reaped' : 'zombie', 'data-pid': p.pid }, spans);
      title(r, `${p.comm} (pid ${p.pid}) zombie for ${fmtDur(p.zombie_e_rel - p.zombie_b_rel)}` +
        (never ? ', never reaped' : ''));
      timed.push({ node: r, b: p.zombie_b_rel, e: p.zombie_e_rel, kind: 'span' });
    }
  });

  items.forEach((it, i) => {
    const yc = threadY.get(it.utid);
    if (yc === undefined) return;
    const t = threadByUtid.get(it.utid);
    let cls = it.kind === 'call' ? 'call' : it.kind;
    if (it.kind === 'call' && it.reaped) cls += ' reaped';
    if (it.kind === 'call' && it.error) cls += ' error';
    const r = sv('rect', { class: cls, y: yc - THREAD_H / 2 + 2, height: THREAD_H - 4, 'data-sel': 'item:' + i,
      'data-kind': it.kind, 'data-tid': t ? t.tid : '', 'data-n': it.n, 'data-first-id': it.first_id }, spans);
    title(r, it.kind === 'call' ? `${it.label} ${fmtAt(it.b_rel)}, ${fmtDur(it.e_rel - it.b_rel)}` :
      `${it.n} calls ${it.label}... (${it.kind})`);
    timed.push({ node: r, b: it.b_rel, e: it.e_rel, kind: 'span', min: 2 });
    if (it.kind !== 'call') {
      const c = sv('text', { class: 'run-count', y: yc + 3.5 }, spans);
      c.textContent = '\u00d7' + it.n;
      timed.push({ node: c, b: it.b_rel, e: it.e_rel, kind: 'count' });
    }
    if (it.echild > 0) {
      const m = sv('path', { class: 'marker echild', 'data-sel': 'item:' + i, 'data-kind': 'echild',
        'data-tid': t ? t.tid : '', 'data-n': it.echild }, markers);
      title(m, `ECHILD${it.echild > 1 ? ' \u00d7' + it.echild : ''}: ${it.label}`);
      timed.push({ node: m, b: it.e_rel, y: yc, kind: 'cross' });
    }
  });

  // an item holding a call id: calls are items of their own or inside one
  const itemOfCall = (utid, id) => items.findIndex((it) => it.utid === utid && it.first_id <= id && id <= it.last_id);
  reaps.forEach((rp, i) => {
    const y0 = laneY.get(rp.child_upid), y1 = threadY.get(rp.utid);
    if (y0 === undefined || y1 === undefined) return;
    const a = sv('path', { class: 'arrow', 'marker-end': 'url(#arrowhead)', 'data-sel': 'reap:' + i,
      'data-kind': 'reap', 'data-child-pid': rp.child_pid, 'data-reaper-tid': rp.tid, 'data-call-id': rp.call_id,
      'data-item': itemOfCall(rp.utid, rp.call_id) }, arrows);
    title(a, `pid ${rp.child_pid} exited ${fmtAt(rp.exit_rel)}, reaped by tid ${rp.tid} after ${fmtDur(rp.latency_ns)}`);
    timed.push({ node: a, b: rp.exit_rel, e: rp.reap_rel, y0, y1, kind: 'arrow' });
  });
  steals.forEach((s, i) => {
    const y = threadY.get(s.victim_utid);
    if (y === undefined) return;
    const m = sv('path', { class: 'marker steal', 'data-sel': 'steal:' + i, 'data-kind': 'steal',
      'data-victim-tid': s.victim_tid, 'data-thief-tid': s.thief_tid, 'data-child-pid': s.child_pid }, markers);
    title(m, `stolen reap: child ${s.child_pid} was reaped by tid ${s.thief_tid}; tid ${s.victim_tid}'s ` +
      `${s.victim_syscall} got ${s.victim_result}`);
    timed.push({ node: m, b: s.at_rel, y, kind: 'diamond' });
  });
  autoreaps.forEach((a, i) => {
    const y = laneY.get(a.upid);
    if (y === undefined) return;
    const m = sv('circle', { class: 'marker autoreap', r: 4.5, cy: y, 'data-sel': 'autoreap:' + i,
      'data-kind': 'autoreap', 'data-pid': a.pid }, markers);
    title(m, `pid ${a.pid} auto-reaped: ${a.evidence}`);
    timed.push({ node: m, b: a.at_rel, kind: 'circle' });
  });
  layout();
}

function niceStep(span, n) {
  const raw = span / n, p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}

function layout() {
  width = Math.max(600, svg.parentElement.clientWidth);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height + 4);
  svg.setAttribute('viewBox', `0 0 ${width} ${height + 4}`);
  for (const t of timed) {
    const n = t.node;
    if (t.kind === 'clip') { n.setAttribute('width', Math.max(0, width - LABEL_W)); continue; }
    if (t.kind === 'span') {
      const x0 = x(t.b), x1 = x(t.e);
      n.setAttribute('x', x0);
      n.setAttribute('width', Math.max(t.min || 1, x1 - x0));
    } else if (t.kind === 'count') {
      const x0 = x(t.b), x1 = x(t.e);
      n.setAttribute('x', x0 + 2);
      n.style.display = x1 - x0 > 26 ? '' : 'none';
    } else if (t.kind === 'arrow') {
      const x0 = x(t.b), x1 = x(t.e), mid = (t.y0 + t.y1) / 2;
      n.setAttribute('d', `M${x0},${t.y0} C${x0},${mid} ${x1},${mid} ${x1},${t.y1}`);
    } else if (t.kind === 'cross') {
      const cx = x(t.b), s = 4;
      n.setAttribute('d', `M${cx - s},${t.y - s} L${cx + s},${t.y + s} M${cx - s},${t.y + s} L${cx + s},${t.y - s}`);
    } else if (t.kind === 'diamond') {
      const cx = x(t.b), s = 6;
      n.setAttribute('d', `M${cx},${t.y - s} L${cx + s},${t.y} L${cx},${t.y + s} L${cx - s},${t.y} z`);
    } else if (t.kind === 'circle') {
      n.setAttribute('cx', x(t.b));
    }
  }
  const axis = document.getElementById('axis');
  axis.textContent = '';
  const span = view.t1 - view.t0, step = niceStep(span, Math.max(2, (width - LABEL_W) / 110));
  for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
    sv('line', { x1: x(t), x2: x(t), y1: AXIS_H - 4, y2: height }, axis);
    const tx = sv('text', { x: x(t) + 2, y: AXIS_H - 8 }, axis);
    tx.textContent = fmtAt(t);
  }
  document.getElementById('view-range').textContent = `${fmtAt(view.t0)} \u2026 ${fmtAt(view.t1)}`;
}

// ---- zoom and pan -------------------------------------------------------------

function zoom(factor, at) {
  const span = view.t1 - view.t0;
  const c = at === undefined ? view.t0 + span / 2 : at;
  const ns = Math.max(span * factor, 200);
  view.t0 = c - (c - view.t0) * ns / span;
  view.t1 = view.t0 + ns;
  layout();
}
function timeAt(clientX) {
  const r = svg.getBoundingClientRect();
  return view.t0 + (clientX - r.left - LABEL_W) / (width - LABEL_W - 8) * (view.t1 - view.t0);
}
function setupZoom() {
  document.getElementById('zoom-in').onclick = () => zoom(0.5);
  document.getElementById('zoom-out').onclick = () => zoom(2);
  document.getElementById('zoom-reset').onclick = () => { view.t0 = full.t0; view.t1 = full.t1; layout(); };
  svg.addEventListener('wheel', (ev) => {
    if (!ev.ctrlKey && Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) return;
    ev.preventDefault();
    zoom(ev.deltaY > 0 ? 1.25 : 0.8, timeAt(ev.clientX));
  }, { passive: false });
  const wrap = document.getElementById('timeline-wrap');
  let drag = null;
  svg.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, t0: view.t0, t1: view.t1, moved: false }; });
  window.addEventListener('mousemove', (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x;
    if (Math.abs(dx) > 3) { drag.moved = true; wrap.classList.add('dragging'); }
    const dt = dx / (width - LABEL_W - 8) * (drag.t1 - drag.t0);
    view.t0 = drag.t0 - dt;
    view.t1 = drag.t1 - dt;
    layout();
  });
  window.addEventListener('mouseup', () => { setTimeout(() => { drag = null; }, 0); wrap.classList.remove('dragging'); });
  svg.addEventListener('click', (ev) => {
    if (drag && drag.moved) return;
    const n = ev.target.closest('[data-sel]');
    if (n) select(n.getAttribute('data-sel'));
  });
  window.addEventListener('resize', layout);
}

// ---- details --------------------------------------------------------------------

function rowTable(cols, row) {
  const t = el('table', { class: 'rowtab' });
  cols.forEach((c, i) => {
    const tr = el('tr');
    tr.appendChild(el('th', {}, c));
    const v = row[i];
    tr.appendChild(el('td', v === null ? { class: 'null' } : {}, v === null ? 'NULL' : String(v)));
    t.appendChild(tr);
  });
  return t;
}

// What a selection shows: kind, title, lines, and the SQL behind it.
function describe(sel) {
  const [kind, key] = sel.split(':');
  const k = Number(key);
  if (kind === 'proc') {
    const p = procByUpid.get(k);
    return p && { kind: 'process', title: `${p.comm || '?'} (pid ${p.pid}, upid ${p.upid})`,
      lines: [`${p.status}, ${fateText(p)}`, `alive ${fmtAt(p.life_b_rel)} to ${fmtAt(p.life_e_rel)}`],
      sql: `SELECT * FROM process WHERE upid = ${p.upid};`, cols: p.__cols, row: p.__row,
      from: 'section processes (process.* and the lane\'s own columns)' };
  }
  if (kind === 'thread') {
    const t = threadByUtid.get(k);
    return t && { kind: 'thread', title: `tid ${t.tid} (utid ${t.utid})`,
      lines: [`${t.wnohang_calls || 0} WNOHANG calls, ${t.wnohang_empty || 0} found nothing`],
      sql: `SELECT * FROM thread WHERE utid = ${t.utid};`,
      cols: DATA.threads.cols, row: t.__row, from: 'section threads (thread.*)' };
  }
  if (kind === 'item') {
    const it = items[k];
    if (!it) return null;
    const t = threadByUtid.get(it.utid);
    const lines = it.kind === 'call' ? [`${fmtAt(it.b_rel)}, ${fmtDur(it.e_rel - it.b_rel)}`] : [
      `${it.n} calls from ${fmtAt(it.b_rel)} to ${fmtAt(it.e_rel)}: ${it.nothing} found nothing, ` +
      `${it.error} failed (${it.echild} ECHILD), ${it.reaped} reaped, ${it.other} other`,
      it.kind === 'run' ? 'a run of consecutive WNOHANG polls with the same result, drawn as one span'
        : 'consecutive calls of this thread grouped to keep the page small (see Findings)',
      'the row below is the first of them'];
    return { kind: it.kind === 'call' ? 'wait call' : it.kind === 'run' ? 'run of polls' : 'group of calls',
      title: `${it.label}${it.kind === 'call' ? '' : ' \u00d7' + it.n} on tid ${t ? t.tid : '?'}`, lines,
      sql: it.kind === 'call' ? `SELECT * FROM wait_call WHERE id = ${it.first_id};` :
        `SELECT * FROM wait_call WHERE utid = ${it.utid} AND id BETWEEN ${it.first_id} AND ${it.last_id};`,
      cols: calls.cols, row: it.row, from: 'the @calls query (wait_call.* and the span\'s own columns)' };
  }
  if (kind === 'reap') {
    const r = reaps[k];
    return r && { kind: 'reap (arrow)', title: `pid ${r.child_pid} reaped by tid ${r.tid}`,
      lines: [`exited ${fmtAt(r.exit_rel)}, reaped ${fmtAt(r.reap_rel)}: ${fmtDur(r.latency_ns)} a zombie`,
        `by wait_call ${r.call_id}`],
      sql: `SELECT c.upid, c.pid, c.exit_ns, c.reaped_ns, w.*\n  FROM process c JOIN wait_call w ON w.id = c.reap_call_id\n WHERE c.upid = ${r.child_upid};`,
      cols: DATA.reaps.cols, row: r.__row, from: 'section reaps' };
  }
  if (kind === 'steal') {
    const s = steals[k];
    return s && { kind: 'stolen reap', title: `child ${s.child_pid} stolen by tid ${s.thief_tid}`,
      lines: [`tid ${s.victim_tid}'s ${s.victim_syscall} for pid ${s.child_pid} got ${s.victim_result} ` +
        `${fmtDur(s.gap_ns)} after tid ${s.thief_tid}'s ${s.thief_syscall}(${s.thief_idtype}) had reaped it`],
      sql: `SELECT * FROM stolen_v WHERE victim_call_id = ${s.victim_call_id};`,
      cols: DATA.steals.cols, row: s.__row, from: 'section steals (stolen_v.*)' };
  }
  if (kind === 'autoreap') {
    const a = autoreaps[k];
    return a && { kind: 'auto-reaped', title: `pid ${a.pid} auto-reaped`, lines: [a.evidence],
      sql: `SELECT * FROM autoreap_v WHERE upid = ${a.upid};`, cols: DATA.autoreaps.cols, row: a.__row,
      from: 'section autoreaps (from autoreap_v)' };
  }
  return null;
}

function select(sel) {
  const d = describe(sel);
  const body = document.getElementById('details-body');
  if (!d) return;
  body.textContent = '';
  body.setAttribute('data-selected', sel);
  body.appendChild(el('div', { class: 'kind' }, d.kind));
  body.appendChild(el('div', { class: 'title' }, d.title));
  for (const l of d.lines) body.appendChild(el('div', {}, l));
  body.appendChild(el('h3', {}, 'SQL'));
  body.appendChild(el('pre', { class: 'sql' }, d.sql + '\n-- wtrec analyze DB --sql "..." shows it'));
  body.appendChild(el('h3', {}, 'Row'));
  body.appendChild(el('div', { class: 'hint' }, `of html/data.sql, ${d.from}`));
  body.appendChild(rowTable(d.cols, d.row));
  document.querySelectorAll('.selected').forEach((n) => n.classList.remove('selected'));
  document.querySelectorAll(`[data-sel="${sel}"]`).forEach((n) => n.classList.add('selected'));
}

drawHeader();
drawFindings();
drawTree();
build();
setupZoom();
document.body.setAttribute('data-ready', '1');
