/**
 * The playground's page (issue 14): Slack's side of Cairn in a browser, for trying Cairn without a
 * workspace. It shows what the local Slack peer holds — channels, DMs, threads, files, ephemeral
 * messages, the App Home tab and modals — drawn from their Block Kit, and sends what a person does
 * there to Cairn as Slack would: slash commands from the message box, clicks as block_actions, modal
 * submissions as view_submission, opening Home as app_home_opened, each signed, to Cairn's Request
 * URL, as the sample person chosen. What Cairn answers a submission is applied as Slack applies it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { playgroundPage } from './playground-page.js';
import { blocksToHtml, escapeHtml, viewToHtml, type Directory } from './render-blocks.js';
import type { FakeMessage, FakeSlack } from './slack-peer.js';
import { SlackDriver } from './slack-driver.js';
import { slackCommandText } from './typed-text.js';
import { viewStateValues, type StateValues } from './view-state.js';

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

/** The sidebar's entry for the App Home tab. */
export const HOME = 'home';

/** A slash command or click whose answer (at its response_url) the page shows to its user. */
interface Asked {
  responseId: string;
  userId: string;
  channelId: string;
  what: string;
}

type Entered = Record<string, Record<string, string | string[] | null>>;

/** What the page posts for a click: where (a message, a modal or Home) and on what. */
interface Click {
  user?: string;
  channel?: string;
  ts?: string;
  viewId?: string;
  kind?: string;
  actionId?: string;
  blockId?: string;
  value?: string;
  label?: string;
  values?: Entered;
}

const MAX_BODY = 64 * 1024;
/** A trigger_id lives 3 s: only the last few can still open a modal. */
const TRIGGERS_WATCHED = 20;

/** A person's handle for `@` in the box: the first word of their name, in lower case. */
export const handleOf = (user: PlaygroundUser): string => user.name.split(/\s+/)[0]!.toLowerCase();

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const { peer, users } = options;
  const driver = new SlackDriver({
    appUrl: options.cairnUrl,
    signingSecret: options.signingSecret,
    fakeSlack: peer,
  });
  const asked: Asked[] = [];
  /** Triggers sent with a person's commands and clicks, until a modal opens with one. */
  const watched: Array<{ userId: string; triggerId: string }> = [];
  const modalOf = new Map<string, string>(); // user id → a view id of their modal stack
  const errorsOf = new Map<string, Record<string, string>>(); // view id → inline errors
  const problemOf = new Map<string, string>(); // user id → what Slack said went wrong
  const nameOf = (id: string) => options.channelNames[id] ?? id;
  const userOf = (id: string | undefined) => users.find((u) => u.id === id) ?? users[0]!;
  const directory = (): Directory => ({
    conversations: Object.entries(options.channelNames).map(([id, name]) => ({ id, name })),
    users,
  });
  const known = () => ({
    people: users.map((u) => ({ id: u.id, handle: handleOf(u) })),
    channels: Object.entries(options.channelNames).map(([id, name]) => ({ id, name })),
  });
  const slackUser = (user: PlaygroundUser) => ({
    id: user.id,
    username: handleOf(user),
    name: handleOf(user),
  });

  const watch = (userId: string, sent: Record<string, unknown>) => {
    const triggerId = sent['trigger_id'];
    if (typeof triggerId === 'string') watched.push({ userId, triggerId });
    watched.splice(0, Math.max(0, watched.length - TRIGGERS_WATCHED));
  };
  const responseIdOf = (sent: Record<string, unknown>) =>
    typeof sent['response_url'] === 'string' ? sent['response_url'].split('/').pop() : undefined;

  /** The modal a person sees now, if any: one opened with a trigger of theirs, until it is closed. */
  const modalFor = (userId: string) => {
    for (let i = watched.length - 1; i >= 0; i--) {
      const w = watched[i]!;
      const opened = peer.viewOpenedWith(w.triggerId);
      if (opened !== undefined) modalOf.set(w.userId, opened);
      if (opened !== undefined) watched.splice(i, 1);
    }
    const any = modalOf.get(userId);
    const shown = any === undefined ? undefined : peer.shownModal(any);
    if (!shown) modalOf.delete(userId);
    return shown;
  };

  const messageHtml = (channelId: string, m: FakeMessage, ephemeral = '') => {
    const files = (m.files ?? [])
      .map((f) =>
        /\.png$/i.test(f.name)
          ? `<figure class="file"><img src="/files/${encodeURIComponent(f.id)}" alt="${escapeHtml(f.title)}"><figcaption>${escapeHtml(f.title)}</figcaption></figure>`
          : `<div class="file">📄 ${escapeHtml(f.title)}</div>`,
      )
      .join('');
    const body = m.blocks ? blocksToHtml(m.blocks, {}, directory()) : escapeHtml(m.text ?? '');
    const only = ephemeral ? `<div class="only">Only visible to you · ${escapeHtml(ephemeral)}</div>` : '';
    return `<div class="message${ephemeral ? ' ephemeral' : ''}" data-ts="${escapeHtml(m.ts)}" data-channel="${escapeHtml(channelId)}">${only}${body}${files}</div>`;
  };

  const conversationHtml = (userId: string, channelId: string) => {
    const messages = peer.messages(channelId);
    const roots = messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    const history = roots
      .map((m) => {
        const replies = messages.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);
        const thread = replies.length
          ? `<details class="thread"><summary>${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}</summary>${replies.map((r) => messageHtml(channelId, r)).join('')}</details>`
          : '';
        return messageHtml(channelId, m) + thread;
      })
      .join('');
    const ephemeral = peer
      .ephemeralMessages(channelId)
      .filter((m) => m.user === userId)
      .map((m) => messageHtml(channelId, m, 'Cairn'))
      .join('');
    // An answer at a response_url replaces the one before it there (`replace_original`, the default
    // for an ephemeral answer); `delete_original` takes it away.
    const answers = asked
      .filter((a) => a.userId === userId && a.channelId === channelId)
      .flatMap((a) => {
        const last = peer
          .responses()
          .filter((r) => r.id === a.responseId)
          .at(-1);
        if (!last || last.body['delete_original'] === true) return [];
        if (last.body['response_type'] === 'in_channel' && last.body['replace_original'] !== true) return [];
        const blocks = Array.isArray(last.body['blocks'])
          ? (last.body['blocks'] as FakeMessage['blocks'])
          : undefined;
        const text = typeof last.body['text'] === 'string' ? last.body['text'] : '';
        return [
          messageHtml(
            channelId,
            { ts: '', user: peer.botUserId, ...(blocks ? { blocks } : {}), text },
            a.what,
          ),
        ];
      })
      .join('');
    return history + ephemeral + answers;
  };

  const state = (userId: string, channelId: string) => {
    const conversations = [
      ...new Set([...Object.keys(options.channelNames), ...peer.conversations()]),
    ].filter((id) => !id.startsWith('D') || id === peer.dmChannelFor(userId));
    const home = channelId === HOME ? peer.homeView(userId) : undefined;
    const modal = modalFor(userId);
    const modalId = modal === undefined ? undefined : String(modal['id']);
    return {
      conversations: [
        { id: HOME, name: 'Cairn · Home' },
        ...conversations.map((id) => ({ id, name: id.startsWith('D') ? 'Cairn (DM)' : nameOf(id) })),
      ],
      html:
        channelId === HOME
          ? home
            ? `<div class="home" data-view-id="${escapeHtml(String(home['id']))}">${viewToHtml(home, {}, directory())}</div>`
            : '<p class="hint">Opening Home…</p>'
          : conversationHtml(userId, channelId),
      ...(modal && modalId !== undefined
        ? { modal: { id: modalId, html: viewToHtml(modal, errorsOf.get(modalId) ?? {}, directory()) } }
        : {}),
      problem: problemOf.get(userId) ?? '',
    };
  };

  async function command(body: { user?: string; channel?: string; text?: string }) {
    const user = userOf(body.user);
    // Typed on the Home tab, a command goes where Slack's Messages tab sends it: the DM with Cairn.
    const channelId = body.channel === HOME ? peer.dmChannelFor(user.id) : String(body.channel ?? '');
    const typed = String(body.text ?? '').trim();
    const command = typed.split(/\s+/, 1)[0] ?? '';
    if (command !== '/status' && command !== '/program') {
      return { status: 400, error: 'Cairn answers /status and /program.' };
    }
    const sent = await driver.slashCommand({
      command,
      text: slackCommandText(typed.slice(command.length).trim(), known()),
      userId: user.id,
      userName: handleOf(user),
      channelId,
      channelName: channelId.startsWith('D') ? 'directmessage' : nameOf(channelId),
    });
    watch(user.id, sent.sent);
    const responseId = responseIdOf(sent.sent);
    if (responseId) asked.push({ responseId, userId: user.id, channelId, what: typed.slice(0, 80) });
    // An answer in the HTTP response (a synchronous ack) is shown as Slack shows it: like one at the response_url.
    if (sent.json && typeof sent.json === 'object') {
      await fetch(String(sent.sent['response_url']), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sent.json),
      });
    }
    return { status: sent.status, channel: channelId };
  }

  async function click(body: Click) {
    const user = userOf(body.user);
    const action =
      body.kind === 'overflow' || body.kind === 'static_select'
        ? {
            type: body.kind,
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
    if (body.viewId !== undefined) {
      const view = peer.view(body.viewId);
      if (!view) return { status: 404, error: 'That view is gone.' };
      const values = view['type'] === 'modal' ? viewStateValues(view, body.values ?? {}) : {};
      const sent = await driver.blockAction({
        user: slackUser(user),
        view: { ...view, state: { values } },
        actions: [action],
      });
      watch(user.id, sent.sent);
      return { status: sent.status };
    }
    const channelId = String(body.channel ?? '');
    const message = peer.messages(channelId).find((m) => m.ts === body.ts);
    const where = { channel: channelId, ts: String(body.ts ?? '') };
    const sent = await driver.blockAction({
      user: slackUser(user),
      container: { type: 'message', message_ts: body.ts, channel_id: channelId, is_ephemeral: !message },
      channel: { id: channelId, name: nameOf(channelId) },
      ...(message ? { message: { type: 'message', ...message } } : {}),
      response_url: peer.responseUrl(message ? where : undefined),
      actions: [action],
    });
    watch(user.id, sent.sent);
    const responseId = responseIdOf(sent.sent);
    if (responseId) {
      asked.push({
        responseId,
        userId: user.id,
        channelId,
        what: `clicked ${body.label ?? body.actionId ?? ''}`,
      });
    }
    return { status: sent.status };
  }

  async function submit(body: { user?: string; viewId?: string; values?: Entered; close?: boolean }) {
    const user = userOf(body.user);
    const viewId = String(body.viewId ?? '');
    const view = peer.view(viewId);
    if (!view) return { status: 404, error: 'That modal is gone.' };
    problemOf.delete(user.id);
    if (body.close) {
      peer.closeModal(viewId);
      return { status: 200 };
    }
    const values = viewStateValues(view, body.values ?? {});
    // Slack's client checks required fields itself: an empty one is never sent to the app.
    const empty = requiredLeftEmpty(view, values);
    if (Object.keys(empty).length > 0) {
      errorsOf.set(viewId, empty);
      return { status: 200 };
    }
    const sent = await driver.viewSubmission({ user: slackUser(user), view: { ...view, state: { values } } });
    watch(user.id, sent.sent);
    if (sent.status !== 200) {
      problemOf.set(
        user.id,
        `Cairn answered HTTP ${sent.status}: Slack would show "We had some trouble connecting".`,
      );
      return { status: sent.status };
    }
    const outcome = peer.answerSubmission(viewId, sent.json);
    if (outcome.errors) errorsOf.set(viewId, outcome.errors);
    else errorsOf.delete(viewId);
    if (outcome.problem) problemOf.set(user.id, `Slack refused Cairn's answer: ${outcome.problem}`);
    return { status: sent.status };
  }

  async function openHome(body: { user?: string }) {
    const user = userOf(body.user);
    const sent = await driver.event({
      type: 'app_home_opened',
      user: user.id,
      channel: peer.dmChannelFor(user.id),
      tab: 'home',
    });
    return { status: sent.status };
  }

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(error instanceof Error ? error.message : 'failed');
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://playground');
    if (req.method === 'GET' && url.pathname === '/') {
      return send(res, 200, 'text/html', playgroundPage(users, known().people));
    }
    if (req.method === 'GET' && url.pathname === '/state') {
      const user = userOf(url.searchParams.get('user') ?? undefined);
      return sendJson(res, 200, state(user.id, url.searchParams.get('channel') ?? ''));
    }
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const id = decodeURIComponent(url.pathname.slice('/files/'.length));
      const file = peer.uploadedFiles().find((f) => f.id === id);
      if (!file) return send(res, 404, 'text/plain', 'no such file');
      res.writeHead(200, {
        'content-type': /\.png$/i.test(file.filename) ? 'image/png' : 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(file.bytes);
      return;
    }
    const routes: Record<
      string,
      (body: never) => Promise<{ status: number; error?: string; channel?: string }>
    > = {
      '/command': command,
      '/action': click,
      '/submit': submit,
      '/home': openHome,
    };
    const route = req.method === 'POST' ? routes[url.pathname] : undefined;
    if (route) {
      const answer = await route((await readJson(req)) as never);
      return sendJson(res, answer.error ? answer.status : 200, answer);
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

/** The input blocks not marked `optional` that have no value, with the message Slack's client shows. */
function requiredLeftEmpty(view: Record<string, unknown>, values: StateValues): Record<string, string> {
  const blocks = Array.isArray(view['blocks']) ? (view['blocks'] as Array<Record<string, unknown>>) : [];
  const empty: Record<string, string> = {};
  for (const block of blocks) {
    if (block['type'] !== 'input' || block['optional'] === true || typeof block['block_id'] !== 'string')
      continue;
    const entered = Object.values(values[block['block_id']] ?? {})[0];
    const chosen = entered && Object.entries(entered).find(([key]) => key !== 'type')?.[1];
    if (
      chosen === undefined ||
      chosen === null ||
      (Array.isArray(chosen) && chosen.length === 0) ||
      chosen === ''
    ) {
      empty[block['block_id']] = 'Please complete this required field.';
    }
  }
  return empty;
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
