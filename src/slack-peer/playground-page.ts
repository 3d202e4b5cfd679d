/**
 * The playground's one HTML page: a sidebar of conversations (Home first), the messages, a box for
 * commands, a switch between the sample people, and modals over it all. Its script polls `/state`
 * and posts what the person does; the server (playground.ts) turns that into Slack's requests.
 */
import { escapeHtml } from './render-blocks.js';
import type { PlaygroundUser } from './playground.js';

const STYLE = `
body{margin:0;font:15px/1.45 -apple-system,Segoe UI,Roboto,sans-serif;display:flex;height:100vh;color:#1d1c1d}
nav{width:230px;background:#3f0e40;color:#fff;padding:12px;overflow:auto}
nav label{display:block;margin-bottom:12px;font-size:13px}
nav button{display:block;width:100%;text-align:left;background:none;border:0;color:#cfc3cf;padding:4px 8px;font:inherit;cursor:pointer}
nav button.on{background:#1164a3;color:#fff;border-radius:4px}
main{flex:1;display:flex;flex-direction:column;min-width:0}
#messages{flex:1;overflow:auto;padding:12px 20px}
.message{padding:8px 0;border-bottom:1px solid #eee}.ephemeral{background:#f8f8f8}.only{font-size:12px;color:#616061}
.block{margin:4px 0}.block.section{display:flex;gap:12px}.block.section .text{flex:1}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px}
.block.context{font-size:13px;color:#616061}
.button{margin:4px 6px 4px 0;padding:3px 10px;border:1px solid #ccc;border-radius:4px;background:#fff;cursor:pointer;font:inherit}
.button.primary{background:#007a5a;color:#fff}.button.danger{color:#e01e5a}.mention{background:#e8f5fa;color:#1264a3}
blockquote{margin:0;border-left:4px solid #ddd;padding-left:8px}img{max-width:520px;display:block}
.file figcaption{font-size:12px;color:#616061}
details.thread{margin:0 0 8px 24px;border-left:2px solid #ddd;padding-left:12px}
form#box{display:flex;gap:8px;padding:12px 20px 4px;border-top:1px solid #ddd}form#box input{flex:1;padding:8px;font:inherit}
.hint{font-size:12px;color:#616061;padding:0 20px 8px}
.error{color:#e01e5a}
#modal{position:fixed;inset:0;background:rgba(0,0,0,.45);display:none;align-items:flex-start;justify-content:center;overflow:auto}
#modal.on{display:flex}
.dialog{background:#fff;border-radius:8px;margin:40px 0;width:560px;max-width:95vw;padding:16px 20px;box-shadow:0 8px 30px rgba(0,0,0,.3)}
.dialog label.input{display:flex;flex-direction:column;gap:4px;margin:10px 0}
.dialog .label{font-weight:600}.dialog input,.dialog select,.dialog textarea{font:inherit;padding:6px}
.dialog textarea{min-height:70px}
.dialog .footer{display:flex;justify-content:flex-end;gap:8px;margin-top:12px}
`;

/** The script: polls, draws, and posts commands, clicks, submissions and the opening of Home. */
const SCRIPT = `
let channel = '';
let shown = { messages: '', modal: '', modalId: '', sidebar: '' };
const $ = (id) => document.getElementById(id);
const user = () => $('user').value;
/** What the person entered in a view: { blockId: { actionId: value | [values] | null } }. */
function entered(root) {
  const values = {};
  for (const el of root.querySelectorAll('[data-kind][data-block-id][data-action-id]')) {
    const kind = el.dataset.kind;
    let value;
    if (kind === 'checkboxes') value = [...el.querySelectorAll('input[type=checkbox]:checked')].map((i) => i.value);
    else if (kind === 'radio_buttons') value = el.querySelector('input[type=radio]:checked')?.value ?? null;
    else if (el.multiple) value = [...el.selectedOptions].map((o) => o.value);
    else if ('value' in el && el.tagName !== 'BUTTON') value = el.value === '' ? null : el.value;
    else continue;
    (values[el.dataset.blockId] ??= {})[el.dataset.actionId] = value;
  }
  return values;
}
/** Puts entered values back after a redraw of the same modal (Slack keeps them when it shows errors). */
function restore(root, values) {
  for (const el of root.querySelectorAll('[data-kind][data-block-id][data-action-id]')) {
    const value = values[el.dataset.blockId]?.[el.dataset.actionId];
    if (value === undefined) continue;
    const list = Array.isArray(value) ? value : [value];
    if (el.dataset.kind === 'checkboxes' || el.dataset.kind === 'radio_buttons') {
      for (const i of el.querySelectorAll('input')) i.checked = list.includes(i.value);
    } else if (el.multiple) {
      for (const o of el.options) o.selected = list.includes(o.value);
    } else if ('value' in el && el.tagName !== 'BUTTON') el.value = value ?? '';
  }
}
let refreshing = 0;
async function refresh() {
  refreshing++;
  // Bounded, so that one lost answer cannot stop the poll.
  const url = '/state?user=' + encodeURIComponent(user()) + '&channel=' + encodeURIComponent(channel);
  try { draw(await (await fetch(url, { signal: AbortSignal.timeout(10000) })).json()); }
  finally { refreshing--; }
}
function draw(s) {
  if (!channel && s.conversations.length) channel = s.conversations.find((c) => c.id !== 'home')?.id ?? 'home';
  // Redrawn only when it changed: a button replaced under the pointer would lose the click.
  const sidebar = JSON.stringify([s.conversations, channel]);
  if (sidebar !== shown.sidebar) {
    shown.sidebar = sidebar;
    $('conversations').replaceChildren(...s.conversations.map((c) => {
      const b = document.createElement('button');
      b.textContent = (c.id === 'home' ? '⌂ ' : c.id.startsWith('D') ? '@ ' : '# ') + c.name;
      b.className = c.id === channel ? 'on' : '';
      b.dataset.conversation = c.id;
      b.onclick = () => select(c.id);
      return b;
    }));
  }
  if (s.html !== shown.messages) { $('messages').innerHTML = s.html; shown.messages = s.html; }
  const dialog = $('dialog');
  if (!s.modal) { $('modal').className = ''; shown.modal = ''; shown.modalId = ''; }
  else if (s.modal.html !== shown.modal) {
    const keep = s.modal.id === shown.modalId ? entered(dialog) : {};
    dialog.innerHTML = s.modal.html;
    dialog.dataset.viewId = s.modal.id;
    restore(dialog, keep);
    shown.modal = s.modal.html; shown.modalId = s.modal.id;
    $('modal').className = 'on';
  }
  $('problem').textContent = s.problem || '';
}
async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json();
  $('problem').textContent = j.error || '';
  if (j.channel && j.channel !== channel) { channel = j.channel; shown.messages = ''; }
  await refresh();
  setTimeout(refresh, 400);
}
function select(id) {
  channel = id;
  shown.messages = '';
  if (id === 'home') post('/home', { user: user() }); else refresh();
}
$('box').onsubmit = (e) => { e.preventDefault(); post('/command', { user: user(), channel, text: $('text').value }); $('text').value = ''; };
function clicked(el, kind, value, label) {
  const dialog = el.closest('#dialog');
  const where = dialog ? { viewId: dialog.dataset.viewId, values: entered(dialog) }
    : channel === 'home' ? { viewId: $('messages').querySelector('[data-view-id]')?.dataset.viewId }
    : { channel, ts: el.closest('.message')?.dataset.ts };
  post('/action', { user: user(), ...where, kind, actionId: el.dataset.actionId, blockId: el.dataset.blockId, value, label });
}
document.addEventListener('click', (e) => {
  const control = e.target.closest('button[data-kind]');
  if (!control) return;
  const kind = control.dataset.kind;
  if (kind === 'submit' || kind === 'close') {
    const dialog = $('dialog');
    post('/submit', { user: user(), viewId: dialog.dataset.viewId, values: entered(dialog), close: kind === 'close' });
  } else if (kind === 'button') clicked(control, 'button', control.dataset.value, control.textContent);
});
document.addEventListener('change', (e) => {
  const s = e.target.closest('select[data-kind="overflow"], .block.actions select[data-kind="static_select"]');
  if (!s || !s.value) return;
  clicked(s, s.dataset.kind, s.value, s.selectedOptions[0].textContent);
  if (s.dataset.kind === 'overflow') s.value = '';
});
$('user').onchange = () => select(channel);
// The periodic poll waits its turn: on a slow machine, answers piling up would redraw without end.
refresh(); setInterval(() => { if (!refreshing) refresh(); }, 2000);
`;

export function playgroundPage(
  users: readonly PlaygroundUser[],
  people: ReadonlyArray<{ id: string; handle: string }>,
): string {
  const options = users
    .map((u) => `<option value="${escapeHtml(u.id)}">${escapeHtml(u.name)}</option>`)
    .join('');
  const handles = people.map((p) => `@${escapeHtml(p.handle)}`).join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cairn playground</title><style>${STYLE}</style></head>
<body><nav><label>You are <select id="user">${options}</select></label><div id="conversations"></div></nav>
<main><div id="messages"></div>
<form id="box"><input id="text" autocomplete="off" placeholder="/status … or /program …"><button>Send</button></form>
<div class="hint">Mention people as ${handles}; channels as #name. <span id="problem" class="error"></span></div></main>
<div id="modal"><div id="dialog" class="dialog"></div></div>
<script>${SCRIPT}</script></body></html>`;
}
