'use strict';
// vxpool web console: no framework, no build step. Live state arrives over /api/v1/events (SSE);
// mutations go through fetch with HTTP Basic credentials kept for this tab only.

const $ = (id) => document.getElementById(id);
let credentials = sessionStorage.getItem('vxpool.credentials');
let pendingLogin = null;

function showMessage(text, isError) {
  const m = $('message');
  m.textContent = text;
  m.className = isError ? 'error' : '';
}

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

// Rows are updated in place: the health counters change every few seconds, and replacing the
// buttons under the pointer would swallow a click that is in progress.
function renderNodes(nodes) {
  const body = $('nodes').querySelector('tbody');
  for (const n of nodes) {
    let tr = document.getElementById('node-' + n.node_id);
    if (!tr) {
      tr = document.createElement('tr');
      tr.id = 'node-' + n.node_id;
      for (let i = 0; i < 12; i++) cell(tr, '');
      body.appendChild(tr);
    }
    const hc = n.health_check || {};
    const values = [n.node_id, n.hostname, n.port, n.status, n.pg_status, n.role, n.lb_weight, n.select_cnt,
      n.replication_delay, n.last_status_change, (hc.success_count ?? '-') + ' / ' + (hc.fail_count ?? '-')];
    values.forEach((v, i) => {
      if (tr.cells[i].textContent !== String(v)) tr.cells[i].textContent = v;
    });
    tr.cells[3].className = 'status status-' + n.status;
    tr.cells[5].className = 'role role-' + n.role;
    const choices = n.status === 'down' ? ['attach', 'recovery'] : ['detach', 'promote'];
    if (tr.dataset.actions !== choices.join()) {
      tr.dataset.actions = choices.join();
      const actions = tr.cells[11];
      actions.replaceChildren();
      for (const action of choices) {
        const b = document.createElement('button');
        b.type = 'button';
        b.id = action + '-' + n.node_id;
        b.textContent = action;
        b.addEventListener('click', () => nodeAction(n.node_id, action));
        actions.appendChild(b);
      }
    }
  }
  while (body.rows.length > nodes.length) body.deleteRow(-1);
}

function renderWatchdog(info) {
  const body = $('watchdog').querySelector('tbody');
  body.replaceChildren();
  if (!info) {
    $('watchdog-summary').textContent = 'watchdog off on this node (use_watchdog = off)';
    return;
  }
  $('watchdog-summary').textContent = `${info.quorumState} (quorum ${info.quorum}, ${info.aliveRemoteNodes}/${info.remoteNodes} remote alive),`
      + ` leader ${info.leaderNodeName || '—'}, delegate IP ${info.delegateIp || '—'}, this node ${info.localState}`;
  for (const m of info.members || []) {
    const tr = document.createElement('tr');
    cell(tr, m.name);
    cell(tr, m.host);
    cell(tr, m.wdPort);
    cell(tr, m.priority);
    cell(tr, m.state);
    cell(tr, m.holdsVip ? 'holds VIP' : '');
    cell(tr, m.local ? 'yes' : '');
    body.appendChild(tr);
  }
}

// Online recovery progress, one block per node, latest object per node. Elapsed times tick
// locally while a recovery runs; the stages themselves come from the server's events.
const recoveries = new Map();

function clock(ms) {
  return new Date(ms).toLocaleTimeString();
}

function seconds(ms) {
  return (ms / 1000).toFixed(1) + ' s';
}

function renderRecovery(progress) {
  recoveries.set(progress.node, progress);
  drawRecoveries();
}

function drawRecoveries() {
  const box = $('recovery');
  $('recovery-section').hidden = recoveries.size === 0;
  const now = Date.now();
  for (const p of [...recoveries.values()].sort((a, b) => a.node - b.node)) {
    let div = document.getElementById('progress-' + p.node);
    if (!div) {
      div = document.createElement('div');
      div.id = 'progress-' + p.node;
      div.className = 'recovery';
      box.appendChild(div);
    }
    const stages = p.stages || [];
    const end = p.state === 'running' ? now : (stages.length ? stages[stages.length - 1].finishedAt || now : now);
    const title = document.createElement('h3');
    title.append(`node ${p.node}: `);
    const state = document.createElement('span');
    state.className = 'state-' + p.state;
    state.textContent = p.state;
    title.append(state, ` — started ${clock(p.startedAt)}, elapsed ${seconds(end - p.startedAt)}`);
    const list = document.createElement('ol');
    stages.forEach((s, i) => {
      const li = document.createElement('li');
      li.dataset.stage = s.stage;
      const last = i === stages.length - 1;
      const running = last && p.state === 'running';
      const failed = last && p.state === 'failed';
      li.className = running ? 'stage-running' : failed ? 'stage-failed' : 'stage-done';
      const took = s.finishedAt ? 'took ' + seconds(s.finishedAt - s.startedAt)
        : running ? 'running for ' + seconds(now - s.startedAt) : failed ? 'failed' : '';
      li.textContent = `${s.name}: started ${clock(s.startedAt)}, ${took}`;
      list.appendChild(li);
    });
    const children = [title, list];
    if (p.message) {
      const out = document.createElement('pre');
      out.className = 'result';
      out.textContent = p.message;
      children.push(out);
    }
    div.dataset.state = p.state;
    div.replaceChildren(...children);
  }
}

setInterval(() => {
  if ([...recoveries.values()].some((p) => p.state === 'running')) drawRecoveries();
}, 500);

function renderPool(pool) {
  const badge = $('pool-state');
  badge.textContent = 'pool: ' + pool.state.toLowerCase();
  badge.className = 'badge ' + (pool.state === 'RUNNING' ? 'ok' : 'bad');
}

function askCredentials() {
  if (!pendingLogin) {
    pendingLogin = new Promise((resolve) => {
      const dialog = $('login');
      dialog.addEventListener('close', function done() {
        dialog.removeEventListener('close', done);
        pendingLogin = null;
        if (dialog.returnValue === 'ok') {
          credentials = btoa($('login-user').value + ':' + $('login-password').value);
          sessionStorage.setItem('vxpool.credentials', credentials);
          updateWho();
          resolve(true);
        } else {
          resolve(false);
        }
      });
      dialog.showModal();
    });
  }
  return pendingLogin;
}

function updateWho() {
  $('who').textContent = credentials ? 'logged in as ' + atob(credentials).split(':')[0] : 'not logged in';
}

async function api(method, path) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const headers = { 'X-Requested-With': 'vxpool-console' };
    if (credentials) headers.Authorization = 'Basic ' + credentials;
    const response = await fetch(path, { method, headers });
    if (response.status !== 401) {
      const body = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(body.error || response.statusText);
      return body;
    }
    credentials = null;
    sessionStorage.removeItem('vxpool.credentials');
    if (!(await askCredentials())) throw new Error('not logged in');
  }
  throw new Error('login failed');
}

async function nodeAction(id, action) {
  if (action === 'promote' && !confirm(`Promote node ${id}? OK = switchover (fail over the old primary), Cancel = only change the roles`)) {
    return run(`promote node ${id}`, () => api('POST', `/api/v1/nodes/${id}/promote`));
  }
  const query = action === 'promote' ? '?switchover=true' : '';
  return run(`${action} node ${id}`, () => api('POST', `/api/v1/nodes/${id}/${action}${query}`));
}

async function run(what, call) {
  showMessage(what + '…', false);
  try {
    const result = await call();
    showMessage(what + ': ' + (result.message || 'done'), false);
  } catch (e) {
    showMessage(what + ' failed: ' + e.message, true);
  }
}

function connectEvents() {
  const live = $('live');
  const source = new EventSource('/api/v1/events');
  source.onopen = () => { live.textContent = 'live'; live.className = 'badge ok'; };
  source.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'badge bad'; };
  source.addEventListener('nodes', (e) => renderNodes(JSON.parse(e.data)));
  source.addEventListener('watchdog', (e) => renderWatchdog(JSON.parse(e.data)));
  source.addEventListener('recovery', (e) => renderRecovery(JSON.parse(e.data)));
  source.addEventListener('pool', (e) => {
    const pool = JSON.parse(e.data);
    renderPool(pool);
    if (pool.state !== 'RUNNING') renderWatchdog(null);
  });
}

let logReader = null;

async function followLog() {
  if (logReader) {
    logReader.cancel();
    logReader = null;
    $('log-toggle').textContent = 'Follow log';
    return;
  }
  const log = $('log');
  const append = (line) => {
    log.textContent += line + '\n';
    log.scrollTop = log.scrollHeight;
  };
  try {
    const tail = await api('GET', '/api/v1/logs?tail=200');
    log.textContent = '';
    tail.lines.forEach(append);
    // EventSource cannot send credentials, so the stream is read through fetch.
    const response = await fetch('/api/v1/logs/stream', {
      headers: { 'X-Requested-With': 'vxpool-console', Authorization: 'Basic ' + credentials },
    });
    if (!response.ok) throw new Error(response.statusText);
    logReader = response.body.getReader();
    $('log-toggle').textContent = 'Stop following';
    const decoder = new TextDecoder();
    let pending = '';
    for (;;) {
      const { value, done } = await logReader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let end;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const frame = pending.slice(0, end);
        pending = pending.slice(end + 2);
        frame.split('\n').filter((l) => l.startsWith('data: ')).forEach((l) => append(l.slice(6)));
      }
    }
  } catch (e) {
    if (logReader) showMessage('log: ' + e.message, true);
  }
}

$('login-button').addEventListener('click', () => askCredentials());
$('pool-stop').addEventListener('click', () => confirm('Stop the proxy and watchdog of this node?')
    && run('stop pool', () => api('POST', '/api/v1/pool/stop')));
$('pool-start').addEventListener('click', () => run('start pool', () => api('POST', '/api/v1/pool/start')));
$('reload').addEventListener('click', () => run('reload', async () => {
  const r = await api('POST', '/api/v1/reload');
  return { message: r.changed.length ? 'changed: ' + r.changed.join(', ') : 'nothing changed' };
}));
$('log-toggle').addEventListener('click', followLog);
updateWho();
connectEvents();
