/**
 * Configuration from the environment (SPEC §5). The Slack mode follows from what is set:
 * OAuth distribution (client id, secret, state secret + signing secret), Socket Mode (app token),
 * or HTTP with one workspace (signing secret + bot token). Anything missing or malformed stops
 * start-up with one line naming the variable and what it should look like.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { layoutSetting, type LayoutSetting } from './data/partitions.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = (pattern: RegExp, shape: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.string().regex(pattern, `must look like ${shape}`).optional())
    .optional();

const environmentSchema = z.object({
  SLACK_BOT_TOKEN: optionalText(
    /^xoxb-[\w-]+$/,
    'xoxb-… (the Bot User OAuth Token under OAuth & Permissions)',
  ),
  SLACK_SIGNING_SECRET: optionalText(/^[0-9a-f]{16,}$/i, 'a hex string (Basic Information → Signing Secret)'),
  SLACK_APP_TOKEN: optionalText(/^xapp-[\w-]+$/, 'xapp-… (an app-level token with connections:write)'),
  SLACK_CLIENT_ID: optionalText(/^\d+\.\d+$/, '1234567890.1234567890 (Basic Information → Client ID)'),
  SLACK_CLIENT_SECRET: optionalText(/^[0-9a-f]{16,}$/i, 'a hex string (Basic Information → Client Secret)'),
  SLACK_STATE_SECRET: optionalText(/^.{16,}$/, 'a random string of at least 16 characters'),
  INSTALLATION_ENCRYPTION_KEY: optionalText(
    /^[A-Za-z0-9+/]{43}=$/,
    '32 random bytes in base64 (openssl rand -base64 32), to encrypt bot tokens at rest',
  ),
  INSTALLATION_ENCRYPTION_OLD_KEYS: optionalText(
    /^[A-Za-z0-9+/]{43}=(\s*,\s*[A-Za-z0-9+/]{43}=)*$/,
    'keys replaced by INSTALLATION_ENCRYPTION_KEY, comma-separated (each 32 bytes in base64)',
  ).transform((v) => (v === undefined ? [] : v.split(',').map((key) => key.trim()))),
  SLACK_API_URL: optionalText(
    /^https?:\/\/\S+$/,
    'https://slack.com/api/ (a Slack Web API base URL)',
  ).transform((v) => (v && !v.endsWith('/') ? `${v}/` : v)),
  MONGODB_URI: optionalText(/^mongodb(\+srv)?:\/\/\S+$/, 'mongodb://host:27017/cairn or mongodb+srv://…'),
  MONGODB_DATABASE: optionalText(/^[A-Za-z0-9_-]{1,63}$/, 'a database name such as cairn'),
  CAIRN_DATA_DIR: optionalText(/^.+$/, 'a folder for the embedded database, e.g. ./data'),
  CAIRN_EMBEDDED_DB: optionalText(/^(auto|mongod|ferretdb)$/, 'auto, mongod or ferretdb'),
  DATABASE_LAYOUT: optionalText(/^(auto|shared|partitioned)$/, 'auto, shared or partitioned'),
  PORT: optionalText(/^\d{1,5}$/, 'a port number such as 3000')
    .transform((v) => (v === undefined ? 3000 : Number(v)))
    .refine((v) => v >= 0 && v <= 65535, 'must be a port number between 0 and 65535'),
  DIGEST_GRACE_HOURS: optionalText(/^\d{1,3}(\.\d+)?$/, 'a number of hours such as 6')
    .transform((v) => (v === undefined ? 6 : Number(v)))
    .refine((v) => v > 0 && v <= 168, 'must be between 0 and 168 hours'),
  MAX_WORK_IN_FLIGHT: optionalText(/^\d{1,6}$/, 'a number such as 200')
    .transform((v) => (v === undefined ? 200 : Number(v)))
    .refine((v) => v >= 1, 'must be at least 1'),
  HOME_REFRESH_INTERVAL_MS: optionalText(/^\d{1,6}$/, 'milliseconds such as 10000')
    .transform((v) => (v === undefined ? 10_000 : Number(v)))
    .refine((v) => v <= 600_000, 'must be at most 600000 ms'),
  SLACK_POST_INTERVAL_MS: optionalText(/^\d{1,5}$/, 'milliseconds such as 1000')
    .transform((v) => (v === undefined ? 1_000 : Number(v)))
    .refine((v) => v <= 60_000, 'must be at most 60000 ms'),
  SLACK_METHOD_BUDGETS: optionalText(/^(on|off)$/, 'on or off').transform((v) => v !== 'off'),
  LOG_LEVEL: optionalText(new RegExp(`^(${LOG_LEVELS.join('|')})$`), LOG_LEVELS.join(', ')),
  NODE_ENV: z.string().optional(),
  PLAYGROUND_HOST: optionalText(/^[\w.:-]+$/, '127.0.0.1 (the address the playground page listens on)'),
});

type Environment = z.infer<typeof environmentSchema>;

export type SlackMode =
  | {
      kind: 'oauth';
      signingSecret: string;
      clientId: string;
      clientSecret: string;
      stateSecret: string;
      /** Seals installations written from now on. */
      encryptionKey: string;
      /** Earlier keys, only to read what they sealed until it is sealed again (key rotation). */
      oldEncryptionKeys: string[];
    }
  | { kind: 'socket'; appToken: string; botToken: string }
  | { kind: 'http'; signingSecret: string; botToken: string };

export interface Config {
  slack: SlackMode & { apiUrl: string | undefined };
  /**
   * Set when no Slack setting is (and NODE_ENV is not production): Cairn runs against a local Slack
   * peer with a page to try it on (issue 14); `slack` is then that peer's HTTP mode, filled in by main.ts.
   */
  playground?: { host: string };
  database: {
    uri: string | undefined;
    name: string;
    dataDir: string;
    embedded: 'auto' | 'mongod' | 'ferretdb';
    /** Collections per workspace (FerretDB) or shared ones with indexes (MongoDB); see partitions.ts. */
    layout: LayoutSetting;
  };
  port: number;
  logLevel: string;
  /** A digest slot missed by less than this many hours is caught up; an older one is skipped. */
  digestGraceHours: number;
  /** A user's Home tab is redrawn after their updates at most this often (0: after each). */
  homeRefreshIntervalMs: number;
  /** Requests in hand (acknowledged, still working) past which a slash command is answered "busy". */
  maxWorkInFlight: number;
  /** A digest's messages in one channel start at least this far apart (Slack: about 1/s); 0: unpaced. */
  slackPostIntervalMs: number;
  /** Keep each workspace's calls of each method within Slack's tier (method-budget.ts). */
  slackMethodBudgets: boolean;
}

/** Slack's own Web API: the base used when SLACK_API_URL is unset. */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

const MODE_REASONS: Record<SlackMode['kind'], string> = {
  oauth: 'SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET set → OAuth distribution',
  socket: 'SLACK_APP_TOKEN set → Socket Mode',
  http: 'no SLACK_APP_TOKEN nor SLACK_CLIENT_ID → HTTP mode (one workspace)',
};

/**
 * The Slack side of the start-up line: the mode, why it was chosen (see slackMode below), and the
 * Web API base in use, so a run against a test peer or a proxy does not look like one against Slack.
 */
export function describeSlack(
  slack: Config['slack'],
  playground = false,
): {
  mode: SlackMode['kind'] | 'playground';
  modeReason: string;
  slackApi: string;
} {
  return {
    mode: playground ? 'playground' : slack.kind,
    modeReason: playground
      ? 'no Slack setting (and NODE_ENV is not production) → playground: a local Slack peer and a page to try Cairn on'
      : MODE_REASONS[slack.kind],
    slackApi: slack.apiUrl ?? DEFAULT_SLACK_API_URL,
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? 'environment')} ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  const playground = !hasSlackSettings(e) && e.NODE_ENV !== 'production';
  return {
    slack: playground
      ? // A fresh secret each start: only the playground's own page can sign requests to this Cairn.
        {
          kind: 'http',
          signingSecret: randomBytes(16).toString('hex'),
          botToken: 'xoxb-playground',
          apiUrl: undefined,
        }
      : { ...slackMode(e), apiUrl: e.SLACK_API_URL },
    ...(playground ? { playground: { host: e.PLAYGROUND_HOST ?? '127.0.0.1' } } : {}),
    database: {
      uri: e.MONGODB_URI,
      name: e.MONGODB_DATABASE ?? 'cairn',
      dataDir: e.CAIRN_DATA_DIR ?? './data',
      embedded: (e.CAIRN_EMBEDDED_DB as Config['database']['embedded'] | undefined) ?? 'auto',
      layout: layoutSetting(e.DATABASE_LAYOUT),
    },
    port: e.PORT,
    digestGraceHours: e.DIGEST_GRACE_HOURS,
    slackPostIntervalMs: e.SLACK_POST_INTERVAL_MS,
    slackMethodBudgets: e.SLACK_METHOD_BUDGETS,
    maxWorkInFlight: e.MAX_WORK_IN_FLIGHT,
    homeRefreshIntervalMs: e.HOME_REFRESH_INTERVAL_MS,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}

/** Any Slack setting at all means a real Slack mode; none at all, the playground. */
function hasSlackSettings(e: Environment): boolean {
  return [
    e.SLACK_BOT_TOKEN,
    e.SLACK_SIGNING_SECRET,
    e.SLACK_APP_TOKEN,
    e.SLACK_CLIENT_ID,
    e.SLACK_CLIENT_SECRET,
    e.SLACK_STATE_SECRET,
    e.INSTALLATION_ENCRYPTION_KEY,
    e.SLACK_API_URL,
  ].some(Boolean);
}

function slackMode(e: Environment): SlackMode {
  const oauthParts = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  if (oauthParts.some(Boolean)) {
    return {
      kind: 'oauth',
      clientId: required(
        e,
        'SLACK_CLIENT_ID',
        'for OAuth distribution, with SLACK_CLIENT_SECRET and SLACK_STATE_SECRET',
      ),
      clientSecret: required(
        e,
        'SLACK_CLIENT_SECRET',
        'for OAuth distribution (Basic Information → Client Secret)',
      ),
      stateSecret: required(
        e,
        'SLACK_STATE_SECRET',
        'for OAuth distribution (any random string of 16+ characters)',
      ),
      signingSecret: required(
        e,
        'SLACK_SIGNING_SECRET',
        'for OAuth distribution (Basic Information → Signing Secret)',
      ),
      encryptionKey: required(
        e,
        'INSTALLATION_ENCRYPTION_KEY',
        'for OAuth distribution (openssl rand -base64 32)',
      ),
      oldEncryptionKeys: e.INSTALLATION_ENCRYPTION_OLD_KEYS,
    };
  }
  if (e.SLACK_APP_TOKEN) {
    return {
      kind: 'socket',
      appToken: e.SLACK_APP_TOKEN,
      botToken: required(e, 'SLACK_BOT_TOKEN', 'for Socket Mode: the xoxb-… Bot User OAuth Token'),
    };
  }
  if (!e.SLACK_SIGNING_SECRET && !e.SLACK_BOT_TOKEN) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET is missing: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (HTTP mode), or SLACK_APP_TOKEN and SLACK_BOT_TOKEN (Socket Mode); see README (without any Slack setting Cairn starts its playground, but not with NODE_ENV=production)',
    );
  }
  return {
    kind: 'http',
    signingSecret: required(e, 'SLACK_SIGNING_SECRET', 'for HTTP mode (Basic Information → Signing Secret)'),
    botToken: required(e, 'SLACK_BOT_TOKEN', 'for HTTP mode: the xoxb-… Bot User OAuth Token'),
  };
}

function required<K extends keyof Environment>(e: Environment, key: K, why: string): string {
  const value = e[key];
  if (typeof value !== 'string' || value === '')
    throw new ConfigError(`${key} is missing: it is needed ${why}`);
  return value;
}
