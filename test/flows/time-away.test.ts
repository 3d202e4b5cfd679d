/**
 * Time away (issue 15) through the signed receiver, the fake Slack and the real database, on an
 * injected clock: `/status away until <date>` and `/status back`, no reminders and no escalations to
 * someone away, and reminders again once they are back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEscalationTick } from '../../src/use-cases/escalation.js';
import { runReminderTick } from '../../src/use-cases/reminders.js';
import { runSchedulerTick } from '../../src/use-cases/scheduler.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { testDatabase } from '../support/database.js';

const PM = 'U0PM';
const DANA = 'U0DANA';
const LEE = 'U0LEE';
let now = new Date('2026-11-30T09:00:00Z'); // a Monday
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
const deps = () => ({
  stores: running.cairn.services.stores,
  slackFor: running.cairn.services.slackFor,
  log: running.cairn.services.log,
});
const dmsTo = (user: string, text: string) =>
  running.slack
    .calls('chat.postMessage')
    .filter((c) => c.args.channel === user && String(c.args.text).includes(text));

/** A digest at 14:00 UTC on `day` with reminders from 12:00; the last one posted the day before. */
async function digestDueOn(day: string) {
  await db.connection.collection('digest_schedules').updateOne(
    {},
    {
      $set: {
        nextSlotAt: new Date(`${day}T14:00:00Z`),
        lastSlotAt: new Date(new Date(`${day}T14:00:00Z`).getTime() - 86_400_000),
      },
    },
  );
}

beforeAll(async () => {
  db = await testDatabase('time_away');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  await ask(running, '/program', 'new checkout "Checkout" channel:<#C0DIGEST|digest>', { userId: PM });
  await ask(running, '/program', `add checkout vault "Vault" team:core lead:<@${DANA}>`, { userId: PM });
  await ask(running, '/program', `add checkout web "Web" team:web lead:<@${LEE}>`, { userId: PM });
  const stores = running.cairn.services.stores;
  const program = (await stores.programs.findByKey(TEAM_ID, 'checkout'))!;
  await stores.schedules.create({
    teamId: TEAM_ID,
    programId: program._id,
    programKey: 'checkout',
    channelId: 'C0DIGEST',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    time: '14:00',
    timezone: 'UTC',
    variant: 'team',
    reminderLeadMinutes: 120,
    createdBy: PM,
    createdAt: now,
    lastSlotAt: now,
    nextSlotAt: new Date('2026-11-30T14:00:00Z'),
  });
  // Both leads update in the morning; Monday's digest goes out at 14:00, so from then on both are missing.
  await ask(running, '/status', 'vault green schema agreed', { userId: DANA });
  await ask(running, '/status', 'web green cart page done', { userId: LEE });
  now = new Date('2026-11-30T14:00:10Z');
  await runSchedulerTick(deps(), { replicaId: 'a', graceMs: 3_600_000 }, now);
  now = new Date('2026-11-30T15:00:00Z');
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('/status away and back', () => {
  it('takes the last day away in the person’s timezone, and refuses a day that has passed or no day', async () => {
    const away = await ask(running, '/status', 'away until 2026-12-02', { userId: DANA });
    expect(away.all).toContain('You are away until Wed 2 Dec');
    expect(away.all).toContain('`/status back`');
    expect((await ask(running, '/status', 'away until 2026-11-01', { userId: LEE })).all).toContain(
      'has passed',
    );
    expect((await ask(running, '/status', 'away', { userId: LEE })).all).toContain('Say until when');
    expect((await ask(running, '/status', 'away until someday', { userId: LEE })).all).toContain(
      "isn't a date I can read",
    );
    expect((await ask(running, '/status', 'back', { userId: LEE })).all).toContain(
      'You were not marked away',
    );
  });

  it('sends no reminder to someone away; the others get theirs', async () => {
    now = new Date('2026-12-01T12:00:30Z'); // Tuesday: Dana is away through Wednesday
    await digestDueOn('2026-12-01');
    await runReminderTick(deps(), 'a', now);
    expect(dmsTo(LEE, 'update')).toHaveLength(1);
    expect(dmsTo(DANA, 'update')).toHaveLength(0);
  });

  it('shows the away lead’s work as "lead away until …" instead of missing, and who is away in the thread', async () => {
    now = new Date('2026-12-01T14:00:10Z');
    await runSchedulerTick(deps(), { replicaId: 'a', graceMs: 3_600_000 }, now);
    const posted = running.slack.messages('C0DIGEST');
    const text = JSON.stringify(posted.map((m) => m.blocks));
    expect(text).toContain('`vault` <@U0DANA> — lead away until Wed 2 Dec');
    expect(text).toMatch(/`web` <@U0LEE> — no update since Mon 30 Nov/);
    const thread = JSON.stringify(
      posted.filter((m) => m.thread_ts && m.thread_ts !== m.ts).map((m) => m.blocks),
    );
    expect(thread).toContain('*Away* (1)');
    expect(thread).toContain('🌴 <@U0DANA> until Wed 2 Dec — `vault`');
  });

  it('brings no escalation to someone away, and brings it once they are back', async () => {
    await ask(running, '/program', 'blocker vault "Waiting on the auditor"', { userId: PM });
    await ask(running, '/status', 'away until 2026-12-31', { userId: PM });
    now = new Date('2026-12-07T11:00:00Z'); // the blocker is 6 days old: over the threshold of 5
    await runEscalationTick(deps(), now);
    expect(dmsTo(PM, 'Blocker open')).toHaveLength(0);
    now = new Date('2026-12-08T11:00:00Z');
    await runEscalationTick(deps(), now);
    expect(dmsTo(PM, 'Blocker open')).toHaveLength(0);
    // Back before the next threshold (10 days): the escalation that waited is brought at once, once.
    await ask(running, '/status', 'back', { userId: PM });
    now = new Date('2026-12-08T11:15:00Z');
    await Promise.all([runEscalationTick(deps(), now), runEscalationTick(deps(), now)]);
    expect(dmsTo(PM, 'Blocker open')).toHaveLength(1);
    now = new Date('2026-12-09T11:15:00Z');
    await runEscalationTick(deps(), now);
    expect(dmsTo(PM, 'Blocker open')).toHaveLength(1);
    // …and the next threshold brings the next.
    now = new Date('2026-12-11T15:00:00Z');
    await runEscalationTick(deps(), now);
    expect(dmsTo(PM, 'Blocker open')).toHaveLength(2);
  });

  it('reminds again once the person is back, whether early (`/status back`) or after the last day', async () => {
    now = new Date('2026-12-02T10:00:00Z');
    expect((await ask(running, '/status', 'back', { userId: DANA })).all).toContain('Welcome back');
    now = new Date('2026-12-02T12:00:30Z');
    await digestDueOn('2026-12-02');
    await runReminderTick(deps(), 'a', now);
    expect(dmsTo(DANA, 'update')).toHaveLength(1);
    // Away through Thursday: Friday's reminder reaches her.
    await ask(running, '/status', 'away until 2026-12-03', { userId: DANA });
    now = new Date('2026-12-03T12:00:30Z');
    await digestDueOn('2026-12-03');
    await runReminderTick(deps(), 'a', now);
    expect(dmsTo(DANA, 'update')).toHaveLength(1);
    now = new Date('2026-12-04T12:00:30Z');
    await digestDueOn('2026-12-04');
    await runReminderTick(deps(), 'a', now);
    expect(dmsTo(DANA, 'update')).toHaveLength(2);
  });
});
