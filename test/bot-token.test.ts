/**
 * The bot token with one workspace over HTTP: /healthz is 503 until Slack has confirmed it
 * (auth.test), a Slack that cannot answer does not stop start-up (Cairn asks again in the
 * background), and a token Slack refuses does, with one line saying so. Socket Mode follows the same
 * rules (test/socket-mode.test.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCairn, type Cairn } from '../src/app.js';
import type { Config } from '../src/config.js';
import { freePort } from '../src/db/database-server.js';
import { createLogger } from '../src/logger.js';
import { BOT_TOKEN, eventually, TEAM_ID, testConfig } from './support/cairn-harness.js';
import { testDatabase } from './support/database.js';
import { FakeSlack } from './support/fake-slack.js';

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
const started: Cairn[] = [];

beforeAll(async () => {
  db = await testDatabase('bot-token');
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID });
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((cairn) => cairn.stop(2_000)));
  slack.reset();
});
afterAll(async () => {
  await slack?.stop();
  await db?.drop();
});

function cairnWith(config: Config): Cairn {
  const cairn = createCairn({
    config,
    connection: db.connection,
    log: createLogger(config.logLevel),
    jobs: () => [],
  });
  started.push(cairn);
  return cairn;
}

interface Health {
  status: number;
  body: { status: string; database: { state: string }; slack?: { state: string; reason?: string } };
}

async function health(port: number): Promise<Health> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as Health['body'] };
}

describe('/healthz with one workspace over HTTP', () => {
  it('is 503 until Slack has confirmed the bot token, then 200', async () => {
    const port = await freePort();
    const release = slack.holdCalls('auth.test');
    const starting = cairnWith(testConfig(slack.apiUrl, { port })).start();
    try {
      await eventually(async () => (await health(port).catch(() => undefined))?.status === 503, 5_000);
      const unverified = await health(port);
      expect(unverified.body).toMatchObject({
        status: 'degraded',
        database: { state: 'up' },
        slack: { state: 'unverified' },
      });
    } finally {
      release();
    }
    await starting;
    const verified = await health(port);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'ok', slack: { state: 'up' } });
  });

  it('starts when auth.test fails for a passing reason, and confirms the token in the background', async () => {
    slack.injectError('auth.test', { error: 'internal_error', times: 2 });
    const { port } = await cairnWith(testConfig(slack.apiUrl)).start();
    const unverified = await health(port);
    expect(unverified.status).toBe(503);
    expect(unverified.body.slack).toMatchObject({ state: 'unverified' });
    expect(unverified.body.slack?.reason).toContain('internal_error');
    await eventually(async () => (await health(port)).status === 200, 10_000);
    expect(slack.calls('auth.test').map((c) => c.response['error'] ?? 'ok')).toEqual([
      'internal_error',
      'internal_error',
      'ok',
    ]);
  });

  it('waits out a rate limit at start-up rather than failing', async () => {
    slack.injectError('auth.test', { status: 429, retryAfter: 1 });
    const { port } = await cairnWith(testConfig(slack.apiUrl)).start();
    expect((await health(port)).status).toBe(200);
    expect(slack.calls('auth.test').map((c) => c.status)).toEqual([429, 200]);
  });
});

describe('a bot token Slack refuses', () => {
  const refusals: Array<[string, (config: Config) => Config]> = [
    [
      'invalid_auth',
      (c) => ({ ...c, slack: { ...c.slack, botToken: 'xoxb-not-this-one' } as Config['slack'] }),
    ],
    ['account_inactive', (c) => (slack.injectError('auth.test', { error: 'account_inactive' }), c)],
    ['token_revoked', (c) => (slack.injectError('auth.test', { error: 'token_revoked' }), c)],
  ];

  it.each(refusals)(
    'stops start-up (%s) with one line naming the token and what to check',
    async (code, set) => {
      const error = await cairnWith(set(testConfig(slack.apiUrl)))
        .start()
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(error?.message).toMatch(
        new RegExp(`^Slack refused the bot token \\(SLACK_BOT_TOKEN\\): ${code}\\. Check that it is`),
      );
      expect(error?.message).not.toContain('\n');
    },
  );
});
