/**
 * Issue 10 through the receiver: one team's slip (fraud rules) turns another program's work at risk
 * two hops away, and `/program risks` says so in order, with the capacity conflict the programs share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { testDatabase } from '../support/database.js';

const PM = 'U0PM';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('risks');
  running = await startCairn(db.connection, { now: () => new Date('2026-11-25T15:00:00Z') });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'UTC' });
  const as = { userId: PM };
  for (const [command, text] of [
    ['/program', 'new checkout "Checkout"'],
    ['/program', 'new payments "Payments"'],
    ['/program', 'new fraud "Fraud"'],
    ['/program', `add checkout ui "Checkout UI" team:web lead:<@${PM}> due:2026-12-20`],
    ['/program', `add payments api "Payments API" team:pay lead:<@${PM}>`],
    ['/program', `add fraud rules "Fraud rules" team:risk lead:<@${PM}>`],
    ['/program', 'depend checkout/ui on payments/api by 2026-12-10 "Card API"'],
    ['/program', 'depend payments/api on fraud/rules by 2026-12-05 "Rules engine"'],
    ['/status', 'checkout/ui green forecast:2026-12-12 on plan'],
    ['/status', 'payments/api green forecast:2026-12-07 on plan'],
    ['/status', 'fraud/rules amber forecast:2026-12-16 model retraining slipped'],
    ['/program', 'milestone checkout "Launch" 2026-12-15 needs:ui'],
    ['/program', 'resource "SRE on-call" capacity:5'],
    ['/program', 'allocate "SRE on-call" checkout/ui 4 from:2026-12-14 to:2026-12-18'],
    ['/program', 'allocate "SRE on-call" payments/api 3 from:2026-12-14 to:2026-12-18'],
  ] as const) {
    const answer = await ask(running, command, text, as);
    expect(answer.all, text).not.toContain(':warning:');
  }
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('/program risks', () => {
  it('names the chain to its root cause across programs, the late milestone, the critical path and the capacity conflict', async () => {
    const answer = await ask(running, '/program', 'risks checkout', { userId: PM });
    expect(answer.text).toBe('Checkout: 1 workstream at risk, 1 capacity conflict');
    const lines = answer.all.split('\n');
    expect(lines).toContain(
      '🟡 *Checkout UI* `checkout/ui` — at risk: waits on *Payments API* `payments/api` (forecast Fri 18 Dec, needed Thu 10 Dec) ← waits on *Fraud rules* `fraud/rules` (forecast Wed 16 Dec, needed Sat 5 Dec)',
    );
    // Checkout UI: own forecast 12 Dec, pushed 8 days by Payments API (18 Dec against 10 Dec).
    expect(lines).toContain('⚠️ *Launch* Tue 15 Dec: forecast Sun 20 Dec, 5 days late');
    expect(lines).toContain(
      'Finishes Sun 20 Dec: *Fraud rules* `fraud/rules` → *Payments API* `payments/api` → *Checkout UI* `checkout/ui`',
    );
    expect(lines).toContain(
      '📦 SRE on-call: 7/5 units in week 51 (from Mon 14 Dec) — checkout 4, payments 3',
    );
    expect(lines).toContain('*Fraud rules* `fraud/rules`: 2 at-risk workstreams wait on it');
    expect(lines).toContain('*Payments API* `payments/api`: 1 at-risk workstream waits on it');
    expect(answer.all).not.toContain('*Cycles*');
  });

  it('names a program that does not exist rather than analysing nothing', async () => {
    const answer = await ask(running, '/program', 'risks nope', { userId: PM });
    expect(answer.all).toContain('There is no program `nope` here.');
  });
});
