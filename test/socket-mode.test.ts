/**
 * Socket Mode honours SLACK_API_URL too: the connection Cairn asks for (apps.connections.open, with
 * the app-level token) goes to the configured API base, like every other call, not to slack.com.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCairn } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { BOT_TOKEN, TEAM_ID, testConfig } from './support/cairn-harness.js';
import { testDatabase } from './support/database.js';
import { FakeSlack } from './support/fake-slack.js';

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;

beforeAll(async () => {
  db = await testDatabase('socket-mode');
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID });
});
afterAll(async () => {
  await slack?.stop();
  await db?.drop();
});

it('asks the configured API base for its Socket Mode connection, with the app-level token', async () => {
  const config = testConfig(slack.apiUrl, {
    slack: { kind: 'socket', appToken: 'xapp-1-A0001-test', botToken: BOT_TOKEN, apiUrl: slack.apiUrl },
  });
  const cairn = createCairn({
    config,
    connection: db.connection,
    log: createLogger('silent'),
    jobs: () => [],
  });
  // The fake has no WebSocket side, so the connection itself cannot open; the request is what counts.
  void cairn.start().catch(() => undefined);
  const call = await slack.waitForCall('apps.connections.open');
  expect(call.token).toBe('xapp-1-A0001-test');
  await cairn.stop(2_000);
});
