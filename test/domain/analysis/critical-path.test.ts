import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyseProgram,
  type CriticalPath,
  type WorkstreamForecast,
} from '../../../src/domain/analysis/index.js';
import type { AnalysisInput } from '../../../src/domain/analysis/index.js';
import {
  arbModel,
  bigModel,
  day,
  dayNumber,
  hexOfNode,
  inputOf,
  milestone,
  oraclePropagated,
  type Model,
} from './support.js';

/** Each step is a real open dependency that decides the next step's forecast; the path ends at `finish`. */
function expectRealPath(
  path: CriticalPath,
  input: AnalysisInput,
  forecasts: ReadonlyMap<string, WorkstreamForecast>,
) {
  const [first, ...rest] = path.steps;
  expect(first!.via).toBeUndefined();
  expect(first!.propagated).toBe(first!.own);
  expect(path.steps[path.steps.length - 1]!.propagated).toBe(path.finish);
  rest.forEach((step, i) => {
    const before = path.steps[i]!;
    const dependency = input.dependencies.find((d) => d._id.toHexString() === step.via!.id)!;
    expect(dependency.state).toBe('open');
    expect(dependency.consumerId.toHexString()).toBe(step.workstreamId);
    expect(dependency.providerId.toHexString()).toBe(before.workstreamId);
    const pushed = dayNumber(step.own) + dayNumber(before.propagated) - dayNumber(dependency.neededBy);
    expect(pushed).toBeGreaterThan(dayNumber(step.own));
    expect(dayNumber(step.propagated)).toBe(pushed);
  });
  for (const step of path.steps) {
    const f = forecasts.get(step.workstreamId)!;
    expect([step.own, step.propagated]).toEqual([f.own, f.propagated]);
  }
}

function latestOf(model: Model, ids: number[]): number | undefined {
  const pf = oraclePropagated(model);
  const dated = ids.map((i) => pf[i]).filter((d): d is number => d !== undefined);
  return dated.length > 0 ? Math.max(...dated) : undefined;
}

describe('the critical path', () => {
  it.each([
    ['acyclic graphs', true],
    ['graphs with cycles', false],
  ])('ends at the program’s latest propagated forecast through real dependencies (%s)', (_name, acyclic) => {
    fc.assert(
      fc.property(arbModel({ maxNodes: 12, maxEdges: 24, acyclic, extras: true }), (model) => {
        const input = inputOf(model);
        const result = analyseProgram(input);
        const forecasts = new Map(result.forecasts.map((f) => [f.workstreamId, f]));
        const program = model.nodes.flatMap((node, i) => (!node.missing && node.program === 0 ? [i] : []));
        const latest = latestOf(model, program);
        expect(result.criticalPath?.finish).toBe(latest === undefined ? undefined : day(latest));
        if (!result.criticalPath) return;
        expectRealPath(result.criticalPath, input, forecasts);
        const last = result.criticalPath.steps[result.criticalPath.steps.length - 1]!.workstreamId;
        expect(program.map(hexOfNode)).toContain(last);
      }),
      { numRuns: 400 },
    );
  });

  it('holds on graphs up to 2,000 workstreams', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (seed, n, density, acyclic) => {
          const input = inputOf(bigModel(seed, n, n * density, acyclic));
          const result = analyseProgram(input);
          const forecasts = new Map(result.forecasts.map((f) => [f.workstreamId, f]));
          const latest = input.workstreams
            .filter((w) => w.programKey === 'checkout')
            .map((w) => forecasts.get(w._id.toHexString())!.propagated)
            .filter((d) => d !== undefined)
            .sort()
            .pop();
          expect(result.criticalPath?.finish).toBe(latest);
          if (result.criticalPath) expectRealPath(result.criticalPath, input, forecasts);
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe('milestones', () => {
  it('are forecast at the latest propagated forecast of what they need, at risk past their date', () => {
    fc.assert(
      fc.property(
        arbModel({ maxNodes: 12, maxEdges: 24, acyclic: false, extras: true }).chain((model) =>
          fc.tuple(
            fc.constant(model),
            fc.array(
              fc.record({
                date: fc.integer({ min: 0, max: 90 }),
                needs: fc.uniqueArray(fc.integer({ min: 0, max: model.nodes.length - 1 }), { maxLength: 6 }),
              }),
              { maxLength: 4 },
            ),
          ),
        ),
        ([model, specs]) => {
          const input = {
            ...inputOf(model),
            milestones: specs.map((m, k) => milestone(`m${k}`, day(m.date), m.needs.map(hexOfNode))),
          };
          const result = analyseProgram(input);
          const forecasts = new Map(result.forecasts.map((f) => [f.workstreamId, f]));
          const pf = oraclePropagated(model);
          const expected = specs
            .map((m, k) => {
              const latest = latestOf(model, m.needs);
              const daysLate = latest === undefined ? 0 : Math.max(0, latest - m.date);
              return {
                milestoneId: `m${k}`,
                date: day(m.date),
                forecast: latest === undefined ? undefined : day(latest),
                atRisk: daysLate > 0,
                daysLate,
                undated: m.needs
                  .filter((i) => {
                    const node = model.nodes[i]!;
                    const open = node.missing || (node.state !== 'done' && node.state !== 'cancelled');
                    return open && pf[i] === undefined;
                  })
                  .map(hexOfNode)
                  .sort(),
              };
            })
            .sort((a, b) =>
              a.date < b.date ? -1 : a.date > b.date ? 1 : a.milestoneId < b.milestoneId ? -1 : 1,
            );
          expect(result.milestones.map(({ criticalPath: _path, ...m }) => m)).toEqual(
            expected.map(({ forecast, ...m }) => (forecast === undefined ? m : { ...m, forecast })),
          );
          for (const m of result.milestones) {
            expect(m.criticalPath?.finish).toBe(m.forecast);
            if (m.criticalPath) expectRealPath(m.criticalPath, input, forecasts);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
