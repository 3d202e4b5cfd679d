/**
 * Work in hand is bounded (issue 12): past `maxWorkInFlight` acknowledged requests still working, a
 * slash command is answered at once that Cairn is busy, with the user's text handed back, and is not
 * run; the work already in hand finishes and is answered. Slack is made slow by holding users.info
 * (which each command's work waits on, after its ack).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startCairn, testConfig, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { everyDocument, testDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { BOT_TOKEN, TEAM_ID } from '../support/cairn-harness.js';

const PM = 'U0PM';
let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('busy');
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID });
  running = await startCairn(db.connection, {
    slack,
    config: testConfig(slack.apiUrl, { maxWorkInFlight: 2 }),
  });
  slack.setUser({ id: PM, tz: 'UTC' });
  expect((await ask(running, '/program', 'new checkout "Checkout"', { userId: PM })).all).not.toContain(
    ':warning:',
  );
  for (const lead of ['U0A', 'U0B', 'U0C']) {
    slack.setUser({ id: lead, tz: 'UTC' });
    const added = await ask(
      running,
      '/program',
      `add checkout ws-${lead.toLowerCase()} "Work ${lead}" team:web lead:<@${lead}>`,
      { userId: PM },
    );
    expect(added.all).not.toContain(':warning:');
  }
});
afterAll(async () => {
  await running?.stop();
  await slack?.stop();
  await db?.drop();
});

const updates = () => everyDocument(db.connection, 'updates');

describe('when Cairn has more work in hand than it takes on', () => {
  it('answers a command at once that it is busy, hands its text back, and finishes the work in hand', async () => {
    // Three users Cairn has not looked up yet: each command's work waits on users.info after its ack.
    for (const id of ['U0SLOW1', 'U0SLOW2', 'U0LATE']) slack.setUser({ id, tz: 'UTC' });
    const release = slack.holdCalls('users.info');
    const first = running.driver.slashCommand({
      command: '/status',
      text: 'ws-u0a green first',
      userId: 'U0SLOW1',
    });
    const second = running.driver.slashCommand({
      command: '/status',
      text: 'ws-u0b green second',
      userId: 'U0SLOW2',
    });
    // Both acknowledged (Slack's 3 s are kept) while their work waits.
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);

    const late = await ask(running, '/status', 'ws-u0c amber vendor <!channel> late', { userId: 'U0LATE' });
    expect(late.all).toContain("I'm busy right now and did not run that, so nothing was saved.");
    expect(late.all).toContain('/status ws-u0c amber vendor');
    // Handed back inert: the mention cannot ping anyone.
    expect(late.all).not.toContain('<!channel>');
    expect(late.elapsedMs).toBeLessThan(3_000);

    release();
    const answered = await Promise.all(
      [await first, await second].map((r) => {
        const id = new URL(String(r.sent.response_url)).pathname.split('/').pop();
        return slack.waitForResponse((p) => p.id === id, 10_000);
      }),
    );
    expect(answered.map((a) => JSON.stringify(a.body))).toEqual([
      expect.stringContaining('first'),
      expect.stringContaining('second'),
    ]);
    const stored = (await updates()).map((u) => u.summary as string).sort();
    expect(stored).toEqual(['first', 'second']);

    // With the work done, the same command is taken again (the first two finish just after their answers).
    let again = '';
    await eventually(async () => {
      again = (await ask(running, '/status', 'ws-u0c amber vendor late', { userId: 'U0LATE' })).all;
      return !again.includes('busy');
    }, 5_000);
    expect(again).toContain('vendor late');
    expect((await updates()).map((u) => u.summary as string).sort()).toEqual([
      'first',
      'second',
      'vendor late',
    ]);
  }, 30_000);
});
