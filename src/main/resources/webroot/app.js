'use strict';
// The status page: state from the JSON API (/api/...), then live changes from Server-Sent Events (/events).
// No polling: the only timer redraws the members' uptime locally.

// The contract's public events (io.concurrencylab.bus.Addresses.PUBLIC_EVENTS; the stream names each event after
// its address) and the public addresses the wiretap can show. StaticPageTest checks these against Addresses.
const EVENT = {
  listChanged: 'lab.list.changed',
  ownerChanged: 'lab.list.owner.changed',
  squaresProgress: 'lab.squares.progress',
  squaresFinished: 'lab.squares.finished',
  clusterChanged: 'lab.cluster.changed',
  nodesChanged: 'lab.nodes.changed',
  wiretap: 'wiretap',
};
const TAP_ADDRESSES = [
  'lab.list.add', 'lab.list.remove', 'lab.list.snapshot', 'lab.list.changed', 'lab.list.owner',
  'lab.list.owner.changed', 'lab.factorial.compute',
  'lab.squares.run', 'lab.squares.start', 'lab.squares.cancel', 'lab.squares.runs', 'lab.squares.progress', 'lab.squares.finished',
  'lab.cluster.members', 'lab.cluster.changed',
  'lab.nodes.list', 'lab.nodes.add', 'lab.nodes.stop', 'lab.nodes.log', 'lab.nodes.changed',
  'lab.compare.start', 'lab.compare.cancel', 'lab.compare.latest', 'lab.compare.progress', 'lab.compare.finished',
];
const LOG_LINES = 24;
const MAX_CHIPS = 150;
const MAX_TAPS = 300;

const $ = (id) => document.getElementById(id);
/** This page's id: the API tags its requests with it, so the wiretap can tell this user's requests from others'. */
const CLIENT = 'page-' + Math.random().toString(36).slice(2, 10);

/** An element with attributes (class, title, ...) and children (nodes or text). Never parses HTML. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** hh:mm:ss, with milliseconds when {@code precise} (the wiretap, where order within a second matters). */
function clock(ms, precise) {
  const d = ms === undefined ? new Date() : new Date(ms);
  return d.toTimeString().slice(0, 8) + (precise ? '.' + String(d.getMilliseconds()).padStart(3, '0') : '');
}

function shortDigits(s, keep = 24) {
  return s.length <= keep ? s : s.slice(0, keep) + '…';
}

function ms(v) {
  return v >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(1);
}

function duration(millis) {
  const s = Math.floor(millis / 1000);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

/** fetch + JSON; a non-2xx answer throws an Error carrying the API's {error, status}. */
/** A body given as a string is sent as it is (JSON text already); {@code parse} reads the answer. */
async function api(method, path, body, parse = JSON.parse) {
  const init = { method, headers: { Accept: 'application/json', 'X-Lab-Client': CLIENT } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  let json = null;
  try { json = parse(await resp.text()); } catch (e) { /* not JSON */ }
  if (!resp.ok) {
    const err = new Error((json && json.error) || resp.statusText);
    err.status = resp.status;
    throw err;
  }
  return json;
}

/**
 * JSON whose integers of 16 digits or more stay text: the list holds any long, and a JavaScript number keeps only
 * 53 bits (9223372036854775807 would show as 9223372036854776000). Strings in the JSON are left as they are.
 */
function exact(text) {
  return JSON.parse(text.replace(/("(?:[^"\\]|\\.)*")|(?<![\w.+-])(-?\d{16,})(?![\d.eE])/g,
    (m, str, big) => str || `"${big}"`));
}

/** A list value typed as digits, as exact() reads it back: a number below 16 digits, else its digits as text. */
function exactValue(digits) {
  const text = BigInt(digits).toString();
  return text.replace('-', '').length >= 16 ? text : Number(text);
}

function say(node, text, isError) {
  node.textContent = text;
  node.classList.toggle('error', !!isError);
}

function unavailable(node, what, err) {
  const text = err.status === 503
    ? `${what} not available (503): ${err.message.replace(/^not available: /, '')}. That service is not running in this app.`
    : `${what}: ${err.message}` + (err.status ? ` (${err.status})` : '');
  say(node, text, err.status !== 503);
}

// ---------------------------------------------------------------- live stream

const live = { events: 0 };

function countEvent() {
  live.events++;
  document.body.dataset.events = String(live.events);
  $('event-count').textContent = live.events + (live.events === 1 ? ' event' : ' events');
}

function connect() {
  const es = new EventSource('/events');
  es.onopen = () => {
    $('live').textContent = 'live';
    $('live').className = 'live on';
    document.body.classList.remove('offline');
    $('offline').hidden = true;
    live.lostAt = null;
    loadAll(); // after a (re)connect: events may have been missed
  };
  es.onerror = () => {
    $('live').textContent = 'reconnecting…';
    $('live').className = 'live off';
    // serve is gone (or the network): say so, rather than show the last state as if it were live
    if (live.lostAt == null) live.lostAt = Date.now();
    document.body.classList.add('offline');
    $('offline').hidden = false;
    $('offline').textContent = `Disconnected from serve since ${clock(live.lostAt)}: everything below is as it was `
      + 'then. Reconnecting…';
  };
  const on = (name, handler, parse = JSON.parse) => es.addEventListener(name, (e) => {
    countEvent();
    handler(parse(e.data));
  });
  on(EVENT.listChanged, listChanged, exact);
  on(EVENT.ownerChanged, ownerChanged);
  on(EVENT.clusterChanged, clusterChanged);
  on(EVENT.nodesChanged, renderNodes);
  on(EVENT.squaresProgress, squaresProgress);
  on(EVENT.squaresFinished, squaresFinished);
  on(EVENT.wiretap, tapped);
}

function loadAll() {
  loadList();
  loadOwner();
  loadMembers();
  loadNodes();
  loadRuns();
}

// ---------------------------------------------------------------- list

const list = { items: [], added: 0, removed: 0, seq: null, loading: false, mine: new Map(), all: false };
const MAX_ALL_CHIPS = 2000;

async function loadList() {
  list.loading = true;
  try {
    const s = await api('GET', '/api/list', undefined, exact);
    Object.assign(list, { items: s.items, added: s.added, removed: s.removed });
    renderList();
  } catch (err) {
    say($('list-result'), 'list: ' + err.message, true);
  } finally {
    list.loading = false;
  }
}

function listChanged(ev) {
  logListAction(ev);
  list.seq = ev.seq;
  $('list-seq').textContent = '#' + ev.seq;
  if (list.loading) return; // the snapshot on its way is at least as new
  if (ev.op === 'add') {
    list.items.push(ev.value);
    list.added++;
  } else if (ev.op === 'remove') {
    if (list.items[0] !== ev.value) return loadList();
    list.items.shift();
    list.removed++;
  }
  // Out of step (an event missed, or counted twice around a reload): take a fresh snapshot.
  if (list.items.length !== ev.size) return loadList();
  renderList();
}

function logListAction(ev) {
  const mine = ev.op === 'add' && takeMine(ev.value);
  const text = ev.op === 'add' ? `added ${ev.value} → size ${ev.size}`
    : ev.op === 'remove' ? `removed ${ev.value} → size ${ev.size}` : 'list empty, waiting';
  const item = el('li', {}, el('time', {}, clock()), text);
  if (mine) item.append(' ', el('span', { class: 'you' }, '(you)'));
  const log = $(ev.op === 'add' ? 'producer-log' : 'consumer-log');
  log.prepend(item);
  while (log.children.length > LOG_LINES) log.lastChild.remove();
}

function takeMine(value) {
  const n = list.mine.get(value) || 0;
  if (n === 0) return false;
  if (n === 1) list.mine.delete(value); else list.mine.set(value, n - 1);
  return true;
}

function renderList() {
  $('list-size').textContent = list.items.length;
  $('list-added').textContent = list.added;
  $('list-removed').textContent = list.removed;
  const box = $('list-items');
  box.replaceChildren();
  box.classList.toggle('all', list.all);
  if (list.items.length === 0) box.append(el('span', { class: 'chip more' }, 'empty'));
  const limit = list.all ? MAX_ALL_CHIPS : MAX_CHIPS;
  list.items.slice(0, limit).forEach((v, i) => {
    box.append(el('span', { class: i === 0 ? 'chip head' : 'chip', title: i === 0 ? 'head' : null }, v));
  });
  const more = list.items.length - limit;
  if (more > 0 && !list.all) {
    const b = el('button', { type: 'button', class: 'chip more', id: 'list-more' }, `+${more} more: show all`);
    b.addEventListener('click', () => { list.all = true; renderList(); });
    box.append(b);
  } else if (more > 0) {
    box.append(el('span', { class: 'chip more' }, `and ${more} more (all of them: /api/list)`));
  } else if (list.all && list.items.length > MAX_CHIPS) {
    const b = el('button', { type: 'button', class: 'chip more' }, 'show fewer');
    b.addEventListener('click', () => { list.all = false; renderList(); });
    box.append(b);
  }
}

async function addValue(event) {
  event.preventDefault();
  const raw = $('add-value').value.trim();
  // Digits go as typed (a JavaScript number would round them past 2^53); anything else as text, so the list
  // owner's own 400 message comes back.
  const whole = /^-?\d+$/.test(raw);
  const value = whole ? exactValue(raw) : raw;
  list.mine.set(value, (list.mine.get(value) || 0) + 1);
  try {
    const r = await api('POST', '/api/list', whole ? `{"value": ${BigInt(raw)}}` : JSON.stringify({ value }), exact);
    say($('list-result'), `added ${r.added}, size ${r.size}`);
    $('add-value').value = '';
  } catch (err) {
    takeMine(value);
    say($('list-result'), `${err.status} ${err.message}`, true);
  }
}

async function removeHead() {
  try {
    const r = await api('DELETE', '/api/list/head');
    say($('list-result'), r.removed === null ? 'list was empty' : `removed ${r.removed}, size ${r.size}`);
  } catch (err) {
    say($('list-result'), `${err.status} ${err.message}`, true);
  }
}

// ---------------------------------------------------------------- the list's owner (one per cluster)

const owner = { id: null, epoch: 0, voters: [] };

async function loadOwner() {
  try {
    const o = await api('GET', '/api/list/owner');
    Object.assign(owner, { id: o.owner, epoch: o.epoch, voters: o.voters });
    if (o.lastChange) logFailover(o.lastChange, false);
    renderOwner();
  } catch (err) {
    say($('list-owner'), 'owner: ' + err.message, true);
  }
}

function ownerChanged(ev) {
  Object.assign(owner, { id: ev.owner, epoch: ev.epoch });
  logFailover(ev, true);
  loadOwner(); // the voters, as the new owner counts them
  loadList();
  renderMembers();
}

const failovers = new Set();

/** One line per change of owner: who took over from whom, and how long the list had no owner. */
function logFailover(ev, fresh) {
  const key = ev.epoch + ':' + ev.owner;
  if (failovers.has(key)) return;
  failovers.add(key);
  const text = ev.previous == null ? `${short(ev.owner)} owns the list (epoch ${ev.epoch})`
    : `${short(ev.owner)} took over from ${short(ev.previous)} (epoch ${ev.epoch}): no owner for ${ev.gapMs} ms`;
  const log = $('owner-log');
  log.prepend(el('li', { class: fresh ? 'fresh' : null }, el('time', {}, clock(ev.at)), text));
  while (log.children.length > 4) log.lastChild.remove();
}

function short(nodeId) {
  return nodeId == null ? '–' : nodeId === 'local' ? 'this serve' : nodeId.slice(0, 8);
}

function renderOwner() {
  const text = owner.id === 'local' ? 'owner: this serve (not clustered)'
    : owner.id == null ? 'owner: none (failing over, or no majority of the voters)'
    : `owner: ${short(owner.id)} · epoch ${owner.epoch} · ${owner.voters.length} voting serve${owner.voters.length === 1 ? '' : 's'}`;
  say($('list-owner'), text, owner.id == null);
  $('list-owner').title = owner.id && owner.id !== 'local'
    ? `node ${owner.id}; voters: ${owner.voters.join(', ')}` : '';
}

// ---------------------------------------------------------------- factorials

async function computeOne(event) {
  event.preventDefault();
  const n = $('fact-n').value.trim();
  try {
    const r = await api('GET', '/api/factorial/' + encodeURIComponent(n));
    say($('fact-single'), `${r.n}! = ${shortDigits(r.value, 40)}  (${r.digits} digits, ${r.micros} µs on ${r.thread})`);
  } catch (err) {
    say($('fact-single'), `${err.status} ${err.message}`, true);
  }
}

async function runBatch() {
  const body = $('fact-results').tBodies[0];
  body.replaceChildren();
  $('fact-summary').textContent = 'computing…';
  try {
    const r = await api('POST', '/api/factorial/batch', { n: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    r.results.forEach((x, i) => {
      const row = x.error
        ? el('tr', { class: 'result-row' }, el('td', {}, i + 1), el('td', {}, JSON.stringify(x.n)),
          el('td', { class: 'failed', colspan: 3 }, `${x.status} ${x.error}`))
        : el('tr', { class: 'result-row' }, el('td', {}, i + 1), el('td', {}, x.n),
          el('td', { title: x.value }, shortDigits(x.value)), el('td', { class: 'num' }, x.micros), el('td', {}, x.thread));
      body.append(row);
    });
    const threads = new Set(r.results.filter((x) => !x.error).map((x) => x.thread));
    $('fact-summary').textContent = `${r.results.length} results in ${r.ms.toFixed(1)} ms, in completion order, `
      + `on ${threads.size} worker thread${threads.size === 1 ? '' : 's'}`;
  } catch (err) {
    $('fact-summary').textContent = `${err.status} ${err.message}`;
  }
}

// ---------------------------------------------------------------- cluster

const cluster = { members: new Map(), at: Date.now(), available: false };

async function loadMembers() {
  try {
    const r = await api('GET', '/api/cluster/members');
    cluster.members = new Map(r.members.map((m) => [m.nodeId, m]));
    cluster.at = Date.now();
    cluster.available = true;
    say($('cluster-state'), '');
    renderMembers();
  } catch (err) {
    cluster.available = false;
    cluster.members.clear();
    renderMembers();
    unavailable($('cluster-state'), 'Cluster membership', err);
  }
}

function clusterChanged(ev) {
  const m = ev.member;
  if (ev.event === 'left') {
    cluster.members.delete(m.nodeId);
  } else {
    m.uptimeMs -= Date.now() - cluster.at; // so the local clock adds the right amount
    cluster.members.set(m.nodeId, m);
  }
  const log = $('cluster-log');
  say($('cluster-state'), '');
  log.prepend(el('li', {}, el('time', {}, clock()),
    `${ev.event} ${m.nodeId.slice(0, 8)} (pid ${m.pid}, ${m.role}) → ${ev.size} member${ev.size === 1 ? '' : 's'}`));
  while (log.children.length > 6) log.lastChild.remove();
  renderMembers();
}

function renderMembers() {
  $('cluster-members').hidden = cluster.members.size === 0;
  const body = $('cluster-members').tBodies[0];
  body.replaceChildren();
  const since = Date.now() - cluster.at;
  for (const m of cluster.members.values()) {
    const role = m.nodeId === owner.id ? el('span', {}, m.role, ' ', el('span', { class: 'badge owner', title: 'owns the list' }, 'list owner'))
      : m.role;
    body.append(el('tr', { class: m.nodeId === owner.id ? 'owner' : null },
      el('td', { title: m.nodeId }, m.nodeId.slice(0, 8)), el('td', { class: 'num' }, m.pid),
      el('td', {}, role), el('td', {}, m.host), el('td', { class: 'num' }, duration(m.uptimeMs + since))));
  }
}

// ---------------------------------------------------------------- node processes

const SOURCES = { serve: 'this serve', cluster: 'lab cluster', sweep: 'sweep', member: 'other' };

async function loadNodes() {
  try {
    renderNodes(await api('GET', '/api/cluster/nodes'));
    say($('nodes-state'), '');
  } catch (err) {
    unavailable($('nodes-state'), 'Nodes', err);
  }
}

/**
 * The table as the server sent it (GET /api/cluster/nodes or lab.nodes.changed, at most once a second). Rows are
 * updated in place, keyed by node: a link or a button being clicked is not replaced under the pointer.
 */
function renderNodes(t) {
  const body = $('nodes-table').tBodies[0];
  $('nodes-table').hidden = t.nodes.length === 0;
  $('nodes-empty').hidden = t.nodes.length > 0;
  const num = (v, digits) => (v == null || v < 0 ? '–' : v.toFixed(digits));
  const rows = new Map([...body.rows].map((r) => [r.dataset.key, r]));
  let previous = null;
  for (const n of t.nodes) {
    const gone = n.state === 'gone';
    let tr = rows.get(n.key) || (n.nodeId && rows.get(String(n.pid))); // a node's first report renames its row
    rows.delete(tr ? tr.dataset.key : null);
    if (!tr) {
      tr = el('tr', {}, ...Array.from({ length: 13 }, () => el('td')));
      [1, 6, 7, 8, 9, 10].forEach((i) => tr.cells[i].classList.add('num'));
    }
    tr.dataset.key = n.key;
    tr.dataset.pid = String(n.pid);
    tr.dataset.state = n.state;
    tr.classList.toggle('gone', gone);
    const texts = [n.nodeId ? n.nodeId.slice(0, 8) : '…', String(n.pid), n.host || '–', n.role || '–',
      SOURCES[n.source] || n.source, gone ? `gone (${n.goneWhy || ''})` : n.state, num(n.cpuPercent, 1),
      num(n.rssMb, 1), num(n.peakRssMb, 1), n.chunks == null ? '–' : String(n.chunks),
      n.uptimeMs == null ? '–' : duration(n.uptimeMs)];
    texts.forEach((text, i) => { if (tr.cells[i].textContent !== text) tr.cells[i].textContent = text; });
    tr.cells[0].title = n.nodeId || '';
    tr.cells[4].title = n.run ? 'run ' + n.run : '';
    if (n.log && !tr.cells[11].querySelector('a')) {
      tr.cells[11].replaceChildren(el('a', { href: `/api/cluster/nodes/${encodeURIComponent(n.key)}/log`,
        target: '_blank', rel: 'noopener', class: 'node-log' }, 'log'));
    } else if (!n.log) {
      tr.cells[11].textContent = '–';
    }
    const stoppable = n.source === 'serve' && !gone;
    if (stoppable && !tr.cells[12].querySelector('button')) {
      const stop = el('button', { type: 'button', class: 'node-stop', title: 'SIGTERM, SIGKILL after squares.stopGraceMs' }, 'Stop');
      stop.addEventListener('click', () => stopNode(tr.dataset.key, stop));
      tr.cells[12].replaceChildren(stop);
    } else if (!stoppable) {
      tr.cells[12].replaceChildren();
    }
    const at = previous ? previous.nextSibling : body.firstChild;
    if (at !== tr) body.insertBefore(tr, at);
    previous = tr;
  }
  rows.forEach((r) => r.remove());
}

async function addNodes(event) {
  event.preventDefault();
  const count = Number($('nodes-count').value);
  try {
    const r = await api('POST', '/api/cluster/nodes', { count: Number.isFinite(count) ? count : $('nodes-count').value });
    say($('nodes-result'), `launched pid ${r.launched.map((n) => n.pid).join(', ')}: shown once they report`);
    loadNodes();
  } catch (err) {
    say($('nodes-result'), `${err.message} (${err.status})`, true);
  }
}

async function stopNode(key, button) {
  button.disabled = true;
  try {
    const r = await api('DELETE', `/api/cluster/nodes/${encodeURIComponent(key)}`);
    say($('nodes-result'), `${r.killed ? 'killed' : 'stopped'} pid ${r.stopped}`);
  } catch (err) {
    button.disabled = false;
    say($('nodes-result'), `${err.message} (${err.status})`, true);
  }
}

// ---------------------------------------------------------------- squares

const squares = { runs: [], selected: null, started: null, going: null, available: false };
const PHASES = ['launch', 'compute', 'teardown'];
/** A phase's share of a size when no earlier run of that size says better (launch is mostly JVM start). */
const PHASE_SHARE = { launch: 0.7, compute: 0.2, teardown: 0.1 };

async function loadRuns() {
  try {
    const r = await api('GET', '/api/squares/runs');
    squares.runs = r.runs;
    squares.available = true;
    say($('squares-state'), '');
    renderHistory();
    if (squares.runs.length) selectRun(squares.runs[squares.runs.length - 1].id);
    const awaited = squares.started && squares.runs.find((x) => x.id === squares.started.run);
    if (awaited) {
      squaresFinished(awaited); // it ended while the stream was down (a slow page is cut off): its end, as if heard
    }
    // a sweep going on this serve or another (started from another page, lab eb, the API)
    setGoing(r.running ? r.running.run : null);
    if (!r.running) $('squares-progress').hidden = true;
  } catch (err) {
    squares.available = false;
    $('squares-empty').hidden = true;
    unavailable($('squares-state'), 'Squares sweeps', err);
  }
}

/** One sweep at a time: while one goes, Start is off and Cancel on, on every open page. */
function setGoing(run) {
  squares.going = run;
  $('sq-start').disabled = !!run;
  $('sq-start').title = run ? `run ${run} is going: one sweep at a time (cancel it first)` : '';
  $('sq-cancel').disabled = !run;
}

async function startSweep(event) {
  event.preventDefault();
  const sizes = $('sq-sizes').value.split(',').map((s) => s.trim()).filter((s) => s !== '')
    .map((s) => (/^-?\d+$/.test(s) ? Number(s) : s));
  const num = (id) => (/^-?\d+$/.test($(id).value.trim()) ? Number($(id).value) : $(id).value);
  const onCluster = $('sq-on-cluster').checked;
  // over the cluster's nodes: one size of every node there (the sizes field is off meanwhile)
  const request = onCluster ? { nodes: 'cluster', from: num('sq-from'), to: num('sq-to') }
    : { sizes, from: num('sq-from'), to: num('sq-to') };
  if ($('sq-chunk').value.trim() !== '') request.chunk = num('sq-chunk'); // empty: automatic chunks
  if ($('sq-fail-at').value.trim() !== '') request.failAt = num('sq-fail-at'); // empty: no task fails on purpose
  try {
    const r = await api('POST', '/api/squares/runs', request);
    if (squares.runs.some((x) => x.id === r.run)) return; // its end came over the stream before this reply
    squares.started = { run: r.run, sizes: request.sizes || [] };
    setGoing(r.run);
    say($('squares-result'), `run ${r.run} started`);
    showProgress(0, `run ${r.run}: starting…`);
  } catch (err) {
    if (err.status === 503) {
      unavailable($('squares-state'), 'Squares sweeps', err);
      say($('squares-result'), 'not started (503)', true);
    } else {
      say($('squares-result'), `not started (${err.status}): ${err.message}`, true);
    }
  }
}

async function cancelSweep() {
  const run = squares.going;
  if (!run) return;
  $('sq-cancel').disabled = true;
  say($('squares-result'), `cancelling run ${run}…`);
  try {
    const record = await api('DELETE', '/api/squares/runs/' + encodeURIComponent(run));
    squaresFinished(record); // answered once its nodes are stopped, with the record as kept
  } catch (err) {
    say($('squares-result'), `not cancelled (${err.status}): ${err.message}`, true);
    $('sq-cancel').disabled = !squares.going;
  }
}

function showProgress(fraction, text) {
  $('squares-progress').hidden = false;
  $('squares-bar').style.width = Math.round(Math.max(0, Math.min(1, fraction)) * 100) + '%';
  $('squares-progress-text').textContent = text;
}

/** Each phase's share of a size of {@code size} nodes: as the latest completed run measured it, else a guess. */
function phaseShares(size) {
  for (let i = squares.runs.length - 1; i >= 0; i--) {
    const s = squares.runs[i].sizes.find((x) => x.size === size && !x.stoppedIn);
    const sum = s ? s.launchMs + s.computeMs + s.teardownMs : 0;
    if (sum > 0) return { launch: s.launchMs / sum, compute: s.computeMs / sum, teardown: s.teardownMs / sum };
  }
  return PHASE_SHARE;
}

/** The whole run: sizes done of sizes, each size's phases in proportion, chunks of chunks while computing. */
function squaresProgress(p) {
  if (squares.going !== p.run) setGoing(p.run);
  const steps = p.steps || 1, step = p.step || 1;
  const shares = phaseShares(p.size);
  let within = 0;
  for (const phase of PHASES) {
    if (phase === p.phase) {
      within += shares[phase] * (p.total > 0 ? p.done / p.total : 1);
      break;
    }
    within += shares[phase];
  }
  if (p.phase === 'done') within = 1;
  const what = p.phase === 'launch' ? `${p.done}/${p.total} nodes ready`
    : p.phase === 'compute' ? `${p.chunks || 0}/${p.chunksTotal || 0} chunks · ${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')} numbers`
      : p.phase === 'teardown' ? `${p.done}/${p.total} nodes stopped` : 'done';
  showProgress((step - 1 + within) / steps, `run ${p.run} · size ${step} of ${steps}: ${p.size} node${p.size === 1 ? '' : 's'}`
    + ` · ${p.phase} · ${what}`);
}

const KEPT_RUNS = 1000;

function squaresFinished(record) {
  if (squares.started && squares.started.run === record.id) squares.started = null;
  if (squares.going === record.id) setGoing(null);
  // as many as serve keeps (RunHistory.MAX_RUNS): a page left open for weeks does not grow without end
  squares.runs = squares.runs.filter((r) => r.id !== record.id).concat([record]).slice(-KEPT_RUNS);
  $('squares-progress').hidden = true;
  const status = record.status || (record.ok ? 'done' : 'failed');
  say($('squares-result'), status === 'done' ? `run ${record.id} done` : `run ${record.id} ${status}: ${record.error}`,
    status !== 'done');
  renderHistory();
  selectRun(record.id);
}

/** "12.3 ms", "1,234 ms"; a dash for a phase the run never reached. */
function msCell(v, reached) {
  return reached ? ms(v) + ' ms' : '–';
}

function selectRun(id) {
  squares.selected = id;
  const run = squares.runs.find((r) => r.id === id);
  renderHistory();
  if (!run) return;
  const req = run.request;
  const status = run.status || (run.ok ? 'done' : 'failed');
  $('run-title').textContent = `Run ${run.id} · ${req.from}..${req.to}, chunk ${req.chunk || 'auto'}`
    + (req.failAt !== undefined ? `, failAt ${req.failAt}` : '') + (status === 'done' ? '' : ` · ${status}: ${run.error}`);
  const body = $('squares-table').tBodies[0];
  body.replaceChildren();
  for (const s of run.sizes) {
    const nodes = s.nodes.map((n) => {
      const mem = n.peakRssMb >= 0 ? n.peakRssMb : n.rssMb;
      return `${n.numbers.toLocaleString('en')} (pid ${n.pid}, ${mem >= 0 ? Math.round(mem) + ' MB' : 'RSS unknown'})`;
    }).join(', ');
    const extra = (s.retries ? ` · ${s.retries} chunks re-queued` : '') + (s.stoppedIn ? ` · stopped in ${s.stoppedIn}` : '');
    const computed = !s.stoppedIn || s.stoppedIn === 'compute';
    body.append(el('tr', { class: s.stoppedIn ? 'stopped' : null }, el('td', { class: 'num' }, s.size),
      el('td', { class: 'num' }, msCell(s.launchMs, true)), el('td', { class: 'num' }, msCell(s.computeMs, computed)),
      el('td', { class: 'num' }, msCell(s.teardownMs, true)), el('td', { class: 'num' }, msCell(s.totalMs, true)),
      el('td', { class: 'num' }, s.chunk.toLocaleString('en')), el('td', {}, (nodes || 'no node reported') + extra)));
    for (const l of s.lost) {
      // what it answered before it was lost (unknown, -1 or absent, in older records)
      const answered = l.chunks >= 0 ? `it had answered ${l.chunks} chunk(s), ${l.numbers} numbers; ` : '';
      body.append(el('tr', { class: 'lost' }, el('td', {}, ''), el('td', { class: 'lost', colspan: 6 },
        `lost node pid ${l.pid} (${l.reason}): ${answered}${l.requeued} chunk(s) re-queued`)));
    }
  }
  renderFailures(run);
  drawChart(run);
  drawTimeline(run);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A function that appends an SVG element (tag, attributes, text) to {@code svg} and returns it. */
function svgDrawer(svg) {
  return (tag, attrs, text) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
}

/** The task stream of each size: a lane per node, a bar per span of chunks, on that size's compute time axis. */
function drawTimeline(run) {
  const svg = $('squares-timeline');
  const s = svgDrawer(svg);
  svg.replaceChildren();
  const sizes = run.sizes.filter((x) => x.timeline && x.timeline.length);
  $('squares-timeline-box').hidden = sizes.length === 0;
  if (!sizes.length) return;
  // drawn at the width it is shown at, so its text keeps its size whatever the page's width
  const W = Math.max(320, Math.round(svg.parentNode.clientWidth || 840)), left = 64, right = 56, lane = 10, gap = 14;
  const title = (node, text) => node.append(Object.assign(document.createElementNS(SVG_NS, 'title'), { textContent: text }));
  const known = (v) => v !== undefined && v !== null;
  let y = 4;
  for (const x of sizes) {
    // one axis for the node's whole life: 0 is the start of compute, launch and ready come before it
    const marks = x.timeline.map((t) => t.marks || {});
    const start = Math.min(0, ...marks.map((m) => m.launchMs).filter(known));
    const end = Math.max(0.01, ...x.timeline.flatMap((t) => t.spans.map((sp) => sp.endMs)),
      ...x.timeline.map((t) => t.lostAtMs), ...marks.flatMap((m) => [m.stopMs, m.exitMs]).filter(known));
    const px = (v) => left + (W - left - right) * ((v - start) / (end - start));
    const lost = new Map((x.lost || []).map((l) => [l.nodeId, l]));
    s('text', { x: 0, y: y + 8 }, `${x.size} node${x.size === 1 ? '' : 's'} · launch ${ms(x.launchMs)} ms · compute `
      + `${ms(x.computeMs)} ms · teardown ${ms(x.teardownMs)} ms`);
    s('text', { x: W - right + 2, y: y + 8 }, `${ms(end)} ms`);
    y += 12;
    if (start < 0) {
      s('line', { x1: px(0), x2: px(0), y1: y, y2: y + x.timeline.length * (lane + 2), class: 'zero' });
    }
    for (const t of x.timeline) {
      const m = t.marks || {};
      s('line', { x1: left, x2: W - right, y1: y + lane / 2, y2: y + lane / 2, class: 'lane' });
      s('text', { x: 4, y: y + lane - 2 }, `pid ${t.pid}`);
      if (known(m.launchMs)) { // launched until ready (or until it stopped, if it never was)
        const until = known(m.readyMs) ? m.readyMs : known(m.stopMs) ? m.stopMs : end;
        title(s('rect', { x: px(m.launchMs), y: y + 3, width: Math.max(0.8, px(until) - px(m.launchMs)), height: lane - 6,
          class: 'starting' }), `pid ${t.pid}: launched at ${ms(m.launchMs)} ms`
          + (known(m.readyMs) ? `, ready at ${ms(m.readyMs)} ms (${ms(m.readyMs - m.launchMs)} ms)` : ', never ready'));
        title(s('line', { x1: px(m.launchMs), x2: px(m.launchMs), y1: y, y2: y + lane, class: 'mark mark-launch' }),
          `pid ${t.pid} launched at ${ms(m.launchMs)} ms`);
      }
      if (known(m.readyMs)) {
        title(s('line', { x1: px(m.readyMs), x2: px(m.readyMs), y1: y, y2: y + lane, class: 'mark mark-ready' }),
          `pid ${t.pid} ready at ${ms(m.readyMs)} ms`);
      }
      for (const sp of t.spans) {
        title(s('rect', { x: px(sp.startMs), y: y + 1, width: Math.max(0.8, px(sp.endMs) - px(sp.startMs)), height: lane - 2,
          class: 'span' }), `pid ${t.pid}: ${sp.chunks} chunk${sp.chunks === 1 ? '' : 's'}, ${sp.numbers.toLocaleString('en')}`
            + ` numbers from ${sp.from}, ${ms(sp.startMs)}–${ms(sp.endMs)} ms`);
      }
      if (known(m.stopMs)) { // teardown: told to stop until its process was seen to exit
        const until = known(m.exitMs) ? m.exitMs : m.stopMs;
        title(s('rect', { x: px(m.stopMs), y: y + 3, width: Math.max(0.8, px(until) - px(m.stopMs)), height: lane - 6,
          class: 'teardown' }), `pid ${t.pid}: teardown from ${ms(m.stopMs)} ms` + (known(m.exitMs) ? `, exited at ${ms(m.exitMs)} ms` : ''));
        title(s('line', { x1: px(m.stopMs), x2: px(m.stopMs), y1: y, y2: y + lane, class: 'mark mark-teardown' }),
          `pid ${t.pid} teardown at ${ms(m.stopMs)} ms`);
      }
      if (known(m.exitMs)) {
        title(s('line', { x1: px(m.exitMs), x2: px(m.exitMs), y1: y, y2: y + lane, class: 'mark mark-exit' }),
          `pid ${t.pid} exited at ${ms(m.exitMs)} ms`);
      }
      if (t.lostAtMs >= 0) {
        const lx = px(t.lostAtMs);
        const l = lost.get(t.nodeId);
        const why = `pid ${t.pid} lost at ${ms(t.lostAtMs)} ms` + (l ? ` (${l.reason}); ${l.requeued} chunk`
          + `${l.requeued === 1 ? '' : 's'} re-queued to the others` : '');
        s('line', { x1: lx - 3, x2: lx + 3, y1: y + 1, y2: y + lane - 1, class: 'lost' });
        title(s('line', { x1: lx - 3, x2: lx + 3, y1: y + lane - 1, y2: y + 1, class: 'lost' }), why);
        if (l && l.requeued > 0) {
          title(s('text', { x: lx + 5, y: y + lane - 2, class: 'requeued' }, `↻${l.requeued}`), why);
        }
      }
      y += lane + 2;
    }
    y += gap;
  }
  svg.setAttribute('viewBox', `0 0 ${W} ${y}`);
}

function renderFailures(run) {
  const list = $('squares-failure-list');
  list.replaceChildren();
  const failures = run.sizes.flatMap((s) => (s.failures || []).map((f) => ({ size: s.size, ...f })));
  for (const f of failures) {
    const o = f.origin || {};
    list.append(el('div', { class: 'failure' },
      el('div', { class: 'where' }, `size ${f.size} · chunk ${f.from}..${f.from + f.count - 1} · node pid ${f.pid}`
        + ` at ${f.host || o.host} · thread ${o.thread}`),
      el('div', { class: 'what' }, `${o.type}${o.message ? ': ' + o.message : ''}`),
      el('pre', { class: 'stack' }, (o.stack || []).map((line) => (line.startsWith('Caused by') ? line : '    ' + line))
        .join('\n'))));
  }
  $('squares-failures').hidden = failures.length === 0;
}

function renderHistory() {
  $('squares-empty').hidden = squares.runs.length > 0;
  $('squares-body').hidden = squares.runs.length === 0;
  const list = $('squares-history');
  list.replaceChildren();
  for (const run of squares.runs.slice().reverse()) {
    const status = run.status || (run.ok ? 'done' : 'failed');
    const total = run.sizes.reduce((sum, s) => sum + s.totalMs, 0);
    const item = el('li', { class: (run.id === squares.selected ? 'selected ' : '') + (status === 'done' ? '' : status) },
      `${run.id} · ${(run.started || '').replace('T', ' ').slice(0, 19)} · sizes ${run.request.sizes.join(',')}`
      + ` · ${(total / 1000).toFixed(1)} s${status === 'done' ? '' : ` · ${status} after ${run.sizes.length} of `
      + `${run.request.sizes.length} size${run.request.sizes.length === 1 ? '' : 's'}`}`);
    item.addEventListener('click', () => selectRun(run.id));
    list.append(item);
  }
}

/** Time per cluster size, phases stacked: hand-drawn SVG. */
function drawChart(run) {
  const svg = $('squares-chart');
  const s = svgDrawer(svg);
  svg.replaceChildren();
  const W = 420, H = 220, left = 44, right = 10, top = 14, bottom = 28;
  const sizes = run.sizes;
  const max = Math.max(1, ...sizes.map((x) => x.launchMs + x.computeMs + x.teardownMs));
  const tick = niceStep(max / 4);
  const yMax = Math.ceil(max / tick) * tick;
  const y = (v) => top + (H - top - bottom) * (1 - v / yMax);
  for (let v = 0; v <= yMax + 1e-9; v += tick) {
    s('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: v === 0 ? 'axis' : 'gridline' });
    s('text', { x: left - 4, y: y(v) + 3, 'text-anchor': 'end' }, v >= 1000 ? (v / 1000) + ' s' : v + ' ms');
  }
  const slot = (W - left - right) / Math.max(1, sizes.length);
  const barW = Math.min(56, slot * 0.6);
  sizes.forEach((x, i) => {
    const cx = left + slot * (i + 0.5);
    let acc = 0;
    for (const [phase, v] of [['launch', x.launchMs], ['compute', x.computeMs], ['teardown', x.teardownMs]]) {
      s('rect', { x: cx - barW / 2, y: y(acc + v), width: barW, height: Math.max(0, y(acc) - y(acc + v)), class: phase })
        .append(Object.assign(document.createElementNS(SVG_NS, 'title'), { textContent: `${phase}: ${ms(v)} ms` }));
      acc += v;
    }
    s('text', { x: cx, y: y(acc) - 3, 'text-anchor': 'middle', class: 'value' }, ms(acc) + ' ms');
    s('text', { x: cx, y: H - bottom + 13, 'text-anchor': 'middle' }, `${x.size} node${x.size === 1 ? '' : 's'}`
      + (x.stoppedIn ? ` (stopped in ${x.stoppedIn})` : ''));
  });
}

function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

// ---------------------------------------------------------------- wiretap

const tap = { rows: [], paused: false, hidden: 0, dropped: 0, mine: [] };
const ACTORS = ['producer', 'consumer'];
const MAX_MINE = 50;

function tapped(t) {
  if (t.kind === 'dropped') tap.dropped += parseInt(t.body, 10) || 0;
  if (t.origin === CLIENT) { // this user's own requests and replies: kept apart, so they never scroll away
    tap.mine.unshift(t);
    if (tap.mine.length > MAX_MINE) tap.mine.pop();
    renderMine();
  }
  tap.rows.push(t);
  if (tap.rows.length > MAX_TAPS) tap.rows.shift();
  if (tap.paused) {
    tap.hidden++;
  } else if (shown(t)) {
    const body = $('tap').tBodies[0];
    body.prepend(tapRow(t));
    while (body.children.length > MAX_TAPS) body.lastChild.remove();
  }
  updateTapCount();
}

function shown(t) {
  const filter = $('tap-filter').value;
  if ($('tap-hide-actors').checked && ACTORS.includes(t.origin)) return false;
  return !filter || t.address === filter;
}

function renderMine() {
  const box = $('tap-mine');
  box.replaceChildren(...tap.mine.map((t) => el('li', { class: 'kind-' + t.kind }, el('time', {}, clock(t.at, true)),
    ` ${t.kind} ${t.address} ${t.body}`)));
  $('tap-mine-box').hidden = tap.mine.length === 0;
}

function tapRow(t) {
  return el('tr', { 'data-address': t.address, class: t.origin === CLIENT ? 'mine' : null,
    title: t.origin ? 'from ' + (t.origin === CLIENT ? 'this page' : t.origin) : null }, el('td', {}, clock(t.at, true)),
    el('td', { class: 'dir', title: t.dir === 'in' ? 'from another member' : 'sent from this process' },
      t.dir === 'in' ? '←' : '→'),
    el('td', {}, el('span', { class: 'kind ' + t.kind }, t.kind)), el('td', {}, t.address), el('td', { title: t.body }, t.body));
}

function renderTaps() {
  const body = $('tap').tBodies[0];
  body.replaceChildren(...tap.rows.filter(shown).reverse().map(tapRow));
  updateTapCount();
}

function updateTapCount() {
  $('tap-count').textContent = `${tap.rows.length} kept (the last ${MAX_TAPS})`
    + (tap.dropped ? ` · ${tap.dropped} not shown by the server (over its rate)` : '')
    + (tap.paused ? ` · paused (${tap.hidden} new)` : '');
}

// ---------------------------------------------------------------- wiring

function init() {
  const filter = $('tap-filter');
  TAP_ADDRESSES.forEach((a) => filter.append(el('option', { value: a }, a)));
  filter.addEventListener('change', renderTaps);
  $('tap-hide-actors').addEventListener('change', renderTaps);
  $('tap-pause').addEventListener('click', () => {
    tap.paused = !tap.paused;
    tap.hidden = 0;
    $('tap-pause').textContent = tap.paused ? 'Resume' : 'Pause';
    renderTaps();
  });
  $('tap-clear').addEventListener('click', () => {
    tap.rows = [];
    renderTaps();
  });
  $('add-form').addEventListener('submit', addValue);
  $('remove-head').addEventListener('click', removeHead);
  $('fact-form').addEventListener('submit', computeOne);
  $('fact-batch').addEventListener('click', runBatch);
  $('squares-form').addEventListener('submit', startSweep);
  $('sq-on-cluster').addEventListener('change', () => { $('sq-sizes').disabled = $('sq-on-cluster').checked; });
  $('sq-cancel').addEventListener('click', cancelSweep);
  $('nodes-form').addEventListener('submit', addNodes);
  setInterval(() => { if (cluster.members.size) renderMembers(); }, 1000);
  renderList();
  connect();
}

init();
