// Sejong City Control console: plain JavaScript, no build step. Live over server-sent events (/api/events).
'use strict';

const ROLES = ['view', 'operate', 'manage', 'configure'];
const PRIORITY_ORDER = { P1: 1, P2: 2, P3: 3 };
const state = { me: null, incidents: new Map(), dispatches: [], traffic: null, energy: null, clockOffsetMs: 0, source: null };

const $ = (selector) => document.querySelector(selector);
const text = (value) => document.createTextNode(value === undefined || value === null ? '' : String(value));

function can(center, role) {
  const held = state.me && state.me.roles[center.toLowerCase()];
  return held !== undefined && ROLES.indexOf(held) >= ROLES.indexOf(role.toLowerCase());
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell instanceof Node) td.appendChild(cell); else td.appendChild(text(cell));
    tr.appendChild(td);
  }
  return tr;
}

function fill(tableSelector, rows) {
  const body = $(tableSelector + ' tbody');
  body.replaceChildren(...rows);
}

async function api(method, path, body) {
  const init = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error((json && json.error) || ('HTTP ' + response.status));
  }
  return json;
}

function say(message, isError) {
  const line = $('#status-line');
  line.textContent = message;
  line.className = isError ? 'error' : '';
}

// ---------------------------------------------------------------------------------------------- login

async function start(me) {
  state.me = me;
  $('#login').hidden = true;
  $('#who').hidden = false;
  $('#tabs').hidden = false;
  $('#client').textContent = me.client;
  $('#roles').textContent = Object.entries(me.roles).map(([c, r]) => c.toLowerCase() + ': ' + r.toLowerCase()).join(', ');
  for (const button of document.querySelectorAll('#tabs button')) {
    const center = button.dataset.view.toUpperCase();
    button.hidden = !can(center, 'VIEW');
    button.onclick = () => show(button.dataset.view);
  }
  const first = ['emergency', 'traffic', 'energy'].find((v) => can(v.toUpperCase(), 'VIEW'));
  show(first);
  connect();
}

function show(view) {
  for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== 'view-' + view;
  for (const button of document.querySelectorAll('#tabs button')) button.classList.toggle('active', button.dataset.view === view);
}

$('#login').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const me = await api('POST', '/api/session', { key: $('#key').value.trim() });
    $('#key').value = '';
    $('#login-error').textContent = '';
    start(me);
  } catch (e) {
    $('#login-error').textContent = e.message;
  }
});

$('#logout').addEventListener('click', async () => {
  if (state.source) state.source.close();
  await api('DELETE', '/api/session').catch(() => {});
  location.reload();
});

// ---------------------------------------------------------------------------------------------- live feed

function connect() {
  const source = new EventSource('/api/events');
  state.source = source;
  source.onopen = () => { $('#link').textContent = 'live'; $('#link').className = 'link-up'; };
  source.onerror = () => { $('#link').textContent = 'reconnecting'; $('#link').className = 'link-down'; };
  source.addEventListener('snapshot', (e) => {
    const snapshot = JSON.parse(e.data);
    state.clockOffsetMs = snapshot.serverTimeMs - Date.now();
    if (snapshot.emergency) {
      state.incidents = new Map(snapshot.emergency.incidents.map((i) => [i.incidentId, i]));
      state.dispatches = snapshot.emergency.dispatches;
      renderEmergency();
    }
    if (snapshot.traffic) { state.traffic = snapshot.traffic; renderTraffic(); }
    if (snapshot.energy) { state.energy = snapshot.energy; renderEnergy(); }
  });
  source.addEventListener('incident', (e) => {
    const incident = JSON.parse(e.data);
    state.incidents.set(incident.incidentId, incident);
    renderEmergency();
  });
  source.addEventListener('dispatch', (e) => { state.dispatches.push(JSON.parse(e.data)); renderEmergency(); });
  source.addEventListener('traffic', (e) => { state.traffic = JSON.parse(e.data); renderTraffic(); });
  source.addEventListener('energy', (e) => { state.energy = JSON.parse(e.data); renderEnergy(); });
  source.addEventListener('clock', (e) => { state.clockOffsetMs = JSON.parse(e.data).serverTimeMs - Date.now(); });
  source.addEventListener('reject', (e) => { const r = JSON.parse(e.data); say('node refused input ' + r.rejectedSequence + ': ' + r.reason + ' ' + r.detail, true); });
}

// ---------------------------------------------------------------------------------------------- emergency

function sortedIncidents() {
  return [...state.incidents.values()].sort((a, b) =>
    (a.state === 'CLOSED') - (b.state === 'CLOSED')
    || PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority]
    || (a.ackDeadlineMs || Infinity) - (b.ackDeadlineMs || Infinity)
    || a.incidentId - b.incidentId);
}

function countdown(incident) {
  if (incident.state !== 'NEW' || !incident.ackDeadlineMs) return '';
  const leftS = Math.round((incident.ackDeadlineMs - (Date.now() + state.clockOffsetMs)) / 1000);
  return leftS >= 0 ? leftS + ' s' : 'overdue ' + (-leftS) + ' s';
}

function actionButton(incident, action, label) {
  const button = document.createElement('button');
  button.textContent = label;
  button.className = action;
  button.onclick = async () => {
    let body;
    if (action === 'assign') {
      const to = prompt('Assign incident ' + incident.incidentId + ' to:');
      if (!to) return;
      body = { to };
    }
    try {
      await api('POST', '/api/incidents/' + incident.incidentId + '/' + action, body);
      say(label + ': incident ' + incident.incidentId + ' (journaled; the state follows from the node)');
    } catch (e) {
      say(label + ' refused: ' + e.message, true);
    }
  };
  return button;
}

function renderEmergency() {
  const operate = can('EMERGENCY', 'OPERATE');
  const rows = sortedIncidents().map((i) => {
    const actions = document.createElement('span');
    if (operate && i.state !== 'CLOSED') {
      if (i.state === 'NEW') actions.appendChild(actionButton(i, 'acknowledge', 'Acknowledge'));
      actions.appendChild(actionButton(i, 'assign', 'Assign'));
      actions.appendChild(actionButton(i, 'close', 'Close'));
    }
    const tr = row([i.priority, i.incidentId, i.eventClass, i.eastM.toFixed(0) + ', ' + i.northM.toFixed(0), i.state, i.owner,
      countdown(i), i.agencies.join(' '), actions]);
    tr.dataset.incidentId = i.incidentId;
    tr.classList.add(i.priority, i.state);
    const cells = tr.children;
    cells[0].className = 'priority'; cells[4].className = 'state'; cells[5].className = 'owner';
    cells[6].className = 'deadline' + (countdown(i).startsWith('overdue') ? ' overdue' : ''); cells[8].className = 'actions';
    return tr;
  });
  fill('#incidents', rows);
  fill('#dispatches', state.dispatches.slice(-30).reverse().map((d) =>
    row([d.incidentId, d.unitId, d.agency, d.hospitalId || '', Math.round(d.etaMs / 1000) + ' s', d.route.join(' > ')])));
}

setInterval(() => {
  for (const tr of document.querySelectorAll('#incidents tbody tr')) {
    const incident = state.incidents.get(Number(tr.dataset.incidentId));
    if (!incident) continue;
    const cell = tr.querySelector('td.deadline');
    const value = countdown(incident);
    cell.textContent = value;
    cell.classList.toggle('overdue', value.startsWith('overdue'));
  }
}, 250);

// ---------------------------------------------------------------------------------------------- traffic

const STALE_MS = 10000;

function serverNow() { return Date.now() + state.clockOffsetMs; }

// a measurement not renewed for STALE_MS is shown dimmed: the field (or the gateway's reading of it) went quiet
function isStale(receivedAtMs) { return receivedAtMs && serverNow() - receivedAtMs > STALE_MS; }

function approachesCell(queue) {
  const span = document.createElement('span');
  for (const a of queue.approaches) {
    const item = document.createElement('span');
    item.className = 'approach' + (a.halting > 0 ? ' waiting' : '');
    item.dataset.from = a.from;
    item.title = a.vehicles + ' vehicle(s) on the approach from ' + a.from;
    item.append(text(a.from + ' '));
    const count = document.createElement('b');
    count.textContent = a.halting;
    item.append(count);
    span.appendChild(item);
  }
  return span;
}

function renderTraffic() {
  const t = state.traffic;
  if (!t) return;
  const signals = new Map(t.signals.map((s) => [s.intersectionId, s]));
  const queues = new Map((t.queues || []).map((q) => [q.intersectionId, q]));
  const names = new Map((t.intersections || []).map((i) => [i.intersectionId, i.name]));
  const ids = [...new Set([...signals.keys(), ...queues.keys(), ...names.keys()])].sort((a, b) => a - b);
  fill('#signals', ids.map((id) => {
    const s = signals.get(id) || {}, q = queues.get(id);
    const tr = row([id, names.get(id) || (q ? q.name : ''), s.mode, s.phaseIndex, s.durationMs === undefined ? '' : (s.durationMs / 1000).toFixed(1) + ' s', s.reason,
      q ? q.halting : '', q ? approachesCell(q) : '', s.signalState]);
    tr.dataset.intersectionId = id;
    tr.children[6].className = 'queue big-cell';
    tr.children[7].className = 'approaches';
    tr.children[8].className = 'signal-state';
    if (q && isStale(q.receivedAtMs)) tr.children[6].classList.add('stale');
    return tr;
  }));
  fill('#priorities', t.priorities.map((p) => row([p.requestId, p.vehicleId, p.intersectionId, p.status, p.reason])));
  fill('#corridors', t.corridors.map((d) => row([d.incidentId, d.unitId, d.route.join(' > '), Math.round(d.etaMs / 1000) + ' s'])));
}

// ---------------------------------------------------------------------------------------------- energy

const KW = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function kw(w) { return KW.format(w / 1000); }
function kwText(w) { return w === null || w === undefined ? '-' : kw(w) + ' kW'; }
function percent(permille) { return permille === null || permille === undefined ? '-' : (permille / 10).toFixed(1) + ' %'; }

function setText(selector, value, stale) {
  const element = $(selector);
  element.textContent = value;
  element.classList.toggle('stale', !!stale);
}

function renderEnergy() {
  const e = state.energy;
  if (!e) return;
  const history = e.balancing;
  const m = e.measured || {};
  const last = history.length > 0 ? history[history.length - 1] : null;
  if (last) {
    $('#energy-now').textContent = 'Plan: PCC ' + kw(last.plannedPccW) + ' kW within +' + kw(last.importLimitW) + ' / -' + kw(last.exportLimitW)
      + ' kW, ESS ' + kw(last.essPowerW) + ' kW, EV ' + kw(last.evPowerW) + ' kW, PV curtailed ' + kw(last.pvCurtailmentW) + ' kW, '
      + 'binding ' + last.binding + (last.fallback ? ', FALLBACK' : '');
  }
  setText('#pcc-measured', m.pcc ? kwText(m.pcc.powerW) : '-', m.pcc && isStale(m.pcc.receivedAtMs));
  $('#pcc-planned').textContent = last ? 'planned ' + kw(last.plannedPccW) + ' kW, limit +' + kw(last.importLimitW) + ' / -' + kw(last.exportLimitW) : '';
  setText('#pv-total', m.pvTotalW === null || m.pvTotalW === undefined ? '-' : kwText(m.pvTotalW));
  $('#pv-count').textContent = m.pv && m.pv.length ? m.pv.length + ' inverter(s)' : '';
  setText('#ev-total', m.chargerCount ? kwText(m.chargingW) : '-');
  $('#ev-sessions').textContent = m.chargers ? m.chargers.length + ' session(s) on ' + m.chargerCount + ' chargers' : '';
  setText('#load', m.load ? kwText(m.load.powerW) : '-', m.load && isStale(m.load.receivedAtMs));

  $('#ess-tiles').replaceChildren(...(m.ess || []).map((x) => {
    const tile = document.createElement('div');
    tile.className = 'tile ess' + (isStale(x.receivedAtMs) ? ' stale' : '');
    tile.dataset.deviceId = x.deviceId;
    const power = x.powerW === null ? '-' : x.powerW > 0 ? 'charging ' + kw(x.powerW) + ' kW'
      : x.powerW < 0 ? 'discharging ' + kw(-x.powerW) + ' kW' : 'idle';
    for (const [cls, value] of [['label', x.name], ['big soc', percent(x.socPermille)], ['sub power', power]]) {
      const span = document.createElement('span');
      span.className = cls;
      span.textContent = value;
      tile.appendChild(span);
    }
    return tile;
  }));

  fill('#chargers', (m.chargers || []).map((c) => {
    const leftMin = Math.round((c.departureMs - serverNow()) / 60000);
    const tr = row([c.name, c.state, percent(c.vehicleSocPermille), kwText(c.powerW), KW.format(c.energyNeededWh / 1000) + ' kWh',
      c.departureLocal + (leftMin >= 0 ? ' (in ' + leftMin + ' min)' : ' (due)')]);
    tr.dataset.chargerId = c.chargerId;
    ['name', 'state', 'soc', 'power', 'needed', 'departure'].forEach((cls, k) => { tr.children[k].className = cls; });
    if (isStale(c.receivedAtMs)) tr.classList.add('stale');
    return tr;
  }));
  fill('#pv', (m.pv || []).map((p) => {
    const tr = row([p.name, kwText(p.outputW), p.outputW === null ? '-' : Math.round(p.outputW / 10 / p.peakKw) + ' %']);
    tr.dataset.deviceId = p.deviceId;
    tr.children[1].className = 'output';
    if (isStale(p.receivedAtMs)) tr.classList.add('stale');
    return tr;
  }));
  drawChart(history, m.pccHistory || []);
  fill('#setpoints', e.setpoints.map((s) => row([s.deviceId, s.deviceKind, kw(s.activePowerW), s.reason])));
}

const CHART_WINDOW_MS = 10 * 60 * 1000;
const COLORS = { measured: '#fbbf24', planned: '#60a5fa', limit: '#f87171', axis: '#44515f', label: '#9fb0c2' };

// the last 10 minutes on a time axis: planned PCC power and the limits from BalancingStatus, the measured PCC power
function drawChart(history, measured) {
  const canvas = $('#pcc-chart');
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  const lastTime = Math.max(history.length ? history[history.length - 1].timeMs : -Infinity,
    measured.length ? measured[measured.length - 1].timeMs : -Infinity);
  if (!isFinite(lastTime)) return;
  // the axis spans the last 10 minutes, or less while there is less to show
  const firstTime = Math.min(history.length ? history[0].timeMs : Infinity, measured.length ? measured[0].timeMs : Infinity);
  const from = Math.max(lastTime - CHART_WINDOW_MS, Math.min(firstTime, lastTime - 60000));
  const span = lastTime - from;
  const plan = history.filter((h) => h.timeMs >= from);
  const meter = measured.filter((p) => p.timeMs >= from);
  const values = [0, ...plan.flatMap((h) => [h.plannedPccW, h.importLimitW, -h.exportLimitW]), ...meter.map((p) => p.powerW)];
  const max = Math.max(...values), min = Math.min(...values);
  const left = 90, top = 14, bottom = 14;
  const y = (w) => canvas.height - bottom - (w - min) / Math.max(1, max - min) * (canvas.height - top - bottom);
  const x = (t) => left + (t - from) / span * (canvas.width - left - 4);
  const line = (color, width, points, time, value) => {
    if (points.length === 0) return;
    g.strokeStyle = color; g.lineWidth = width; g.beginPath();
    points.forEach((p, i) => (i ? g.lineTo(x(time(p)), y(value(p))) : g.moveTo(x(time(p)), y(value(p)))));
    if (points.length === 1) g.lineTo(x(time(points[0])) + 3, y(value(points[0])));
    g.stroke();
  };
  g.strokeStyle = COLORS.axis; g.lineWidth = 1; g.beginPath(); g.moveTo(left, y(0)); g.lineTo(canvas.width, y(0)); g.stroke();
  g.fillStyle = COLORS.label; g.font = '16px system-ui, sans-serif'; g.textBaseline = 'middle';
  for (const w of [...new Set([max, 0, min])]) g.fillText(kw(w), 4, Math.min(canvas.height - 8, Math.max(8, y(w))));
  line(COLORS.limit, 2, plan, (h) => h.timeMs, (h) => h.importLimitW);
  line(COLORS.limit, 2, plan, (h) => h.timeMs, (h) => -h.exportLimitW);
  line(COLORS.planned, 2, plan, (h) => h.timeMs, (h) => h.plannedPccW);
  line(COLORS.measured, 3, meter, (p) => p.timeMs, (p) => p.powerW);
}

// ---------------------------------------------------------------------------------------------- start

api('GET', '/api/me').then(start).catch(() => { $('#login').hidden = false; });
