/**
 * A local Slack Web API peer on 127.0.0.1, for running Cairn against "Slack" without a network: the
 * tests' fake Slack, and (issue 14) the playground's. It ships under src/ so that one peer serves
 * both and every limit the tests enforce holds in the playground too. Point a WebClient (or Bolt's
 * `clientOptions.slackApiUrl`) at `peer.apiUrl`; every call is recorded and answered the way Slack's
 * documentation says Slack answers it, including its errors, its Block Kit limits and the
 * chat.postMessage per-channel rate limit.
 *
 * Where this file encodes a documented Slack behaviour, the comment names the
 * docs.slack.dev page it comes from. Anything not documented is kept simple and
 * says so.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { systemNow } from '../clock.js';
import { isMessageTextTooLong, validateMessageBlocks, validateView } from './block-kit-limits.js';

export interface RecordedCall {
  method: string;
  /** Arguments as sent, with JSON-encoded fields (blocks, view, metadata, attachments) parsed; `token` removed. */
  args: Record<string, unknown>;
  token: string | undefined;
  /** The workspace `token` belongs to (whether or not it is still good); undefined for a token this fake never issued. */
  teamId?: string | undefined;
  status: number;
  response: Record<string, unknown>;
  at: number;
}

/** A Slack workspace Cairn can be installed in (addWorkspace); the fake's default one exists from the start. */
export interface FakeWorkspace {
  teamId: string;
  teamName?: string; // default `Workspace <teamId>`
  teamDomain?: string; // default the team id in lower case
  botUserId?: string; // default `UBOT<teamId>`
  botId?: string; // default `B<teamId>`
}

/** The app as registered with Slack for OAuth (Basic Information, OAuth & Permissions → Redirect URLs). */
export interface FakeOAuthApp {
  clientId: string;
  clientSecret: string;
  /** Where Slack sends the browser back when the authorize URL names no redirect_uri. */
  redirectUrl: string;
}

/** One visit to the authorize URL, as the fake saw it. */
export interface AuthorizeRequest {
  clientId: string | undefined;
  scopes: string[];
  state: string | undefined;
  redirectUri: string | undefined;
  /** The workspace and user who approved, and the code they were given; undefined when refused. */
  teamId?: string;
  userId?: string;
  code?: string;
}

/** A body posted to one of this server's response_urls (Bolt's respond() posts JSON there). */
export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeSlackOptions {
  botToken?: string; // default 'xoxb-test-token'
  teamId?: string; // default 'T0001'
  teamDomain?: string; // default 'cairn-test'
  botUserId?: string; // default 'UBOT'
  botId?: string; // default 'B0001'
  appId?: string; // default 'A0001'
  /** chat.postMessage: one message per second per channel (default true). */
  rateLimit?: boolean;
  /** Clock in ms since the epoch; drives ts values, trigger expiry and rate limiting. */
  now?: () => number;
}

export interface FakeUser {
  id: string;
  /** Default UTC; null: users.info leaves `tz` out, as Slack does for some users. */
  tz?: string | null;
  tz_offset?: number;
  is_admin?: boolean;
  is_owner?: boolean;
  team_id?: string;
  name?: string;
}

export interface FakeMessage {
  ts: string;
  text?: string;
  blocks?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  user: string;
  /** Files shared with the message (files.completeUploadExternal). */
  files?: Array<{ id: string; name: string; title: string }>;
}

/** A file uploaded through files.getUploadURLExternal → POST → files.completeUploadExternal. */
export interface UploadedFile {
  id: string;
  filename: string;
  title: string;
  /** `alt_txt` as documented; @slack/web-api sends `alt_text`, and this fake takes either. */
  altText?: string;
  bytes: Buffer;
  /** Where it was shared; undefined when completed without a channel (a private file). */
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  /** The ts of the message that shares it, when shared in a channel. */
  messageTs?: string;
}

export interface InjectedError {
  error?: string;
  status?: number;
  retryAfter?: number;
  times?: number;
}

type Args = Record<string, unknown>;
type Body = Record<string, unknown>;
type Handler = (args: Args) => Body;
type Checked<T> = { ok: true; value: T } | { ok: false; body: Body };

interface Reply {
  status: number;
  body: Body;
  headers?: Record<string, string>;
}

interface StoredMessage extends FakeMessage {
  bot_id?: string;
}

interface Trigger {
  issuedAt: number;
  used: boolean;
  viewId?: string;
  /** The modal views.open or views.push showed with it. */
  opened?: string;
}

/** What Slack does with the answer to a view_submission, as the person sees it. */
export interface SubmissionOutcome {
  /** Inline errors by block id (`response_action: 'errors'`): the modal stays open. */
  errors?: Record<string, string>;
  /** Slack refused the answer (a bad view in `update` or `push`): it shows this and keeps the modal. */
  problem?: string;
}

/** A file between files.getUploadURLExternal and files.completeUploadExternal, and after. */
interface StoredFile {
  id: string;
  filename: string;
  length: number;
  altText?: string;
  /** Set by the upload POST. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  completed?: Omit<UploadedFile, 'id' | 'filename' | 'altText' | 'bytes'>;
}

/** docs.slack.dev/surfaces/modals: a trigger_id expires 3 seconds after it is issued, and is usable once. */
const TRIGGER_TTL_MS = 3000;
/** docs.slack.dev/apis/web-api/rate-limits: chat.postMessage allows ~1 message per second per channel. */
const POST_INTERVAL_MS = 1000;
/** docs.slack.dev/interactivity/handling-user-interaction: a response_url works 5 times within 30 minutes. */
const RESPONSE_URL_MAX_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
/** views.push docs: "After a modal is opened, the app is limited to pushing 2 additional views." */
const MAX_VIEW_STACK = 3;
/** Arguments that Slack takes as JSON-encoded strings in form bodies (WebClient sends them so). */
const JSON_ARGS = ['blocks', 'attachments', 'view', 'metadata', 'files'];
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** What this fake takes at an upload URL (Slack's own limit, 1 GB, is more than a test needs). */
const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
/** Where this fake's upload URLs live (Slack's are on files.slack.com/upload/v1/…). */
const UPLOAD_PATH = '/upload/v1/';
/** The eight bytes every PNG file starts with (PNG specification, 5.2). */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DEFAULT_WAIT_MS = 5000;
/** Where this fake serves Slack's authorize page (slack.com/oauth/v2/authorize). */
const AUTHORIZE_PATH = '/oauth/v2/authorize';
/** docs.slack.dev/authentication/installing-with-oauth: the temporary code expires after ten minutes. */
const OAUTH_CODE_TTL_MS = 10 * 60 * 1000;

/** A workspace and its bot, with every default filled in. */
type WorkspaceState = Required<FakeWorkspace>;

/** A temporary authorization code, usable once (oauth.v2.access). */
interface OAuthCode {
  teamId: string;
  userId: string;
  scopes: string[];
  redirectUri: string | undefined;
  issuedAt: number;
  used: boolean;
}

/** client_id and client_secret sent with HTTP Basic authentication (the way oauth.v2.access prefers). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

// ---------------------------------------------------------------------------
// Small pure helpers
// ---------------------------------------------------------------------------

function fail(error: string, extra: Body = {}): Body {
  return { ok: false, error, ...extra };
}

function bad<T>(body: Body): Checked<T> {
  return { ok: false, body };
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Form bodies carry booleans as strings; JSON bodies as booleans. */
function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === 'true' || value === '1';
}

/** An `invalid_blocks` / `invalid_arguments` answer in Slack's shape. */
function blockKitError(error: string, messages: string[]): Body {
  const errors = messages.map((m) => m.replace(/^\[ERROR\] /, ''));
  return fail(error, { errors, response_metadata: { messages } });
}

/**
 * A Slack ts ("1700000000.000100") as an exact integer of microseconds. Numbers would
 * lose the last digit: sixteen significant digits is one more than a double holds.
 */
function tsKey(ts: string): bigint | undefined {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts);
  if (!m) return undefined;
  return BigInt(m[1] ?? '0') * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

function formatTs(micros: bigint): string {
  return `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
}

/** conversations.history `limit`: Slack's default is 100 and its maximum 999. */
function pageLimit(value: unknown): number {
  const n = Number(value ?? 100);
  return Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), 999) : 100;
}

/** UTC offset in seconds of an IANA zone at `atMs`, as users.info reports `tz_offset`. */
function zoneOffsetSeconds(tz: string, atMs: number): number {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(new Date(atMs))
      .find((p) => p.type === 'timeZoneName')?.value;
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
    if (!m) return 0;
    const sign = m[1] === '-' ? -1 : 1;
    return sign * (Number(m[2]) * 3600 + Number(m[3]) * 60);
  } catch {
    return 0;
  }
}

/**
 * Strict application/x-www-form-urlencoded parsing: a malformed %-escape makes the
 * whole body invalid, which Slack answers with `invalid_form_data`.
 */
function parseForm(raw: string): Args | undefined {
  const args: Args = {};
  const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    try {
      args[decode(eq < 0 ? pair : pair.slice(0, eq))] = eq < 0 ? '' : decode(pair.slice(eq + 1));
    } catch {
      return undefined;
    }
  }
  return args;
}

/** Parses JSON-encoded argument strings in place; one that fails stays a string, for the handler to refuse. */
function decodeJsonArgs(args: Args): Args {
  for (const name of JSON_ARGS) {
    const value = args[name];
    if (typeof value !== 'string') continue;
    try {
      args[name] = JSON.parse(value);
    } catch {
      // left as a string: the method answers invalid_blocks_format / invalid_arguments
    }
  }
  return args;
}

/** The request body as arguments, or the error Slack gives for a body it cannot read. */
function parseArgs(contentType: string | undefined, raw: string): Checked<Args> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    if (raw.trim() === '') return { ok: true, value: {} };
    try {
      const parsed: unknown = JSON.parse(raw);
      return isObject(parsed) ? { ok: true, value: decodeJsonArgs(parsed) } : bad(fail('invalid_json'));
    } catch {
      return bad(fail('invalid_json'));
    }
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    const form = parseForm(raw);
    return form ? { ok: true, value: decodeJsonArgs(form) } : bad(fail('invalid_form_data'));
  }
  // multipart (file uploads) is not modelled by this fake
  return bad(fail('invalid_form_data'));
}

function readBody(
  req: http.IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<{ text: string; bytes: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      resolve({ text: bytes.toString('utf8'), bytes, tooLarge: size > limit });
    });
    req.on('error', reject);
  });
}

/**
 * The file in an upload POST. files.getUploadURLExternal docs: "Files can be sent as raw bytes or
 * can be multipart form encoded"; in a multipart body, the first part that is a file (else the first part).
 */
async function uploadedBytes(contentType: string | undefined, raw: Buffer): Promise<Buffer | undefined> {
  if (!/^multipart\/form-data/i.test(contentType ?? '')) return raw;
  try {
    const form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
    const parts = [...form.values()];
    const part = parts.find((v) => typeof v !== 'string') ?? parts[0];
    if (part === undefined) return undefined;
    return typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(await part.arrayBuffer());
  } catch {
    return undefined;
  }
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

export class FakeSlack {
  readonly botToken: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  private readonly now: () => number;
  private rateLimit: boolean;
  private readonly server: http.Server;
  private baseUrl = '';

  // Recorded traffic
  private recorded: RecordedCall[] = [];
  private posted: RecordedResponse[] = [];
  private waiters = new Set<() => void>();

  // Workspace state
  private channels = new Map<string, StoredMessage[]>();
  private ephemeral: Array<FakeMessage & { channel: string }> = [];
  private lastPostAt = new Map<string, number>();
  private users = new Map<string, FakeUser>();
  private triggers = new Map<string, Trigger>();
  private responseUrls = new Map<
    string,
    { createdAt: number; uses: number; message?: { channel: string; ts: string } }
  >();
  private viewsById = new Map<string, Body>();
  private stacks = new Map<string, string[]>(); // root view id -> view ids, bottom first
  private lastRootId: string | undefined;
  private homes = new Map<string, string>(); // user id -> home view id
  private injected = new Map<string, Array<InjectedError & { remaining: number }>>();
  private files = new Map<string, StoredFile>(); // file id -> file
  private uploadUrls = new Map<string, string>(); // upload URL token -> file id
  private held = new Map<string, Promise<void>>(); // method -> released when the test says
  // Workspaces, their bot tokens, and OAuth installs
  private workspaces = new Map<string, WorkspaceState>(); // team id -> workspace
  private tokens = new Map<string, { teamId: string; revoked: boolean }>(); // bot token -> its workspace
  private caller: WorkspaceState | undefined; // the workspace of the call being answered
  private oauthApp: FakeOAuthApp | undefined;
  private signedIn: { teamId: string; userId: string } | undefined;
  private codes = new Map<string, OAuthCode>();
  private authorizeRequests: AuthorizeRequest[] = [];
  private socketMode: { url: string | (() => string); appToken: string } | undefined;
  private lastTsMicros = 0n;
  private counter = 0;

  private readonly methods = new Map<string, Handler>([
    ['auth.test', () => this.authTest()],
    ['chat.postMessage', (a) => this.postMessage(a)],
    ['chat.update', (a) => this.updateMessage(a)],
    ['chat.postEphemeral', (a) => this.postEphemeral(a)],
    ['chat.delete', (a) => this.deleteMessage(a)],
    ['chat.getPermalink', (a) => this.permalink(a)],
    ['conversations.history', (a) => this.history(a)],
    ['conversations.replies', (a) => this.replies(a)],
    ['conversations.open', (a) => this.openConversation(a)],
    ['users.info', (a) => this.userInfo(a)],
    ['views.open', (a) => this.viewsOpen(a)],
    ['views.update', (a) => this.viewsUpdate(a)],
    ['views.push', (a) => this.viewsPush(a)],
    ['views.publish', (a) => this.viewsPublish(a)],
    ['files.getUploadURLExternal', (a) => this.getUploadUrl(a)],
    ['files.completeUploadExternal', (a) => this.completeUpload(a)],
  ]);

  private constructor(opts: FakeSlackOptions) {
    this.botToken = opts.botToken ?? 'xoxb-test-token';
    this.teamId = opts.teamId ?? 'T0001';
    this.teamDomain = opts.teamDomain ?? 'cairn-test';
    this.botUserId = opts.botUserId ?? 'UBOT';
    this.botId = opts.botId ?? 'B0001';
    this.appId = opts.appId ?? 'A0001';
    this.rateLimit = opts.rateLimit ?? true;
    this.now = opts.now ?? (() => systemNow().getTime());
    this.users.set(this.botUserId, { id: this.botUserId, name: 'cairn' });
    this.workspaces.set(this.teamId, {
      teamId: this.teamId,
      teamName: 'Cairn Test',
      teamDomain: this.teamDomain,
      botUserId: this.botUserId,
      botId: this.botId,
    });
    this.tokens.set(this.botToken, { teamId: this.teamId, revoked: false });
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
  }

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(opts);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** What WebClient's `slackApiUrl` takes (trailing slash included). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections(); // keep-alive sockets would hold close() open
    await closed;
  }

  // -------------------------------------------------------------------------
  // Test-facing API
  // -------------------------------------------------------------------------

  /** Recorded Web API calls, oldest first, failed ones included. */
  calls(method?: string): RecordedCall[] {
    return this.recorded.filter((c) => method === undefined || c.method === method);
  }

  /** Resolves with the first matching call, already recorded or still to come. */
  waitForCall(
    method: string,
    predicate: (c: RecordedCall) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedCall> {
    const find = (): RecordedCall | undefined =>
      this.recorded.find((c) => c.method === method && predicate(c));
    return this.waitFor(find, timeoutMs, `a ${method} call`);
  }

  /**
   * A fresh response_url on this server; `forMessage` is the channel message clicked, which its
   * `replace_original` and `delete_original` then change.
   */
  responseUrl(forMessage?: { channel: string; ts: string }): string {
    const id = randomBytes(8).toString('hex');
    this.responseUrls.set(id, {
      createdAt: this.now(),
      uses: 0,
      ...(forMessage ? { message: { ...forMessage } } : {}),
    });
    return `${this.baseUrl}/response/${id}`;
  }

  /** Bodies accepted at response_urls, oldest first (refused posts are not listed). */
  responses(): RecordedResponse[] {
    return [...this.posted];
  }

  waitForResponse(
    predicate: (r: RecordedResponse) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedResponse> {
    const find = (): RecordedResponse | undefined => this.posted.find(predicate);
    return this.waitFor(find, timeoutMs, 'a post to a response_url');
  }

  /**
   * A trigger_id valid for 3 s and usable once, in Slack's format ("12345.98765.abcd2358fdea").
   * `viewId` says which open modal the interaction came from, for views.push.
   */
  issueTriggerId(opts: { viewId?: string } = {}): string {
    const id = `${Math.floor(this.now() / 1000)}.${++this.counter}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(id, { issuedAt: this.now(), used: false, viewId: opts.viewId });
    return id;
  }

  setRateLimiting(on: boolean): void {
    this.rateLimit = on;
  }

  /**
   * Calls of `method` wait, unanswered, until the returned function is called (Slack being slow):
   * for tests of what Cairn does while it has work in hand.
   */
  holdCalls(method: string): () => void {
    let release: () => void = () => undefined;
    this.held.set(
      method,
      new Promise<void>((resolve) => {
        release = () => {
          this.held.delete(method);
          resolve();
        };
      }),
    );
    return release;
  }

  /**
   * apps.connections.open answers `url` (a FakeSocketMode's) to `appToken`; until this is called
   * the fake has no Socket Mode and answers it unknown_method.
   */
  setSocketMode(socketMode: { url: string | (() => string); appToken: string }): void {
    this.socketMode = { ...socketMode };
  }

  /** The next `times` (default 1) calls of `method` fail: with HTTP `status`, or HTTP 200 {ok:false,error}. */
  injectError(method: string, e: InjectedError): void {
    const queue = this.injected.get(method) ?? [];
    queue.push({ ...e, remaining: e.times ?? 1 });
    this.injected.set(method, queue);
  }

  /** Adds or replaces a user for users.info. */
  setUser(user: FakeUser): void {
    this.users.set(user.id, { ...user });
  }

  /** Messages stored in a channel (a user id means the app's DM with that user), oldest first. */
  messages(channel: string): FakeMessage[] {
    return (this.channels.get(this.channelOf(channel) ?? channel) ?? []).map((m) => {
      const message: FakeMessage = { ts: m.ts, user: m.user };
      if (m.text !== undefined) message.text = m.text;
      if (m.blocks !== undefined) message.blocks = m.blocks;
      if (m.metadata !== undefined) message.metadata = m.metadata;
      if (m.thread_ts !== undefined) message.thread_ts = m.thread_ts;
      if (m.files !== undefined) message.files = m.files;
      return structuredClone(message);
    });
  }

  /** The conversations that hold messages (channels, then DMs), for the playground's sidebar. */
  conversations(): string[] {
    return [...this.channels.keys()].sort(
      (a, b) => Number(a.startsWith('D')) - Number(b.startsWith('D')) || a.localeCompare(b),
    );
  }

  /** Ephemeral messages sent with chat.postEphemeral (they never appear in history). */
  ephemeralMessages(channel?: string): Array<FakeMessage & { channel: string }> {
    return this.ephemeral
      .filter((m) => channel === undefined || m.channel === channel)
      .map((m) => structuredClone(m));
  }

  /** Puts a message in a channel as if someone had posted it (e.g. a person's status update); returns its ts. */
  seedMessage(channel: string, message: Omit<FakeMessage, 'ts'> & { ts?: string }): string {
    const ts = message.ts ?? this.nextTs();
    if (tsKey(ts) === undefined) throw new Error(`FakeSlack.seedMessage: not a Slack ts: ${ts}`);
    const list = this.channelMessages(this.channelOf(channel) ?? channel);
    list.push(structuredClone({ ...message, ts }));
    list.sort((a, b) => (tsKey(a.ts)! < tsKey(b.ts)! ? -1 : 1));
    return ts;
  }

  /** A view as Slack stores it (after views.open/push/update/publish). */
  view(id: string): Record<string, unknown> | undefined {
    const v = this.viewsById.get(id);
    return v && structuredClone(v);
  }

  /** The Home tab last published for a user. */
  homeView(userId: string): Record<string, unknown> | undefined {
    const id = this.homes.get(userId);
    return id === undefined ? undefined : this.view(id);
  }

  /** The modal views.open or views.push showed with a trigger_id, if any (the playground follows it). */
  viewOpenedWith(triggerId: string): string | undefined {
    return this.triggers.get(triggerId)?.opened;
  }

  /** The view a person sees of the modal stack that `viewId` is in; undefined once it is closed. */
  shownModal(viewId: string): Record<string, unknown> | undefined {
    const rootId = this.viewsById.get(viewId)?.['root_view_id'];
    const stack = typeof rootId === 'string' ? this.stacks.get(rootId) : undefined;
    const top = stack?.[stack.length - 1];
    return top === undefined ? undefined : this.view(top);
  }

  /**
   * The person closed the modal `viewId` (its Close button): it leaves the stack and the one under it,
   * if any, shows again.
   */
  closeModal(viewId: string): void {
    this.dropFromStack(viewId, false);
  }

  /**
   * Slack's handling of the app's answer to a view_submission of `viewId` (docs.slack.dev, "Modifying
   * modals" and "Handling user interaction"): an empty answer closes that view; `clear` closes the whole
   * stack; `update` replaces the submitted view; `push` adds one on top; `errors` keeps it open with
   * inline errors. A view in `update` or `push` is checked as views.update and views.push check theirs.
   */
  answerSubmission(viewId: string, answer: unknown): SubmissionOutcome {
    const current = this.viewsById.get(viewId);
    if (!current) return { problem: 'not_found' };
    const reply = isObject(answer) ? answer : {};
    switch (reply['response_action']) {
      case 'errors': {
        const errors = isObject(reply['errors']) ? reply['errors'] : {};
        return { errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)])) };
      }
      case 'clear':
        this.dropFromStack(viewId, true);
        return {};
      case 'update': {
        const input = this.checkView(reply, 'modal', viewId);
        if (!input.ok) return { problem: String(input.body['error']) };
        this.storeView(
          input.value,
          String(current['root_view_id']),
          current['previous_view_id'] as string | null,
          viewId,
        );
        return {};
      }
      case 'push': {
        const stack = this.stacks.get(String(current['root_view_id']));
        if (!stack) return { problem: 'not_found' };
        if (stack.length >= MAX_VIEW_STACK) return { problem: 'push_limit_reached' };
        const input = this.checkView(reply, 'modal');
        if (!input.ok) return { problem: String(input.body['error']) };
        const view = this.storeView(input.value, String(current['root_view_id']), viewId);
        stack.push(String(view['id']));
        return {};
      }
      default:
        this.dropFromStack(viewId, false);
        return {};
    }
  }

  /**
   * Files uploaded and completed (files.completeUploadExternal), oldest first, with their bytes;
   * `channel` keeps those shared there (a user id means the app's DM with that user).
   */
  uploadedFiles(channel?: string): UploadedFile[] {
    const where = channel === undefined ? undefined : (this.channelOf(channel) ?? channel);
    return [...this.files.values()].flatMap((f) => {
      if (!f.completed || !f.bytes || (where !== undefined && f.completed.channel !== where)) return [];
      const file: UploadedFile = {
        id: f.id,
        filename: f.filename,
        bytes: Buffer.from(f.bytes),
        ...f.completed,
      };
      if (f.altText !== undefined) file.altText = f.altText;
      return [file];
    });
  }

  /** Registers the app's OAuth credentials and redirect URL: without them oauth.v2.access knows no client. */
  setOAuthApp(app: FakeOAuthApp): void {
    this.oauthApp = { ...app };
  }

  /** Adds a workspace the app can be installed in; it has no token until an install gives it one. */
  addWorkspace(workspace: FakeWorkspace): void {
    const { teamId } = workspace;
    this.workspaces.set(teamId, {
      teamName: `Workspace ${teamId}`,
      teamDomain: teamId.toLowerCase(),
      botUserId: `UBOT${teamId}`,
      botId: `B${teamId}`,
      ...workspace,
    });
  }

  /** Who the browser visiting the authorize URL is signed in as: they approve the install there. */
  signIn(who: { teamId: string; userId: string }): void {
    if (!this.workspaces.has(who.teamId)) throw new Error(`FakeSlack.signIn: no workspace ${who.teamId}`);
    this.signedIn = { ...who };
  }

  /** Visits of the authorize URL, oldest first. */
  authorizations(): AuthorizeRequest[] {
    return structuredClone(this.authorizeRequests);
  }

  /**
   * Revokes every bot token of a workspace, as Slack does when the app is uninstalled or its tokens
   * revoked: calls with them answer token_revoked, and the next install issues a new one.
   */
  revokeTokens(teamId: string): void {
    for (const owner of this.tokens.values()) if (owner.teamId === teamId) owner.revoked = true;
  }

  /** The workspace's bot token still in force, if any. */
  tokenOf(teamId: string): string | undefined {
    return [...this.tokens].find(([, owner]) => owner.teamId === teamId && !owner.revoked)?.[0];
  }

  /** The workspace a token was issued for (revoked or not); undefined for one this fake never issued. */
  teamOfToken(token: string | undefined): string | undefined {
    return token === undefined ? undefined : this.tokens.get(token)?.teamId;
  }

  /** The bot user of a workspace (for events and assertions). */
  botUserOf(teamId: string): string | undefined {
    return this.workspaces.get(teamId)?.botUserId;
  }

  /** The DM channel id conversations.open returns for a user; stable for the life of the fake. */
  dmChannelFor(userId: string): string {
    return `D${userId}`;
  }

  /** Forgets traffic and workspace state (calls, messages, views, triggers, injected errors, rate-limit memory); keeps users and settings. */
  reset(): void {
    this.recorded = [];
    this.posted = [];
    this.channels.clear();
    this.ephemeral = [];
    this.lastPostAt.clear();
    this.triggers.clear();
    this.responseUrls.clear();
    this.viewsById.clear();
    this.stacks.clear();
    this.homes.clear();
    this.lastRootId = undefined;
    this.injected.clear();
    this.files.clear();
    this.uploadUrls.clear();
    this.codes.clear();
    this.authorizeRequests = [];
  }

  // -------------------------------------------------------------------------
  // HTTP plumbing
  // -------------------------------------------------------------------------

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const upload = url.pathname.startsWith(UPLOAD_PATH);
      const body = await readBody(req, upload ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES);
      if (body.tooLarge) return this.send(res, { status: 413, body: fail('request_too_large') });
      if (upload) {
        const token = url.pathname.slice(UPLOAD_PATH.length);
        return this.sendText(res, await this.uploadPost(token, req, body.bytes));
      }
      if (url.pathname.startsWith('/api/')) {
        // A held method answers only once released (a slow Slack, for tests of work in flight).
        await this.held.get(decodeURIComponent(url.pathname.slice('/api/'.length)));
        return this.send(res, this.apiRequest(url, req, body.text));
      }
      if (url.pathname === AUTHORIZE_PATH) return this.sendAuthorize(res, this.authorize(url));
      if (url.pathname.startsWith('/response/')) {
        return this.send(res, this.responsePost(url.pathname.slice('/response/'.length), body.text));
      }
      this.send(res, { status: 404, body: fail('not_found') });
    } catch (e) {
      // A fake that throws would hang the test; answer like Slack's catastrophic error instead.
      this.send(res, { status: 500, body: fail('fatal_error', { detail: String(e) }) });
    }
  }

  /** The upload URL answers in plain text, as Slack's does ("OK - 1234"). */
  private sendText(res: http.ServerResponse, reply: { status: number; text: string }): void {
    if (res.headersSent) return;
    res.writeHead(reply.status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(reply.text);
  }

  private send(res: http.ServerResponse, reply: Reply): void {
    if (res.headersSent) return;
    res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  private apiRequest(url: URL, req: http.IncomingMessage, raw: string): Reply {
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const parsed: Checked<Args> =
      req.method === 'GET'
        ? { ok: true, value: decodeJsonArgs(Object.fromEntries(url.searchParams)) }
        : parseArgs(req.headers['content-type'], raw);
    const args = parsed.ok ? parsed.value : {};
    const token = bearer(req.headers.authorization) ?? str(args['token']);
    delete args['token'];
    const client = basicCredentials(req.headers.authorization);
    const reply = this.answer(method, token, args, parsed.ok ? undefined : parsed.body, client);
    const teamId = token === undefined ? undefined : this.tokens.get(token)?.teamId;
    this.record({ method, args, token, teamId, status: reply.status, response: reply.body, at: this.now() });
    return reply;
  }

  /** The order Slack checks things in: the method exists, the body is readable, the token is good, not rate limited. */
  private answer(
    method: string,
    token: string | undefined,
    args: Args,
    parseError: Body | undefined,
    client?: { id: string; secret: string },
  ): Reply {
    const injected = this.takeInjected(method);
    if (injected) return injected;
    if (method === 'apps.connections.open' && this.socketMode) {
      return { status: 200, body: this.connectionsOpen(token, this.socketMode) };
    }
    // The app's own credentials, not a token (oauth.v2.access docs).
    if (method === 'oauth.v2.access')
      return { status: 200, body: parseError ?? this.oauthAccess(args, client) };
    const handler = this.methods.get(method);
    if (!handler) return { status: 200, body: fail('unknown_method') };
    if (parseError) return { status: 200, body: parseError };
    if (token === undefined) return { status: 200, body: fail('not_authed') };
    const owner = this.tokens.get(token);
    if (!owner) return { status: 200, body: fail('invalid_auth') };
    // "Authentication token is for a deleted user or workspace or the app has been removed."
    if (owner.revoked) return { status: 200, body: fail('token_revoked') };
    const limited = this.rateLimited(method, args);
    if (limited) return limited;
    this.caller = this.workspaces.get(owner.teamId);
    return { status: 200, body: handler(args) };
  }

  private takeInjected(method: string): Reply | undefined {
    const queue = this.injected.get(method);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    if (--next.remaining <= 0) queue.shift();
    const status = next.status ?? 200;
    const error = next.error ?? (status === 429 ? 'ratelimited' : 'internal_error');
    const retryAfter = next.retryAfter ?? (status === 429 ? 1 : undefined);
    const headers = retryAfter === undefined ? undefined : { 'Retry-After': String(retryAfter) };
    return { status, body: fail(error), headers };
  }

  /**
   * chat.postMessage: "generally allows posting one message per second per channel"
   * (docs.slack.dev/apis/web-api/rate-limits). Slack tolerates short bursts; this fake
   * deliberately does not, so code that relies on a burst fails here first.
   * Past the limit Slack answers HTTP 429 with a Retry-After header (same page).
   */
  private rateLimited(method: string, args: Args): Reply | undefined {
    if (!this.rateLimit || method !== 'chat.postMessage') return undefined;
    const channel = this.channelOf(args['channel']);
    const last = channel === undefined ? undefined : this.lastPostAt.get(channel);
    if (last === undefined || this.now() - last >= POST_INTERVAL_MS) return undefined;
    return { status: 429, body: fail('ratelimited'), headers: { 'Retry-After': '1' } };
  }

  private record(call: RecordedCall): void {
    this.recorded.push(call);
    this.notify();
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = find();
        if (found === undefined) return false;
        this.waiters.delete(wake);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        const seen = this.recorded
          .map((c) => `${c.method}→${String(c.response['error'] ?? 'ok')}`)
          .join(', ');
        reject(
          new Error(
            `FakeSlack: timed out after ${timeoutMs} ms waiting for ${what}; calls so far: [${seen}]`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(wake);
      check();
    });
  }

  // -------------------------------------------------------------------------
  // Response URLs (docs.slack.dev/interactivity/handling-user-interaction)
  // -------------------------------------------------------------------------

  private responsePost(id: string, raw: string): Reply {
    const entry = this.responseUrls.get(id);
    if (!entry) return { status: 404, body: fail('no_such_url') };
    // Documented: up to 5 uses within 30 minutes. The error strings here are this fake's own.
    if (this.now() - entry.createdAt > RESPONSE_URL_TTL_MS) return { status: 404, body: fail('expired_url') };
    if (entry.uses >= RESPONSE_URL_MAX_USES) return { status: 404, body: fail('used_url') };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return { status: 400, body: fail('invalid_payload') };
    }
    if (!isObject(body)) return { status: 400, body: fail('invalid_payload') };
    const refused = this.checkResponseBody(body);
    if (refused) return { status: 400, body: refused };
    entry.uses += 1;
    this.posted.push({ id, body, at: this.now() });
    if (entry.message) this.actOnOriginal(entry.message, body);
    this.notify();
    return { status: 200, body: { ok: true } };
  }

  /**
   * `replace_original` / `delete_original` at the response_url of a click on a channel message change
   * that message, as Slack does (a response_url issued without its message leaves history alone).
   */
  private actOnOriginal(where: { channel: string; ts: string }, body: Body): void {
    const list = this.channels.get(where.channel);
    const message = list?.find((m) => m.ts === where.ts);
    if (!list || !message) return;
    if (truthy(body['delete_original'])) list.splice(list.indexOf(message), 1);
    else if (truthy(body['replace_original'])) {
      message.text = str(body['text']) ?? '';
      message.blocks = Array.isArray(body['blocks']) ? structuredClone(body['blocks']) : undefined;
    }
  }

  /** A response_url message obeys the same text and Block Kit limits as chat.postMessage. */
  private checkResponseBody(body: Body): Body | undefined {
    if (truthy(body['delete_original'])) return undefined;
    const content = this.content(body, true);
    return content.ok ? undefined : content.body;
  }

  // -------------------------------------------------------------------------
  // Messages
  // -------------------------------------------------------------------------

  /** Unique, increasing ts values in Slack's format, following the clock. */
  private nextTs(): string {
    const clock = BigInt(Math.floor(this.now())) * 1000n;
    this.lastTsMicros = clock > this.lastTsMicros ? clock : this.lastTsMicros + 100n;
    return formatTs(this.lastTsMicros);
  }

  /** Posting to a user id posts to the app's DM with that user (chat.postMessage docs). */
  private channelOf(value: unknown): string | undefined {
    const channel = str(value);
    if (channel === undefined) return undefined;
    return /^[UW]/.test(channel) ? this.dmChannelFor(channel) : channel;
  }

  private channelMessages(channel: string): StoredMessage[] {
    let list = this.channels.get(channel);
    if (!list) this.channels.set(channel, (list = []));
    return list;
  }

  private findMessage(channel: string, ts: unknown): StoredMessage | undefined {
    return this.channels.get(channel)?.find((m) => m.ts === ts);
  }

  /**
   * text / blocks / metadata of a chat.* call, checked as chat.postMessage documents:
   * no_text, msg_too_long (text over 40,000 characters), invalid_blocks_format,
   * invalid_blocks (Block Kit limits), invalid_metadata_format.
   */
  private content(
    a: Args,
    requireContent: boolean,
  ): Checked<Pick<FakeMessage, 'text' | 'blocks' | 'metadata'>> {
    const text = typeof a['text'] === 'string' ? a['text'] : undefined;
    const blocks = a['blocks'];
    if (blocks !== undefined && !Array.isArray(blocks)) return bad(fail('invalid_blocks_format'));
    const empty = !text && (!blocks || blocks.length === 0) && a['attachments'] === undefined;
    if (requireContent && empty) return bad(fail('no_text'));
    if (isMessageTextTooLong(text)) return bad(fail('msg_too_long'));
    const errors = blocks ? validateMessageBlocks(blocks) : [];
    if (errors.length > 0) return bad(blockKitError('invalid_blocks', errors));
    const metadata = a['metadata'];
    if (!this.validMetadata(metadata)) return bad(fail('invalid_metadata_format'));
    return { ok: true, value: { text, blocks: blocks as unknown[] | undefined, metadata } };
  }

  /**
   * chat.postMessage and chat.update refuse blocks whose texts add up to more than about 12,000
   * characters with HTTP 200 `{ok: false, error: "msg_blocks_too_long"}` and no detail of what or
   * by how much, however far each block is within its own limits and the message within 50
   * blocks. Undocumented for section blocks; from public reports: slackapi/bolt-js #2509 (refused
   * from 13,297 characters of markdown blocks alone) and #2867 (quoting Slack in #2509: "12,000
   * text characters with a buffer for block containers"; blocks whose texts summed to 11,341 were
   * refused too; the error carries no count; the same blocks sent with respond() were accepted, so
   * only these methods are checked here). Counted: every `text` string in the blocks, in code
   * points; the top-level `text` is not (it has its own limit, msg_too_long).
   */
  static readonly BLOCKS_TEXT_LIMIT = 12_000;

  private blocksTooLong(blocks: unknown): boolean {
    const total = (node: unknown): number => {
      if (Array.isArray(node)) return node.reduce((sum: number, n: unknown) => sum + total(n), 0);
      if (!isObject(node)) return 0;
      return Object.entries(node).reduce(
        (sum, [key, value]) =>
          sum + (key === 'text' && typeof value === 'string' ? [...value].length : total(value)),
        0,
      );
    };
    return Array.isArray(blocks) && total(blocks) > FakeSlack.BLOCKS_TEXT_LIMIT;
  }

  /** docs.slack.dev/messaging/message-metadata: {event_type, event_payload}; {} clears it on chat.update. */
  private validMetadata(metadata: unknown): boolean {
    if (metadata === undefined) return true;
    if (!isObject(metadata)) return false;
    if (Object.keys(metadata).length === 0) return true;
    return typeof metadata['event_type'] === 'string' && isObject(metadata['event_payload']);
  }

  /** A message as the Web API returns it; metadata only when asked for (include_all_metadata). */
  private render(m: StoredMessage, channel: string, withMetadata: boolean): Body {
    const replies = this.channelMessages(channel).filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);
    const out: Body = { type: 'message', user: m.user, text: m.text ?? '', ts: m.ts, team: this.teamId };
    if (m.bot_id) Object.assign(out, { bot_id: m.bot_id, app_id: this.appId });
    if (m.blocks) out['blocks'] = m.blocks;
    if (m.thread_ts) out['thread_ts'] = m.thread_ts;
    if (replies.length > 0) Object.assign(out, { thread_ts: m.ts, reply_count: replies.length });
    if (withMetadata && isObject(m.metadata) && Object.keys(m.metadata).length > 0)
      out['metadata'] = m.metadata;
    return structuredClone(out);
  }

  /**
   * apps.connections.open takes an app-level token (xapp-…) alone; a bot or user token is
   * not_allowed_token_type, an unknown app-level token invalid_auth (apps.connections.open docs).
   */
  private connectionsOpen(
    token: string | undefined,
    socketMode: { url: string | (() => string); appToken: string },
  ): Body {
    if (token === undefined) return fail('not_authed');
    if (!token.startsWith('xapp-'))
      return fail(/^xox[bpe]-/.test(token) ? 'not_allowed_token_type' : 'invalid_auth');
    if (token !== socketMode.appToken) return fail('invalid_auth');
    return { ok: true, url: typeof socketMode.url === 'string' ? socketMode.url : socketMode.url() };
  }

  // -------------------------------------------------------------------------
  // OAuth installs (docs.slack.dev/authentication/installing-with-oauth,
  // docs.slack.dev/reference/methods/oauth.v2.access)
  // -------------------------------------------------------------------------

  /** The workspace of the token of the call being answered (the default one outside a call). */
  private callerWorkspace(): WorkspaceState {
    return this.caller ?? this.workspaces.get(this.teamId)!;
  }

  /**
   * The authorize page: the signed-in user approves at once, and the browser is sent to
   * `redirect_uri` (else the app's registered redirect URL) with `code` and `state`. An unknown
   * client_id gets an error page, as on Slack; so does a visit with no one signed in (this fake has
   * no sign-in page).
   */
  private authorize(url: URL): { status: number; location?: string; text: string } {
    const q = url.searchParams;
    const request: AuthorizeRequest = {
      clientId: q.get('client_id') ?? undefined,
      scopes: (q.get('scope') ?? '').split(',').filter((scope) => scope !== ''),
      state: q.get('state') ?? undefined,
      redirectUri: q.get('redirect_uri') ?? undefined,
    };
    this.authorizeRequests.push(request);
    this.notify();
    if (!this.oauthApp || request.clientId !== this.oauthApp.clientId)
      return { status: 400, text: 'invalid_client_id' };
    if (!this.signedIn) return { status: 401, text: 'not signed in' };
    const code = `${Math.floor(this.now() / 1000)}.${++this.counter}.${randomBytes(16).toString('hex')}`;
    const { teamId, userId } = this.signedIn;
    this.codes.set(code, {
      teamId,
      userId,
      scopes: request.scopes,
      redirectUri: request.redirectUri,
      issuedAt: this.now(),
      used: false,
    });
    Object.assign(request, { teamId, userId, code });
    const back = new URL(request.redirectUri ?? this.oauthApp.redirectUrl);
    back.searchParams.set('code', code);
    if (request.state !== undefined) back.searchParams.set('state', request.state);
    return { status: 302, location: back.href, text: '' };
  }

  private sendAuthorize(
    res: http.ServerResponse,
    reply: { status: number; location?: string; text: string },
  ): void {
    if (res.headersSent) return;
    res.writeHead(reply.status, {
      'Content-Type': 'text/plain; charset=utf-8',
      ...(reply.location ? { Location: reply.location } : {}),
    });
    res.end(reply.text);
  }

  /**
   * oauth.v2.access: exchanges a code for the workspace's bot token. The client's credentials come
   * by HTTP Basic authentication or as client_id/client_secret; the code is good once, for ten
   * minutes, and with the redirect_uri it was issued for, if any. A workspace keeps its bot token
   * across installs until it is revoked; then the next install gets a new one.
   */
  private oauthAccess(a: Args, basic: { id: string; secret: string } | undefined): Body {
    const clientId = basic?.id ?? str(a['client_id']);
    const secret = basic?.secret ?? str(a['client_secret']);
    if (!this.oauthApp || clientId !== this.oauthApp.clientId) return fail('invalid_client_id');
    if (secret !== this.oauthApp.clientSecret) return fail('bad_client_secret');
    const grant = str(a['grant_type']);
    // Token rotation (grant_type=refresh_token) is not modelled: Cairn's manifest turns it off.
    if (grant !== undefined && grant !== 'authorization_code') return fail('invalid_grant_type');
    const code = this.codes.get(str(a['code']) ?? '');
    if (!code || code.used || this.now() - code.issuedAt > OAUTH_CODE_TTL_MS) return fail('invalid_code');
    code.used = true;
    if (code.redirectUri !== undefined && str(a['redirect_uri']) !== code.redirectUri)
      return fail('bad_redirect_uri');
    const ws = this.workspaces.get(code.teamId)!;
    let token = this.tokenOf(ws.teamId);
    if (token === undefined) {
      token = `xoxb-${ws.teamId}-${++this.counter}-${randomBytes(12).toString('hex')}`;
      this.tokens.set(token, { teamId: ws.teamId, revoked: false });
    }
    return {
      ok: true,
      access_token: token,
      token_type: 'bot',
      scope: code.scopes.join(','),
      bot_user_id: ws.botUserId,
      app_id: this.appId,
      team: { name: ws.teamName, id: ws.teamId },
      enterprise: null,
      // No user scopes asked for: the installing user's id alone, no user token.
      authed_user: { id: code.userId },
      is_enterprise_install: false,
    };
  }

  /** auth.test: the workspace and bot the token belongs to. */
  private authTest(): Body {
    const ws = this.callerWorkspace();
    return {
      ok: true,
      url: `https://${ws.teamDomain}.slack.com/`,
      team: ws.teamName,
      user: 'cairn',
      team_id: ws.teamId,
      user_id: ws.botUserId,
      bot_id: ws.botId,
      is_enterprise_install: false,
    };
  }

  private postMessage(a: Args): Body {
    const channel = this.channelOf(a['channel']);
    if (channel === undefined) return fail('channel_not_found');
    const content = this.content(a, true);
    if (!content.ok) return content.body;
    if (this.blocksTooLong(content.value.blocks)) return fail('msg_blocks_too_long');
    const message: StoredMessage = {
      ts: this.nextTs(),
      user: this.botUserId,
      bot_id: this.botId,
      ...content.value,
    };
    const threadTs = str(a['thread_ts']);
    if (threadTs) message.thread_ts = threadTs;
    this.channelMessages(channel).push(structuredClone(message));
    this.lastPostAt.set(channel, this.now());
    return { ok: true, channel, ts: message.ts, message: this.render(message, channel, true) };
  }

  /**
   * chat.update: blocks/metadata left out are kept; `blocks: []` and `metadata: {}` remove them
   * (chat.update docs). Only the app's own messages can be edited: cant_update_message.
   */
  private updateMessage(a: Args): Body {
    const channel = this.channelOf(a['channel']);
    if (channel === undefined) return fail('channel_not_found');
    const message = this.findMessage(channel, a['ts']);
    if (!message) return fail('message_not_found');
    if (message.user !== this.botUserId) return fail('cant_update_message');
    const content = this.content(a, false);
    if (!content.ok) return content.body;
    if (this.blocksTooLong(content.value.blocks)) return fail('msg_blocks_too_long');
    const { text, blocks, metadata } = content.value;
    if (text !== undefined) message.text = text;
    if (blocks !== undefined) message.blocks = blocks.length > 0 ? structuredClone(blocks) : undefined;
    if (metadata !== undefined)
      message.metadata = Object.keys(metadata as Body).length > 0 ? structuredClone(metadata) : undefined;
    return {
      ok: true,
      channel,
      ts: message.ts,
      text: message.text ?? '',
      message: this.render(message, channel, true),
    };
  }

  private postEphemeral(a: Args): Body {
    const channel = this.channelOf(a['channel']);
    if (channel === undefined) return fail('channel_not_found');
    const user = str(a['user']);
    if (user === undefined) return fail('user_not_in_channel');
    const content = this.content(a, true);
    if (!content.ok) return content.body;
    const ts = this.nextTs();
    this.ephemeral.push(structuredClone({ channel, ts, user, ...content.value }));
    return { ok: true, message_ts: ts };
  }

  private deleteMessage(a: Args): Body {
    const channel = this.channelOf(a['channel']);
    if (channel === undefined) return fail('channel_not_found');
    const message = this.findMessage(channel, a['ts']);
    if (!message) return fail('message_not_found');
    if (message.user !== this.botUserId) return fail('cant_delete_message');
    const list = this.channelMessages(channel);
    list.splice(list.indexOf(message), 1);
    return { ok: true, channel, ts: message.ts };
  }

  private permalink(a: Args): Body {
    const channel = this.channelOf(a['channel']);
    if (channel === undefined) return fail('channel_not_found');
    const message = this.findMessage(channel, a['message_ts']);
    if (!message) return fail('message_not_found');
    let permalink = `https://${this.teamDomain}.slack.com/archives/${channel}/p${message.ts.replace('.', '')}`;
    if (message.thread_ts && message.thread_ts !== message.ts) {
      permalink += `?thread_ts=${message.thread_ts}&cid=${channel}`;
    }
    return { ok: true, channel, permalink };
  }

  // -------------------------------------------------------------------------
  // Conversations and users
  // -------------------------------------------------------------------------

  /**
   * conversations.history: newest first; thread replies are left out; `oldest`/`latest`
   * are exclusive unless `inclusive`; `metadata` only with include_all_metadata
   * (conversations.history docs). Cursors are this fake's own (the ts of the last message).
   */
  private history(a: Args): Body {
    const channel = this.channelOf(a['channel']);
    if (channel === undefined) return fail('channel_not_found');
    const oldest = a['oldest'] === undefined ? 0n : tsKey(String(a['oldest']));
    if (oldest === undefined) return fail('invalid_ts_oldest');
    const latest = a['latest'] === undefined ? undefined : tsKey(String(a['latest']));
    if (a['latest'] !== undefined && latest === undefined) return fail('invalid_ts_latest');
    const cursor =
      a['cursor'] === undefined || a['cursor'] === '' ? undefined : this.decodeCursor(a['cursor']);
    if (cursor === null) return fail('invalid_cursor');
    const inclusive = truthy(a['inclusive']);
    const inRange = (k: bigint): boolean =>
      (inclusive ? k >= oldest : k > oldest) &&
      (latest === undefined || (inclusive ? k <= latest : k < latest)) &&
      (cursor === undefined || k < cursor);
    const matching = this.channelMessages(channel)
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
      .filter((m) => inRange(tsKey(m.ts)!))
      .reverse();
    const page = matching.slice(0, pageLimit(a['limit']));
    const hasMore = matching.length > page.length;
    const last = page[page.length - 1];
    const withMetadata = truthy(a['include_all_metadata']);
    return {
      ok: true,
      messages: page.map((m) => this.render(m, channel, withMetadata)),
      has_more: hasMore,
      pin_count: 0,
      response_metadata: {
        next_cursor: hasMore && last ? Buffer.from(`ts:${last.ts}`).toString('base64') : '',
      },
    };
  }

  /** undefined: no cursor; null: unreadable cursor. */
  private decodeCursor(value: unknown): bigint | null {
    const text = Buffer.from(String(value), 'base64').toString('utf8');
    return text.startsWith('ts:') ? (tsKey(text.slice(3)) ?? null) : null;
  }

  /** conversations.replies: the parent first, then its replies oldest first. */
  private replies(a: Args): Body {
    const channel = this.channelOf(a['channel']);
    if (channel === undefined) return fail('channel_not_found');
    const parent = this.findMessage(channel, a['ts']);
    if (!parent) return fail('thread_not_found');
    const thread = this.channelMessages(channel).filter(
      (m) => m === parent || (m.thread_ts === parent.ts && m.ts !== parent.ts),
    );
    const withMetadata = truthy(a['include_all_metadata']);
    const page = thread.slice(0, pageLimit(a['limit']));
    return {
      ok: true,
      messages: page.map((m) => this.render(m, channel, withMetadata)),
      has_more: page.length < thread.length,
    };
  }

  /** conversations.open: one user gives the app's DM with them ('D…'), several an MPIM ('G…'). */
  private openConversation(a: Args): Body {
    const users = (str(a['users']) ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    const first = users[0];
    if (first === undefined) {
      const existing = str(a['channel']);
      return existing ? { ok: true, channel: { id: existing } } : fail('users_list_not_supplied');
    }
    const id = users.length === 1 ? this.dmChannelFor(first) : `G${[...users].sort().join('')}`;
    return { ok: true, channel: { id } };
  }

  /** users.info for users given to setUser (and the bot); tz defaults to UTC, and null leaves it out. */
  private userInfo(a: Args): Body {
    const u = this.users.get(str(a['user']) ?? '');
    if (!u) return fail('user_not_found');
    const tz = u.tz === null ? undefined : (u.tz ?? 'UTC');
    const name = u.name ?? u.id.toLowerCase();
    return {
      ok: true,
      user: {
        id: u.id,
        team_id: u.team_id ?? this.callerWorkspace().teamId,
        name,
        real_name: name,
        deleted: false,
        is_bot: u.id === this.botUserId,
        is_admin: u.is_admin ?? false,
        is_owner: u.is_owner ?? false,
        ...(tz === undefined
          ? {}
          : { tz, tz_label: tz, tz_offset: u.tz_offset ?? zoneOffsetSeconds(tz, this.now()) }),
        profile: { real_name: name, display_name: name, team: u.team_id ?? this.callerWorkspace().teamId },
      },
    };
  }

  // -------------------------------------------------------------------------
  // Files: the external upload flow (docs.slack.dev/reference/methods/files.getUploadURLExternal,
  // files.completeUploadExternal; @slack/web-api's filesUploadV2 drives all three steps)
  // -------------------------------------------------------------------------

  /**
   * files.getUploadURLExternal: `filename` and `length` (bytes) are required; answers an upload URL
   * (on this server) and a file id. The error for a missing or bad argument is this fake's choice.
   */
  private getUploadUrl(a: Args): Body {
    const filename = str(a['filename']);
    const length = Number(a['length']);
    if (filename === undefined || !Number.isInteger(length) || length <= 0) {
      return fail('invalid_arguments');
    }
    const id = `F${String(++this.counter).padStart(10, '0')}`;
    const token = randomBytes(12).toString('hex');
    const file: StoredFile = { id, filename, length };
    const altText = str(a['alt_txt']) ?? str(a['alt_text']);
    if (altText !== undefined) file.altText = altText;
    this.files.set(id, file);
    this.uploadUrls.set(token, id);
    return { ok: true, upload_url: `${this.baseUrl}${UPLOAD_PATH}${token}`, file_id: id };
  }

  /**
   * The POST of the bytes to the upload URL: "Slack will return HTTP 200 if the upload is successful"
   * (files.getUploadURLExternal docs); anything else is a failed upload. This fake refuses, with 400,
   * bytes whose length is not the one announced, a second upload to the same URL, and a `.png` that
   * does not start with PNG's signature; an unknown URL is 404.
   */
  private async uploadPost(
    token: string,
    req: http.IncomingMessage,
    raw: Buffer,
  ): Promise<{ status: number; text: string }> {
    const file = this.files.get(this.uploadUrls.get(token) ?? '');
    if (req.method !== 'POST') return { status: 405, text: 'method not allowed' };
    if (!file) return { status: 404, text: 'unknown upload URL' };
    if (file.bytes) return { status: 400, text: 'already uploaded' };
    const bytes = await uploadedBytes(req.headers['content-type'], raw);
    if (!bytes) return { status: 400, text: 'unreadable multipart body' };
    if (bytes.length !== file.length) {
      return { status: 400, text: `length mismatch: announced ${file.length}, got ${bytes.length}` };
    }
    if (/\.png$/i.test(file.filename) && !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
      return { status: 400, text: 'not a PNG file' };
    }
    file.bytes = bytes;
    this.notify();
    return { status: 200, text: `OK - ${bytes.length}` };
  }

  /**
   * files.completeUploadExternal: `files` ([{id, title}], required); `channel_id` (or `channels`,
   * comma-separated, user ids allowed) shares them there with `initial_comment` as the message text,
   * in the thread of `thread_ts` if given; without a channel the files stay private. Answers with the
   * files. An id that is unknown, not uploaded yet, or completed before is `file_not_found` here.
   */
  private completeUpload(a: Args): Body {
    const list = a['files'];
    if (!Array.isArray(list) || list.length === 0 || !list.every(isObject)) return fail('invalid_arguments');
    const entries = list.map((f) => ({ file: this.files.get(str(f['id']) ?? ''), title: str(f['title']) }));
    if (entries.some(({ file }) => !file?.bytes || file.completed)) return fail('file_not_found');
    const named = str(a['channel_id']) ?? str(a['channels'])?.split(',')[0]?.trim();
    const channel = named === undefined ? undefined : this.channelOf(named);
    const threadTs = str(a['thread_ts']);
    if (threadTs !== undefined && (channel === undefined || tsKey(threadTs) === undefined)) {
      return fail('invalid_thread_ts');
    }
    const initialComment = str(a['initial_comment']);
    const shared = entries.map(({ file, title }) => ({
      id: file!.id,
      name: file!.filename,
      title: title ?? file!.filename,
    }));
    let messageTs: string | undefined;
    if (channel !== undefined) {
      const message: StoredMessage = {
        ts: this.nextTs(),
        user: this.botUserId,
        bot_id: this.botId,
        text: initialComment ?? '',
        files: shared,
      };
      if (threadTs) message.thread_ts = threadTs;
      this.channelMessages(channel).push(structuredClone(message));
      messageTs = message.ts;
    }
    for (const [i, { file }] of entries.entries()) {
      const completed: NonNullable<StoredFile['completed']> = { title: shared[i]!.title };
      if (channel !== undefined) completed.channel = channel;
      if (threadTs !== undefined) completed.threadTs = threadTs;
      if (initialComment !== undefined) completed.initialComment = initialComment;
      if (messageTs !== undefined) completed.messageTs = messageTs;
      file!.completed = completed;
    }
    return {
      ok: true,
      files: entries.map(({ file }, i) => ({
        id: file!.id,
        name: file!.filename,
        title: shared[i]!.title,
        size: file!.bytes!.length,
        ...(file!.altText === undefined ? {} : { alt_txt: file!.altText }),
      })),
    };
  }

  // -------------------------------------------------------------------------
  // Views (docs.slack.dev/reference/methods/views.open|update|push|publish)
  // -------------------------------------------------------------------------

  /** invalid_trigger_id (unknown), exchanged_trigger_id (used before), expired_trigger_id (older than 3 s). */
  private checkTrigger(value: unknown): Checked<Trigger> {
    const trigger = this.triggers.get(str(value) ?? '');
    if (!trigger) return bad(fail('invalid_trigger_id'));
    if (trigger.used) return bad(fail('exchanged_trigger_id'));
    if (this.now() - trigger.issuedAt >= TRIGGER_TTL_MS) return bad(fail('expired_trigger_id'));
    return { ok: true, value: trigger };
  }

  /**
   * The `view` argument, of the right type and within Block Kit limits, else invalid_arguments;
   * its external_id must not belong to another view (duplicate_external_id). `selfId` is the
   * view being replaced, if any.
   */
  private checkView(a: Args, type: 'modal' | 'home', selfId?: string): Checked<Body> {
    const view = a['view'];
    if (isObject(view) && view['type'] !== type) {
      return bad(blockKitError('invalid_arguments', [`[ERROR] must be ${type} [json-pointer:/view/type]`]));
    }
    const errors = validateView(view);
    if (errors.length > 0 || !isObject(view)) return bad(blockKitError('invalid_arguments', errors));
    const external = str(view['external_id']);
    const others = [...this.viewsById.values()].filter((v) => v['id'] !== selfId);
    if (external !== undefined && others.some((v) => v['external_id'] === external))
      return bad(fail('duplicate_external_id'));
    return { ok: true, value: view };
  }

  private storeView(
    input: Body,
    rootId: string | undefined,
    previousId: string | null,
    id = `V${String(++this.counter).padStart(8, '0')}`,
  ): Body {
    const view: Body = {
      private_metadata: '',
      callback_id: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      ...structuredClone(input),
      id,
      team_id: this.teamId,
      state: { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      root_view_id: rootId ?? id,
      previous_view_id: previousId,
      app_id: this.appId,
      bot_id: this.botId,
    };
    this.viewsById.set(id, view);
    return structuredClone(view);
  }

  private viewsOpen(a: Args): Body {
    const trigger = this.checkTrigger(a['trigger_id']);
    if (!trigger.ok) return trigger.body;
    const input = this.checkView(a, 'modal');
    if (!input.ok) return input.body;
    // Slack does not say whether a refused view uses up the trigger; here only a success does.
    trigger.value.used = true;
    const view = this.storeView(input.value, undefined, null);
    const id = String(view['id']);
    trigger.value.opened = id;
    this.stacks.set(id, [id]);
    this.lastRootId = id;
    return { ok: true, view };
  }

  private findView(a: Args): Body | undefined {
    const byId = str(a['view_id']);
    if (byId !== undefined) return this.viewsById.get(byId);
    const external = str(a['external_id']);
    return external === undefined
      ? undefined
      : [...this.viewsById.values()].find((v) => v['external_id'] === external);
  }

  /** views.update: `hash` guards against a stale update (hash_conflict); not_found for an unknown view. */
  private viewsUpdate(a: Args): Body {
    if (str(a['view_id']) === undefined && str(a['external_id']) === undefined) {
      return blockKitError('invalid_arguments', ['[ERROR] must provide view_id or external_id']);
    }
    const current = this.findView(a);
    if (!current) return fail('not_found');
    if (str(a['hash']) !== undefined && a['hash'] !== current['hash']) return fail('hash_conflict');
    const input = this.checkView(a, current['type'] === 'home' ? 'home' : 'modal', String(current['id']));
    if (!input.ok) return input.body;
    const view = this.storeView(
      input.value,
      String(current['root_view_id']),
      current['previous_view_id'] as string | null,
      String(current['id']),
    );
    return { ok: true, view };
  }

  /** views.push: onto the modal the trigger came from (else the last opened); at most 3 views (push_limit_reached). */
  private viewsPush(a: Args): Body {
    const trigger = this.checkTrigger(a['trigger_id']);
    if (!trigger.ok) return trigger.body;
    const from = trigger.value.viewId;
    const rootId =
      from === undefined ? this.lastRootId : String(this.viewsById.get(from)?.['root_view_id'] ?? '');
    const stack = rootId === undefined ? undefined : this.stacks.get(rootId);
    if (!stack || rootId === undefined) return fail('not_found');
    if (stack.length >= MAX_VIEW_STACK) return fail('push_limit_reached');
    const input = this.checkView(a, 'modal');
    if (!input.ok) return input.body;
    trigger.value.used = true;
    const view = this.storeView(input.value, rootId, stack[stack.length - 1] ?? null);
    stack.push(String(view['id']));
    trigger.value.opened = String(view['id']);
    return { ok: true, view };
  }

  /** Takes `viewId` (and, with `all`, its whole stack) off the screen; a stack left empty is gone. */
  private dropFromStack(viewId: string, all: boolean): void {
    const rootId = String(this.viewsById.get(viewId)?.['root_view_id'] ?? '');
    const stack = this.stacks.get(rootId);
    if (!stack) return;
    const left = all ? [] : stack.filter((id) => id !== viewId);
    if (left.length === 0) this.stacks.delete(rootId);
    else this.stacks.set(rootId, left);
  }

  /** views.publish: a Home tab (type "home") for `user_id`; `hash` as in views.update. */
  private viewsPublish(a: Args): Body {
    const user = str(a['user_id']);
    if (user === undefined)
      return blockKitError('invalid_arguments', ['[ERROR] missing required field: user_id']);
    const previousId = this.homes.get(user);
    const previous = previousId === undefined ? undefined : this.viewsById.get(previousId);
    if (str(a['hash']) !== undefined && previous && a['hash'] !== previous['hash'])
      return fail('hash_conflict');
    const input = this.checkView(a, 'home', previousId);
    if (!input.ok) return input.body;
    const view = this.storeView(input.value, undefined, null, previousId);
    this.homes.set(user, String(view['id']));
    return { ok: true, view };
  }
}
