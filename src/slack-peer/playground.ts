/**
 * The playground's page (issue 14): Slack's side of Cairn in a browser, for trying Cairn without a
 * workspace. It shows the conversations the local Slack peer holds (channels, DMs, threads) drawn
 * from their Block Kit, the answers Cairn gave the user, and a message box that sends `/status` and
 * `/program` as Slack would: signed, to Cairn's Request URL, as the sample user chosen. A click on a
 * button or a menu goes back the same way, as the block_actions payload Slack sends.
 *
 * Not yet here: modals, the App Home tab and ephemeral chat.postEphemeral messages (see the issue).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { blocksToHtml, escapeHtml } from './render-blocks.js';
import type { FakeSlack } from './slack-peer.js';
import { SlackDriver } from './slack-driver.js';

export interface PlaygroundUser {
  id: string;
  name: string;
}

export interface PlaygroundOptions {
  peer: FakeSlack;
  /** Cairn's base URL (its Request URL is `/slack/events` there). */
  cairnUrl: string;
  signingSecret: string;
  users: readonly PlaygroundUser[];
  /** Names of the channels the page lists first (id → name). */
  channelNames: Readonly<Record<string, string>>;
  port: number;
  host: string;
}

export interface Playground {
  url: string;
  stop(): Promise<void>;
}

/** What the page shows after a command: the answer Cairn gave the user, by response id. */
interface Asked {
  responseId: string;
  userId: string;
  channelId: string;
  command: string;
}

const MAX_BODY = 64 * 1024;

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const { peer, users } = options;
  const driver = new SlackDriver({
    appUrl: options.cairnUrl,
    signingSecret: options.signingSecret,
    fakeSlack: peer,
  });
  const asked: Asked[] = [];
  const nameOf = (id: string) => options.channelNames[id] ?? id;
  const userOf = (id: string | undefined) => users.find((u) => u.id === id) ?? users[0]!;

  const state = (userId: string, channelId: string) => {
    const messages = peer.messages(channelId);
    const roots = messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    const html = roots
      .map((m) => {
        const replies = messages.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);
        const drawn = (msg: typeof m) =>
          `<div class="message" data-ts="${escapeHtml(msg.ts)}" data-channel="${escapeHtml(channelId)}">${msg.blocks ? blocksToHtml(msg.blocks) : escapeHtml(msg.text ?? '')}</div>`;
        return `${drawn(m)}${replies.length ? `<details class="thread"><summary>${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}</summary>${replies.map(drawn).join('')}</details>` : ''}`;
      })
      .join('');
    const answers = asked
      .filter((a) => a.userId === userId && a.channelId === channelId)
      .flatMap((a) =>
        peer
          .responses()
          .filter((r) => r.id === a.responseId)
          .map(
            (r) =>
              `<div class="message ephemeral" data-channel="${escapeHtml(channelId)}"><div class="only">Only visible to you · ${escapeHtml(a.command)}</div>${blocksToHtml(r.body.blocks) || escapeHtml(String(r.body.text ?? ''))}</div>`,
          ),
      )
      .join('');
    const conversations = [...new Set([...Object.keys(options.channelNames), ...peer.conversations()])];
    return {
      conversations: conversations.map((id) => ({ id, name: nameOf(id) })),
      html: html + answers,
    };
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(error instanceof Error ? error.message : 'failed');
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://playground');
    if (req.method === 'GET' && url.pathname === '/') return send(res, 200, 'text/html', page(users));
    if (req.method === 'GET' && url.pathname === '/state') {
      const user = userOf(url.searchParams.get('user') ?? undefined);
      return sendJson(res, 200, state(user.id, url.searchParams.get('channel') ?? ''));
    }
    if (req.method === 'POST' && url.pathname === '/command') {
      const body = (await readJson(req)) as { user?: string; channel?: string; text?: string };
      const user = userOf(body.user);
      const channelId = String(body.channel ?? '');
      const typed = String(body.text ?? '').trim();
      const [command = '', ...rest] = typed.split(/\s+/);
      if (command !== '/status' && command !== '/program') {
        return sendJson(res, 400, { error: 'Cairn answers /status and /program.' });
      }
      const sent = await driver.slashCommand({
        command,
        text: typed.slice(command.length).trimStart() || rest.join(' '),
        userId: user.id,
        userName: user.name,
        channelId,
        channelName: nameOf(channelId),
      });
      const responseId = new URL(String(sent.sent.response_url)).pathname.split('/').pop()!;
      asked.push({ responseId, userId: user.id, channelId, command: typed.slice(0, 80) });
      // An answer in the HTTP response (a synchronous ack) is shown like one at the response_url.
      if (sent.json && typeof sent.json === 'object') {
        await fetch(String(sent.sent.response_url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(sent.json),
        });
      }
      return sendJson(res, 200, { status: sent.status });
    }
    if (req.method === 'POST' && url.pathname === '/action') {
      const body = (await readJson(req)) as Record<string, string | undefined>;
      const user = userOf(body.user);
      const channelId = String(body.channel ?? '');
      const message = peer.messages(channelId).find((m) => m.ts === body.ts);
      const action =
        body.kind === 'overflow'
          ? {
              type: 'overflow',
              action_id: body.actionId,
              block_id: body.blockId,
              selected_option: { text: { type: 'plain_text', text: body.label ?? '' }, value: body.value },
              action_ts: '1',
            }
          : {
              type: 'button',
              action_id: body.actionId,
              block_id: body.blockId,
              value: body.value,
              action_ts: '1',
            };
      const sent = await driver.blockAction({
        user: { id: user.id, username: user.name, name: user.name },
        container: { type: 'message', message_ts: body.ts, channel_id: channelId, is_ephemeral: !message },
        channel: { id: channelId, name: nameOf(channelId) },
        ...(message ? { message: { type: 'message', ...message } } : {}),
        actions: [action],
      });
      const responseId = new URL(String(sent.sent.response_url)).pathname.split('/').pop()!;
      asked.push({
        responseId,
        userId: user.id,
        channelId,
        command: `clicked ${body.label ?? body.actionId ?? ''}`,
      });
      return sendJson(res, 200, { status: sent.status });
    }
    send(res, 404, 'text/plain', 'not found');
  }

  server.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
}

/** The page: a sidebar of conversations, the messages, a box for commands, a user switcher. */
function page(users: readonly PlaygroundUser[]): string {
  const options = users
    .map((u) => `<option value="${escapeHtml(u.id)}">${escapeHtml(u.name)}</option>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cairn playground</title>
<style>
body{margin:0;font:15px/1.45 -apple-system,Segoe UI,Roboto,sans-serif;display:flex;height:100vh;color:#1d1c1d}
nav{width:220px;background:#3f0e40;color:#fff;padding:12px;overflow:auto}
nav button{display:block;width:100%;text-align:left;background:none;border:0;color:#cfc3cf;padding:4px 8px;font:inherit;cursor:pointer}
nav button.on{background:#1164a3;color:#fff;border-radius:4px}
main{flex:1;display:flex;flex-direction:column}
#messages{flex:1;overflow:auto;padding:12px 20px}
.message{padding:8px 0;border-bottom:1px solid #eee}.ephemeral{background:#f8f8f8}.only{font-size:12px;color:#616061}
.block.section{display:flex;gap:12px}.block.section .text{flex:1}.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px}
.block.context{font-size:13px;color:#616061}.button{margin:4px 6px 4px 0;padding:3px 10px;border:1px solid #ccc;border-radius:4px;background:#fff;cursor:pointer}
.button.primary{background:#007a5a;color:#fff}.button.danger{color:#e01e5a}.mention{background:#e8f5fa;color:#1264a3}
blockquote{margin:0;border-left:4px solid #ddd;padding-left:8px}img{max-width:480px}
form{display:flex;gap:8px;padding:12px 20px;border-top:1px solid #ddd}form input{flex:1;padding:8px;font:inherit}
.error{color:#e01e5a}
</style></head>
<body><nav><label>You are <select id="user">${options}</select></label><div id="conversations"></div></nav>
<main><div id="messages"></div>
<form id="box"><input id="text" autocomplete="off" placeholder="/status … or /program …"><button>Send</button></form><div id="problem" class="error"></div></main>
<script>
let channel = '';
const $ = (id) => document.getElementById(id);
async function refresh() {
  const r = await fetch('/state?user=' + encodeURIComponent($('user').value) + '&channel=' + encodeURIComponent(channel));
  const s = await r.json();
  if (!channel && s.conversations.length) channel = s.conversations[0].id;
  $('conversations').replaceChildren(...s.conversations.map((c) => {
    const b = document.createElement('button');
    b.textContent = (c.id.startsWith('D') ? '@ ' : '# ') + c.name;
    b.className = c.id === channel ? 'on' : '';
    b.onclick = () => { channel = c.id; refresh(); };
    return b;
  }));
  $('messages').innerHTML = s.html;
}
async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json();
  $('problem').textContent = j.error || '';
  setTimeout(refresh, 300);
}
$('box').onsubmit = (e) => { e.preventDefault(); post('/command', { user: $('user').value, channel, text: $('text').value }); $('text').value = ''; };
$('messages').addEventListener('click', (e) => {
  const b = e.target.closest('button[data-action-id]');
  if (!b) return;
  const m = b.closest('.message');
  post('/action', { user: $('user').value, channel, ts: m.dataset.ts, kind: 'button', actionId: b.dataset.actionId, blockId: b.dataset.blockId, value: b.dataset.value, label: b.textContent });
});
$('messages').addEventListener('change', (e) => {
  const s = e.target.closest('select[data-kind="overflow"]');
  if (!s || !s.value) return;
  const m = s.closest('.message');
  post('/action', { user: $('user').value, channel, ts: m.dataset.ts, kind: 'overflow', actionId: s.dataset.actionId, blockId: s.dataset.blockId, value: s.value, label: s.selectedOptions[0].textContent });
});
$('user').onchange = refresh;
refresh(); setInterval(refresh, 2000);
</script></body></html>`;
}
