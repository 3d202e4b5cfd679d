import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseProgram, type ProgramAnalysis, type RiskLink } from '../../../src/domain/analysis/index.js';
import {
  arbModel,
  bigModel,
  hexOfNode,
  inputOf,
  oracleAtRisk,
  oracleWaiting,
  type Model,
} from './support.js';

const nodeOf = (hex: string) => Number(hex.slice(1));

/** Every chain starts at its workstream, follows first reasons link by link, and stops at a root cause. */
function expectChainsExplain(result: ProgramAnalysis) {
  const byId = new Map(result.atRisk.map((a) => [a.workstreamId, a]));
  const severity = ['cycle', 'provider_cancelled', 'broken', 'late', 'overdue', 'upstream'];
  const rank = (l: RiskLink) =>
    [
      severity.indexOf(l.kind),
      -(l.days ?? 0),
      l.providerAtRisk ? 0 : 1,
      l.providerId,
      l.dependencyId,
    ] as const;
  for (const item of result.atRisk) {
    expect(item.chain[0]).toEqual(item.reasons[0]);
    // Most severe first, then most days, then a provider at risk, then provider and dependency id.
    item.reasons.slice(1).forEach((reason, i) => {
      const [a, b] = [rank(item.reasons[i]!), rank(reason)];
      const k = a.findIndex((x, j) => x !== b[j]);
      expect(k === -1 || a[k]! < b[k]!).toBe(true);
    });
    for (const reason of item.reasons) {
      expect(reason.consumerId).toBe(item.workstreamId);
      expect(reason.providerAtRisk).toBe(byId.has(reason.providerId));
    }
    item.chain.forEach((link, i) => {
      expect(link).toEqual(byId.get(link.consumerId)!.reasons[0]);
      const next = item.chain[i + 1];
      if (next) {
        expect(next.consumerId).toBe(link.providerId);
        expect(['late', 'overdue', 'upstream']).toContain(link.kind);
        expect(link.providerAtRisk).toBe(true);
      }
    });
    expect(item.chain[0]!.consumerId).toBe(item.workstreamId);
    const root = item.chain[item.chain.length - 1]!;
    const terminal =
      ['cycle', 'broken', 'provider_cancelled'].includes(root.kind) || !byId.has(root.providerId);
    expect(terminal).toBe(true);
    expect(item.cycle !== undefined).toBe(root.kind === 'cycle');
    if (item.cycle) expect(result.cycles).toContainEqual(item.cycle);
  }
}

describe('at-risk work', () => {
  it.each([
    ['acyclic graphs', true],
    ['graphs with cycles', false],
  ])(
    'is what waits, transitively, on a late, overdue, broken, cancelled or cyclic dependency (%s)',
    (_name, acyclic) => {
      fc.assert(
        fc.property(arbModel({ maxNodes: 12, maxEdges: 24, acyclic, extras: true }), (model) => {
          const result = analyseProgram(inputOf(model));
          const expected = oracleAtRisk(model);
          const actual = new Map(
            result.atRisk.map((a) => [
              nodeOf(a.workstreamId),
              new Map(a.reasons.map((r) => [Number(r.dependencyId.slice(1)), r.kind])),
            ]),
          );
          expect(actual).toEqual(expected);
          expectChainsExplain(result);
        }),
        { numRuns: 400 },
      );
    },
  );

  it('is explained by finite chains on graphs up to 2,000 workstreams', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (seed, n, density, acyclic) => {
          expectChainsExplain(analyseProgram(inputOf(bigModel(seed, n, n * density, acyclic))));
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe('bottlenecks', () => {
  it.each([
    ['acyclic graphs', true],
    ['graphs with cycles', false],
  ])('count the at-risk work waiting on each workstream and team (%s)', (_name, acyclic) => {
    fc.assert(
      fc.property(arbModel({ maxNodes: 12, maxEdges: 24, acyclic, extras: true }), (model: Model) => {
        const result = analyseProgram(inputOf(model));
        const atRisk = new Set(result.atRisk.map((a) => nodeOf(a.workstreamId)));
        const { byNode, byTeam } = oracleWaiting(model, atRisk);
        const expectedNodes = byNode
          .map((waiting, i) => ({ workstreamId: hexOfNode(i), waiting }))
          .filter((b) => b.waiting > 0)
          .sort((a, b) => b.waiting - a.waiting || (a.workstreamId < b.workstreamId ? -1 : 1));
        expect(result.bottlenecks.workstreams).toEqual(expectedNodes);
        const expectedTeams = [...byTeam]
          .map(([name, waiting]) => ({ name, waiting }))
          .sort((a, b) => b.waiting - a.waiting || (a.name < b.name ? -1 : 1));
        expect(result.bottlenecks.teams).toEqual(expectedTeams);
      }),
      { numRuns: 400 },
    );
  });
});
