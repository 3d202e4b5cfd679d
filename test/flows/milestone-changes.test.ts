/**
 * A milestone moved between two digests shows in the second one's "what changed", through the signed
 * receiver, the fake Slack and the real database, with the app's clock pinned: `/program digest`
 * posts a digest (its run keeps the milestones' dates and forecasts), the milestone is moved and the
 * work it needs forecast later, and the next `/program digest` says so, first among the changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { textOf, type RenderedBlock } from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { everyDocument, testDatabase } from '../support/database.js';
import { FakeSlack, type FakeMessage } from '../support/fake-slack.js';

const PM = 'U0PM';
const LEAD = 'U0LEAD';
const HOME = 'C0CHECKOUT';

/** Monday 30 Nov 2026, 10:00 UTC. */
let clock = new Date('2026-11-30T10:00:00Z');

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
let running: RunningCairn;

const runIdOf = (m: FakeMessage) =>
  (m.metadata as { event_payload?: { run_id?: string } } | undefined)?.event_payload?.run_id;
/** The digests posted in the home channel, oldest first (top-level messages with a run). */
const digests = () =>
  slack.messages(HOME).filter((m) => (!m.thread_ts || m.thread_ts === m.ts) && runIdOf(m) !== undefined);
const repliesTo = (m: FakeMessage) =>
  slack.messages(HOME).filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);

async function command(as: string, text: string, cmd: '/program' | '/status' = '/program') {
  const answer = await ask(running, cmd, text, { userId: as });
  expect(answer.all, text).not.toContain(':warning:');
  return answer;
}

beforeAll(async () => {
  db = await testDatabase('milestone-changes');
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID, now: () => clock.getTime() });
  running = await startCairn(db.connection, { now: () => clock, slack, jobs: () => [] });
  slack.setRateLimiting(false);
  for (const id of [PM, LEAD]) slack.setUser({ id, tz: 'UTC' });
  await command(PM, `new checkout "Checkout revamp" channel:<#${HOME}|checkout>`);
  await command(PM, `add checkout web "Web checkout" team:web lead:<@${LEAD}>`);
  await command(PM, 'milestone checkout "Launch" 2026-12-11 needs:web');
  await command(LEAD, 'web green forecast:2026-12-16 on plan', '/status');
});
afterAll(async () => {
  await running?.stop();
  await slack?.stop();
  await db?.drop();
});

describe('a milestone moved between two digests', () => {
  it('is kept by the first digest’s run: the milestone’s date and forecast', async () => {
    const answer = await command(PM, 'digest checkout');
    expect(answer.all).toContain('Posted the digest of *Checkout revamp*');
    expect(digests()).toHaveLength(1);
    const [run] = await everyDocument(db.connection, 'digest_runs', { state: 'posted' });
    const snapshot = run!.snapshot as { milestones?: Record<string, unknown> };
    expect(Object.values(snapshot.milestones ?? {})).toEqual([
      { date: '2026-12-11', forecast: '2026-12-16' },
    ]);
  });

  it('shows in the next digest’s what changed, first: moved, and forecast slipped, with the days', async () => {
    clock = new Date('2026-12-01T10:00:00Z');
    const moved = await command(PM, 'milestone checkout "Launch" moved:2026-12-18');
    expect(moved.all).toContain('Moved *Launch*');
    await command(LEAD, 'web green forecast:2026-12-21 still on plan', '/status');

    clock = new Date('2026-12-02T10:00:00Z');
    await command(PM, 'digest checkout');
    expect(digests()).toHaveLength(2);
    const second = digests()[1]!;
    const main = textOf(second.blocks as RenderedBlock[]);
    expect(main).toContain(
      [
        '*What changed since Mon 30 Nov*',
        '• 📅 Milestone *Launch* moved Fri 11 Dec → Fri 18 Dec (+7 days)',
        '• 📅 Milestone *Launch* forecast slipped Wed 16 Dec → Mon 21 Dec (+5 days)',
        '• 📅 *Web checkout* `web` forecast moved Wed 16 Dec → Mon 21 Dec (+5 days)',
      ].join('\n'),
    );
    // The first digest said nothing of it, and the milestones part shows the new date.
    expect(textOf(digests()[0]!.blocks as RenderedBlock[])).not.toContain('Milestone *Launch*');
    expect(
      [main, ...repliesTo(second).map((r) => textOf((r.blocks ?? []) as RenderedBlock[]))].join('\n'),
    ).toContain('Fri 18 Dec *Launch*');
  });

  it('shows nothing more in a third digest with nothing moved since the second', async () => {
    clock = new Date('2026-12-03T10:00:00Z');
    await command(PM, 'digest checkout');
    const third = textOf(digests()[2]!.blocks as RenderedBlock[]);
    expect(third).toContain('*What changed since Wed 2 Dec*');
    expect(third).not.toContain('Milestone *Launch*');
  });
});
