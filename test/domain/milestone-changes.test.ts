/**
 * What changed tells milestone moves: a milestone's date moved (later or earlier) and its forecast
 * slipped since the previous digest, from the milestones its snapshot kept. A snapshot from before
 * milestones were kept tells none; a client never hears of an internal milestone.
 */
import { describe, expect, it } from 'vitest';
import { buildDigest, snapshotOf } from '../../src/domain/digest.js';
import type { DigestData } from '../../src/domain/digest-data.js';
import { nothingChanged } from '../../src/domain/digest/quiet.js';
import { daysAgo, DigestFixture, inDays } from '../support/digest-fixtures.js';

/** Fri 11 Dec, Fri 18 Dec, Wed 16 Dec and Mon 21 Dec 2026 (TODAY is Wed 25 Nov). */
const FRI_11_DEC = inDays(16);
const FRI_18_DEC = inDays(23);
const WED_16_DEC = inDays(21);
const MON_21_DEC = inDays(26);

/** A workstream forecast for `forecast`, and the Launch milestone on `date` needing it; a previous digest 7 days ago. */
function world(date: string, forecast = MON_21_DEC) {
  const fx = new DigestFixture({ audience: 'external' });
  const web = fx.workstream('web', { targetDate: inDays(40) });
  fx.update(web, { health: 'on_track', ago: 10, forecastDate: forecast });
  const launch = fx.milestone('Launch', date, [web]);
  fx.previous(7, [[web, { health: 'on_track', targetDate: inDays(40), forecastDate: forecast }]]);
  return { fx, web, launch };
}
const changesOf = (data: DigestData) => buildDigest(data).changes;

describe('milestone moves in what changed', () => {
  it('tells a milestone moved later, with the days', () => {
    const { fx, launch } = world(FRI_18_DEC);
    fx.milestoneWas(launch, FRI_11_DEC, MON_21_DEC);
    const changes = changesOf(fx.data());
    expect(changes.milestoneMoves).toEqual([
      { milestone: 'Launch', from: FRI_11_DEC, to: FRI_18_DEC, days: 7 },
    ]);
    expect(changes.milestoneSlips).toEqual([]);
  });

  it('tells a milestone moved earlier, with negative days', () => {
    const { fx, launch } = world(FRI_11_DEC);
    fx.milestoneWas(launch, FRI_18_DEC, MON_21_DEC);
    expect(changesOf(fx.data()).milestoneMoves).toEqual([
      { milestone: 'Launch', from: FRI_18_DEC, to: FRI_11_DEC, days: -7 },
    ]);
  });

  it('tells a milestone forecast that slipped later, and not one that moved earlier', () => {
    const { fx, launch } = world(FRI_18_DEC, MON_21_DEC);
    fx.milestoneWas(launch, FRI_18_DEC, WED_16_DEC);
    const changes = changesOf(fx.data());
    expect(changes.milestoneSlips).toEqual([
      { milestone: 'Launch', from: WED_16_DEC, to: MON_21_DEC, days: 5 },
    ]);
    expect(changes.milestoneMoves).toEqual([]);

    const earlier = world(FRI_18_DEC, WED_16_DEC);
    earlier.fx.milestoneWas(earlier.launch, FRI_18_DEC, MON_21_DEC);
    expect(changesOf(earlier.fx.data()).milestoneSlips).toEqual([]);
  });

  it('orders moves later first (most days first), then earlier ones, and slips by most days', () => {
    const { fx, launch, web } = world(FRI_18_DEC);
    fx.milestoneWas(launch, FRI_11_DEC, inDays(1));
    const beta = fx.milestone('Beta', inDays(10), [web]);
    fx.milestoneWas(beta, inDays(20), inDays(6));
    const ga = fx.milestone('GA', inDays(50), [web]);
    fx.milestoneWas(ga, inDays(48), inDays(16));
    const pilot = fx.milestone('Pilot', inDays(5));
    fx.milestoneWas(pilot, inDays(7));
    const changes = changesOf(fx.data());
    expect(changes.milestoneMoves.map((m) => [m.milestone, m.days])).toEqual([
      ['Launch', 7],
      ['GA', 2],
      ['Beta', -10],
      ['Pilot', -2],
    ]);
    expect(changes.milestoneSlips.map((m) => [m.milestone, m.days])).toEqual([
      ['Launch', 25],
      ['Beta', 20],
      ['GA', 10],
    ]);
  });

  it('tells nothing of milestones against a snapshot from before milestones were kept', () => {
    const { fx } = world(FRI_18_DEC);
    const data = fx.data();
    expect(data.previous).toBeDefined();
    expect(data.previous).not.toHaveProperty('milestones');
    const changes = changesOf(data);
    expect(changes.hasPrevious).toBe(true);
    expect(changes.milestoneMoves).toEqual([]);
    expect(changes.milestoneSlips).toEqual([]);
  });

  it('leaves out milestones added since, and takes a null forecast read back from the database as none', () => {
    const { fx, launch, web } = world(FRI_18_DEC);
    fx.milestoneWas(launch, FRI_18_DEC);
    fx.milestoneSnapshot![launch._id.toHexString()] = { date: FRI_18_DEC, forecast: null } as never;
    fx.milestone('Added since', inDays(3), [web]);
    const changes = changesOf(fx.data());
    expect(changes.milestoneMoves).toEqual([]);
    expect(changes.milestoneSlips).toEqual([]);
  });

  it('never tells a client of an internal milestone; the team and leadership hear of it', () => {
    const { fx, launch } = world(FRI_18_DEC);
    launch.internal = true;
    launch.name = 'Internal <@U0BOSS|boss> cut-over';
    fx.milestoneWas(launch, FRI_11_DEC, WED_16_DEC);
    const client = changesOf(fx.data({ variant: 'client' }));
    expect(client.milestoneMoves).toEqual([]);
    expect(client.milestoneSlips).toEqual([]);
    for (const variant of ['team', 'leadership'] as const) {
      const changes = changesOf(fx.data({ variant }));
      expect(
        changes.milestoneMoves.map((m) => m.milestone),
        variant,
      ).toEqual([launch.name]);
      expect(
        changes.milestoneSlips.map((m) => m.days),
        variant,
      ).toEqual([5]);
    }
  });

  it('names a client-visible milestone without Slack user ids in the client variant', () => {
    const { fx, launch } = world(FRI_18_DEC);
    launch.name = 'Launch with <@U0ANA|ana>';
    fx.milestoneWas(launch, FRI_11_DEC);
    expect(changesOf(fx.data({ variant: 'client' })).milestoneMoves.map((m) => m.milestone)).toEqual([
      'Launch with @ana',
    ]);
  });
});

describe('the snapshot keeps milestones', () => {
  it('by id: their date and forecast; a client digest’s leave internal ones out', () => {
    const { fx, launch } = world(FRI_18_DEC);
    const secret = fx.milestone('Secret', inDays(30));
    secret.internal = true;
    expect(snapshotOf(fx.data()).milestones).toEqual({
      [launch._id.toHexString()]: { date: FRI_18_DEC, forecast: MON_21_DEC },
      [secret._id.toHexString()]: { date: inDays(30) },
    });
    expect(snapshotOf(fx.data({ variant: 'client' })).milestones).toEqual({
      [launch._id.toHexString()]: { date: FRI_18_DEC, forecast: MON_21_DEC },
    });
  });

  it('tells nothing when compared with its own snapshot, and a move after it', () => {
    const { fx, launch } = world(FRI_11_DEC);
    const previous = { ...snapshotOf(fx.data()), postedAt: daysAgo(3) };
    expect(changesOf(fx.data({ previous })).milestoneMoves).toEqual([]);
    launch.date = FRI_18_DEC;
    expect(changesOf(fx.data({ previous })).milestoneMoves).toEqual([
      { milestone: 'Launch', from: FRI_11_DEC, to: FRI_18_DEC, days: 7 },
    ]);
  });
});

describe('a quiet schedule', () => {
  it('takes a milestone moved, or its forecast slipped, as a change; a client not for an internal one', () => {
    const { fx, launch } = world(FRI_11_DEC);
    const previous = { ...snapshotOf(fx.data()), postedAt: daysAgo(3) };
    const quiet = (data: DigestData) => nothingChanged(data, buildDigest(data).changes);
    expect(quiet(fx.data({ previous }))).toBe(true);

    launch.date = FRI_18_DEC;
    expect(quiet(fx.data({ previous }))).toBe(false);
    // A client digest measured from a snapshot that had it: an internal milestone's move is no change.
    launch.internal = true;
    expect(quiet(fx.data({ previous, variant: 'client' }))).toBe(true);
    expect(quiet(fx.data({ previous, variant: 'leadership' }))).toBe(false);
    launch.internal = false;
    launch.date = FRI_11_DEC;

    // The workstreams as they were, and the milestone's forecast earlier then (a need added since, say).
    const id = launch._id.toHexString();
    const slipped = {
      ...previous,
      milestones: { [id]: { date: FRI_11_DEC, forecast: WED_16_DEC } },
    };
    expect(changesOf(fx.data({ previous: slipped })).milestoneSlips.map((m) => m.days)).toEqual([5]);
    expect(quiet(fx.data({ previous: slipped }))).toBe(false);
  });
});
