import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, type RunningCairn } from './support/cairn-harness.js';
import { testDatabase } from './support/database.js';

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('shutdown');
  running = await startCairn(db.connection);
});
afterAll(async () => {
  await running?.slack.stop();
  await db?.drop();
});

describe('graceful shutdown', () => {
  it('stops taking requests but lets work acknowledged before it finish', async () => {
    let finished = false;
    // A listener that answers Slack at once and keeps working afterwards, as slow commands do.
    running.cairn.app.command('/slow', async ({ ack }) => {
      await ack();
      await new Promise((r) => setTimeout(r, 1_500));
      await db.connection.collection('slow_work').insertOne({ done: true });
      finished = true;
    });
    const answer = await running.driver.slashCommand({ command: '/slow', text: '' });
    expect(answer.status).toBe(200);
    expect(finished).toBe(false);

    const stopping = running.cairn.stop(10_000);
    await new Promise((r) => setTimeout(r, 100));
    // New work is refused while the slow work drains.
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();

    await stopping;
    expect(finished).toBe(true);
    expect(await db.connection.collection('slow_work').countDocuments({ done: true })).toBe(1);
  });
});
