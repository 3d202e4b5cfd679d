import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEscalationTick } from '../../src/use-cases/escalation.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const DANA = 'U0DANA';
const LEE = 'U0LEE';
let now = new Date('2026-11-02T10:00:00Z');
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

beforeAll(async () => {
  db = await testDatabase('escalation');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  await ask(running, '/program', 'new checkout "Checkout"', { userId: PM });
  await ask(
    running,
    '/program',
    `add checkout payments "Payments" team:core lead:<@${DANA}> due:2026-12-05`,
    { userId: PM },
  );
  await ask(running, '/program', `add checkout web "Web" team:web lead:<@${LEE}>`, { userId: PM });
  await ask(running, '/program', 'blocker payments "Waiting on PCI sign-off"', { userId: PM });
  await ask(running, '/program', 'depend web on payments by 2026-12-10 "Card API"', { userId: PM });
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('escalation', () => {
  it('brings a blocker to the program owner once per threshold crossed, from any number of replicas', async () => {
    now = new Date('2026-11-06T10:00:00Z'); // 4 days: under the default 5
    await runEscalationTick(deps(), now);
    expect(dmsTo(PM, 'Blocker open')).toHaveLength(0);
    now = new Date('2026-11-07T11:00:00Z'); // 5 days
    await Promise.all([runEscalationTick(deps(), now), runEscalationTick(deps(), now)]);
    await runEscalationTick(deps(), new Date('2026-11-08T11:00:00Z'));
    expect(dmsTo(PM, 'Blocker open')).toHaveLength(1);
    expect(JSON.stringify(dmsTo(PM, 'Blocker open')[0]!.args.blocks)).toContain('open for 5 days');
    now = new Date('2026-11-12T11:00:00Z'); // 10 days: the second threshold
    await runEscalationTick(deps(), now);
    expect(dmsTo(PM, 'Blocker open')).toHaveLength(2);
  });

  it('does not escalate a resolved blocker', async () => {
    const blockers = await tenantCollection(db.connection, 'blockers', TEAM_ID);
    await blockers.updateMany({}, { $set: { resolvedAt: now, resolvedBy: DANA } });
    await runEscalationTick(deps(), new Date('2026-11-20T11:00:00Z'));
    expect(dmsTo(PM, 'Blocker open')).toHaveLength(2);
  });

  it('brings a dependency that turns at risk to both leads once, and again only after it recovered', async () => {
    const tick = () => Promise.all([runEscalationTick(deps(), now), runEscalationTick(deps(), now)]);
    await tick();
    expect(dmsTo(LEE, 'Dependency at risk')).toHaveLength(0);
    // The provider forecasts the 15th; the consumer needs it by the 10th.
    await ask(running, '/status', 'payments amber forecast:2026-12-15 slipping', { userId: DANA });
    await tick();
    await tick();
    expect(dmsTo(LEE, 'Dependency at risk')).toHaveLength(1);
    expect(dmsTo(DANA, 'Dependency at risk')).toHaveLength(1);
    expect(JSON.stringify(dmsTo(LEE, 'Dependency at risk')[0]!.args.blocks)).toContain(
      '`checkout/web` needs *Card API* from `checkout/payments` by Thu 10 Dec, but `checkout/web` waits on *Payments* `checkout/payments` (forecast Tue 15 Dec, needed Thu 10 Dec, not committed yet).',
    );
    // Back on plan, then off track: a new warning.
    await ask(running, '/status', 'payments green recovered', { userId: DANA });
    await tick();
    await ask(running, '/status', 'payments red vendor gone', { userId: DANA });
    await tick();
    expect(dmsTo(LEE, 'Dependency at risk')).toHaveLength(2);
    expect(JSON.stringify(dmsTo(LEE, 'Dependency at risk')[1]!.args.blocks)).toContain(
      'but `checkout/payments` is off track.',
    );
  });
});
