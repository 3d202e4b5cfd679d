/**
 * Reminders before a digest, and the one-click answers from the reminder DM ("No change" on amber
 * work, "Still on track" on green work, refused from a DM older than the work's turn to amber),
 * through the real receiver, the fake Slack and the real database, with an injected clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/domain/digest.js';
import { loadDigestData } from '../../src/use-cases/digest-data.js';
import { runReminderTick } from '../../src/use-cases/reminders.js';
import { runSchedulerTick } from '../../src/use-cases/scheduler.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { everyDocument, tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const DANA = 'U0DANA';
const LEE = 'U0LEE';
let now = new Date('2026-11-30T13:00:00Z'); // Monday
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
const deps = () => ({
  stores: running.cairn.services.stores,
  slackFor: running.cairn.services.slackFor,
  log: running.cairn.services.log,
});

beforeAll(async () => {
  db = await testDatabase('reminders');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  await ask(running, '/program', 'new checkout "Checkout" channel:<#C0DIGEST|digest>', { userId: PM });
  for (const [key, lead] of [
    ['payments', DANA],
    ['vault', DANA],
    ['web', LEE],
    ['ops', LEE],
  ] as const) {
    await ask(running, '/program', `add checkout ${key} "${key}" team:core lead:<@${lead}>`, { userId: PM });
  }
  await ask(running, '/status', 'payments green first update', { userId: DANA });
  await ask(running, '/status', 'web amber waiting', { userId: LEE });
  // ops is paused: no reminders for it.
  const workstreams = await tenantCollection(db.connection, 'workstreams', TEAM_ID);
  await workstreams.updateOne({ key: 'ops' }, { $set: { state: 'paused' } });
  // A Wednesday 09:00 UTC digest with reminders 2 hours before, and a digest posted on Monday.
  const stores = running.cairn.services.stores;
  const program = (await stores.programs.findByKey(TEAM_ID, 'checkout'))!;
  await stores.schedules.create({
    teamId: TEAM_ID,
    programId: program._id,
    programKey: 'checkout',
    channelId: 'C0DIGEST',
    days: ['mon', 'wed'],
    time: '14:00',
    timezone: 'UTC',
    variant: 'team',
    reminderLeadMinutes: 120,
    createdBy: PM,
    createdAt: now,
    lastSlotAt: new Date('2026-11-30T13:59:00Z'),
    nextSlotAt: new Date('2026-11-30T14:00:00Z'),
  });
  now = new Date('2026-11-30T14:00:10Z');
  await runSchedulerTick(deps(), { replicaId: 'a', graceMs: 6 * 3_600_000 }, now);
  expect(running.slack.messages('C0DIGEST')).not.toHaveLength(0);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

const remindersTo = (user: string) =>
  running.slack
    .calls('chat.postMessage')
    .filter((c) => c.args.channel === user && String(c.args.text).includes('update'));

describe('reminders', () => {
  it('sends nothing before the lead time, then one DM per lead from two replicas, none for paused work', async () => {
    now = new Date('2026-12-02T06:59:00Z'); // the Wednesday digest is at 14:00; reminders from 12:00
    await db.connection.collection('digest_schedules').updateOne(
      {},
      {
        $set: {
          nextSlotAt: new Date('2026-12-02T14:00:00Z'),
          lastSlotAt: new Date('2026-11-30T14:00:00Z'),
        },
      },
    );
    expect((await runReminderTick(deps(), 'a', now)).sent).toBe(0);
    // Dana updated payments on Tuesday; vault has nothing. Lee updated nothing since Monday's digest.
    now = new Date('2026-12-01T10:00:00Z');
    await ask(running, '/status', 'payments green still fine', { userId: DANA });
    now = new Date('2026-12-02T12:00:30Z');
    const [a, b] = await Promise.all([
      runReminderTick(deps(), 'replica-a', now),
      runReminderTick(deps(), 'replica-b', now),
    ]);
    expect(a.sent + b.sent).toBe(2);
    await runReminderTick(deps(), 'replica-a', new Date(now.getTime() + 60_000));
    expect(remindersTo(DANA)).toHaveLength(1);
    expect(remindersTo(LEE)).toHaveLength(1);
    const toDana = JSON.stringify(remindersTo(DANA)[0]!.args.blocks);
    expect(toDana).toContain('checkout/vault');
    expect(toDana).not.toContain('checkout/payments');
    const toLee = JSON.stringify(remindersTo(LEE)[0]!.args.blocks);
    expect(toLee).toContain('checkout/web');
    expect(toLee).not.toContain('checkout/ops');
  });

  it('records one carried-forward update from "No change" on amber work in the DM, redraws the DM, and the next digest counts it', async () => {
    const dm = remindersTo(LEE)[0]!;
    const blocks = dm.args.blocks as Array<{
      type: string;
      block_id?: string;
      elements?: Array<{ action_id: string; value: string; text: { text: string } }>;
    }>;
    // web is amber: the DM offers No change, not Still on track.
    const offered = blocks.flatMap((b) => b.elements ?? []);
    expect(offered.map((e) => [e.action_id, e.text.text])).toEqual([
      ['status_open_modal', 'Update…'],
      ['status_no_change', 'No change'],
      ['status_details', 'Details'],
    ]);
    const carry = offered.find((e) => e.action_id === 'status_no_change')!;
    const click = (actionId = 'status_no_change') =>
      running.driver.blockAction({
        user: { id: LEE, username: 'lee', name: 'lee', team_id: TEAM_ID },
        container: {
          type: 'message',
          message_ts: dm.response.ts,
          channel_id: dm.response.channel,
          is_ephemeral: false,
        },
        channel: { id: dm.response.channel, name: 'directmessage' },
        message: { type: 'message', ts: dm.response.ts, text: dm.args.text, blocks },
        actions: [
          {
            type: 'button',
            action_id: actionId,
            block_id: `reminder-act:${carry.value}`,
            value: carry.value,
            action_ts: '1',
          },
        ],
      });
    const program = (await running.cairn.services.stores.programs.findByKey(TEAM_ID, 'checkout'))!;
    const scheduleKey = String((await db.connection.collection('digest_schedules').findOne({}))?._id);
    const missing = async () =>
      buildDigest(
        await loadDigestData(running.cairn.services.stores, program, {
          scheduleKey,
          variant: 'team',
          timezone: 'UTC',
          now,
        }),
      ).missingKeys;
    expect(await missing()).toContain('web');
    const before = (await everyDocument(db.connection, 'updates', { source: 'carried_forward' })).length;
    const [first, second] = await Promise.all([click(), click()]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const redraw = await running.slack.waitForResponse(
      (r) =>
        String(first.sent.response_url).endsWith(r.id) &&
        (r.body as { replace_original?: boolean }).replace_original === true,
    );
    expect(JSON.stringify(redraw.body)).toContain('✅ *web* `checkout/web` — updated: 🟡 At risk');
    expect(JSON.stringify(redraw.body)).not.toContain('status_no_change');
    // Redrawn, it still says when the digest goes out, as the first DM did.
    const when = /digest goes out ([^.]+)\./.exec(JSON.stringify(blocks))?.[1];
    expect(when).toMatch(/\d\d:\d\d/);
    expect(JSON.stringify(redraw.body)).toContain(`digest goes out ${when}.`);
    const carried = await everyDocument(db.connection, 'updates', { source: 'carried_forward' });
    expect(carried.length - before).toBe(1);
    expect(carried.at(-1)).toMatchObject({ health: 'at_risk', summary: 'waiting', authorId: LEE });
    // The next digest counts web as updated.
    expect(await missing()).not.toContain('web');

    // The same DM as a client that still shows Still on track on it (a reminder sent before No change
    // existed): nothing is recorded as on track, and Lee is told web is at risk.
    const stale = await click('status_carry_forward');
    const told = await running.slack.waitForResponse(
      (r) =>
        String(stale.sent.response_url).endsWith(r.id) &&
        (r.body as { replace_original?: boolean }).replace_original === false,
    );
    expect(JSON.stringify(told.body)).toContain('is now 🟡 at risk, not on track: nothing was recorded');
    expect(await everyDocument(db.connection, 'updates', { source: 'carried_forward' })).toHaveLength(
      carried.length,
    );
  });

  it('refuses Still on track for a workstream with no earlier update, clearly', async () => {
    const workstreams = await tenantCollection(db.connection, 'workstreams', TEAM_ID);
    const vault = String((await workstreams.findOne({ key: 'vault' }))?._id);
    const response = await running.driver.blockAction({
      user: { id: DANA, username: 'dana', name: 'dana', team_id: TEAM_ID },
      actions: [
        { type: 'button', action_id: 'status_carry_forward', block_id: 'x', value: vault, action_ts: '1' },
      ],
    });
    const answer = await running.slack.waitForResponse((r) =>
      String(response.sent.response_url).endsWith(r.id),
    );
    expect(JSON.stringify(answer.body)).toContain('has no earlier update to carry forward');
    expect(
      (
        await everyDocument(db.connection, 'updates', {
          workstreamId: { $exists: true },
          source: 'carried_forward',
          summary: { $exists: true },
        })
      ).length,
    ).toBe(1);
  });
});
