/**
 * Issue 10 through the receiver: one team's slip (fraud rules) turns two other programs' work at risk,
 * and every view says so — each program's digest (chain, knock-on, counts, capacity), the cards both
 * ways, and `/program risks` — with the capacity conflict the programs share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { testDatabase } from '../support/database.js';

const PM = 'U0PM';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
// Moved on an hour before the slip: a digest asked for again within the same second is the same run.
let clock = new Date('2026-11-25T15:00:00Z');

beforeAll(async () => {
  db = await testDatabase('risks');
  running = await startCairn(db.connection, { now: () => clock });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'UTC' });
  const as = { userId: PM };
  for (const [command, text] of [
    ['/program', 'new checkout "Checkout" channel:<#C0CHECKOUT|checkout>'],
    ['/program', 'new payments "Payments" channel:<#C0PAYMENTS|payments>'],
    ['/program', 'new fraud "Fraud" channel:<#C0FRAUD|fraud>'],
    ['/program', `add checkout ui "Checkout UI" team:web lead:<@${PM}> due:2026-12-20`],
    ['/program', `add payments api "Payments API" team:pay lead:<@${PM}>`],
    ['/program', `add fraud rules "Fraud rules" team:risk lead:<@${PM}>`],
    ['/program', 'depend checkout/ui on payments/api by 2026-12-10 "Card API"'],
    ['/program', 'depend payments/api on fraud/rules by 2026-12-05 "Rules engine"'],
    ['/status', 'checkout/ui green forecast:2026-12-12 on plan'],
    ['/status', 'payments/api green forecast:2026-12-07 on plan'],
    ['/status', 'fraud/rules green forecast:2026-12-04 on plan'],
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

/** The main message of the latest digest posted to a channel, as text. */
async function digestOf(program: string, channel: string): Promise<string> {
  const answer = await ask(running, '/program', `digest ${program}`, { userId: PM });
  expect(answer.all).toContain('Posted the digest');
  const main = running.slack
    .calls('chat.postMessage')
    .filter((c) => c.args.channel === channel && !c.args.thread_ts)
    .at(-1)!;
  const blocks = main.args.blocks as Array<{ text?: { text?: string }; elements?: Array<{ text?: string }> }>;
  return [
    main.args.text,
    ...blocks.flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text ?? '')]),
  ].join('\n');
}

describe('before the slip', () => {
  it('shows every program on track, nothing at risk through dependencies', async () => {
    const checkout = await digestOf('checkout', 'C0CHECKOUT');
    expect(checkout).toContain('🟢 *1* on track · 🟡 *0* at risk · 🔴 *0* off track');
    expect(checkout).not.toContain('🔗');
    const risks = await ask(running, '/program', 'risks checkout', { userId: PM });
    expect(risks.text).toBe('Checkout: 0 workstreams at risk, 1 capacity conflict');
  });
});

describe('after fraud rules slip', () => {
  beforeAll(async () => {
    clock = new Date('2026-11-25T16:00:00Z');
    const slip = await ask(
      running,
      '/status',
      'fraud/rules amber forecast:2026-12-16 model retraining slipped',
      {
        userId: PM,
      },
    );
    expect(slip.all).not.toContain(':warning:');
  });

  it('turns checkout at risk two hops away: its digest names the chain in order and moves the counts', async () => {
    const checkout = await digestOf('checkout', 'C0CHECKOUT');
    expect(checkout).toContain('Checkout — 0 on track, 1 at risk, 0 off track');
    expect(checkout).toContain(
      '🟢 *0* on track · 🟡 *1* at risk (1 through dependencies) · 🔴 *0* off track',
    );
    expect(checkout).toContain(
      `• 🟡🔗 *Checkout UI* \`ui\` <@${PM}> — at risk: waits on *Payments API* \`payments/api\` (forecast Fri 18 Dec, needed Thu 10 Dec, not committed yet) ← waits on *Fraud rules* \`fraud/rules\` (forecast Wed 16 Dec, needed Sat 5 Dec, not committed yet); its forecast moves to Sun 20 Dec (+8 days)`,
    );
    expect(checkout).toContain(
      '• 📦 *SRE on-call*: 7/5 units in week 51 (from Mon 14 Dec) — checkout 4, payments 3 (here: `ui` 4)',
    );
    expect(checkout).toContain(
      '• ⚠️ Tue 15 Dec *Launch* (in 20 days) — needs 🟡 `ui` — *at risk*, forecast Sun 20 Dec (5 days late)',
    );
  });

  it('turns payments at risk, and tells it that checkout waits on it', async () => {
    const payments = await digestOf('payments', 'C0PAYMENTS');
    expect(payments).toContain('🟡 *1* at risk (1 through dependencies)');
    expect(payments).toContain(
      `• 🟡🔗 *Payments API* \`api\` <@${PM}> — at risk: waits on *Fraud rules* \`fraud/rules\` (forecast Wed 16 Dec, needed Sat 5 Dec, not committed yet); its forecast moves to Fri 18 Dec (+11 days)`,
    );
    expect(payments).toContain(
      `• ⛓️ *Payments API* \`api\` <@${PM}> (forecast Fri 18 Dec) — 1 at-risk workstream in other programs waits on it: *Checkout UI* \`checkout/ui\``,
    );
  });

  it('tells fraud where its slip lands: two programs’ work waits on it', async () => {
    const fraud = await digestOf('fraud', 'C0FRAUD');
    expect(fraud).toContain('🟢 *0* on track · 🟡 *1* at risk · 🔴 *0* off track');
    expect(fraud).toContain(
      `• ⛓️ *Fraud rules* \`rules\` <@${PM}> (forecast Wed 16 Dec) — 2 at-risk workstreams in other programs wait on it: *Checkout UI* \`checkout/ui\`, *Payments API* \`payments/api\``,
    );
  });

  it('shows the chain on each card, both ways', async () => {
    const ui = await ask(running, '/status', 'checkout/ui', { userId: PM });
    expect(ui.all).toContain(
      '🟡🔗 *At risk:* waits on *Payments API* `payments/api` (forecast Fri 18 Dec, needed Thu 10 Dec, not committed yet) ← waits on *Fraud rules* `fraud/rules` (forecast Wed 16 Dec, needed Sat 5 Dec, not committed yet)',
    );
    expect(ui.all).toContain(
      '*Forecast* Sun 20 Dec: its own forecast Sat 12 Dec, pushed 8 days by what it waits on',
    );
    const rules = await ask(running, '/status', 'fraud/rules', { userId: PM });
    expect(rules.all).toContain('*At-risk work waiting on it* (2)');
    expect(rules.all).toContain('• *Checkout UI* `checkout/ui`');
    expect(rules.all).toContain('• *Payments API* `payments/api`');
  });
});

describe('/program risks', () => {
  it('names the chain to its root cause across programs, the late milestone, the critical path and the capacity conflict', async () => {
    const answer = await ask(running, '/program', 'risks checkout', { userId: PM });
    expect(answer.text).toBe('Checkout: 1 workstream at risk, 1 capacity conflict');
    const lines = answer.all.split('\n');
    expect(lines).toContain(
      '🟡 *Checkout UI* `checkout/ui` — at risk: waits on *Payments API* `payments/api` (forecast Fri 18 Dec, needed Thu 10 Dec, not committed yet) ← waits on *Fraud rules* `fraud/rules` (forecast Wed 16 Dec, needed Sat 5 Dec, not committed yet)',
    );
    // Checkout UI: own forecast 12 Dec, pushed 8 days by Payments API (18 Dec against 10 Dec).
    expect(lines).toContain('⚠️ *Launch* Tue 15 Dec: forecast Sun 20 Dec, 5 days late');
    expect(lines).toContain(
      'Finishes Sun 20 Dec: *Fraud rules* `fraud/rules` → *Payments API* `payments/api` → *Checkout UI* `checkout/ui`',
    );
    expect(lines).toContain(
      '📦 *SRE on-call*: 7/5 units in week 51 (from Mon 14 Dec) — checkout 4, payments 3',
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
