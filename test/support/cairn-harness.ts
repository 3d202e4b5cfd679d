/**
 * Runs a real Cairn (Bolt HTTP receiver, real database) on a loopback port, with its Web API client
 * pointed at the fake Slack, and a driver that sends it signed requests.
 */
import type { Connection } from 'mongoose';
import { createCairn, type Cairn, type CairnOptions } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FakeSlack } from './fake-slack.js';
import { SlackDriver } from './slack-driver.js';

export const SIGNING_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const BOT_TOKEN = 'xoxb-test-token';
export const TEAM_ID = 'T0001';

export function testConfig(apiUrl: string | undefined, overrides: Partial<Config> = {}): Config {
  return {
    slack: { kind: 'http', signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl },
    database: { uri: undefined, name: 'unused', dataDir: 'unused', embedded: 'auto' },
    port: 0,
    digestGraceHours: 6,
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

export async function startCairn(
  connection: Connection,
  options: Partial<Omit<CairnOptions, 'connection'>> & { slack?: FakeSlack } = {},
): Promise<RunningCairn> {
  const slack = options.slack ?? (await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID }));
  const config = options.config ?? testConfig(slack.apiUrl);
  const log = options.log ?? createLogger(config.logLevel, 'cairn-under-test');
  const cairn = createCairn({ ...options, config, connection, log });
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
