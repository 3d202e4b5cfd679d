/**
 * Issue 15: the analysis uses the date the provider committed to. The provider delivers on the later
 * of its propagated forecast and its committed date; a request not answered yet (and a dependency from
 * before requests) counts on the forecast alone; a declined one is broken.
 */
import { describe, expect, it } from 'vitest';
import { analyseProgram, type AnalysisInput } from '../../../src/domain/analysis/index.js';
import type { DependencyCommitment } from '../../../src/domain/entities.js';
import { dependency, id, update, workstream } from './support.js';

const dec = (n: number) => `2025-12-${String(n).padStart(2, '0')}`;
const ASKED = new Date('2025-11-28T10:00:00Z');

/** web (target 20 Dec) needs api's work by 10 Dec; api's own forecast is `apiForecast`. */
function analyse(commitment: DependencyCommitment | undefined, apiForecast?: string, apiState?: 'done') {
  const d = { ...dependency('web', 'api', dec(10), 'open', 'dep-1'), ...(commitment ? { commitment } : {}) };
  const input: AnalysisInput = {
    programId: id('program-checkout'),
    today: dec(1),
    workstreams: [
      workstream('web', { targetDate: dec(20) }),
      workstream('api', { ...(apiState ? { state: apiState } : {}) }),
    ],
    updates: apiForecast ? [update('api', apiForecast)] : [],
    dependencies: [d],
    milestones: [],
  };
  const result = analyseProgram(input);
  const web = result.forecasts.find((f) => f.workstreamId === 'web');
  const risk = result.atRisk.find((a) => a.workstreamId === 'web')?.chain[0];
  return { propagated: web?.propagated, risk, broken: result.broken.map((e) => e.id) };
}

const committed = (date: string, proposed = false): DependencyCommitment => ({
  state: 'committed',
  date,
  ...(proposed ? { proposed: true } : {}),
  requestedAt: ASKED,
  answeredBy: 'U0API',
  answeredAt: ASKED,
});

describe('the analysis with commitments', () => {
  it('a committed date after the date needed puts the consumer at risk, late by the difference, and pushes it', () => {
    const { propagated, risk } = analyse(committed(dec(17), true));
    expect(risk).toMatchObject({
      kind: 'late',
      days: 7,
      commitment: 'committed',
      committed: dec(17),
      proposed: true,
    });
    expect(propagated).toBe(dec(27));
  });

  it('committed on the date needed, with no forecast: nothing at risk', () => {
    const { propagated, risk } = analyse(committed(dec(10)));
    expect(risk).toBeUndefined();
    expect(propagated).toBe(dec(20));
  });

  it('a forecast later than the committed date still counts: the later of the two', () => {
    const { risk } = analyse(committed(dec(12), true), dec(15));
    expect(risk).toMatchObject({ kind: 'late', days: 5, providerForecast: dec(15), committed: dec(12) });
  });

  it('requested, not answered: the forecast alone, as before requests existed', () => {
    const requested: DependencyCommitment = { state: 'requested', requestedAt: ASKED };
    expect(analyse(requested).risk).toBeUndefined();
    expect(analyse(requested, dec(13)).risk).toMatchObject({
      kind: 'late',
      days: 3,
      commitment: 'requested',
    });
    expect(analyse(undefined, dec(13)).risk).toEqual(
      expect.not.objectContaining({ commitment: expect.anything() }),
    );
  });

  it('declined: broken, whatever the forecast', () => {
    const declined: DependencyCommitment = {
      state: 'declined',
      requestedAt: ASKED,
      answeredBy: 'U0API',
      answeredAt: ASKED,
    };
    const { risk, broken } = analyse(declined, dec(5));
    expect(risk).toMatchObject({ kind: 'broken', commitment: 'declined' });
    expect(broken).toEqual(['dep-1']);
  });

  it('a done provider has delivered, whatever it once committed to', () => {
    const { propagated, risk } = analyse(committed(dec(17), true), undefined, 'done');
    expect(risk).toBeUndefined();
    expect(propagated).toBe(dec(20));
  });
});
