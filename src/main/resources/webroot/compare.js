'use strict';
// The Q1 panel: the latest comparison (GET /api/compare/latest) as a chart and a table, a button that runs one
// (POST /api/compare/runs; one at a time) and one that cancels it (DELETE /api/compare/runs/current), with its
// progress live from its own Server-Sent Events stream. Self-contained: it shares nothing with app.js.
(() => {
  // io.concurrencylab.bus.Addresses: the events this panel listens to (the stream names each after its address)
  const EVENT = { progress: 'lab.compare.progress', finished: 'lab.compare.finished' };
  // Each chart's groups: a JVM way beside the Python way it is compared with (null: no counterpart).
  const GROUPS = [
    { name: ['one thread'], jvm: 'sequential', python: 'sequential' },
    { name: ['one event loop', '(asyncio)'], jvm: 'event-loop', python: 'asyncio' },
    { name: ['threads'], jvm: 'workers', python: 'threads' },
    { name: ['processes', 'warm'], jvm: 'nodes-warm', python: 'pool-warm' },
    { name: ['processes', 'start included'], jvm: 'nodes-launch', python: 'pool-creation' },
  ];
  const $ = (id) => document.getElementById(id);
  const state = { running: null, report: null, poll: undefined };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function say(node, text, isError) {
    node.textContent = text;
    node.classList.toggle('error', !!isError);
  }

  function ms(v) {
    if (v === null || v === undefined) return '-';
    return (v >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(1)) + ' ms';
  }

  async function api(method, path, body) {
    const init = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const resp = await fetch(path, init);
    let json = null;
    try { json = await resp.json(); } catch (e) { /* not JSON */ }
    if (!resp.ok) {
      const err = new Error((json && json.error) || resp.statusText);
      err.status = resp.status;
      throw err;
    }
    return json;
  }

  function setRunning(run) {
    state.running = run;
    // While one runs, its state is also asked for now and then: its end is shown even if the stream missed it.
    if (run && !state.poll) state.poll = setInterval(load, 5000);
    if (!run && state.poll) state.poll = clearInterval(state.poll);
    $('cmp-start').disabled = !!run;
    $('cmp-cancel').disabled = !run;
    if (!run) $('compare-progress').hidden = true;
  }

  function showProgress(p) {
    $('compare-progress').hidden = false;
    $('compare-bar').style.width = Math.round(100 * p.done / Math.max(1, p.total)) + '%';
    $('compare-progress-text').textContent = `${p.run} · step ${p.done + 1} of ${p.total}: ${p.step}`;
  }

  async function load() {
    try {
      const r = await api('GET', '/api/compare/latest');
      const awaited = state.running;
      say($('compare-state'), '');
      if (!r.running && r.report && r.report.id === awaited) {
        finished(r.report); // it ended while the stream was down (a slow page is cut off): its end, as if heard
        return;
      }
      setRunning(r.running);
      if (r.progress) showProgress(r.progress);
      if (r.report) render(r.report);
    } catch (err) {
      setRunning(null);
      $('cmp-start').disabled = err.status === 503;
      say($('compare-state'), err.status === 503
        ? 'Comparisons not available (503): that service is not running in this app.'
        : `comparisons: ${err.message}`, err.status !== 503);
    }
  }

  async function start(event) {
    event.preventDefault();
    // Sent as typed when not a number, so the handler's own 400 comes back; an empty field is left to its default.
    const body = {};
    for (const [key, id] of [['tasks', 'cmp-tasks'], ['delayMs', 'cmp-delay'], ['threads', 'cmp-threads'],
      ['nodes', 'cmp-nodes'], ['runs', 'cmp-runs']]) {
      const raw = $(id).value.trim();
      if (raw !== '') body[key] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    }
    try {
      const r = await api('POST', '/api/compare/runs', body);
      // the stream may have told of its end before this reply came: then that end stands
      if (state.report && state.report.id === r.run) return;
      setRunning(r.run);
      say($('compare-result'), `comparison ${r.run} started`);
      showProgress({ run: r.run, done: 0, total: 1, step: 'starting…' });
    } catch (err) {
      say($('compare-result'), `not started (${err.status}): ${err.message}`, true);
    }
  }

  async function cancel() {
    try {
      const r = await api('DELETE', '/api/compare/runs/current');
      // a cancel ends a run within moments: its end may have come over the stream before this reply did
      if (state.running === r.run) say($('compare-result'), `cancelling ${r.run}…`);
    } catch (err) {
      say($('compare-result'), `not cancelled (${err.status}): ${err.message}`, true);
    }
  }

  function finished(report) {
    setRunning(null);
    say($('compare-result'), report.ok ? `comparison ${report.id} done` : `comparison ${report.id} ${report.error}`,
      !report.ok);
    // one cancelled or failed before its first row measured nothing: the chart keeps the last one (as serve does)
    if (report.rows && report.rows.length > 0) render(report);
  }

  function render(report) {
    state.report = report;
    $('compare-empty').hidden = true;
    $('compare-body').hidden = false;
    const q = report.request;
    const machine = (report.setup && report.setup.machine) || {};
    $('compare-title').textContent = `Comparison ${report.id} · ${q.tasks} tasks, ${q.threads} threads, `
      + `${q.nodes} processes, median of ${q.runs} runs` + (report.ok ? '' : ` · ${report.error}`);
    const setup = report.setup || {};
    const python = setup.pythonSkipped || setup.python || 'Python: no result';
    $('compare-setup').textContent = `${machine.cores} cores, load ${machine.loadBefore} → ${machine.loadAfter} · `
      + python + (setup.jvmWidth ? ` · CPU tasks: ${setup.jvmWidth} numbers each on the JVM, ${setup.pythonWidth} in `
      + 'Python (tens of ms each in both)' : '');
    chart($('compare-chart-io'), report.rows.filter((r) => r.workload === 'io'));
    chart($('compare-chart-cpu'), report.rows.filter((r) => r.workload === 'cpu'));
    const p = report.probe;
    $('compare-probe').textContent = !p || !p.onLoop ? '' : `Event-loop probe (a timer due every ${p.periodMs} ms; `
      + `one CPU task ~${p.taskMs} ms): with the CPU tasks on the loop it fired up to ${ms(p.onLoop.maxMs)} late; `
      + `with them on worker verticles, up to ${p.onWorkers ? ms(p.onWorkers.maxMs) : '-'}.`;
    table(report.rows);
  }

  function table(rows) {
    const body = $('compare-table').tBodies[0];
    body.replaceChildren();
    for (const r of rows) {
      const cells = [el('td', {}, r.workload === 'io' ? 'I/O' : 'CPU'), el('td', {}, r.runtime === 'jvm' ? 'JVM' : 'Python'),
        el('td', {}, r.label)];
      if (r.error) {
        cells.push(el('td', { colspan: 5, class: r.error.startsWith('skipped') ? '' : 'failed' }, r.error));
      } else {
        cells.push(el('td', { class: 'num' }, ms(r.wallMs)),
          el('td', { class: 'num' }, r.speedup === null ? '-' : r.speedup.toFixed(1) + 'x'),
          el('td', { class: 'num' }, ms(r.cpuMs)), el('td', { class: r.equal ? '' : 'failed' }, r.checked),
          el('td', { class: /^(confirms|contradicts)$/.test(r.verdict) ? r.verdict : '' }, r.verdict === 'baseline' ? 'baseline' : `${r.verdict}: ${r.claim}`));
      }
      body.append(el('tr', { class: r.error && r.error.startsWith('skipped') ? 'skipped' : '' }, ...cells));
    }
  }

  /** Speed-up per way, the JVM's bar beside Python's in each group: hand-drawn SVG. */
  function chart(svg, rows) {
    const ns = 'http://www.w3.org/2000/svg';
    const s = (tag, attrs, text) => {
      const node = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      if (text !== undefined) node.textContent = text;
      svg.append(node);
      return node;
    };
    svg.replaceChildren();
    const find = (runtime, way) => rows.find((r) => r.runtime === runtime && r.way === way);
    const groups = GROUPS.filter((g) => find('jvm', g.jvm) || find('python', g.python));
    const W = 470, H = 230, left = 34, right = 6, top = 26, bottom = 34;
    const max = Math.max(1, ...rows.filter((r) => r.speedup !== null).map((r) => r.speedup));
    const tick = step(max / 4);
    const yMax = Math.ceil(max / tick) * tick;
    const y = (v) => top + (H - top - bottom) * (1 - v / yMax);
    for (let v = 0; v <= yMax + 1e-9; v += tick) {
      s('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: v === 0 ? 'axis' : 'gridline' });
      s('text', { x: left - 4, y: y(v) + 3, 'text-anchor': 'end' }, `${+v.toFixed(2)}x`);
    }
    s('line', { x1: left, x2: W - right, y1: y(1), y2: y(1), class: 'one' });
    const slot = (W - left - right) / Math.max(1, groups.length);
    const barW = Math.min(30, slot * 0.34);
    groups.forEach((g, i) => {
      const cx = left + slot * (i + 0.5);
      [['jvm', g.jvm, -1], ['python', g.python, 1]].forEach(([runtime, way, side]) => {
        const row = way && find(runtime, way);
        const x = cx + (side < 0 ? -barW - 1 : 1);
        if (!row) return;
        if (row.speedup === null) {
          s('text', { x: x + barW / 2, y: y(0) - 4, 'text-anchor': 'middle', class: 'failed' }, '×')
            .append(Object.assign(document.createElementNS(ns, 'title'), { textContent: `${row.label}: ${row.error}` }));
          return;
        }
        s('rect', { x, y: y(row.speedup), width: barW, height: Math.max(1, y(0) - y(row.speedup)),
          class: `bar ${runtime}`, 'data-way': row.way, 'data-runtime': runtime })
          .append(Object.assign(document.createElementNS(ns, 'title'),
            { textContent: `${row.label}: ${ms(row.wallMs)}, ${row.speedup.toFixed(1)}x; ${row.checked}` }));
        s('text', { x: x + barW / 2, y: y(row.speedup) - 13, 'text-anchor': 'middle', class: 'value' },
          `${row.speedup.toFixed(1)}x`);
        s('text', { x: x + barW / 2, y: y(row.speedup) - 3, 'text-anchor': 'middle', class: 'wall' },
          short(row.wallMs));
      });
      g.name.forEach((line, n) => s('text', { x: cx, y: H - bottom + 12 + 11 * n, 'text-anchor': 'middle' }, line));
    });
  }

  /** A wall time short enough to sit over a bar: 71ms, 13.5s. */
  function short(v) {
    return v >= 1000 ? (v / 1000).toFixed(1) + 's' : Math.round(v) + 'ms';
  }

  function step(raw) {
    const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
    const f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  }

  function connect() {
    const es = new EventSource('/events?wiretap=false');
    es.onopen = load; // after a (re)connect: events may have been missed
    es.addEventListener(EVENT.progress, (e) => {
      const p = JSON.parse(e.data);
      if (!state.running) setRunning(p.run);
      showProgress(p);
    });
    es.addEventListener(EVENT.finished, (e) => finished(JSON.parse(e.data)));
  }

  $('compare-form').addEventListener('submit', start);
  $('cmp-cancel').addEventListener('click', cancel);
  connect();
})();
