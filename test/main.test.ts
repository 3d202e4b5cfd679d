/**
 * `npm start` as a user runs it: the compiled entry point in a child process, with only environment
 * variables for configuration and the embedded database on disk.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/db/database-server.js';
import { BOT_TOKEN, eventually, SIGNING_SECRET } from './support/cairn-harness.js';
import { logged, startCairnProcess, stopCairnProcesses } from './support/cairn-process.js';
import { testDatabaseUri } from './support/database.js';
import { FakeSlack } from './support/fake-slack.js';
import { SlackDriver } from './support/slack-driver.js';

const root = new URL('..', import.meta.url).pathname;
const entry = join(root, 'dist/src/main.js');
let slack: FakeSlack;
let dataDir: string;

beforeAll(async () => {
  await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: 'T0001' });
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-main-'));
}, 120_000);
afterAll(async () => {
  stopCairnProcesses();
  await slack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const start = (env: Record<string, string>) => startCairnProcess([entry], env);

describe('npm start', () => {
  it('in production without Slack settings exits non-zero with one clear line naming what is missing', async () => {
    const s = start({ NODE_ENV: 'production' });
    expect(await s.exited).toBe(1);
    const err = s.stderr().trimEnd();
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toMatch(/^cairn: configuration error: SLACK_SIGNING_SECRET is missing/);
  });

  it('with a malformed setting names that variable', async () => {
    const s = start({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'not-a-token' });
    expect(await s.exited).toBe(1);
    expect(s.stderr().trim()).toMatch(/^cairn: configuration error: SLACK_BOT_TOKEN must look like xoxb-/);
  });

  it('with a bot token Slack refuses exits non-zero with one line saying so and what to check', async () => {
    // The run's database server, not the embedded one: what is tested here is what comes after.
    const dbName = `t_main_refused_${process.pid}`;
    const s = start({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-revoked-token',
      SLACK_API_URL: slack.apiUrl,
      MONGODB_URI: testDatabaseUri(),
      MONGODB_DATABASE: dbName,
      PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    });
    try {
      expect(await s.exited).toBe(1);
    } finally {
      const db = await mongoose.createConnection(testDatabaseUri(), { dbName }).asPromise();
      await db.dropDatabase();
      await db.close();
    }
    const fatal = s.lines.filter((l) => l.level === 60);
    expect(fatal.map((l) => l.msg)).toEqual([
      expect.stringMatching(
        /^Cairn could not start: Slack refused the bot token \(SLACK_BOT_TOKEN\): invalid_auth\. Check that it is the app's current Bot User OAuth Token/,
      ),
    ]);
    expect(s.stderr()).toBe('');
  }, 60_000);

  it('without any Slack setting starts the playground: one line with the URL, the sample digests on the page', async () => {
    const dbName = `t_main_playground_${process.pid}`;
    const port = await freePort();
    const s = start({
      MONGODB_URI: testDatabaseUri(),
      MONGODB_DATABASE: dbName,
      PORT: String(port),
      NODE_ENV: 'development',
    });
    try {
      await eventually(
        async () => s.lines.some((l) => String(l.msg).startsWith('Cairn playground: open')),
        60_000,
      );
      const line = s.lines.find((l) => String(l.msg).startsWith('Cairn playground: open'))!;
      expect(line.msg).toBe(`Cairn playground: open http://127.0.0.1:${port}/`);
      expect(logged(s, 'Cairn is listening')).toMatchObject({ mode: 'playground' });
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      const state = (await (await fetch(`http://127.0.0.1:${port}/state?channel=C0SAMPLECHK`)).json()) as {
        conversations: Array<{ name: string }>;
        html: string;
      };
      expect(state.conversations.map((c) => c.name)).toEqual(
        expect.arrayContaining(['checkout', 'payments', 'mobile']),
      );
      expect(state.html).toContain('Checkout revamp (sample)');
      expect(state.html).toContain('Needs attention');
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
      const db = await mongoose.createConnection(testDatabaseUri(), { dbName }).asPromise();
      await db.dropDatabase();
      await db.close();
    }
  }, 90_000);

  it('serves /healthz on the embedded database, and what was written survives a restart', async () => {
    const port = await freePort();
    const env = {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      CAIRN_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'info',
    };
    const url = `http://127.0.0.1:${port}`;
    const healthy = async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200;

    // First run: answer a command, which records the workspace in the embedded database.
    const first = start(env);
    await eventually(healthy, 90_000, 250);
    const embedded = logged(first, 'embedded database started');
    expect(embedded?.dataDir).toContain(dataDir);
    // The start-up line says which mode and why, and which Slack it talks to; times are ISO.
    await eventually(async () => logged(first, 'Cairn is listening') !== undefined, 5_000);
    expect(logged(first, 'Cairn is listening')).toMatchObject({
      mode: 'http',
      modeReason: 'no SLACK_APP_TOKEN nor SLACK_CLIENT_ID → HTTP mode (one workspace)',
      slackApi: slack.apiUrl,
      port,
    });
    expect(first.lines[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Starting on the FerretDB already there announces no build.
    expect(first.lines.map((l) => l.msg)).not.toContainEqual(expect.stringMatching(/^building FerretDB/));
    // SLACK_API_URL points the Web API client at the fake: the bot token is checked there.
    await slack.waitForCall('auth.test', undefined, 10_000);
    const driver = new SlackDriver({ appUrl: url, signingSecret: SIGNING_SECRET, fakeSlack: slack });
    const answer = await driver.slashCommand({ command: '/program', text: 'help', teamId: 'TPERSIST' });
    expect(answer.status).toBe(200);
    const before = await mongoose.createConnection(embedded?.uri as string, { dbName: 'cairn' }).asPromise();
    await eventually(
      async () => (await before.collection('workspaces').countDocuments({ teamId: 'TPERSIST' })) === 1,
      5_000,
    );
    await before.close();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(logged(first, 'stopped')).toBeDefined();
    // Closing the database on purpose is not a lost connection.
    expect(logged(first, 'database disconnected; the driver keeps retrying')).toBeUndefined();

    // Second run on the same data folder: the workspace is still there.
    const second = start(env);
    try {
      await eventually(healthy, 90_000, 250);
      const uri = logged(second, 'embedded database started')?.uri as string;
      const connection = await mongoose.createConnection(uri, { dbName: 'cairn' }).asPromise();
      const workspace = await connection.collection('workspaces').findOne({ teamId: 'TPERSIST' });
      await connection.close();
      expect(workspace?.firstSeenAt).toBeInstanceOf(Date);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 240_000);
});
