/**
 * Socket Mode end to end: Cairn asks the fake Web API for a connection (apps.connections.open, with
 * the app-level token), opens it on the fake Socket Mode server, answers the envelopes that come
 * over it, and keeps it open. /healthz says 503, and why, while the connection is down or the bot
 * token is not confirmed; a token Slack refuses stops start-up with one line saying which.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCairn, type Cairn } from '../src/app.js';
import type { Config } from '../src/config.js';
import { freePort } from '../src/db/database-server.js';
import { createLogger } from '../src/logger.js';
import { BOT_TOKEN, eventually, TEAM_ID, testConfig } from './support/cairn-harness.js';
import { testDatabase } from './support/database.js';
import { FakeSlack } from './support/fake-slack.js';
import { FakeSocketMode } from './support/fake-socket-mode.js';

const APP_TOKEN = 'xapp-1-A0001-test';

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
let socket: FakeSocketMode;
/** Every Cairn a test starts, stopped after it whatever happened. */
const started: Cairn[] = [];

interface Health {
  status: number;
  body: {
    status: string;
    database: { state: string };
    slack?: { state: string; reason?: string; since?: string };
  };
}

beforeAll(async () => {
  db = await testDatabase('socket-mode');
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID });
  socket = await FakeSocketMode.start({ slack });
  slack.setSocketMode({ url: () => socket.url, appToken: APP_TOKEN });
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((cairn) => cairn.stop(2_000)));
  socket.setAccepting(true);
  slack.reset();
});
afterAll(async () => {
  await socket?.stop();
  await slack?.stop();
  await db?.drop();
});

function socketConfig(over: { port?: number; appToken?: string; botToken?: string } = {}): Config {
  return testConfig(slack.apiUrl, {
    port: over.port ?? 0,
    slack: {
      kind: 'socket',
      appToken: over.appToken ?? APP_TOKEN,
      botToken: over.botToken ?? BOT_TOKEN,
      apiUrl: slack.apiUrl,
    },
  });
}

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

async function health(port: number): Promise<Health> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as Health['body'] };
}

const answers = (port: number, status: number) => async () => (await health(port)).status === status;

it('asks the configured API base for its Socket Mode connection, with the app-level token', async () => {
  const cairn = cairnWith(socketConfig());
  await cairn.start();
  const call = await slack.waitForCall('apps.connections.open');
  expect(call.token).toBe(APP_TOKEN);
  expect(call.response['url']).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\//);
});

describe('connected', () => {
  it('answers a slash command in its acknowledgement, and another through its response_url', async () => {
    const { port } = await cairnWith(socketConfig()).start();
    await socket.waitForConnection();
    const up = await health(port);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', database: { state: 'up' }, slack: { state: 'up' } });

    // /program help answers with ack(payload): the answer travels back in the envelope's ack.
    const help = await socket.slashCommand('/program', 'help');
    const blocks = help.ack.payload?.['blocks'] as Array<{ text?: { text: string } }> | undefined;
    expect(help.ack.payload?.['response_type']).toBe('ephemeral');
    expect(blocks?.map((b) => b.text?.text).join('\n')).toContain('/program new checkout');

    // A workstream's card is looked up after an empty ack and posted to the response_url.
    const card = await socket.slashCommand('/status', 'no-such-workstream');
    expect(card.ack.payload ?? {}).toEqual({});
    const responseUrl = String(card.envelope.payload['response_url']);
    const posted = await slack.waitForResponse((r) => responseUrl.endsWith(`/response/${r.id}`));
    expect(JSON.stringify(posted.body)).toContain('no-such-workstream');
  });

  it('turns /healthz 503 while the connection is down, keeps reconnecting, and is 200 again once back', async () => {
    const { port } = await cairnWith(socketConfig()).start();
    await socket.waitForConnection();
    await eventually(answers(port, 200), 5_000);
    const opened = slack.calls('apps.connections.open').length;
    const connections = socket.connectionCount;

    // Slack goes away: the connection drops and new ones are refused.
    socket.setAccepting(false);
    socket.drop();
    await eventually(answers(port, 503), 5_000);
    const down = await health(port);
    expect(down.body).toMatchObject({ status: 'degraded', database: { state: 'up' } });
    expect(down.body.slack?.state).toBe('down');
    expect(down.body.slack?.reason).toMatch(/connection closed|cannot connect/);
    // It keeps asking for a connection, in the background, rather than giving up.
    await eventually(async () => slack.calls('apps.connections.open').length >= opened + 2, 10_000);
    expect((await health(port)).status).toBe(503);

    // Slack is back: Cairn reconnects by itself and serves commands on the new connection.
    socket.setAccepting(true);
    await eventually(answers(port, 200), 15_000);
    expect(socket.connectionCount).toBeGreaterThan(connections);
    const help = await socket.slashCommand('/program', 'help');
    expect(help.ack.payload?.['response_type']).toBe('ephemeral');
  }, 40_000);

  it('reconnects when Slack asks it to (a disconnect message, reason refresh_requested)', async () => {
    const { port } = await cairnWith(socketConfig()).start();
    await socket.waitForConnection();
    const connections = socket.connectionCount;
    socket.disconnect('refresh_requested');
    await socket.waitForConnection(connections + 1, 10_000);
    // The old connection is closed, not left open beside the new one.
    await eventually(async () => socket.connections === 1, 5_000);
    await eventually(answers(port, 200), 5_000);
    const help = await socket.slashCommand('/program', 'help');
    expect(help.ack.payload?.['response_type']).toBe('ephemeral');
  });
});

describe('the bot token in Socket Mode', () => {
  it('keeps /healthz 503 until Slack has confirmed the bot token, then 200', async () => {
    const port = await freePort();
    const release = slack.holdCalls('auth.test');
    const starting = cairnWith(socketConfig({ port })).start();
    try {
      await socket.waitForConnection();
      await eventually(async () => (await health(port).catch(() => undefined))?.status === 503, 5_000);
      const unverified = await health(port);
      expect(unverified.body.status).toBe('degraded');
      expect(unverified.body.slack).toMatchObject({ state: 'unverified' });
      expect(unverified.body.slack?.reason).toMatch(/auth\.test/);
    } finally {
      release();
    }
    await starting;
    await eventually(answers(port, 200), 5_000);
  });

  it('stops start-up when Slack refuses the app-level token, saying so in one line', async () => {
    const connections = socket.connectionCount;
    const error = await cairnWith(socketConfig({ appToken: 'xapp-1-A0001-revoked' }))
      .start()
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toMatch(
      /^Slack refused the app-level token \(SLACK_APP_TOKEN\): invalid_auth\. Check /,
    );
    expect(error?.message).not.toContain('\n');
    expect(slack.calls('apps.connections.open').map((c) => c.response['error'])).toEqual(['invalid_auth']);
    expect(socket.connectionCount).toBe(connections);
  });

  it('stops start-up when Slack refuses the bot token, saying so in one line', async () => {
    const error = await cairnWith(socketConfig({ botToken: 'xoxb-not-this-one' }))
      .start()
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toMatch(/^Slack refused the bot token \(SLACK_BOT_TOKEN\): invalid_auth\. Check /);
    expect(error?.message).not.toContain('\n');
  });
});
