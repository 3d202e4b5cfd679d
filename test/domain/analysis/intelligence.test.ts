import { describe, expect, it } from 'vitest';
import { DigestFixture, inDays, otherProgram } from '../../support/digest-fixtures.js';

/** Checkout UI waits on Payments API, which waits on Fraud rules; each in its own program. */
function chain(rulesForecast: string) {
  const fx = new DigestFixture();
  const ui = fx.workstream('ui', { targetDate: inDays(30) });
  const api = fx.workstream('api', { targetDate: inDays(14) }, otherProgram('payments'));
  const rules = fx.workstream('rules', { targetDate: inDays(8) }, otherProgram('fraud'));
  fx.update(rules, { health: 'on_track', ago: 1, forecastDate: rulesForecast });
  const needsApi = fx.dependency(ui, api, inDays(15), 'Payment intents');
  const needsRules = fx.dependency(api, rules, inDays(10), 'Risk scores');
  return { fx, ui, api, rules, needsApi, needsRules };
}

describe('why a dependency is at risk (the warning both leads get)', () => {
  it('names the chain from the dependency to the root cause, two programs away', () => {
    const { fx, needsApi, needsRules, api, rules } = chain(inDays(21));
    expect(fx.riskOf(needsRules).chain).toEqual([
      expect.objectContaining({ kind: 'late', providerId: rules._id.toHexString(), days: 11 }),
    ]);
    // Payments API's own target is on time for the UI, but what it waits on pushes it 11 days late.
    expect(fx.riskOf(needsApi).chain).toEqual([
      expect.objectContaining({ kind: 'late', providerId: api._id.toHexString(), days: 10 }),
      expect.objectContaining({ kind: 'late', providerId: rules._id.toHexString(), days: 11 }),
    ]);
  });

  it('finds nothing at risk when the root is on time, and says when a provider is off track', () => {
    const { fx, needsApi, api } = chain(inDays(9));
    expect(() => fx.riskOf(needsApi)).toThrow('not at risk');
    fx.update(api, { health: 'off_track', ago: 0.5 });
    expect(fx.riskOf(needsApi)).toEqual({ chain: [], providerOffTrack: true });
  });
});
