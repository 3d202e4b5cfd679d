/**
 * Issue 15, item 1: needs attention ranked by severity (src/domain/digest/attention-rank.ts): a
 * table of which class each kind of item falls in, a table of every pair of classes in order, and
 * properties (the result is a permutation of the input, classes never out of order, the order given
 * kept within a class).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RiskKind } from '../../src/domain/analysis/index.js';
import {
  ATTENTION_CLASSES,
  attentionClass,
  rankAttention,
  type AttentionClass,
} from '../../src/domain/digest/attention-rank.js';
import type {
  AttentionItem,
  ChainAttention,
  MilestoneItem,
  WorkstreamLabel,
} from '../../src/domain/digest/model.js';

const label = (key: string, programKey = 'checkout'): WorkstreamLabel => ({
  id: `id-${programKey}-${key}`,
  key,
  programKey,
  name: `Workstream ${key}`,
  external: programKey !== 'checkout',
});

const chain = (key: string, kinds: RiskKind[], extra: Partial<ChainAttention> = {}): ChainAttention => ({
  kind: 'chain',
  workstream: label(key),
  slipDays: 3,
  chain: kinds.map((kind, i) => ({
    kind,
    provider: label(`p${i}`, 'platform'),
    deliverable: 'the API',
    neededBy: '2026-12-10',
  })),
  otherReasons: 0,
  blockers: [],
  ...extra,
});
const health = (kind: 'off_track' | 'at_risk', key: string): AttentionItem => ({
  kind,
  workstream: label(key),
  blockers: [],
});
const knockOn = (key: string): AttentionItem => ({
  kind: 'knock_on',
  workstream: label(key),
  waiting: [label('web', 'platform')],
});
const capacity = (resource: string): AttentionItem => ({
  kind: 'capacity',
  resource,
  capacity: 5,
  total: 7,
  excess: 2,
  week: 51,
  monday: '2026-12-14',
  byProgram: [{ programKey: 'checkout', units: 4 }],
  ours: [],
});
const signals = (key: string): AttentionItem => ({
  kind: 'signals',
  workstream: label(key),
  health: 'on_track',
  signals: [{ kind: 'stale', daysSinceUpdate: 9 }],
});
const missing = (key: string): AttentionItem => ({ kind: 'missing_update', workstream: label(key) });
const unanswered = (key: string): AttentionItem => ({
  kind: 'unanswered_request',
  workstream: label(key),
  consumer: label(key),
  provider: label('api', 'platform'),
  deliverable: 'the API',
  neededBy: '2026-12-10',
  requestedOn: '2026-12-03',
  workingDays: 3,
});

/** A milestone needing these workstreams (of this program unless `program/key`). */
const milestone = (...keys: string[]): Pick<MilestoneItem, 'needs'> => ({
  needs: keys.map((k) => {
    const [programKey, key] = k.includes('/') ? k.split('/') : ['checkout', k];
    return { workstream: label(key!, programKey), state: 'active' as const };
  }),
});

/** What the tables name an item by. */
const nameOf = (item: AttentionItem) =>
  item.kind === 'capacity' ? `capacity:${item.resource}` : `${item.kind}:${item.workstream.key}`;

describe('attentionClass', () => {
  const needed = new Set(['checkout/beta']);
  it.each<[string, AttentionItem, AttentionClass]>([
    ['a late chain into a milestone', chain('beta', ['late']), 'milestone_chain'],
    [
      'a broken chain into a milestone (the first class that applies)',
      chain('beta', ['broken']),
      'milestone_chain',
    ],
    ['a broken dependency', chain('a', ['broken']), 'broken_dependency'],
    ['a cancelled provider', chain('a', ['provider_cancelled']), 'broken_dependency'],
    ['a cycle', chain('a', ['cycle']), 'broken_dependency'],
    [
      'a late chain ending on a broken dependency',
      chain('a', ['upstream', 'late', 'broken']),
      'broken_dependency',
    ],
    ['a chain naming a cycle', chain('a', ['upstream'], { cycle: [label('x')] }), 'broken_dependency'],
    ['a late chain', chain('a', ['late']), 'at_risk'],
    ['an overdue chain', chain('a', ['overdue']), 'at_risk'],
    ['an upstream chain', chain('a', ['upstream', 'late']), 'at_risk'],
    ['off-track work', health('off_track', 'beta'), 'off_track'],
    ['a capacity conflict', capacity('SRE'), 'capacity'],
    ['at-risk work', health('at_risk', 'beta'), 'at_risk'],
    ['a knock-on item', knockOn('beta'), 'at_risk'],
    ['signals that disagree', signals('beta'), 'signals'],
    ['a missing update', missing('beta'), 'missing_update'],
    // Issue 15: a request the provider has not answered in 3 working days is a signal, not yet a slip.
    ['an unanswered dependency request', unanswered('beta'), 'signals'],
    ['an unanswered request from work a milestone needs', unanswered('beta'), 'signals'],
  ])('%s', (_, item, expected) => {
    expect(attentionClass(item, needed)).toBe(expected);
  });

  it('takes a milestone’s work by program and key: the same key in another program is not it', () => {
    const ranked = rankAttention(
      [chain('a', ['late']), chain('beta', ['late'])],
      [milestone('platform/beta')],
    );
    expect(ranked.map(nameOf)).toEqual(['chain:a', 'chain:beta']);
    expect(
      rankAttention([chain('a', ['late']), chain('beta', ['late'])], [milestone('beta')]).map(nameOf),
    ).toEqual(['chain:beta', 'chain:a']);
  });

  it('never takes work the client variant leaves unnamed for a milestone’s', () => {
    const unnamed: WorkstreamLabel = { key: '', programKey: '', name: '', external: true, anonymous: true };
    const item: ChainAttention = { ...chain('a', ['late']), workstream: { ...unnamed } };
    expect(rankAttention([item], [{ needs: [{ workstream: unnamed, state: 'active' }] }])).toEqual([item]);
    expect(attentionClass(item, new Set(['/']))).toBe('at_risk');
  });
});

/** One item of each class, in the ATTENTION_CLASSES order. */
const OF_CLASS: Record<AttentionClass, AttentionItem> = {
  milestone_chain: chain('beta', ['late']),
  broken_dependency: chain('broken', ['broken']),
  off_track: health('off_track', 'red'),
  capacity: capacity('SRE'),
  at_risk: health('at_risk', 'amber'),
  signals: signals('odd'),
  missing_update: missing('quiet'),
};
const PAIRS = ATTENTION_CLASSES.flatMap((first, i) =>
  ATTENTION_CLASSES.slice(i + 1).map((then) => [first, then] as [AttentionClass, AttentionClass]),
);

describe('rankAttention', () => {
  it('has a row for every pair of classes', () => expect(PAIRS).toHaveLength(21));

  it.each(PAIRS)('%s before %s, whatever the order given', (first, then) => {
    const expected = [OF_CLASS[first], OF_CLASS[then]].map(nameOf);
    expect(rankAttention([OF_CLASS[then], OF_CLASS[first]], [milestone('beta')]).map(nameOf)).toEqual(
      expected,
    );
    expect(rankAttention([OF_CLASS[first], OF_CLASS[then]], [milestone('beta')]).map(nameOf)).toEqual(
      expected,
    );
  });

  it('keeps the order given within a class: late chains, knock-on items and at-risk work as they came', () => {
    const items = [
      health('at_risk', 'amber'),
      missing('quiet'),
      knockOn('shared'),
      chain('late', ['late']),
      chain('into-beta', ['overdue']),
      health('off_track', 'red'),
      chain('broken', ['provider_cancelled']),
    ];
    expect(rankAttention(items, [milestone('into-beta')]).map(nameOf)).toEqual([
      'chain:into-beta',
      'chain:broken',
      'off_track:red',
      'at_risk:amber',
      'knock_on:shared',
      'chain:late',
      'missing_update:quiet',
    ]);
  });

  it('ranks an unanswered request with signals: after at-risk work, before missing updates, in the order given', () => {
    const items = [missing('quiet'), unanswered('web'), signals('odd'), health('at_risk', 'amber')];
    expect(rankAttention(items, []).map(nameOf)).toEqual([
      'at_risk:amber',
      'unanswered_request:web',
      'signals:odd',
      'missing_update:quiet',
    ]);
  });

  it('with no milestones, ranks no chain as one into a milestone', () => {
    expect(rankAttention([health('off_track', 'red'), chain('beta', ['late'])], []).map(nameOf)).toEqual([
      'off_track:red',
      'chain:beta',
    ]);
  });

  it('leaves its input as it was', () => {
    const items = [missing('quiet'), health('off_track', 'red')];
    const copy = [...items];
    rankAttention(items, []);
    expect(items).toEqual(copy);
  });
});

describe('rankAttention, for any items', () => {
  const keys = fc.constantFrom('a', 'b', 'c', 'beta', 'gamma');
  const kinds = fc.constantFrom<RiskKind>(
    'late',
    'overdue',
    'upstream',
    'broken',
    'provider_cancelled',
    'cycle',
  );
  const item: fc.Arbitrary<AttentionItem> = fc.oneof(
    fc
      .tuple(keys, fc.array(kinds, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([k, ks, cycle]) => chain(k, ks, cycle ? { cycle: [label(k)] } : {})),
    keys.map(knockOn),
    keys.map((k) => health('off_track', k)),
    keys.map((k) => health('at_risk', k)),
    fc.constantFrom('SRE', 'QA').map(capacity),
    keys.map(signals),
    keys.map(missing),
  );
  const milestones = fc.array(
    fc
      .array(
        fc.oneof(
          keys,
          keys.map((k) => `platform/${k}`),
        ),
      )
      .map((ks) => milestone(...ks)),
    {
      maxLength: 3,
    },
  );

  it('is a permutation of its input, classes in order, the order given kept within a class', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), milestones, (items, ms) => {
        const ranked = rankAttention(items, ms);
        // A permutation: each item of the input once (the items are distinct objects).
        const at = ranked.map((r) => items.indexOf(r));
        expect([...at].sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
        const needed = new Set(
          ms.flatMap((m) => m.needs.map((n) => `${n.workstream.programKey}/${n.workstream.key}`)),
        );
        const classes = ranked.map((r) => ATTENTION_CLASSES.indexOf(attentionClass(r, needed)));
        for (let i = 1; i < ranked.length; i++) {
          expect(classes[i]).toBeGreaterThanOrEqual(classes[i - 1]!);
          if (classes[i] === classes[i - 1]) expect(at[i]).toBeGreaterThan(at[i - 1]!);
        }
      }),
      { numRuns: 300 },
    );
  });
});
