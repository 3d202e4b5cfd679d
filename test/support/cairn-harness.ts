/**
 * Runs a real Cairn (Bolt HTTP receiver, real database) on a loopback port, with its Web API client
 * pointed at the fake Slack, and a driver that sends it signed requests.
 */
import type { Connection } from 'mongoose';
import { createCairn, type Cairn, type CairnOptions } from '../../src/app.js';
import { clockFrom } from '../../src/clock.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { testLayout } from './database.js';
import { FakeSlack } from './fake-slack.js';
import { SlackDriver } from './slack-driver.js';

export const SIGNING_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const BOT_TOKEN = 'xoxb-test-token';
export const TEAM_ID = 'T0001';
/**
 * Where the app's clock starts when a test gives no `now`: a Wednesday, 10:00 in New York. It then
 * runs at real speed, so no test depends on the day it runs; the expected dates follow from this one.
 */
export const TEST_START = new Date('2026-11-25T15:00:00Z');

export function testConfig(apiUrl: string | undefined, overrides: Partial<Config> = {}): Config {
  return {
    slack: { kind: 'http', signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl },
    database: { uri: undefined, name: 'unused', dataDir: 'unused', embedded: 'auto', layout: testLayout() },
    port: 0,
    digestGraceHours: 6,
    // Unpaced, so that tests run at their own speed; the pacer has tests of its own.
    slackPostIntervalMs: 0,
    // Unbudgeted likewise: the budget has tests of its own.
    slackMethodBudgets: false,
    maxWorkInFlight: 200,
    // Each Home redraw at once, so that tests see it after each update; the coalescing has tests of its own.
    homeRefreshIntervalMs: 0,
    logLevel: process.env.LOG_LEVEL ?? 'silent',
    ...overrides,
  };
}

export interface RunningCairn {
  cairn: Cairn;
  slack: FakeSlack;
  driver: SlackDriver;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts Cairn on `connection`. Unless the test says otherwise, its clock starts at TEST_START and it
 * runs no jobs (`jobs: cairnJobs` runs the production ones). The fake Slack and the signed requests
 * keep real time: Bolt checks request signatures against the machine's clock, as in production.
 */
export async function startCairn(
  connection: Connection,
  options: Partial<Omit<CairnOptions, 'connection'>> & { slack?: FakeSlack } = {},
): Promise<RunningCairn> {
  const slack = options.slack ?? (await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID }));
  const config = options.config ?? testConfig(slack.apiUrl);
  const log = options.log ?? createLogger(config.logLevel, 'cairn-under-test');
  const cairn = createCairn({
    ...options,
    now: options.now ?? clockFrom(TEST_START),
    jobs: options.jobs ?? (() => []),
    config,
    connection,
    log,
  });
  const { port } = await cairn.start();
  const url = `http://127.0.0.1:${port}`;
  const driver = new SlackDriver({
    appUrl: url,
    signingSecret: SIGNING_SECRET,
    fakeSlack: slack,
    teamId: TEAM_ID,
  });
  return {
    cairn,
    slack,
    driver,
    url,
    async stop() {
      await cairn.stop(5_000);
      if (!options.slack) await slack.stop();
    },
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns how long it took. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  stepMs = 200,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return Date.now() - started;
}
