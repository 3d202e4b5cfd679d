import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  components,
  cyclesOf,
  dependencyGraph,
  wouldCloseCycle,
  type DependencyGraph,
} from '../../../src/domain/analysis/graph.js';
import {
  arbModel,
  bigModel,
  day,
  dependency,
  hexOfNode,
  inputOf,
  reachability,
  type Model,
} from './support.js';

const graphOf = (model: Model) => dependencyGraph(inputOf(model).dependencies);
const waitsOn = (graph: DependencyGraph, a: string, b: string) =>
  (graph.waitsOn.get(a) ?? []).some((e) => e.provider === b);

/** The cycle is real: distinct workstreams, each waiting on the next, the last on the first. */
function expectRealCycle(graph: DependencyGraph, cycle: readonly string[]) {
  expect(new Set(cycle).size).toBe(cycle.length);
  cycle.forEach((node, i) => expect(waitsOn(graph, node, cycle[(i + 1) % cycle.length]!)).toBe(true));
}

/** Nodes on some cycle, by breadth-first search from each (no Tarjan). */
function selfReaching(graph: DependencyGraph): Set<string> {
  const found = new Set<string>();
  for (const start of graph.nodes) {
    const seen = new Set<string>();
    const queue = [start];
    for (let head = 0; head < queue.length && !found.has(start); head += 1) {
      for (const e of graph.waitsOn.get(queue[head]!) ?? []) {
        if (e.provider === start) found.add(start);
        if (!seen.has(e.provider)) {
          seen.add(e.provider);
          queue.push(e.provider);
        }
      }
    }
  }
  return found;
}

describe('the dependency graph', () => {
  it('holds open and broken dependencies once each, not met ones, and every workstream named', () => {
    const twice = dependency('checkout-ui', 'payments-api', day(9), 'open', 'dep-1');
    const graph = dependencyGraph(
      [
        twice,
        twice,
        dependency('payments-api', 'rules', day(4), 'broken', 'dep-2'),
        dependency('rules', 'ledger', day(1), 'met', 'dep-3'),
      ],
      ['idle'],
    );
    expect(graph.nodes).toEqual(['checkout-ui', 'idle', 'ledger', 'payments-api', 'rules']);
    expect(graph.edges.map((e) => [e.id, e.consumer, e.provider, e.state])).toEqual([
      ['dep-1', 'checkout-ui', 'payments-api', 'open'],
      ['dep-2', 'payments-api', 'rules', 'broken'],
    ]);
    expect(graph.waitedOnBy.get('rules')?.map((e) => e.id)).toEqual(['dep-2']);
    expect(graph.waitsOn.get('rules')).toBeUndefined();
  });

  it('orders components providers first', () => {
    const graph = dependencyGraph([
      dependency('a', 'b', day(1)),
      dependency('b', 'c', day(1)),
      dependency('c', 'b', day(1)),
      dependency('d', 'a', day(1)),
    ]);
    const comps = components(graph);
    expect(comps.list).toEqual([['b', 'c'], ['a'], ['d']]);
    expect(comps.cyclic).toEqual([true, false, false]);
  });
});

describe('cycles', () => {
  it('names a cycle in waiting order, from its smallest id, once', () => {
    const graph = dependencyGraph([
      dependency('checkout-ui', 'payments-api', day(9)),
      dependency('payments-api', 'rules', day(4)),
      dependency('rules', 'checkout-ui', day(2), 'broken'),
      dependency('search', 'checkout-ui', day(2)),
      dependency('loop', 'loop', day(2)),
    ]);
    expect(cyclesOf(graph, components(graph))).toEqual([['checkout-ui', 'payments-api', 'rules'], ['loop']]);
  });

  it('refuses a dependency that would close one, naming it', () => {
    const graph = dependencyGraph([
      dependency('checkout-ui', 'payments-api', day(9)),
      dependency('payments-api', 'rules', day(4)),
      dependency('payments-api', 'fraud', day(4)),
      dependency('fraud', 'rules', day(4)),
      dependency('rules', 'ledger', day(4), 'met'),
    ]);
    expect(wouldCloseCycle(graph, 'rules', 'checkout-ui')).toEqual(['rules', 'checkout-ui', 'payments-api']);
    expect(wouldCloseCycle(graph, 'fraud', 'checkout-ui')).toEqual(['fraud', 'checkout-ui', 'payments-api']);
    expect(wouldCloseCycle(graph, 'rules', 'rules')).toEqual(['rules']);
    expect(wouldCloseCycle(graph, 'checkout-ui', 'rules')).toBeUndefined();
    // A met dependency is delivered: it closes nothing.
    expect(wouldCloseCycle(graph, 'ledger', 'checkout-ui')).toBeUndefined();
    expect(wouldCloseCycle(graph, 'brand-new', 'checkout-ui')).toBeUndefined();
  });

  it('are exactly the strongly connected parts of any graph, one real cycle each', () => {
    fc.assert(
      fc.property(arbModel({ maxNodes: 25, maxEdges: 50, acyclic: false, extras: true }), (model) => {
        const graph = graphOf(model);
        const comps = components(graph);
        const reach = reachability(model);
        const index = (hex: string) => Number(hex.slice(1));
        for (const a of graph.nodes)
          for (const b of graph.nodes) {
            const mutual = a === b || (reach[index(a)]![index(b)]! && reach[index(b)]![index(a)]!);
            expect(comps.of.get(a) === comps.of.get(b)).toBe(mutual);
          }
        const cycles = cyclesOf(graph, comps);
        const onCycles = model.nodes.map((_, i) => hexOfNode(i)).filter((_, i) => reach[i]![i]);
        expect(cycles.flatMap((cycle) => comps.list[comps.of.get(cycle[0]!)!]!).sort()).toEqual(
          onCycles.sort(),
        );
        for (const cycle of cycles) {
          expectRealCycle(graph, cycle);
          // It starts at the smallest id of the workstreams that wait on each other with its first.
          const first = index(cycle[0]!);
          const mutual = graph.nodes.filter((b) => reach[first]![index(b)] && reach[index(b)]![first]);
          expect(cycle[0]).toBe(mutual.sort()[0]);
        }
        comps.list.forEach((members) => expect(members).toEqual([...members].sort()));
        expect(new Set(cycles.map((cycle) => comps.of.get(cycle[0]!))).size).toBe(cycles.length);
      }),
      { numRuns: 300 },
    );
  });

  it('finds a planted cycle exactly, however big the graph around it', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 2000 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (seed, n, planted, intoCycle) => {
          const model = bigModel(seed, n, n * 3, true);
          const cycle = planted.map((k) => `c${String(k).padStart(2, '0')}`);
          const links = cycle.map((c, i) => dependency(c, cycle[(i + 1) % cycle.length]!, day(5)));
          // Around it, edges in one direction only, so they join no cycle: the DAG waits on it, or it on the DAG.
          const around =
            n === 0
              ? []
              : cycle.map((c, i) =>
                  intoCycle
                    ? dependency(hexOfNode(Math.abs(seed + i * 7) % n), c, day(5))
                    : dependency(c, hexOfNode(Math.abs(seed + i * 7) % n), day(5)),
                );
          const graph = dependencyGraph([...inputOf(model).dependencies, ...links, ...around]);
          const smallest = cycle.indexOf([...cycle].sort()[0]!);
          expect(cyclesOf(graph, components(graph))).toEqual([
            [...cycle.slice(smallest), ...cycle.slice(0, smallest)],
          ]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('terminates on any graph up to 2,000 workstreams and reports every workstream on a cycle', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 5 }),
        (seed, n, density) => {
          const graph = graphOf(bigModel(seed, n, n * density, false));
          const comps = components(graph);
          const cycles = cyclesOf(graph, comps);
          cycles.forEach((cycle) => expectRealCycle(graph, cycle));
          expect(new Set(cycles.flatMap((cycle) => comps.list[comps.of.get(cycle[0]!)!]!))).toEqual(
            selfReaching(graph),
          );
        },
      ),
      { numRuns: 8 },
    );
  });

  it('would close exactly when the provider already waits on the consumer', () => {
    fc.assert(
      fc.property(
        arbModel({ maxNodes: 20, maxEdges: 40, acyclic: false, extras: true }).chain((model) =>
          fc.tuple(
            fc.constant(model),
            fc.integer({ min: 0, max: model.nodes.length - 1 }),
            fc.integer({ min: 0, max: model.nodes.length - 1 }),
          ),
        ),
        ([model, c, p]) => {
          const graph = graphOf(model);
          const cycle = wouldCloseCycle(graph, hexOfNode(c), hexOfNode(p));
          const closes = c === p || reachability(model)[p]![c]!;
          expect(cycle !== undefined).toBe(closes);
          if (!cycle) return;
          expect(cycle[0]).toBe(hexOfNode(c));
          expect(cycle[1 % cycle.length]).toBe(hexOfNode(p));
          expect(new Set(cycle).size).toBe(cycle.length);
          // Every step but the proposed one (consumer → provider) is a dependency already there.
          cycle
            .slice(1)
            .forEach((node, i) => expect(waitsOn(graph, node, cycle[(i + 2) % cycle.length]!)).toBe(true));
        },
      ),
      { numRuns: 300 },
    );
  });
});
