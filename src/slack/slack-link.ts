/**
 * How Cairn stands with Slack, for /healthz: whether Slack has confirmed the bot token, and in
 * Socket Mode whether the connection is open. Both keep trying in the background when Slack cannot
 * be reached; only a token Slack refuses stops start-up, since no retry will mend it.
 */
import { ErrorCode } from '@slack/web-api';
import type { Now } from '../clock.js';
import type { SlackLink, SlackState } from '../health.js';
import type { Logger } from '../logger.js';
import type { Verification } from './single-workspace-authorize.js';

/** Delays between attempts: doubling from `firstMs` up to `maxMs`. */
export interface Backoff {
  firstMs: number;
  maxMs: number;
}

const BACKOFF: Backoff = { firstMs: 1_000, maxMs: 30_000 };

/**
 * Slack's answers that say the token itself is no good (the auth.test and apps.connections.open
 * docs, and the errors every method shares); anything else (ratelimited, internal_error,
 * service_unavailable, a network error, a 5xx) may pass by itself.
 */
const REFUSALS = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'team_disabled',
  'user_removed_from_team',
  'ekm_access_denied',
]);

/** The error code when Slack refused the token, else undefined. */
export function refusal(error: unknown): string | undefined {
  const e = error as { code?: unknown; data?: { error?: unknown } } | undefined;
  const code = e?.code === ErrorCode.PlatformError ? e.data?.error : undefined;
  return typeof code === 'string' && REFUSALS.has(code) ? code : undefined;
}

/** Start-up cannot go on: Slack refused one of Cairn's tokens. The message says which and what to check. */
export class TokenRefusedError extends Error {
  constructor(
    readonly token: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN',
    readonly code: string,
  ) {
    super(
      token === 'SLACK_BOT_TOKEN'
        ? `Slack refused the bot token (SLACK_BOT_TOKEN): ${code}. Check that it is the app's current ` +
            'Bot User OAuth Token (OAuth & Permissions, xoxb-…), that the app is still installed in the ' +
            'workspace, and that SLACK_API_URL (if set) points at the right Slack'
        : `Slack refused the app-level token (SLACK_APP_TOKEN): ${code}. Check that it is a current ` +
            'app-level token of this app with the connections:write scope (Basic Information → ' +
            'App-Level Tokens) and that Socket Mode is turned on for the app',
    );
    this.name = 'TokenRefusedError';
  }
}

/** Slack's error code, else the error's message; undefined when there is nothing to say (undici's WebSocket errors often have an empty message). */
function describe(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  const code = (error as { data?: { error?: unknown } }).data?.error;
  const text = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return text === '' ? undefined : text;
}

/** A state that remembers since when it holds; setting the same state again keeps the time. */
function stateHolder(now: Now, initial: Omit<SlackState, 'since'>) {
  let current: SlackState = { ...initial, since: now().toISOString() };
  return {
    get: (): SlackState => ({ ...current }),
    set(next: Omit<SlackState, 'since'>) {
      const since = next.state === current.state ? current.since : now().toISOString();
      current = { ...next, since };
    },
  };
}

const delay = (backoff: Backoff, failures: number) =>
  Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, failures - 1));

export interface BotTokenCheck extends SlackLink {
  /**
   * The first check: resolves once Slack has confirmed the token, or could not be asked (then it
   * keeps asking in the background); rejects with a TokenRefusedError when Slack refuses it.
   */
  start(): Promise<void>;
  stop(): void;
}

/** Asks Slack (auth.test, through `identify`) until it confirms the bot token. */
export function botTokenCheck(
  identify: () => Promise<Verification>,
  log: Logger,
  now: Now,
  backoff: Backoff = BACKOFF,
  /** Told each time the token is verified after it was not (the first time included). */
  onVerified?: (teamId: string | undefined) => void,
): BotTokenCheck {
  const status = stateHolder(now, { state: 'unverified', reason: 'auth.test has not answered yet' });
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let stopped = false;

  const check = async (): Promise<string | undefined> => {
    const result = await identify();
    if (result.ok) {
      failures = 0;
      const was = status.get().state;
      status.set({ state: 'up' });
      if (was !== 'up') onVerified?.(result.identity.teamId);
      return undefined;
    }
    const refused = refusal(result.error);
    status.set(
      refused
        ? { state: 'down', reason: `Slack refused the bot token: ${refused}` }
        : { state: 'unverified', reason: `auth.test failed: ${describe(result.error)}; retrying` },
    );
    failures += 1;
    // A refused token is asked about again too, slowly: a workspace admin may restore it.
    if (!stopped) {
      timer = setTimeout(() => void check(), delay(backoff, failures));
      timer.unref();
    }
    return refused;
  };

  return {
    state: status.get,
    async start() {
      const refused = await check();
      if (refused) throw new TokenRefusedError('SLACK_BOT_TOKEN', refused);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** What Cairn uses of Bolt's SocketModeClient (SocketModeReceiver#client). */
export interface SocketModeClientLike {
  start(): Promise<unknown>;
  disconnect(): Promise<void>;
  on(event: 'connected' | 'disconnected' | 'error', listener: (arg?: unknown) => void): unknown;
}

export interface SocketModeLink extends SlackLink {
  /**
   * The first connection, through `begin` (Bolt's App#start): resolves once connected, or once an
   * attempt has failed for a reason that may pass (then it keeps trying in the background);
   * rejects with a TokenRefusedError when Slack refuses the app-level token.
   */
  start(begin: () => Promise<unknown>): Promise<void>;
  stop(): void;
}

/**
 * Keeps a Socket Mode connection open. The client is built with `autoReconnectEnabled: false` and
 * Cairn reconnects it here instead: @slack/socket-mode 3 gives up for good, with an unhandled
 * rejection, when apps.connections.open fails with a network error or an HTTP 5xx while it
 * reconnects, and it says nothing between a lost connection and its next attempt.
 */
export function socketModeLink(
  client: SocketModeClientLike,
  log: Logger,
  now: Now,
  backoff: Backoff = BACKOFF,
): SocketModeLink {
  const status = stateHolder(now, { state: 'down', reason: 'not connected yet' });
  let attempt: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let stopped = false;
  let socketError: string | undefined;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void connect(() => client.start()), ms);
    timer.unref();
  };

  const connect = async (begin: () => Promise<unknown>): Promise<string | undefined> => {
    if (stopped || attempt) return undefined;
    socketError = undefined;
    attempt = begin();
    try {
      await attempt;
      return undefined;
    } catch (error) {
      // A WebSocket that failed to open rejects with nothing; its 'error' event said why.
      const refused = refusal(error);
      const why = describe(error) ?? socketError ?? 'the WebSocket connection failed';
      status.set({
        state: 'down',
        reason: refused
          ? `Slack refused the app-level token: ${refused}`
          : `cannot connect: ${why}; retrying`,
      });
      log.warn({ reason: why }, 'Socket Mode is not connected; retrying');
      failures += 1;
      schedule(delay(backoff, failures));
      return refused;
    } finally {
      attempt = undefined;
    }
  };

  client.on('connected', () => {
    // Connected after stop() (an attempt that was under way): close it rather than leave it open.
    if (stopped) return void client.disconnect();
    attempt = undefined;
    failures = 0;
    status.set({ state: 'up' });
    log.info('Socket Mode connected');
  });
  client.on('error', (error) => {
    socketError = describe(error);
  });
  client.on('disconnected', () => {
    // An attempt that fails is dealt with where it fails; this is an open connection that closed.
    if (stopped || attempt) return;
    status.set({
      state: 'down',
      reason: `the connection closed${socketError ? ` (${socketError})` : ''}; reconnecting`,
    });
    log.warn('Socket Mode connection closed; reconnecting');
    // Slack closes connections routinely (a `disconnect` message, every few hours): reconnect at once.
    schedule(0);
  });

  return {
    state: status.get,
    async start(begin) {
      const refused = await connect(begin);
      if (refused) throw new TokenRefusedError('SLACK_APP_TOKEN', refused);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Up only when every part is; otherwise the first part that is down, else the first unverified. */
export function allOf(...links: SlackLink[]): SlackLink {
  return {
    state() {
      const states = links.map((l) => l.state());
      return (
        states.find((s) => s.state === 'down') ??
        states.find((s) => s.state === 'unverified') ?? { state: 'up' }
      );
    },
  };
}
