import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { components } from '../../../src/domain/analysis/graph.js';
import { analyseProgram, type ProgramAnalysis } from '../../../src/domain/analysis/index.js';
import {
  arbModel,
  bigModel,
  day,
  dayNumber,
  hexOfNode,
  inputOf,
  oraclePropagated,
  ownOf,
  type Model,
} from './support.js';

const propagatedOf = (model: Model) => {
  const byId = new Map(analyseProgram(inputOf(model)).forecasts.map((f) => [f.workstreamId, f]));
  return model.nodes.map((_, i) => byId.get(hexOfNode(i)));
};

describe('propagated forecasts', () => {
  it.each([
    ['acyclic graphs', true],
    ['graphs with cycles', false],
  ])('equal the latest forecast over every path of dependencies (%s)', (_name, acyclic) => {
    fc.assert(
      fc.property(arbModel({ maxNodes: 12, maxEdges: 24, acyclic, extras: true }), (model) => {
        const forecasts = propagatedOf(model);
        const expected = oraclePropagated(model);
        expect(forecasts.map((f) => f?.propagated)).toEqual(
          expected.map((d) => (d === undefined ? undefined : day(d))),
        );
        expect(forecasts.map((f) => f?.own)).toEqual(
          model.nodes.map((node) => {
            const own = ownOf(node);
            return own === undefined ? undefined : day(own);
          }),
        );
        forecasts.forEach((f, i) => {
          const own = ownOf(model.nodes[i]!);
          expect(f?.slipDays ?? 0).toBe(own === undefined ? 0 : expected[i]! - own);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('never get earlier when a provider gets later', () => {
    fc.assert(
      fc.property(
        arbModel({ maxNodes: 15, maxEdges: 40, acyclic: false, extras: true }),
        fc.nat(),
        fc.integer({ min: 1, max: 30 }),
        (model, pick, later) => {
          const at = pick % model.nodes.length;
          const node = model.nodes[at]!;
          fc.pre(node.forecast !== undefined || node.target !== undefined);
          const moved: Model = {
            ...model,
            nodes: model.nodes.map((n, i) =>
              i !== at
                ? n
                : n.forecast !== undefined
                  ? { ...n, forecast: n.forecast + later }
                  : { ...n, target: n.target! + later },
            ),
          };
          const before = propagatedOf(model);
          const after = propagatedOf(moved);
          before.forEach((f, i) => {
            if (f?.propagated === undefined) return expect(after[i]?.propagated).toBeUndefined();
            expect(dayNumber(after[i]!.propagated!)).toBeGreaterThanOrEqual(dayNumber(f.propagated));
          });
          // ... and what was at risk stays at risk.
          const risky = (m: Model) => analyseProgram(inputOf(m)).atRisk.map((a) => a.workstreamId);
          expect(risky(moved)).toEqual(expect.arrayContaining(risky(model)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('do not depend on the order of the input, nor does anything else', () => {
    fc.assert(
      fc.property(arbModel({ maxNodes: 12, maxEdges: 24, acyclic: false, extras: true }), (model) => {
        const input = inputOf(model);
        const reversed = {
          ...input,
          workstreams: [...input.workstreams].reverse(),
          updates: [...input.updates].reverse(),
          dependencies: [...input.dependencies].reverse(),
        };
        // The waiting index is a function: the bottlenecks read from it are compared instead.
        const withoutIndex = (analysis: ProgramAnalysis): Partial<ProgramAnalysis> => {
          const copy: Partial<ProgramAnalysis> = { ...analysis };
          delete copy.waiting;
          return copy;
        };
        const result = withoutIndex(analyseProgram(input));
        const again = withoutIndex(analyseProgram(reversed));
        expect(again).toStrictEqual(result);
        expect(JSON.stringify(again.forecasts)).toBe(JSON.stringify(result.forecasts));
        expect(JSON.stringify(again.atRisk)).toBe(JSON.stringify(result.atRisk));
        expect(JSON.stringify(again.bottlenecks)).toBe(JSON.stringify(result.bottlenecks));
      }),
      { numRuns: 200 },
    );
  });

  it('satisfy their definition on graphs up to 2,000 workstreams, and the pass terminates', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (seed, n, density, acyclic) => {
          const model = bigModel(seed, n, n * density, acyclic);
          const result = analyseProgram(inputOf(model));
          const byId = new Map(result.forecasts.map((f) => [f.workstreamId, f]));
          // Components are checked against brute force in graph.test.ts.
          const comps = components(result.graph);
          for (const f of result.forecasts) {
            const own = ownOf(model.nodes[Number(f.workstreamId.slice(1))]!);
            if (own === undefined) {
              expect(f.propagated).toBeUndefined();
              continue;
            }
            // own + the largest positive (provider's propagated − needed-by) over its open dependencies,
            // leaving out those inside its cycle, if it is on one.
            let push = 0;
            for (const e of result.graph.waitsOn.get(f.workstreamId) ?? []) {
              const provider = byId.get(e.provider)!;
              if (e.state !== 'open' || !provider.propagated) continue;
              if (comps.of.get(e.consumer) === comps.of.get(e.provider)) continue;
              push = Math.max(push, dayNumber(provider.propagated) - dayNumber(e.neededBy));
            }
            expect(dayNumber(f.propagated!)).toBe(own + push);
            expect(f.slipDays).toBe(push);
          }
        },
      ),
      { numRuns: 10 },
    );
  });
});
