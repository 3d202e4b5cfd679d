/** The leadership digest's outlook (SPEC §6): critical path, what at-risk work waits on, recommendations with evidence. */
import { describe, expect, it } from 'vitest';
import { buildDigest, type Recommendation } from '../../src/domain/digest.js';
import { DigestFixture, inDays, otherProgram } from '../support/digest-fixtures.js';

const outlookOf = (fx: DigestFixture) => buildDigest(fx.data({ variant: 'leadership' })).outlook!;
const kinds = (rs: Recommendation[]) => rs.map((r) => r.kind);

describe('the leadership outlook', () => {
  it('is only in the leadership digest', () => {
    const fx = new DigestFixture();
    expect(buildDigest(fx.data({ variant: 'team' })).outlook).toBeUndefined();
    expect(buildDigest(fx.data({ variant: 'client' })).outlook).toBeUndefined();
    expect(outlookOf(fx)).toEqual({ bottlenecks: [], recommendations: [] });
  });

  it('names the critical path and ranks what the at-risk work waits on', () => {
    const fx = new DigestFixture();
    const root = fx.workstream('root', { team: 'Infra', targetDate: inDays(20) });
    fx.update(root, { health: 'at_risk', ago: 1, forecastDate: inDays(25) });
    const a = fx.workstream('a', { team: 'Web', targetDate: inDays(30) });
    const b = fx.workstream('b', { team: 'Web', targetDate: inDays(30) });
    fx.dependency(a, root, inDays(21));
    fx.dependency(b, root, inDays(22));
    const outlook = outlookOf(fx);
    expect(outlook.criticalPath).toEqual({
      finish: inDays(34),
      steps: [expect.objectContaining({ key: 'root' }), expect.objectContaining({ key: 'a' })],
    });
    expect(outlook.bottlenecks[0]).toEqual({
      kind: 'workstream',
      workstream: expect.objectContaining({ key: 'root' }),
      waiting: 2,
    });
    expect(outlook.bottlenecks).toContainEqual({ kind: 'team', name: 'Infra', waiting: 2 });
    expect(outlook.recommendations).toContainEqual({
      kind: 'bottleneck',
      workstream: expect.objectContaining({ key: 'root' }),
      waiting: 2,
    });
  });

  it('recommends re-planning work whose forecast moved later every week, not work that moved once', () => {
    const fx = new DigestFixture();
    const drifting = fx.workstream('drifting', { targetDate: inDays(10) });
    const once = fx.workstream('once', { targetDate: inDays(10) });
    // Weekly updates three and more weeks back, each forecast later than the week before.
    [21, 14, 7, 1].forEach((ago, i) =>
      fx.update(drifting, { health: 'at_risk', ago, forecastDate: inDays(10 + 7 * i) }),
    );
    [21, 14, 7, 1].forEach((ago, i) =>
      fx.update(once, { health: 'at_risk', ago, forecastDate: inDays(i < 3 ? 10 : 17) }),
    );
    const moving = outlookOf(fx).recommendations.filter((r) => r.kind === 'forecast_keeps_moving');
    expect(moving).toEqual([
      {
        kind: 'forecast_keeps_moving',
        workstream: expect.objectContaining({ key: 'drifting' }),
        forecasts: [inDays(10), inDays(17), inDays(24), inDays(31)],
      },
    ]);
  });

  it('recommends an update rhythm to a team that missed most weekly updates, not to one that gave them', () => {
    const fx = new DigestFixture();
    const quiet = fx.workstream('quiet', { team: 'Quiet' });
    const steady = fx.workstream('steady', { team: 'Steady' });
    fx.update(quiet, { health: 'on_track', ago: 1 });
    for (const ago of [1, 6, 13, 20, 27]) fx.update(steady, { health: 'on_track', ago });
    const missing = outlookOf(fx).recommendations.filter((r) => r.kind === 'updates_missing');
    expect(missing).toEqual([{ kind: 'updates_missing', team: 'Quiet', missed: 4, expected: 4, weeks: 4 }]);
  });

  it('recommends looking at blockers that recur on one team', () => {
    const fx = new DigestFixture();
    const w = fx.workstream('w', { team: 'Ops' });
    fx.update(w, { health: 'at_risk', ago: 1 });
    fx.blocker(w, 'One', { ago: 30 });
    fx.blocker(w, 'Two', { ago: 10 });
    fx.blocker(w, 'Three', { ago: 3, resolvedAgo: 1 });
    fx.previous(2);
    expect(outlookOf(fx).recommendations).toContainEqual({
      kind: 'blockers_recur',
      team: 'Ops',
      blockers: 3,
      weeks: 8,
    });
  });

  it('recommends capacity for a resource over capacity in several weeks, not in one', () => {
    const fx = new DigestFixture();
    const w = fx.workstream('w');
    const v = fx.workstream('v');
    fx.resource('Lab', 2, [[w, 3, inDays(5), inDays(19)]]);
    fx.resource('Rig', 2, [[v, 3, inDays(5), inDays(5)]]);
    const overbooked = outlookOf(fx).recommendations.filter((r) => r.kind === 'resource_overbooked');
    expect(overbooked).toEqual([
      { kind: 'resource_overbooked', resource: 'Lab', weeks: 3, worstWeek: 49, worstTotal: 3, capacity: 2 },
    ]);
  });

  it('recommends asking for a committed date on a dependency re-planned more than once', () => {
    const fx = new DigestFixture();
    const web = fx.workstream('web', { targetDate: inDays(40) });
    const api = fx.workstream('api', { targetDate: inDays(5) }, otherProgram('payments'));
    const d = fx.dependency(web, api, inDays(20), 'Card API');
    d.replans = 2;
    const once = fx.dependency(web, fx.workstream('auth'), inDays(20), 'SSO');
    once.replans = 1;
    expect(kinds(outlookOf(fx).recommendations)).toEqual(['dependency_replanned']);
    expect(outlookOf(fx).recommendations[0]).toMatchObject({
      provider: { key: 'api', programKey: 'payments' },
      deliverable: 'Card API',
      replans: 2,
    });
  });
});
