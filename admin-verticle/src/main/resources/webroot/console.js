'use strict';
// vxpool web console: no framework, no build step. Live state arrives over /api/v1/events (SSE);
// mutations go through fetch with HTTP Basic credentials kept for this tab only.

const $ = (id) => document.getElementById(id);
let credentials = sessionStorage.getItem('vxpool.credentials');
let pendingLogin = null;

// details: lines shown under the text, e.g. a reload's `file:line: key: problem` list
function showMessage(text, isError, details) {
  const m = $('message');
  m.textContent = text;
  m.className = isError ? 'error' : '';
  if (details && details.length) {
    const list = document.createElement('ul');
    for (const d of details) {
      const li = document.createElement('li');
      li.textContent = d;
      list.appendChild(li);
    }
    m.appendChild(list);
  }
}

// HTTP Basic carries user:password as UTF-8; btoa alone throws on anything outside Latin-1.
function encodeCredentials(user, password) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(user + ':' + password)));
}

function credentialsUser() {
  const bytes = Uint8Array.from(atob(credentials), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes).split(':')[0];
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
// The latest rows, by node id: the confirmations name the node and warn about the primary.
let nodeRows = new Map();
const COLUMNS = 14;
const COMMAND_KINDS = ['select', 'insert', 'update', 'delete', 'ddl', 'other'];
const SEVERITIES = ['panic', 'fatal', 'error'];

function replication(n) {
  return [n.replication_state, n.replication_sync_state].filter((s) => s).join(' / ');
}

// SHOW pool_backend_stats in one cell: commands completed / errors, the breakdown in its title.
function backendStats(n) {
  const b = n.backend_stats || {};
  const count = (k) => b[k + '_cnt'] ?? 0;
  const sum = (keys) => keys.reduce((total, k) => total + count(k), 0);
  return {
    text: sum(COMMAND_KINDS) + ' / ' + sum(SEVERITIES),
    title: COMMAND_KINDS.map((k) => k + ' ' + count(k)).join(', ') + '; ' + SEVERITIES.map((k) => k + ' ' + count(k)).join(', '),
  };
}

function renderNodes(nodes) {
  const body = $('nodes').querySelector('tbody');
  $('nodes-problem').hidden = true;
  nodeRows = new Map(nodes.map((n) => [n.node_id, n]));
  for (const n of nodes) {
    let tr = document.getElementById('node-' + n.node_id);
    if (!tr) {
      tr = document.createElement('tr');
      tr.id = 'node-' + n.node_id;
      for (let i = 0; i < COLUMNS; i++) cell(tr, '');
      body.appendChild(tr);
    }
    const hc = n.health_check || {};
    const values = [n.node_id, n.hostname, n.port, n.status, n.pg_status, n.role, n.lb_weight, n.select_cnt,
      n.role === 'standby' ? n.replication_delay : '', replication(n), n.last_status_change,
      (hc.success_count ?? '-') + ' / ' + (hc.fail_count ?? '-')];
    const stats = backendStats(n);
    values.push(stats.text);
    values.forEach((v, i) => {
      if (tr.cells[i].textContent !== String(v)) tr.cells[i].textContent = v;
    });
    tr.cells[values.length - 1].title = stats.title;
    tr.cells[3].className = 'status status-' + n.status;
    tr.cells[5].className = 'role role-' + n.role;
    // As pgpoolAdmin: promote is offered for standbys only (the primary "is already primary").
    const choices = n.status === 'down' ? ['attach', 'recovery'] : n.role === 'standby' ? ['detach', 'promote'] : ['detach'];
    if (tr.dataset.actions !== choices.join()) {
      tr.dataset.actions = choices.join();
      const actions = tr.cells[COLUMNS - 1];
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

// The rows would be stale (the pool is stopped, the watchdog does not answer): say why instead.
function nodesUnavailable(problem) {
  nodeRows = new Map();
  $('nodes').querySelector('tbody').replaceChildren();
  const p = $('nodes-problem');
  p.textContent = 'Node status unavailable: ' + problem.error;
  p.hidden = false;
}

function watchdogUnavailable(problem) {
  $('watchdog').querySelector('tbody').replaceChildren();
  $('watchdog-summary').textContent = problem.error;
}

function renderWatchdog(info) {
  const body = $('watchdog').querySelector('tbody');
  body.replaceChildren();
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

// Clients of this node's proxies and its backend pools (pgpoolAdmin's process page).
function renderSessions(s) {
  const states = Object.entries(s.sessions || {}).filter(([, n]) => n > 0).map(([state, n]) => `${state} ${n}`);
  $('sessions-summary').textContent = `${s.clients} client connection${s.clients === 1 ? '' : 's'}`
      + (states.length ? ' (' + states.join(', ') + ')' : '');
  const body = $('pools').querySelector('tbody');
  body.replaceChildren();
  for (const p of s.pools || []) {
    const tr = document.createElement('tr');
    for (const v of [p.node, p.user, p.database, p.active, p.idle, p.connecting, p.authenticating, p.resetting, p.created]) {
      cell(tr, v);
    }
    body.appendChild(tr);
  }
}

function sessionsUnavailable(problem) {
  $('pools').querySelector('tbody').replaceChildren();
  $('sessions-summary').textContent = problem.error;
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
  // Only the change that can succeed is offered; the other would be a 409.
  $('pool-stop').disabled = pool.state !== 'RUNNING';
  $('pool-start').disabled = pool.state !== 'STOPPED';
}

// refused: the server turned down the credentials just sent, so the dialog says so
function askCredentials(refused) {
  if (!pendingLogin) {
    const error = $('login-error');
    error.textContent = refused ? 'The user name or password was refused. Try again.' : '';
    error.hidden = !refused;
    if (refused) $('login-password').value = '';
    pendingLogin = new Promise((resolve) => {
      const dialog = $('login');
      dialog.returnValue = '';
      dialog.addEventListener('close', function done() {
        dialog.removeEventListener('close', done);
        pendingLogin = null;
        if (dialog.returnValue === 'ok') {
          credentials = encodeCredentials($('login-user').value, $('login-password').value);
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
  $('who').textContent = credentials ? 'logged in as ' + credentialsUser() : 'not logged in';
  $('login-button').textContent = credentials ? 'Log out' : 'Log in';
}

function forgetCredentials() {
  credentials = null;
  sessionStorage.removeItem('vxpool.credentials');
  updateWho();
}

// An error answer: the message, plus its details (a reload's problems or restart parameters).
class ApiError extends Error {
  constructor(body, statusText) {
    super(body.error || statusText);
    this.details = body.problems || body.restart_required || [];
  }
}

async function api(method, path) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const headers = { 'X-Requested-With': 'vxpool-console' };
    const sent = credentials;
    if (sent) headers.Authorization = 'Basic ' + sent;
    const response = await fetch(path, { method, headers });
    if (response.status !== 401) {
      const body = await response.json().catch(() => ({}));
      if (!response.ok) throw new ApiError(body, response.status + ' ' + response.statusText);
      return body;
    }
    forgetCredentials();
    if (!(await askCredentials(!!sent))) throw new Error('not logged in');
  }
  throw new Error('login failed: the user name or password was refused');
}

// A question in the page's own dialog (a native confirm() blocks the page and cannot offer
// three answers). Resolves to the chosen value, or '' when cancelled (Cancel or Escape).
function ask(text, choices) {
  const dialog = $('ask');
  $('ask-text').textContent = text;
  $('ask-choices').replaceChildren(...[...choices, ['', 'Cancel']].map(([value, label]) => {
    const b = document.createElement('button');
    b.value = value;
    b.id = 'ask-' + (value || 'cancel');
    b.textContent = label;
    return b;
  }));
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}

function describeNode(id) {
  const n = nodeRows.get(id);
  return n ? `node ${id} (${n.hostname}:${n.port}, ${n.role})` : `node ${id}`;
}

function detachWarning(id) {
  const n = nodeRows.get(id);
  const othersUp = [...nodeRows.values()].filter((o) => o.node_id !== id && o.status !== 'down').length;
  if (n && othersUp === 0) return ' It is the last node that is not down: clients will have no backend at all.';
  if (n && n.role === 'primary') return ' It is the primary: vxpool fails over (failover_command), and writes fail until there is a new primary.';
  return '';
}

async function nodeAction(id, action) {
  const what = `${action} node ${id}`;
  const post = (query) => run(what, () => api('POST', `/api/v1/nodes/${id}/${action}${query}`));
  if (action === 'promote') {
    const choice = await ask(`Promote ${describeNode(id)}? Switchover also detaches the old primary (failover);`
        + ' "roles only" changes only the roles vxpool routes by.', [['switchover', 'Switchover'], ['roles', 'Roles only']]);
    if (choice === 'switchover') return post('?switchover=true');
    if (choice === 'roles') return post('');
  } else if (action === 'detach') {
    // "gracefully": pcp_detach_node -g, the detach waits until no client is connected (up to recovery_timeout)
    const choice = await ask(`Detach ${describeNode(id)}?${detachWarning(id)}`,
        [['ok', 'Detach'], ['gracefully', 'Detach once no client is connected']]);
    if (choice === 'ok') return post('');
    if (choice === 'gracefully') return post('?gracefully=true');
  } else if (action === 'recovery') {
    if (await ask(`Recover ${describeNode(id)}? This runs online recovery (recovery_1st_stage_command) and attaches it.`,
        [['ok', 'Recover']])) return post('');
  } else {
    return post('');
  }
  showMessage(what + ': cancelled', false);
}

async function run(what, call) {
  showMessage(what + '…', false);
  try {
    const result = await call();
    showMessage(what + ': ' + (result.message || 'done'), false);
  } catch (e) {
    showMessage(what + ' failed: ' + e.message, true, e.details);
  }
}

function connectEvents() {
  const live = $('live');
  const source = new EventSource('/api/v1/events');
  source.onopen = () => { live.textContent = 'live'; live.className = 'badge ok'; };
  source.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'badge bad'; };
  source.addEventListener('nodes', (e) => renderNodes(JSON.parse(e.data)));
  source.addEventListener('nodes-error', (e) => nodesUnavailable(JSON.parse(e.data)));
  source.addEventListener('watchdog', (e) => renderWatchdog(JSON.parse(e.data)));
  source.addEventListener('watchdog-error', (e) => watchdogUnavailable(JSON.parse(e.data)));
  source.addEventListener('sessions', (e) => renderSessions(JSON.parse(e.data)));
  source.addEventListener('sessions-error', (e) => sessionsUnavailable(JSON.parse(e.data)));
  source.addEventListener('recovery', (e) => renderRecovery(JSON.parse(e.data)));
  source.addEventListener('pool', (e) => renderPool(JSON.parse(e.data)));
}

let logReader = null;

function stopFollowing() {
  if (logReader) logReader.cancel();
  logReader = null;
  $('log-toggle').textContent = 'Follow log';
}

async function followLog() {
  if (logReader) {
    stopFollowing();
    return;
  }
  const log = $('log');
  const append = (line) => {
    log.textContent += line + '\n';
    log.scrollTop = log.scrollHeight;
  };
  let reader = null;
  try {
    const tail = await api('GET', '/api/v1/logs?tail=200');
    log.textContent = tail.lines.length ? '' : `(${tail.file} is empty; new lines appear here)\n`;
    tail.lines.forEach(append);
    // EventSource cannot send credentials, so the stream is read through fetch.
    const response = await fetch('/api/v1/logs/stream', {
      headers: { 'X-Requested-With': 'vxpool-console', Authorization: 'Basic ' + credentials },
    });
    if (!response.ok) throw new Error(response.status + ' ' + response.statusText);
    reader = logReader = response.body.getReader();
    $('log-toggle').textContent = 'Stop following';
    const decoder = new TextDecoder();
    let pending = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let end;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const frame = pending.slice(0, end);
        pending = pending.slice(end + 2);
        frame.split('\n').filter((l) => l.startsWith('data: ')).forEach((l) => append(l.slice(6)));
      }
    }
    if (logReader === reader) {
      stopFollowing();
      showMessage('log: the stream ended', true);
    }
  } catch (e) {
    // Stopping on purpose cancels the reader, which ends here too; anything else is an error.
    if (reader === null || logReader === reader) {
      stopFollowing();
      log.textContent = (reader === null ? '' : log.textContent) + 'log: ' + e.message + '\n';
      showMessage('log: ' + e.message, true);
    }
  }
}

$('login-button').addEventListener('click', () => (credentials ? forgetCredentials() : askCredentials(false)));
$('pool-stop').addEventListener('click', async () => {
  if (await ask('Stop the proxy and watchdog of this node? Its clients are disconnected; an Active watchdog hands over.',
      [['ok', 'Stop pool']])) {
    run('stop pool', () => api('POST', '/api/v1/pool/stop'));
  }
});
$('pool-start').addEventListener('click', () => run('start pool', () => api('POST', '/api/v1/pool/start')));
$('reload').addEventListener('click', () => run('reload', async () => {
  const r = await api('POST', '/api/v1/reload');
  return { message: r.changed.length ? 'changed: ' + r.changed.join(', ') : 'nothing changed' };
}));
$('log-toggle').addEventListener('click', followLog);
updateWho();
connectEvents();
