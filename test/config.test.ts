import { describe, expect, it } from 'vitest';
import { ConfigError, describeSlack, loadConfig } from '../src/config.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[yz]/g, 'e');
const BOT = 'xoxb-1234-5678-abcdef';
const APP = 'xapp-1-A111-222-abc';
const KEY = Buffer.alloc(32, 7).toString('base64');

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('configuration from the environment', () => {
  it('chooses HTTP mode from a signing secret and a bot token, with defaults for the rest', () => {
    const config = loadConfig({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT });
    expect(config.slack).toEqual({ kind: 'http', signingSecret: SECRET, botToken: BOT, apiUrl: undefined });
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.digestGraceHours).toBe(6);
    expect(config.database).toEqual({
      uri: undefined,
      name: 'cairn',
      dataDir: './data',
      embedded: 'auto',
      layout: 'auto',
    });
  });

  it('chooses Socket Mode when an app token is set', () => {
    const config = loadConfig({ SLACK_APP_TOKEN: APP, SLACK_BOT_TOKEN: BOT });
    expect(config.slack.kind).toBe('socket');
  });

  it('chooses OAuth distribution from client id, secret and state secret', () => {
    const config = loadConfig({
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: SECRET,
      SLACK_STATE_SECRET: 'a-long-random-state-secret',
      SLACK_SIGNING_SECRET: SECRET,
      INSTALLATION_ENCRYPTION_KEY: KEY,
    });
    expect(config.slack.kind).toBe('oauth');
    expect(config.slack).toMatchObject({ encryptionKey: KEY, oldEncryptionKeys: [] });
  });

  it('reads the keys an installation key replaced, comma-separated, to read what they sealed', () => {
    const older = Buffer.alloc(32, 8).toString('base64');
    const oldest = Buffer.alloc(32, 9).toString('base64');
    const config = loadConfig({
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: SECRET,
      SLACK_STATE_SECRET: 'a-long-random-state-secret',
      SLACK_SIGNING_SECRET: SECRET,
      INSTALLATION_ENCRYPTION_KEY: KEY,
      INSTALLATION_ENCRYPTION_OLD_KEYS: ` ${older} , ${oldest}`,
    });
    expect(config.slack).toMatchObject({ encryptionKey: KEY, oldEncryptionKeys: [older, oldest] });
  });

  it('reads SLACK_API_URL, MONGODB_URI, PORT and LOG_LEVEL', () => {
    const config = loadConfig({
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: BOT,
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      MONGODB_URI: 'mongodb://db.internal:27017/cairn',
      PORT: '8080',
      LOG_LEVEL: 'debug',
    });
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(config.database.uri).toBe('mongodb://db.internal:27017/cairn');
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('debug');
  });

  it('describes the chosen mode, why, and the Slack API base for the start-up line', () => {
    expect(describeSlack(loadConfig({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT }).slack)).toEqual({
      mode: 'http',
      modeReason: 'no SLACK_APP_TOKEN nor SLACK_CLIENT_ID → HTTP mode (one workspace)',
      slackApi: 'https://slack.com/api/',
    });
    const socket = loadConfig({
      SLACK_APP_TOKEN: APP,
      SLACK_BOT_TOKEN: BOT,
      SLACK_API_URL: 'https://slack-gov.com/api',
    });
    expect(describeSlack(socket.slack)).toEqual({
      mode: 'socket',
      modeReason: 'SLACK_APP_TOKEN set → Socket Mode',
      slackApi: 'https://slack-gov.com/api/',
    });
    const oauth = loadConfig({
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: SECRET,
      SLACK_STATE_SECRET: 'a-long-random-state-secret',
      SLACK_SIGNING_SECRET: SECRET,
      INSTALLATION_ENCRYPTION_KEY: KEY,
    });
    expect(describeSlack(oauth.slack).modeReason).toBe(
      'SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET set → OAuth distribution',
    );
  });

  it('starts the playground when no Slack setting at all is given, on loopback unless told otherwise', () => {
    const first = loadConfig({});
    const second = loadConfig({});
    expect(first.playground).toEqual({ host: '127.0.0.1' });
    expect(first.slack).toMatchObject({ kind: 'http', botToken: 'xoxb-playground' });
    // A fresh signing secret each start: nothing but the playground's own page can sign for it.
    const secretOf = (c: typeof first) => (c.slack.kind === 'http' ? c.slack.signingSecret : '');
    expect(secretOf(first)).toMatch(/^[0-9a-f]{32}$/);
    expect(secretOf(first)).not.toBe(secretOf(second));
    expect(loadConfig({ PLAYGROUND_HOST: '0.0.0.0' }).playground).toEqual({ host: '0.0.0.0' });
    expect(describeSlack(first.slack, true)).toMatchObject({ mode: 'playground' });
    // Any Slack setting means a real mode, never the playground.
    expect(loadConfig({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT }).playground).toBeUndefined();
    expect(() => loadConfig({ SLACK_BOT_TOKEN: BOT })).toThrow(/SLACK_SIGNING_SECRET is missing/);
  });

  it('treats an empty variable as unset', () => {
    expect(
      loadConfig({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT, MONGODB_URI: '', PORT: '' }).port,
    ).toBe(3000);
  });

  const broken: Array<[string, Record<string, string>, RegExp]> = [
    [
      'nothing set in production',
      { NODE_ENV: 'production' },
      /^SLACK_SIGNING_SECRET is missing: .*SLACK_BOT_TOKEN.*SLACK_APP_TOKEN.*playground.*NODE_ENV=production/,
    ],
    ['HTTP without a bot token', { SLACK_SIGNING_SECRET: SECRET }, /^SLACK_BOT_TOKEN is missing/],
    ['HTTP without a signing secret', { SLACK_BOT_TOKEN: BOT }, /^SLACK_SIGNING_SECRET is missing/],
    [
      'Socket Mode without a bot token',
      { SLACK_APP_TOKEN: APP },
      /^SLACK_BOT_TOKEN is missing: .*Socket Mode/,
    ],
    [
      'a user token for the bot token',
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxp-1-2' },
      /^SLACK_BOT_TOKEN must look like xoxb-/,
    ],
    [
      'a bot token for the app token',
      { SLACK_APP_TOKEN: BOT, SLACK_BOT_TOKEN: BOT },
      /^SLACK_APP_TOKEN must look like xapp-/,
    ],
    [
      'a signing secret that is not hex',
      { SLACK_SIGNING_SECRET: 'not a secret!', SLACK_BOT_TOKEN: BOT },
      /^SLACK_SIGNING_SECRET must look like a hex string/,
    ],
    [
      'OAuth without its secret',
      { SLACK_CLIENT_ID: '123.456', SLACK_SIGNING_SECRET: SECRET },
      /^SLACK_CLIENT_SECRET is missing/,
    ],
    [
      'OAuth without an encryption key',
      {
        SLACK_CLIENT_ID: '1.2',
        SLACK_CLIENT_SECRET: SECRET,
        SLACK_STATE_SECRET: 'x'.repeat(16),
        SLACK_SIGNING_SECRET: SECRET,
      },
      /^INSTALLATION_ENCRYPTION_KEY is missing/,
    ],
    [
      'an old installation key that is not a key',
      {
        SLACK_CLIENT_ID: '1.2',
        SLACK_CLIENT_SECRET: SECRET,
        SLACK_STATE_SECRET: 'x'.repeat(16),
        SLACK_SIGNING_SECRET: SECRET,
        INSTALLATION_ENCRYPTION_KEY: KEY,
        INSTALLATION_ENCRYPTION_OLD_KEYS: `${KEY},not-a-key`,
      },
      /^INSTALLATION_ENCRYPTION_OLD_KEYS must look like keys replaced by INSTALLATION_ENCRYPTION_KEY, comma-separated/,
    ],
    [
      'a malformed client id',
      { SLACK_CLIENT_ID: 'abc', SLACK_SIGNING_SECRET: SECRET },
      /^SLACK_CLIENT_ID must look like 1234567890\.1234567890/,
    ],
    [
      'a database URL of another kind',
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT, MONGODB_URI: 'postgres://x' },
      /^MONGODB_URI must look like mongodb:\/\//,
    ],
    [
      'an API URL that is not a URL',
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT, SLACK_API_URL: 'slack.com' },
      /^SLACK_API_URL must look like https:\/\//,
    ],
    [
      'a port that is not a number',
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT, PORT: 'http' },
      /^PORT must look like a port number/,
    ],
    [
      'a port out of range',
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT, PORT: '70000' },
      /^PORT must be a port number between 0 and 65535/,
    ],
    [
      'an unknown log level',
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT, LOG_LEVEL: 'loud' },
      /^LOG_LEVEL must look like fatal, error/,
    ],
    [
      'an unknown embedded database',
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT, CAIRN_EMBEDDED_DB: 'redis' },
      /^CAIRN_EMBEDDED_DB must look like auto, mongod or ferretdb/,
    ],
  ];

  it.each(broken)('stops on %s with one line naming the variable', (_case, env, expected) => {
    const message = failure(env);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });
});
