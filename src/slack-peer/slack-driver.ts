/**
 * Plays Slack's side of the Request URL: sends slash commands, interactivity payloads
 * and Events API callbacks to the app's HTTP receiver, signed as Slack signs them.
 *
 * Signing (docs.slack.dev/authentication/verifying-requests-from-slack):
 *   X-Slack-Request-Timestamp: <unix seconds>
 *   X-Slack-Signature: v0=<hex HMAC-SHA256 of `v0:${timestamp}:${rawBody}` keyed with the signing secret>
 *
 * Body formats (docs.slack.dev/interactivity/implementing-slash-commands,
 * .../interactivity/handling-user-interaction, .../apis/events-api):
 *   slash commands  application/x-www-form-urlencoded, one field per value
 *   interactivity   application/x-www-form-urlencoded, a single `payload` field holding JSON
 *   events          application/json, an `event_callback` envelope
 * The content type is sent exactly as Slack sends it, without a charset: Bolt's
 * HTTPReceiver compares it with `===`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { systemNow } from '../clock.js';
import type { FakeSlack } from './slack-peer.js';

export interface DriverResponse {
  status: number;
  text: string;
  /** The parsed body, or undefined when the body is empty or not JSON. */
  json: unknown;
  elapsedMs: number;
  /** What the driver sent: the form fields, the interactivity payload or the event envelope. */
  sent: Record<string, unknown>;
}

export interface SlackDriverOptions {
  /** e.g. http://127.0.0.1:3000; requests go to appUrl + path. */
  appUrl: string;
  signingSecret: string;
  /** When given, trigger_id and response_url come from it, so views.open and respond() work. */
  fakeSlack?: FakeSlack;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** default '/slack/events' (Bolt's default endpoint) */
  path?: string;
  /** Clock in ms; the request timestamp is derived from it. */
  now?: () => number;
}

export interface SlashCommand {
  command: string;
  text?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  channelId?: string;
  channelName?: string;
  enterpriseId?: string;
}

export interface RawOptions {
  contentType: string;
  /** 'valid' (default) signs correctly; 'wrong' signs with another secret; 'none' sends neither signature nor timestamp. */
  signature?: 'valid' | 'wrong' | 'none';
  /** Request timestamp in seconds (default: now); an old one makes a stale request. */
  timestamp?: number;
  headers?: Record<string, string>;
}

export interface EventOptions {
  teamId?: string;
  eventId?: string;
  /** Slack's redelivery headers: X-Slack-Retry-Num / X-Slack-Retry-Reason. */
  retryNum?: number;
  retryReason?: string;
}

const DEFAULT_USER = { id: 'U0PM', name: 'pat.pm' };
const DEFAULT_CHANNEL = { id: 'C0CAIRN', name: 'cairn-test' };
/** Slack's deprecated verification token, still sent in every payload. */
const VERIFICATION_TOKEN = 'verification-token';
/** Port 9 (discard) refuses at once, so an app that responds without a fake fails fast rather than hanging. */
const DUMMY_RESPONSE_URL = 'http://127.0.0.1:9/response/none';

/** `v0=` + hex HMAC-SHA256 of `v0:${timestamp}:${body}`. */
export function slackSignature(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export class SlackDriver {
  private readonly url: string;
  private readonly signingSecret: string;
  private readonly fake: FakeSlack | undefined;
  private readonly teamId: string;
  private readonly teamDomain: string;
  private readonly apiAppId: string;
  private readonly now: () => number;
  private eventCounter = 0;

  constructor(opts: SlackDriverOptions) {
    this.url = opts.appUrl.replace(/\/$/, '') + (opts.path ?? '/slack/events');
    this.signingSecret = opts.signingSecret;
    this.fake = opts.fakeSlack;
    this.teamId = opts.teamId ?? opts.fakeSlack?.teamId ?? 'T0001';
    this.teamDomain = opts.teamDomain ?? opts.fakeSlack?.teamDomain ?? 'cairn-test';
    this.apiAppId = opts.apiAppId ?? opts.fakeSlack?.appId ?? 'A0001';
    this.now = opts.now ?? (() => systemNow().getTime());
  }

  /** A slash command, with every field Slack sends. */
  async slashCommand(c: SlashCommand): Promise<DriverResponse> {
    const fields: Record<string, string> = {
      token: VERIFICATION_TOKEN,
      team_id: c.teamId ?? this.teamId,
      team_domain: this.teamDomain,
      ...(c.enterpriseId ? { enterprise_id: c.enterpriseId, enterprise_name: 'Cairn Enterprise' } : {}),
      channel_id: c.channelId ?? DEFAULT_CHANNEL.id,
      channel_name: c.channelName ?? DEFAULT_CHANNEL.name,
      user_id: c.userId ?? DEFAULT_USER.id,
      user_name: c.userName ?? DEFAULT_USER.name,
      command: c.command,
      text: c.text ?? '',
      api_app_id: this.apiAppId,
      is_enterprise_install: 'false',
      response_url: this.responseUrl(),
      trigger_id: this.triggerId(),
    };
    const body = new URLSearchParams(fields).toString();
    return this.send(body, { contentType: 'application/x-www-form-urlencoded' }, fields);
  }

  /**
   * A block_actions payload. Defaults describe a button in a channel message; when
   * `payload.view` is given the action comes from a modal or Home tab, so (as in Slack)
   * there is no channel, message or response_url.
   */
  async blockAction(payload: Record<string, unknown>): Promise<DriverResponse> {
    const view = payload['view'];
    if (view === undefined) {
      return this.interaction({
        type: 'block_actions',
        ...this.interactionBase(),
        ...this.messageContext(),
        actions: [],
        ...payload,
      });
    }
    const viewId = isObject(view) && typeof view['id'] === 'string' ? view['id'] : undefined;
    // A trigger from inside a modal lets views.push find that modal's stack.
    const base = { ...this.interactionBase(viewId), container: { type: 'view', view_id: viewId } };
    return this.interaction({ type: 'block_actions', ...base, actions: [], ...payload });
  }

  /** A view_submission payload; `payload.view` is merged over a default modal. */
  async viewSubmission(payload: Record<string, unknown>): Promise<DriverResponse> {
    const view = { ...this.defaultView(), ...(isObject(payload['view']) ? payload['view'] : {}) };
    return this.interaction({
      type: 'view_submission',
      ...this.interactionBase(),
      response_urls: [],
      ...payload,
      view,
    });
  }

  /** An Events API event_callback carrying `event`. */
  async event(event: Record<string, unknown>, opts: EventOptions = {}): Promise<DriverResponse> {
    const teamId = opts.teamId ?? this.teamId;
    const seconds = Math.floor(this.now() / 1000);
    const envelope = {
      token: VERIFICATION_TOKEN,
      team_id: teamId,
      context_team_id: teamId,
      context_enterprise_id: null,
      api_app_id: this.apiAppId,
      event: { event_ts: `${seconds}.000100`, ...event },
      type: 'event_callback',
      event_id: opts.eventId ?? `Ev${String(++this.eventCounter).padStart(8, '0')}`,
      event_time: seconds,
      authorizations: [
        {
          enterprise_id: null,
          team_id: teamId,
          user_id: this.fake?.botUserId ?? 'UBOT',
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: randomBytes(12).toString('hex'),
    };
    const headers: Record<string, string> = {};
    if (opts.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = opts.retryReason;
    return this.send(JSON.stringify(envelope), { contentType: 'application/json', headers }, envelope);
  }

  /** Any body, signed as asked: for tests of signature checking and malformed requests. */
  async raw(body: string, opts: RawOptions): Promise<DriverResponse> {
    return this.send(body, opts, {});
  }

  // -------------------------------------------------------------------------

  private responseUrl(): string {
    return this.fake?.responseUrl() ?? DUMMY_RESPONSE_URL;
  }

  private triggerId(viewId?: string): string {
    if (this.fake) return this.fake.issueTriggerId({ viewId });
    return `${Math.floor(this.now() / 1000)}.1.${randomBytes(6).toString('hex')}`;
  }

  /** Fields every interactivity payload carries; `viewId` is the modal the interaction happened in, if any. */
  private interactionBase(viewId?: string): Record<string, unknown> {
    return {
      team: { id: this.teamId, domain: this.teamDomain },
      user: {
        id: DEFAULT_USER.id,
        username: DEFAULT_USER.name,
        name: DEFAULT_USER.name,
        team_id: this.teamId,
      },
      api_app_id: this.apiAppId,
      token: VERIFICATION_TOKEN,
      trigger_id: this.triggerId(viewId),
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  private messageContext(): Record<string, unknown> {
    const ts = `${Math.floor(this.now() / 1000)}.000200`;
    return {
      container: { type: 'message', message_ts: ts, channel_id: DEFAULT_CHANNEL.id, is_ephemeral: false },
      channel: { ...DEFAULT_CHANNEL },
      message: { type: 'message', ts, text: '', user: this.fake?.botUserId ?? 'UBOT' },
      response_url: this.responseUrl(),
    };
  }

  private defaultView(): Record<string, unknown> {
    return {
      id: 'V00000000',
      team_id: this.teamId,
      type: 'modal',
      callback_id: '',
      private_metadata: '',
      state: { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.abcdef`,
      title: { type: 'plain_text', text: 'Cairn' },
      blocks: [],
      app_id: this.apiAppId,
    };
  }

  private async interaction(payload: Record<string, unknown>): Promise<DriverResponse> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(body, { contentType: 'application/x-www-form-urlencoded' }, payload);
  }

  private signedHeaders(body: string, opts: RawOptions): Record<string, string> {
    const mode = opts.signature ?? 'valid';
    if (mode === 'none') return {};
    const timestamp = opts.timestamp ?? Math.floor(this.now() / 1000);
    const secret = mode === 'valid' ? this.signingSecret : `${this.signingSecret}-wrong`;
    return {
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': slackSignature(secret, timestamp, body),
    };
  }

  private async send(body: string, opts: RawOptions, sent: Record<string, unknown>): Promise<DriverResponse> {
    const headers = { 'Content-Type': opts.contentType, ...this.signedHeaders(body, opts), ...opts.headers };
    const started = performance.now();
    const res = await fetch(this.url, { method: 'POST', headers, body });
    const text = await res.text();
    const elapsedMs = performance.now() - started;
    return { status: res.status, text, json: parseJson(text), elapsedMs, sent };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
