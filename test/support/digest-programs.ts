/**
 * Programs for the digest's size tests (test/views/message-budget.test.ts, digest-budget.test.ts):
 * a big one of any size with something in every part of the digest, and random ones (fast-check).
 */
import fc from 'fast-check';
import type { Workstream } from '../../src/domain/entities.js';
import type { WorkstreamSnapshot } from '../../src/domain/digest-data.js';
import type { DigestVariant } from '../../src/domain/schedule.js';
import type { Health } from '../../src/domain/types.js';
import { DigestFixture, inDays, otherProgram } from './digest-fixtures.js';

const HEALTHS: Health[] = ['at_risk', 'off_track', 'on_track', 'at_risk'];

/** A program of `size` workstreams with long names, summaries, next steps, blockers, dependencies and milestones. */
export function bigProgram(size: number): DigestFixture {
  const fx = new DigestFixture({ objective: 'A long objective. '.repeat(60) });
  const long = 'Long summary about vendors, budgets, environments and the people waiting on them. '.repeat(4);
  for (let i = 0; i < size; i++) {
    const w = fx.workstream(`ws-${String(i).padStart(3, '0')}`, {
      name: `Workstream ${i} with a long descriptive name 🚀 for the digest`,
      team: `squad-${i % 17}`,
      targetDate: inDays((i % 40) - 10),
      leadId: `U0LEAD${i % 40}`,
    });
    if (i % 13 === 0) continue; // never updated
    fx.update(w, { health: 'on_track', ago: 14, summary: long });
    fx.update(w, {
      health: HEALTHS[i % 4]!,
      ago: i % 5 === 0 ? 9 : 1,
      summary: long,
      nextSteps: long,
      progress: i % 100,
      forecastDate: inDays((i % 40) + 5),
    });
    fx.blocker(w, `Blocker ${i}: ${long}`, { ago: (i % 9) + 1 });
    if (i % 3 === 0) fx.blocker(w, `Resolved ${i}: ${long}`, { ago: 10, resolvedAgo: 1 });
  }
  const ws = fx.workstreams;
  for (let i = 0; i < size / 4; i++)
    fx.dependency(ws[i]!, ws[(i * 7 + 3) % size]!, inDays(i % 10), `Deliverable ${i} ${long}`);
  for (let i = 0; i < 25; i++) {
    const m = fx.milestone(`Milestone ${i} with a long name 🚀`, inDays(i), ws.slice(i * 5, i * 5 + 20));
    // Moved later (and its forecast slipped), moved earlier (likewise), or neither since the previous digest.
    if (i % 3 === 0) fx.milestoneWas(m, inDays(i - 4), inDays(i - 20));
    else if (i % 3 === 1) fx.milestoneWas(m, inDays(i + 2), inDays(i - 20));
  }
  fx.previous(
    8,
    ws.map((w, i): [Workstream, Partial<WorkstreamSnapshot>] => [
      w,
      { health: HEALTHS[(i + 1) % 4]!, targetDate: inDays((i % 40) - 12) },
    ]),
  );
  return fx;
}

/** Text that may be long, with emoji and characters Slack escapes (so its size grows when escaped). */
export const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength, size: 'max' }),
    fc
      .tuple(
        fc.constantFrom('&', '<>', '🟢', 'word ', 'Ünïcödé ', '👩‍👩‍👧‍👦'),
        fc.integer({ min: maxLength / 2, max: maxLength }),
      )
      .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length))),
  );

const workstreamSpec = fc.record({
  name: text(90).map((t) => `W ${t}`),
  team: fc.nat({ max: 12 }),
  updates: fc.array(
    fc.record({
      health: fc.constantFrom<Health>('on_track', 'at_risk', 'off_track'),
      ago: fc.integer({ min: 0, max: 20 }),
      summary: text(400),
      nextSteps: fc.option(text(200), { nil: undefined }),
    }),
    { maxLength: 3, size: 'max' },
  ),
  blockers: fc.array(fc.record({ text: text(300), ago: fc.integer({ min: 0, max: 30 }) }), {
    maxLength: 4,
    size: 'max',
  }),
  target: fc.option(fc.integer({ min: -30, max: 60 }), { nil: undefined }),
  lead: fc.boolean(),
  dependsOn: fc.option(fc.nat(), { nil: undefined }),
  external: fc.boolean(),
  was: fc.option(fc.constantFrom<Health>('on_track', 'at_risk', 'off_track'), { nil: undefined }),
});

export const programSpec = fc.record({
  name: text(120).map((t) => `P ${t}`),
  objective: text(1200),
  // Sized up: most programs drawn need more than one message.
  workstreams: fc.array(workstreamSpec, { maxLength: 140, size: 'max' }),
  milestones: fc.array(
    fc.record({
      name: text(100),
      in: fc.integer({ min: 0, max: 29 }),
      // Days it moved since the previous digest (none: the previous digest did not have it).
      moved: fc.option(fc.integer({ min: -10, max: 10 }), { nil: undefined }),
    }),
    { maxLength: 30 },
  ),
  previous: fc.boolean(),
  variant: fc.constantFrom<DigestVariant>('team', 'leadership', 'client'),
});

export type ProgramSpec = typeof programSpec extends fc.Arbitrary<infer T> ? T : never;

export function programOf(spec: ProgramSpec): DigestFixture {
  const fx = new DigestFixture({ name: spec.name, objective: spec.objective, audience: 'external' });
  const platform = otherProgram();
  const auth = fx.workstream('auth', { name: 'Auth', health: 'off_track', state: 'active' }, platform);
  const was: Array<[Workstream, Partial<WorkstreamSnapshot>]> = [];
  spec.workstreams.forEach((s, i) => {
    const w = fx.workstream(`ws-${i}`, {
      name: s.name,
      team: `team ${s.team}`,
      ...(s.target !== undefined ? { targetDate: inDays(s.target) } : {}),
      ...(s.lead ? { leadId: `U0LEAD${i}` } : { leadId: '' }),
    });
    for (const u of [...s.updates].sort((a, b) => b.ago - a.ago))
      fx.update(w, {
        health: u.health,
        ago: u.ago,
        summary: u.summary,
        ...(u.nextSteps !== undefined ? { nextSteps: u.nextSteps } : {}),
      });
    for (const b of s.blockers) fx.blocker(w, b.text, { ago: b.ago });
    if (s.was) was.push([w, { health: s.was }]);
  });
  const own = fx.workstreams;
  spec.workstreams.forEach((s, i) => {
    if (s.dependsOn === undefined) return;
    const provider = s.external ? auth : own[s.dependsOn % own.length]!;
    if (provider !== own[i]) fx.dependency(own[i]!, provider, inDays(s.dependsOn % 20), `Deliverable ${i}`);
  });
  spec.milestones.forEach((m, i) => {
    const milestone = fx.milestone(m.name, inDays(m.in), own.slice(i, i + 5));
    if (m.moved !== undefined) fx.milestoneWas(milestone, inDays(m.in - m.moved), inDays(-30));
  });
  if (spec.previous) fx.previous(7, was);
  return fx;
}
