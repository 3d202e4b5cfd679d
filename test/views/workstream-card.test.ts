import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { sameId } from '../../src/domain/entities.js';
import { workstreamCardView } from '../../src/views/workstream-card.js';
import { DigestFixture, inDays, NOW, otherProgram } from '../support/digest-fixtures.js';

const textOf = (blocks: readonly KnownBlock[]) =>
  blocks.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : '')).join('\n');

/** Fraud rules (fraud) ← Payments API (payments) ← Checkout UI (checkout), each needed before the next's forecast. */
function chain() {
  const fx = new DigestFixture();
  const payments = otherProgram('payments', 'Payments');
  const fraud = otherProgram('fraud', 'Fraud');
  const ui = fx.workstream('ui', { name: 'Checkout UI', targetDate: inDays(30) });
  fx.update(ui, { health: 'on_track', ago: 1 });
  const api = fx.workstream('api', { name: 'Payments API', targetDate: inDays(14) }, payments);
  fx.update(api, { health: 'on_track', ago: 1 });
  const rules = fx.workstream('rules', { name: 'Fraud rules', targetDate: inDays(8) }, fraud);
  fx.update(rules, { health: 'at_risk', ago: 1, forecastDate: inDays(21) });
  fx.dependency(ui, api, inDays(15), 'Payment intents');
  fx.dependency(api, rules, inDays(10), 'Risk scores');
  const card = (w: typeof ui) =>
    workstreamCardView(
      {
        workstream: w,
        program: fx.program,
        updates: fx.updates.filter((u) => sameId(u.workstreamId, w._id)),
        blockers: [],
        needs: [],
        owes: [],
        chains: fx.chainsOf(w),
      },
      NOW,
    );
  return { ui, api, rules, card };
}

describe('the workstream card', () => {
  it('shows the chain from an at-risk workstream to its root cause, and its forecast pushed later', () => {
    const { ui, card } = chain();
    const text = textOf(card(ui).blocks);
    expect(text).toContain(
      '🟡🔗 *At risk:* waits on *Payments API* `payments/api` (forecast Sun 20 Dec, needed Thu 10 Dec) ← waits on *Fraud rules* `fraud/rules` (forecast Wed 16 Dec, needed Sat 5 Dec)',
    );
    expect(text).toContain(
      '*Forecast* Mon 4 Jan 2027: its own target Fri 25 Dec, pushed 10 days by what it waits on',
    );
  });

  it('shows, on the root cause, the at-risk work its slip reaches', () => {
    const { rules, card } = chain();
    const text = textOf(card(rules).blocks);
    expect(text).toContain('*At-risk work waiting on it* (2)');
    expect(text).toContain('*Payments API* `payments/api`');
    expect(text).toContain('*Checkout UI* `checkout/ui`');
    expect(text).not.toContain('*At risk:*');
  });

  it('says nothing of chains for work outside any', () => {
    const fx = new DigestFixture();
    const alone = fx.workstream('alone', { targetDate: inDays(3) });
    const view = workstreamCardView(
      {
        workstream: alone,
        program: fx.program,
        updates: [],
        blockers: [],
        needs: [],
        owes: [],
        chains: fx.chainsOf(alone),
      },
      NOW,
    );
    expect(textOf(view.blocks)).not.toMatch(/Chains|waiting on it/);
  });

  it('says an update posted this minute was posted just now', () => {
    const fx = new DigestFixture();
    const w = fx.workstream('w');
    fx.update(w, { health: 'on_track', ago: 0 });
    const view = workstreamCardView(
      {
        workstream: w,
        program: fx.program,
        updates: fx.updates,
        blockers: [],
        needs: [],
        owes: [],
        chains: fx.chainsOf(w),
      },
      NOW,
    );
    expect(textOf(view.blocks)).toContain(`_<@${w.leadId}>, just now_`);
  });
});
