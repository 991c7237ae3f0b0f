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

function renderTraffic() {
  const t = state.traffic;
  if (!t) return;
  fill('#signals', t.signals.map((s) => row([s.intersectionId, s.mode, s.phaseIndex, (s.durationMs / 1000).toFixed(1) + ' s', s.reason, s.signalState])));
  fill('#priorities', t.priorities.map((p) => row([p.requestId, p.vehicleId, p.intersectionId, p.status, p.reason])));
  fill('#corridors', t.corridors.map((d) => row([d.incidentId, d.unitId, d.route.join(' > '), Math.round(d.etaMs / 1000) + ' s'])));
}

// ---------------------------------------------------------------------------------------------- energy

function renderEnergy() {
  const e = state.energy;
  if (!e) return;
  const history = e.balancing;
  if (history.length > 0) {
    const last = history[history.length - 1];
    $('#energy-now').textContent = 'PCC planned ' + kw(last.plannedPccW) + ' kW (limits +' + kw(last.importLimitW) + ' / -' + kw(last.exportLimitW)
      + ' kW), ESS ' + kw(last.essPowerW) + ' kW, EV ' + kw(last.evPowerW) + ' kW, PV curtailed ' + kw(last.pvCurtailmentW) + ' kW, '
      + 'binding ' + last.binding + (last.fallback ? ', FALLBACK' : '');
  }
  drawChart(history);
  fill('#setpoints', e.setpoints.map((s) => row([s.deviceId, s.deviceKind, kw(s.activePowerW), s.reason])));
}

function kw(w) { return (w / 1000).toFixed(1); }

function drawChart(history) {
  const canvas = $('#pcc-chart');
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  if (history.length < 2) return;
  const values = history.flatMap((h) => [h.plannedPccW, h.importLimitW, -h.exportLimitW]);
  const max = Math.max(...values), min = Math.min(...values, 0);
  const y = (w) => canvas.height - 10 - (w - min) / Math.max(1, max - min) * (canvas.height - 20);
  const x = (i) => i / (history.length - 1) * canvas.width;
  const line = (color, value) => {
    g.strokeStyle = color; g.beginPath();
    history.forEach((h, i) => (i ? g.lineTo(x(i), y(value(h))) : g.moveTo(x(i), y(value(h)))));
    g.stroke();
  };
  g.lineWidth = 2;
  line('#f87171', (h) => h.importLimitW);
  line('#f87171', (h) => -h.exportLimitW);
  line('#60a5fa', (h) => h.plannedPccW);
  g.strokeStyle = '#44515f'; g.beginPath(); g.moveTo(0, y(0)); g.lineTo(canvas.width, y(0)); g.stroke();
}

// ---------------------------------------------------------------------------------------------- start

api('GET', '/api/me').then(start).catch(() => { $('#login').hidden = false; });
