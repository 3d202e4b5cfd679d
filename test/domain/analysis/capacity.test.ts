import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  capacityConflicts,
  isoWeekOfDate,
  resourceBottlenecks,
  type CapacityAllocation,
  type CapacityConflict,
  type CapacityInput,
  type CapacityResource,
  type CapacityWorkstream,
} from '../../../src/domain/analysis/capacity.js';
import type { WorkstreamState } from '../../../src/domain/types.js';

/** An id as the domain sees one; instances compare equal by their hex in toEqual. */
class FakeId {
  constructor(readonly hex: string) {}
  toHexString(): string {
    return this.hex;
  }
}
const idOf = (prefix: string, n: number) => new FakeId(`${prefix}${n.toString(16)}`.padEnd(24, '0'));

const ws = (
  n: number,
  programKey: string,
  key: string,
  state: WorkstreamState = 'active',
): CapacityWorkstream => ({ _id: idOf('a', n), programKey, key, name: `${key} (${programKey})`, state });

const alloc = (w: CapacityWorkstream, units: number, from: string, to: string): CapacityAllocation => ({
  workstreamId: w._id,
  units,
  from,
  to,
});

const resource = (
  n: number,
  name: string,
  capacityPerWeek: number,
  allocations: CapacityAllocation[],
): CapacityResource => ({ _id: idOf('f', n), name, capacityPerWeek, allocations });

// Workstreams in three programs. 2026 has 53 ISO weeks (1 Jan 2026 is a Thursday).
const web = ws(1, 'checkout', 'web');
const api = ws(2, 'payments', 'api');
const fraud = ws(3, 'payments', 'fraud');
const ledger = ws(4, 'billing', 'ledger');
const shipped = ws(5, 'billing', 'shipped', 'done');
const dropped = ws(6, 'billing', 'dropped', 'cancelled');
const waiting = ws(7, 'billing', 'waiting', 'paused');
const later = ws(8, 'billing', 'later', 'not_started');
const legacy = ws(9, 'legacy', 'old');
const ALL = [web, api, fraud, ledger, shipped, dropped, waiting, later, legacy];

/** A conflict in the words of SPEC §6: `SRE on-call: 7/5 units in week 51 of 2026 — checkout 4, payments 3`. */
const line = (c: CapacityConflict) =>
  `${c.resource.name}: ${c.total}/${c.resource.capacity} units in week ${c.isoWeek.week} of ${c.isoWeek.year} ` +
  `(from ${c.isoWeek.monday}), ${c.excess} over — ` +
  c.byProgram
    .map((p) => `${p.programKey} ${p.units} [${p.workstreams.map((w) => `${w.key} ${w.units}`).join(', ')}]`)
    .join(', ');

const lines = (input: Partial<CapacityInput> & Pick<CapacityInput, 'resources'>) =>
  capacityConflicts({ workstreams: ALL, ...input }).map(line);

describe('isoWeekOfDate', () => {
  it.each([
    ['2026-12-14', 2026, 51, '2026-12-14'],
    ['2026-12-20', 2026, 51, '2026-12-14'],
    ['2026-12-28', 2026, 53, '2026-12-28'],
    ['2027-01-01', 2026, 53, '2026-12-28'],
    ['2027-01-03', 2026, 53, '2026-12-28'],
    ['2027-01-04', 2027, 1, '2027-01-04'],
    ['2024-12-30', 2025, 1, '2024-12-30'],
    ['2029-12-31', 2030, 1, '2029-12-31'],
    ['2032-12-31', 2032, 53, '2032-12-27'],
  ])('%s is in week %i of %i', (date, year, week, monday) => {
    expect(isoWeekOfDate(date)).toEqual({ year, week, monday });
  });

  it.each(['2026-02-30', 'dec 15', '', '2026-1-5'])('%j is no date', (date) => {
    expect(isoWeekOfDate(date)).toBeUndefined();
  });
});

describe('capacityConflicts: worked examples', () => {
  it.each<[string, Partial<CapacityInput> & Pick<CapacityInput, 'resources'>, string[]]>([
    [
      'two programs over-allocate one resource in week 51 and not in week 52',
      {
        resources: [
          resource(1, 'SRE on-call', 5, [
            alloc(web, 4, '2026-12-14', '2026-12-27'),
            alloc(api, 3, '2026-12-14', '2026-12-18'),
          ]),
        ],
      },
      [
        'SRE on-call: 7/5 units in week 51 of 2026 (from 2026-12-14), 2 over — checkout 4 [web 4], payments 3 [api 3]',
      ],
    ],
    [
      'exactly at capacity is no conflict',
      {
        resources: [
          resource(1, 'SRE on-call', 5, [
            alloc(web, 3, '2026-12-14', '2026-12-20'),
            alloc(api, 2, '2026-12-14', '2026-12-20'),
          ]),
        ],
      },
      [],
    ],
    [
      'half units: 5.5 of 5 is over by a half',
      {
        resources: [
          resource(1, 'Test lab', 5, [
            alloc(web, 2.5, '2026-12-14', '2026-12-14'),
            alloc(api, 3, '2026-12-20', '2026-12-20'),
          ]),
        ],
      },
      [
        'Test lab: 5.5/5 units in week 51 of 2026 (from 2026-12-14), 0.5 over — payments 3 [api 3], checkout 2.5 [web 2.5]',
      ],
    ],
    [
      'an allocation counts whole in every week it touches, even by a day (Sunday and Monday)',
      {
        resources: [
          resource(1, 'Staging', 4, [
            alloc(web, 3, '2026-12-20', '2026-12-21'),
            alloc(api, 2, '2026-12-14', '2026-12-14'),
            alloc(fraud, 2, '2026-12-27', '2026-12-27'),
          ]),
        ],
      },
      [
        'Staging: 5/4 units in week 51 of 2026 (from 2026-12-14), 1 over — checkout 3 [web 3], payments 2 [api 2]',
        'Staging: 5/4 units in week 52 of 2026 (from 2026-12-21), 1 over — checkout 3 [web 3], payments 2 [fraud 2]',
      ],
    ],
    [
      'across the year boundary: week 53 of 2026 runs Mon 28 Dec to Sun 3 Jan 2027',
      {
        resources: [
          resource(1, 'SRE on-call', 5, [
            alloc(web, 3, '2026-12-21', '2027-01-01'),
            alloc(api, 3, '2027-01-02', '2027-01-10'),
            alloc(ledger, 1, '2027-01-04', '2027-01-04'),
          ]),
        ],
      },
      [
        'SRE on-call: 6/5 units in week 53 of 2026 (from 2026-12-28), 1 over — checkout 3 [web 3], payments 3 [api 3]',
      ],
    ],
    [
      'week 1 of 2030 starts on Mon 31 Dec 2029 and is reported as 2030',
      {
        resources: [
          resource(1, 'SRE on-call', 2, [
            alloc(web, 2, '2029-12-31', '2029-12-31'),
            alloc(api, 1, '2030-01-06', '2030-01-06'),
          ]),
        ],
      },
      [
        'SRE on-call: 3/2 units in week 1 of 2030 (from 2029-12-31), 1 over — checkout 2 [web 2], payments 1 [api 1]',
      ],
    ],
    [
      'archived programs are not counted, and work the resource names but no one has is not either',
      {
        resources: [
          resource(1, 'SRE on-call', 4, [
            alloc(legacy, 10, '2026-12-14', '2026-12-20'),
            alloc(ws(99, 'gone', 'gone'), 10, '2026-12-14', '2026-12-20'),
            alloc(web, 4, '2026-12-14', '2026-12-20'),
          ]),
        ],
        programs: [
          { key: 'legacy', state: 'archived' },
          { key: 'checkout', state: 'active' },
        ],
      },
      [],
    ],
    [
      'two allocations of one workstream in a week add up under it',
      {
        resources: [
          resource(1, 'Test lab', 3, [
            alloc(web, 2, '2026-12-14', '2026-12-15'),
            alloc(web, 2, '2026-12-17', '2026-12-18'),
          ]),
        ],
      },
      ['Test lab: 4/3 units in week 51 of 2026 (from 2026-12-14), 1 over — checkout 4 [web 4]'],
    ],
    [
      'malformed allocations cover nothing',
      {
        resources: [
          resource(1, 'Test lab', 1, [
            alloc(web, 2, '2026-12-18', '2026-12-14'),
            alloc(web, 2, 'dec 14', '2026-12-18'),
            alloc(web, 2, '2026-02-30', '2026-03-02'),
            alloc(web, 0, '2026-12-14', '2026-12-18'),
            alloc(web, -3, '2026-12-14', '2026-12-18'),
            alloc(web, Number.NaN, '2026-12-14', '2026-12-18'),
          ]),
        ],
      },
      [],
    ],
    [
      'by week, then by resource name whatever its case',
      {
        resources: [
          resource(1, 'staging', 1, [alloc(web, 2, '2026-12-14', '2026-12-27')]),
          resource(2, 'Test lab', 1, [alloc(api, 2, '2026-12-14', '2026-12-20')]),
          resource(3, 'SRE on-call', 1, [alloc(fraud, 2, '2026-12-21', '2026-12-21')]),
        ],
      },
      [
        'staging: 2/1 units in week 51 of 2026 (from 2026-12-14), 1 over — checkout 2 [web 2]',
        'Test lab: 2/1 units in week 51 of 2026 (from 2026-12-14), 1 over — payments 2 [api 2]',
        'SRE on-call: 2/1 units in week 52 of 2026 (from 2026-12-21), 1 over — payments 2 [fraud 2]',
        'staging: 2/1 units in week 52 of 2026 (from 2026-12-21), 1 over — checkout 2 [web 2]',
      ],
    ],
    [
      '`from` keeps the week it falls in (Wednesday of week 52) and drops earlier ones; `to` drops later ones',
      {
        resources: [resource(1, 'SRE on-call', 1, [alloc(web, 2, '2026-12-07', '2027-01-10')])],
        from: '2026-12-23',
        to: '2027-01-02',
      },
      [
        'SRE on-call: 2/1 units in week 52 of 2026 (from 2026-12-21), 1 over — checkout 2 [web 2]',
        'SRE on-call: 2/1 units in week 53 of 2026 (from 2026-12-28), 1 over — checkout 2 [web 2]',
      ],
    ],
  ])('%s', (_, input, expected) => {
    expect(lines(input)).toEqual(expected);
  });

  it('paused and not-started work counts, done and cancelled does not', () => {
    const resources = [
      resource(1, 'SRE on-call', 4, [
        alloc(shipped, 10, '2026-12-14', '2026-12-20'),
        alloc(dropped, 10, '2026-12-14', '2026-12-20'),
        alloc(ledger, 2, '2026-12-14', '2027-01-10'),
        alloc(waiting, 2, '2026-12-21', '2026-12-27'),
        alloc(later, 1, '2026-12-27', '2026-12-27'),
      ]),
    ];
    expect(lines({ resources })).toEqual([
      'SRE on-call: 5/4 units in week 52 of 2026 (from 2026-12-21), 1 over — billing 5 [ledger 2, waiting 2, later 1]',
    ]);
  });

  it('reports the resource, the claim key and the workstreams by id', () => {
    const [conflict] = capacityConflicts({
      workstreams: ALL,
      resources: [
        resource(7, 'SRE on-call', 5, [
          alloc(api, 3, '2026-12-28', '2026-12-28'),
          alloc(web, 4, '2027-01-03', '2027-01-03'),
        ]),
      ],
    });
    expect(conflict).toEqual({
      key: `${idOf('f', 7).hex}/2026-W53`,
      resource: { id: idOf('f', 7), name: 'SRE on-call', capacity: 5 },
      isoWeek: { year: 2026, week: 53, monday: '2026-12-28' },
      total: 7,
      excess: 2,
      byProgram: [
        {
          programKey: 'checkout',
          units: 4,
          workstreams: [{ id: web._id, key: 'web', name: web.name, units: 4 }],
        },
        {
          programKey: 'payments',
          units: 3,
          workstreams: [{ id: api._id, key: 'api', name: api.name, units: 3 }],
        },
      ],
    });
  });

  it('a conflict lasting years costs no more than its output', () => {
    const conflicts = capacityConflicts({
      workstreams: ALL,
      resources: [resource(1, 'SRE on-call', 1, [alloc(web, 2, '2000-01-03', '2100-12-31')])],
      from: '2026-12-14',
      to: '2026-12-31',
    });
    expect(conflicts.map((c) => c.isoWeek.week)).toEqual([51, 52, 53]);
  });
});

describe('resourceBottlenecks', () => {
  it('ranks resources by conflicting weeks, then total excess, then name', () => {
    const conflicts = capacityConflicts({
      workstreams: ALL,
      resources: [
        // Two weeks over, 1 each.
        resource(1, 'Staging', 1, [alloc(web, 2, '2026-12-14', '2026-12-27')]),
        // Two weeks over, 3 then 5: more excess than Staging.
        resource(2, 'Test lab', 1, [
          alloc(api, 4, '2026-12-14', '2026-12-27'),
          alloc(ledger, 2, '2026-12-21', '2026-12-21'),
        ]),
        // One week over by 9.
        resource(3, 'SRE on-call', 1, [alloc(fraud, 10, '2026-12-21', '2026-12-21')]),
        resource(4, 'Quiet', 10, [alloc(fraud, 1, '2026-12-21', '2026-12-21')]),
      ],
    });
    expect(
      resourceBottlenecks(conflicts).map((b) => [
        b.resource.name,
        b.weeks,
        b.totalExcess,
        `${b.worst.isoWeek.year}-W${b.worst.isoWeek.week}`,
        b.worst.excess,
        b.programKeys.join(','),
      ]),
    ).toEqual([
      ['Test lab', 2, 8, '2026-W52', 5, 'billing,payments'],
      ['Staging', 2, 2, '2026-W51', 1, 'checkout'],
      ['SRE on-call', 1, 9, '2026-W52', 9, 'payments'],
    ]);
    expect(resourceBottlenecks([])).toEqual([]);
  });
});

// --- Properties -------------------------------------------------------------------------------------

const STATES: WorkstreamState[] = ['not_started', 'active', 'paused', 'done', 'cancelled'];
const COUNTED = new Set<WorkstreamState>(['not_started', 'active', 'paused']);
/** Days are drawn around the 2026/2027 boundary, so week 53 and week-year changes come up often. */
const BASE = DateTime.utc(2026, 11, 1);
const dayString = (offset: number) => BASE.plus({ days: offset }).toFormat('yyyy-MM-dd');
const halves = (min: number, max: number) => fc.integer({ min: min * 2, max: max * 2 }).map((n) => n / 2);

const worlds = fc
  .record({
    states: fc.array(fc.constantFrom(...STATES), { minLength: 1, maxLength: 8 }),
    programsOf: fc.array(fc.constantFrom('alpha', 'beta', 'gamma'), { minLength: 8, maxLength: 8 }),
    archiveGamma: fc.boolean(),
    resources: fc.array(
      fc.record({
        name: fc.constantFrom('SRE', 'sre team', 'Lab', 'lab', 'Staging', 'Zeta'),
        capacity: halves(0, 12),
        allocations: fc.array(
          fc.record({
            ws: fc.nat(),
            units: halves(0.5, 8),
            start: fc.integer({ min: 0, max: 110 }),
            length: fc.integer({ min: 0, max: 30 }),
          }),
          { maxLength: 10 },
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    from: fc.option(fc.integer({ min: -5, max: 120 }), { nil: undefined }),
    seed: fc.integer(),
  })
  .map((w): CapacityInput => {
    const workstreams = w.states.map((state, i) => ws(i + 1, w.programsOf[i] ?? 'alpha', `w${i}`, state));
    return {
      workstreams,
      programs: w.archiveGamma ? [{ key: 'gamma', state: 'archived' }] : [],
      resources: w.resources.map((r, i) =>
        resource(
          i + 1,
          r.name,
          r.capacity,
          r.allocations.map((a) => ({
            // Now and then, a workstream that is not given.
            workstreamId:
              a.ws % 10 === 9
                ? idOf('b', 1)
                : (workstreams[a.ws % workstreams.length] as CapacityWorkstream)._id,
            units: a.units,
            from: dayString(a.start),
            to: dayString(a.start + a.length),
          })),
        ),
      ),
      ...(w.from === undefined ? {} : { from: dayString(w.from) }),
    };
  });

/** A deterministic shuffle (Fisher–Yates on a small LCG), so a failure replays. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The (resource, week) pairs over capacity and their totals, walking every day of every allocation. */
function oracle(input: CapacityInput): Map<string, number> {
  const byId = new Map(input.workstreams.map((w) => [w._id.toHexString(), w]));
  const archived = new Set((input.programs ?? []).filter((p) => p.state === 'archived').map((p) => p.key));
  const weekKey = (d: DateTime) => `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
  const fromKey = input.from === undefined ? '' : weekKey(DateTime.fromISO(input.from, { zone: 'utc' }));
  const result = new Map<string, number>();
  for (const r of input.resources) {
    // week → the allocations (by position) that touch it on some day
    const touching = new Map<string, Set<number>>();
    r.allocations.forEach((a, i) => {
      const w = byId.get(a.workstreamId.toHexString());
      if (!w || !COUNTED.has(w.state) || archived.has(w.programKey)) return;
      const last = DateTime.fromISO(a.to, { zone: 'utc' });
      for (let d = DateTime.fromISO(a.from, { zone: 'utc' }); d <= last; d = d.plus({ days: 1 })) {
        const key = weekKey(d);
        if (key < fromKey) continue;
        const set = touching.get(key) ?? new Set<number>();
        set.add(i);
        touching.set(key, set);
      }
    });
    for (const [week, set] of touching) {
      const total = [...set].reduce((sum, i) => sum + (r.allocations[i] as CapacityAllocation).units, 0);
      if (total > r.capacityPerWeek) result.set(`${r._id.toHexString()}/${week}`, total);
    }
  }
  return result;
}

describe('capacityConflicts: properties', () => {
  it('every conflict adds up: programs sum to the total, workstreams to their program, excess = total − capacity > 0', () => {
    fc.assert(
      fc.property(worlds, (input) => {
        for (const c of capacityConflicts(input)) {
          expect(c.byProgram.reduce((sum, p) => sum + p.units, 0)).toBe(c.total);
          for (const p of c.byProgram) {
            expect(p.workstreams.reduce((sum, w) => sum + w.units, 0)).toBe(p.units);
            expect(p.workstreams.length).toBeGreaterThan(0);
          }
          expect(c.excess).toBe(c.total - c.resource.capacity);
          expect(c.excess).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports no week that no counted allocation of that resource touches', () => {
    fc.assert(
      fc.property(worlds, (input) => {
        const states = new Map(input.workstreams.map((w) => [w._id.toHexString(), w]));
        for (const c of capacityConflicts(input)) {
          const r = input.resources.find((x) => x._id.toHexString() === c.resource.id.toHexString());
          const sunday = DateTime.fromISO(c.isoWeek.monday, { zone: 'utc' })
            .plus({ days: 6 })
            .toFormat('yyyy-MM-dd');
          const touching = (r?.allocations ?? []).filter((a) => {
            const w = states.get(a.workstreamId.toHexString());
            return w && COUNTED.has(w.state) && a.from <= sunday && a.to >= c.isoWeek.monday;
          });
          expect(touching.length).toBeGreaterThan(0);
          for (const p of c.byProgram) {
            for (const w of p.workstreams) {
              expect(touching.some((a) => a.workstreamId.toHexString() === w.id.toHexString())).toBe(true);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: shuffled resources, allocations and workstreams give the same output, in week then name order', () => {
    fc.assert(
      fc.property(worlds, fc.integer(), (input, seed) => {
        const expected = capacityConflicts(input);
        const shuffledInput: CapacityInput = {
          ...input,
          workstreams: shuffled(input.workstreams, seed),
          resources: shuffled(input.resources, seed + 1).map((r, i) => ({
            ...r,
            allocations: shuffled(r.allocations, seed + i + 2),
          })),
        };
        expect(capacityConflicts(shuffledInput)).toEqual(expected);
        for (let i = 1; i < expected.length; i++) {
          const [a, b] = [expected[i - 1] as CapacityConflict, expected[i] as CapacityConflict];
          expect(a.isoWeek.monday <= b.isoWeek.monday).toBe(true);
          if (a.isoWeek.monday === b.isoWeek.monday) {
            expect(a.resource.name.toLowerCase() <= b.resource.name.toLowerCase()).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with a per-day brute force on which (resource, week) pairs conflict, and by how much', () => {
    fc.assert(
      fc.property(worlds, (input) => {
        const found = new Map(capacityConflicts(input).map((c) => [c.key, c.total]));
        expect(found).toEqual(oracle(input));
      }),
      { numRuns: 300 },
    );
  });
});
