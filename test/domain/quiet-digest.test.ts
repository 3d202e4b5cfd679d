/** Quiet when nothing changed (issue 15, point 2): when a quiet schedule posts one line instead. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDigest, snapshotOf } from '../../src/domain/digest.js';
import type { DigestData } from '../../src/domain/digest-data.js';
import { nothingChanged, quietDigestOf } from '../../src/domain/digest/quiet.js';
import { daysAgo, DigestFixture, inDays } from '../support/digest-fixtures.js';

/**
 * Two workstreams updated ten days ago, one with an open blocker, and a previous digest three days
 * ago that showed them as they are: nothing changed since.
 */
function world() {
  const fx = new DigestFixture();
  const pay = fx.workstream('pay', { targetDate: inDays(30) });
  const web = fx.workstream('web');
  fx.update(pay, { health: 'on_track', ago: 10, forecastDate: inDays(28) });
  fx.update(web, { health: 'at_risk', ago: 10 });
  fx.blocker(web, 'Waiting on the PCI audit', { ago: 12 });
  const previous = { ...snapshotOf(fx.data()), postedAt: daysAgo(3) };
  return { fx, pay, web, data: (o: Partial<DigestData> = {}) => fx.data({ previous, ...o }) };
}
const quiet = (data: DigestData) => nothingChanged(data, buildDigest(data).changes);

describe('nothingChanged', () => {
  it('is true when the data stands as the previous digest showed it, in every variant', () => {
    const { data } = world();
    expect(quiet(data())).toBe(true);
    expect(quiet(data({ variant: 'leadership' }))).toBe(true);
    expect(quiet(data({ variant: 'client', program: { ...data().program, audience: 'external' } }))).toBe(
      true,
    );
  });

  it("is false for a schedule's first digest", () => {
    expect(quiet(world().data({ previous: undefined }))).toBe(false);
  });

  it('takes null fields of a snapshot read back from the database as unset', () => {
    const { data } = world();
    const d = data();
    const withNulls = Object.fromEntries(
      Object.entries(d.previous!.workstreams).map(([id, s]) => [
        id,
        { health: null, targetDate: null, forecastDate: null, ...s },
      ]),
    );
    expect(quiet({ ...d, previous: { ...d.previous!, workstreams: withNulls as never } })).toBe(true);
  });

  const changes: Array<[string, (w: ReturnType<typeof world>) => void]> = [
    ['a health transition', (w) => w.fx.update(w.web, { health: 'off_track', ago: 1 })],
    ['an update keeping the same health', (w) => w.fx.update(w.web, { health: 'at_risk', ago: 1 })],
    ['a new blocker', (w) => w.fx.blocker(w.pay, 'No test cards', { ago: 1 })],
    ['a blocker resolved', (w) => w.fx.blocker(w.pay, 'Old one', { ago: 9, resolvedAgo: 1 })],
    ['a workstream added', (w) => w.fx.workstream('api', { createdAt: daysAgo(1) })],
    [
      'a workstream removed',
      (w) => {
        w.fx.workstreams.splice(w.fx.workstreams.indexOf(w.pay), 1);
        w.fx.updates.splice(
          0,
          w.fx.updates.length,
          ...w.fx.updates.filter((u) => u.workstreamId !== w.pay._id),
        );
      },
    ],
    ['work done', (w) => (w.pay.state = 'done')],
    ['work paused', (w) => (w.web.state = 'paused')],
    ['a target date slipped', (w) => (w.pay.targetDate = inDays(40))],
    ['a target date brought in', (w) => (w.pay.targetDate = inDays(20))],
  ];

  it.each(changes)('is false after %s', (_name, change) => {
    const w = world();
    const before = w.data();
    change(w);
    expect(quiet({ ...w.data(), previous: before.previous })).toBe(false);
  });

  it('is false after any combination of changes, true after none', () => {
    fc.assert(
      fc.property(fc.subarray(changes.map(([, change]) => change)), (chosen) => {
        const w = world();
        const before = w.data();
        for (const change of chosen) change(w);
        expect(quiet({ ...w.data(), previous: before.previous })).toBe(chosen.length === 0);
      }),
      { numRuns: 60 },
    );
  });
});

describe('quietDigestOf', () => {
  it("says since when, with the full digest's counts and how much work is blocked", () => {
    const data = world().data();
    const view = buildDigest(data);
    expect(quietDigestOf(data, view)).toEqual({
      programKey: 'checkout',
      programName: 'Checkout revamp',
      since: '2026-11-22',
      today: '2026-11-25',
      counts: view.counts,
      blocked: 1,
    });
    expect(view.counts).toMatchObject({ onTrack: 1, atRisk: 1, offTrack: 0 });
  });

  it('dates the previous digest in the digest’s timezone', () => {
    const { data } = world();
    // Three days before 15:00 UTC on the 25th is already the 23rd in Auckland.
    const auckland = data({ timezone: 'Pacific/Auckland' });
    expect(quietDigestOf(auckland, buildDigest(auckland))?.since).toBe('2026-11-23');
  });

  it('is undefined when something changed, or for a first digest', () => {
    const w = world();
    const before = w.data();
    w.fx.update(w.pay, { health: 'at_risk', ago: 1 });
    const changed = { ...w.data(), previous: before.previous };
    expect(quietDigestOf(changed, buildDigest(changed))).toBeUndefined();
    const first = w.data({ previous: undefined });
    expect(quietDigestOf(first, buildDigest(first))).toBeUndefined();
  });
});
