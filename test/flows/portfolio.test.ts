/**
 * Portfolios (SPEC §7) through the receiver: three programs where one team's slip lands on the other
 * two, gathered in a portfolio, previewed and posted as one leadership digest; who may change it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { testDatabase } from '../support/database.js';

const PM = 'U0PM';
const OTHER = 'U0OTHER';
const ADMIN = 'U0ADMIN';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let clock = new Date('2026-11-25T15:00:00Z');

beforeAll(async () => {
  db = await testDatabase('portfolio');
  running = await startCairn(db.connection, { now: () => clock });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'UTC' });
  running.slack.setUser({ id: OTHER, tz: 'UTC' });
  running.slack.setUser({ id: ADMIN, tz: 'UTC', is_admin: true });
  for (const [command, text] of [
    ['/program', 'new checkout "Checkout" channel:<#C0CHECKOUT|checkout>'],
    ['/program', 'new payments "Payments" channel:<#C0PAYMENTS|payments>'],
    ['/program', 'new fraud "Fraud" channel:<#C0FRAUD|fraud>'],
    ['/program', 'new other "Other program"'],
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
    const answer = await ask(running, command, text, { userId: PM });
    expect(answer.all, text).not.toContain(':warning:');
  }
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

/** The main message of the latest digest posted to a channel, as text. */
function postedTo(channel: string) {
  const posts = running.slack.calls('chat.postMessage').filter((c) => c.args.channel === channel);
  const main = posts.filter((c) => !c.args.thread_ts).at(-1)!;
  const blocks = main.args.blocks as Array<{ text?: { text?: string }; elements?: Array<{ text?: string }> }>;
  return {
    main,
    text: [
      main.args.text,
      ...blocks.flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text ?? '')]),
    ].join('\n'),
  };
}

describe('a portfolio', () => {
  it('is made, filled and shown', async () => {
    expect(
      (await ask(running, '/program', 'portfolio new emea "EMEA launches"', { userId: PM })).all,
    ).toContain('Created the portfolio *EMEA launches* `emea`.');
    expect((await ask(running, '/program', 'portfolio new emea "Again"', { userId: PM })).all).toContain(
      'A portfolio `emea` exists already.',
    );
    const added = await ask(running, '/program', 'portfolio add emea checkout payments,fraud', {
      userId: PM,
    });
    expect(added.all).toContain(
      'Added. *EMEA launches* `emea`, made by <@U0PM>, holds 3 programs: `checkout`, `fraud`, `payments`.',
    );
    expect((await ask(running, '/program', 'portfolio add emea nope', { userId: PM })).all).toContain(
      'There is no program `nope` here.',
    );
    expect((await ask(running, '/program', 'portfolio list', { userId: PM })).all).toContain(
      '• *EMEA launches* `emea` — 3 programs',
    );
  });

  it('may be changed only by whoever made it or a workspace admin, and says who may', async () => {
    const refused = await ask(running, '/program', 'portfolio add emea other', { userId: OTHER });
    expect(refused.all).toContain(
      'Only whoever made the portfolio `emea` (<@U0PM>) or a workspace admin may change it.',
    );
    const byAdmin = await ask(running, '/program', 'portfolio add emea other', { userId: ADMIN });
    expect(byAdmin.all).toContain('holds 4 programs');
    const removed = await ask(running, '/program', 'portfolio remove emea other', { userId: PM });
    expect(removed.all).toContain('Removed. *EMEA launches* `emea`, made by <@U0PM>, holds 3 programs');
    const again = await ask(running, '/program', 'portfolio remove emea other', { userId: PM });
    expect(again.all).toContain('That program was not in it; nothing changed.');
  });

  it('previews one page: every program on one line, then what spans programs', async () => {
    const preview = await ask(running, '/program', 'portfolio preview emea', { userId: OTHER });
    expect(preview.all).toContain('Portfolio: EMEA launches');
    expect(preview.all).toContain('🟢 *3* on track · 🟡 *0* at risk · 🔴 *0* off track');
    expect(preview.all).toContain('*Dependencies between programs at risk*\nNone. 🎉');
    expect(preview.all).not.toContain('continued');
    expect(preview.all).toContain(
      '📦 *SRE on-call*: 7/5 units in week 51 (from Mon 14 Dec) — checkout 4, payments 3',
    );
    expect(preview.all).toContain(
      '• 🟢 *Checkout* `checkout` · 🔴 0 🟡 0 🟢 1 · next *Launch* Tue 15 Dec, on time — 📦 *SRE on-call*',
    );
  });

  it('posts its digest to the channel it was asked in; after a slip, the lines, the trend and the cross-program risks say so', async () => {
    const first = await ask(running, '/program', 'portfolio digest emea', {
      userId: PM,
      channelId: 'C0LEADS',
    });
    expect(first.all).toContain('Posted the digest of the portfolio `emea` to <#C0LEADS>.');
    expect(postedTo('C0LEADS').text).toContain(
      'EMEA launches — 0 off track, 0 at risk, 3 on track across 3 programs',
    );

    clock = new Date('2026-11-25T16:00:00Z');
    await ask(running, '/status', 'fraud/rules amber forecast:2026-12-16 model retraining slipped', {
      userId: PM,
    });
    await ask(running, '/program', 'portfolio digest emea', { userId: PM, channelId: 'C0LEADS' });
    const { text, main } = postedTo('C0LEADS');
    expect(text).toContain('🟢 *0* on track · 🟡 *3* at risk (2 through dependencies) · 🔴 *0* off track');
    expect(text).toContain(
      '• 🟡 *Checkout* `checkout` · 🔴 0 🟡 1 🟢 0 · trouble 0 → 1 · next *Launch* Tue 15 Dec, forecast Sun 20 Dec (5 days late) — *Checkout UI* `checkout/ui` waits on *Payments API* `payments/api` (forecast Fri 18 Dec, needed Thu 10 Dec, not committed yet) ← waits on *Fraud rules* `fraud/rules` (forecast Wed 16 Dec, needed Sat 5 Dec, not committed yet)',
    );
    expect(text).toContain(
      '• 🔗 *Checkout UI* `checkout/ui` waits on *Payments API* `payments/api` (forecast Fri 18 Dec, needed Thu 10 Dec, not committed yet) — _Card API_',
    );
    expect(text).toContain(
      '• 🔗 *Payments API* `payments/api` waits on *Fraud rules* `fraud/rules` (forecast Wed 16 Dec, needed Sat 5 Dec, not committed yet) — _Rules engine_',
    );
    expect(text).toContain('• *Fraud rules* `fraud/rules`: 2 at-risk workstreams wait on it');
    expect(validateMessageBlocks(main.args.blocks as unknown[])).toEqual([]);
  });

  it("reads its risks together: every program's at-risk work with its chain, and what it waits on", async () => {
    const risks = await ask(running, '/program', 'risks portfolio:emea', { userId: OTHER });
    expect(risks.all).toContain('Risks: portfolio EMEA launches');
    expect(risks.all).toContain('`portfolio:emea`');
    // Both consumers are listed (a program's own risks list only its own), each with its program's key.
    expect(risks.all).toContain(
      '🟡 *Checkout UI* `checkout/ui` — at risk: waits on *Payments API* `payments/api` (forecast Fri 18 Dec, needed Thu 10 Dec, not committed yet) ← waits on *Fraud rules* `fraud/rules` (forecast Wed 16 Dec, needed Sat 5 Dec, not committed yet)',
    );
    expect(risks.all).toContain(
      '🟡 *Payments API* `payments/api` — at risk: waits on *Fraud rules* `fraud/rules`',
    );
    expect(risks.all).toContain('*Fraud rules* `fraud/rules`: 2 at-risk workstreams wait on it');
    const program = await ask(running, '/program', 'risks checkout', { userId: OTHER });
    expect(program.all).not.toContain('*Payments API* `payments/api` — at risk');
    expect((await ask(running, '/program', 'risks portfolio:nope', { userId: OTHER })).all).toContain(
      'There is no portfolio `nope` here.',
    );
  });

  it('posts once for a double submission', async () => {
    const before = running.slack.calls('chat.postMessage').filter((c) => c.args.channel === 'C0LEADS').length;
    await Promise.all([
      ask(running, '/program', 'portfolio digest emea', { userId: PM, channelId: 'C0LEADS' }),
      ask(running, '/program', 'portfolio digest emea', { userId: PM, channelId: 'C0LEADS' }),
    ]);
    const after = running.slack.calls('chat.postMessage').filter((c) => c.args.channel === 'C0LEADS').length;
    expect(after - before).toBe(0);
  });

  it('answers clearly for an unknown portfolio, an empty one and bad input', async () => {
    expect((await ask(running, '/program', 'portfolio preview nope', { userId: PM })).all).toContain(
      'There is no portfolio `nope` here.',
    );
    await ask(running, '/program', 'portfolio new empty "Empty"', { userId: PM });
    expect((await ask(running, '/program', 'portfolio digest empty', { userId: PM })).all).toContain(
      'The portfolio `empty` has no programs yet',
    );
    expect((await ask(running, '/program', 'portfolio frobnicate', { userId: PM })).all).toContain(
      "I don't know `frobnicate` for portfolios.",
    );
    expect((await ask(running, '/program', 'portfolio new Bad!Key "x"', { userId: PM })).all).toContain(
      "isn't a valid portfolio key",
    );
  });
});
