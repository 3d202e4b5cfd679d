/**
 * The dependency graph between workstreams (SPEC §6), across programs: an edge for every open or broken
 * dependency, from the consumer to the provider it waits on. Met dependencies are delivered and wait
 * on nothing. Workstreams are keyed by their id's hex form.
 *
 * Cycles: `components` finds the strongly connected components (Tarjan's algorithm, iterative, so it
 * terminates on any graph without deep recursion); a component with more than one workstream, or one
 * that waits on itself, holds a cycle, reported once as the shortest cycle through its smallest id.
 * A cycle is written as the workstreams in waiting order without repeating the first: `[checkout-ui,
 * payments-api, rules]` reads `checkout-ui → payments-api → rules → checkout-ui`.
 *
 * The passes of the analysis run on positions (a workstream's index in `nodes`, an edge's in `edges`)
 * and typed arrays, so each is linear with small constants.
 */
import { commitmentOf, type CommitmentState } from '../commitment.js';
import type { Dependency, Id } from '../entities.js';
import type { CalendarDate } from '../types.js';
import { byCode, dayOf } from './days.js';

export type GraphDependency = Pick<
  Dependency,
  '_id' | 'consumerId' | 'providerId' | 'neededBy' | 'state' | 'deliverable'
> &
  Partial<Pick<Dependency, 'commitment'>>;

/** One open or broken dependency: `consumer` needs `deliverable` from `provider` by `neededBy`. */
export interface Edge {
  id: string;
  consumer: string;
  provider: string;
  neededBy: CalendarDate;
  /** `broken` too when the provider declined it (issue 15): it will not be delivered. */
  state: 'open' | 'broken';
  deliverable: string;
  /**
   * Issue 15: the provider's answer, present only on dependencies that were asked (stored ones from
   * before have none, and count as committed on `neededBy`); `committed` is the date committed to.
   */
  commitment?: CommitmentState;
  committed?: CalendarDate;
  proposed?: boolean;
}

export interface DependencyGraph {
  /** Every workstream given and every one a dependency names, in id order. */
  nodes: readonly string[];
  /** Every edge, by consumer, provider, needed-by date, then id. */
  edges: readonly Edge[];
  /** What each workstream waits on (its edges as consumer), by provider, needed-by date, then id. */
  waitsOn: ReadonlyMap<string, readonly Edge[]>;
  /** What waits on each workstream (its edges as provider), by consumer, needed-by date, then id. */
  waitedOnBy: ReadonlyMap<string, readonly Edge[]>;
  /** Each workstream's position in `nodes`. */
  position: ReadonlyMap<string, number>;
  /** Per edge (position in `edges`): its consumer's and provider's positions, its needed-by day (NaN if not a date). */
  consumerAt: Int32Array;
  providerAt: Int32Array;
  neededDay: Float64Array;
  /**
   * Per edge: the day its provider committed to deliver (issue 15), NaN when it has not committed
   * (requested, declined, or stored before commitments: then only the provider's forecast counts).
   */
  committedDay: Float64Array;
  /** The workstream at position i waits on edges `outStart[i]` up to `outStart[i + 1]`. */
  outStart: Int32Array;
  /** The edges waiting on the workstream at position i: `inEdges[inStart[i]]` up to `inEdges[inStart[i + 1]]`. */
  inEdges: Int32Array;
  inStart: Int32Array;
}

/**
 * The day the provider of an edge delivers (issue 15): the later of its propagated forecast and the
 * date it committed to, so a commitment later than the date needed makes the consumer late, and a
 * commitment never hides a forecast that says later. NaN when it has neither.
 */
export function deliveryDay(providerDay: number, committedDay: number): number {
  if (Number.isNaN(providerDay)) return committedDay;
  if (Number.isNaN(committedDay)) return providerDay;
  return Math.max(providerDay, committedDay);
}

export const hexOf = (id: Id | string): string => (typeof id === 'string' ? id : id.toHexString());

/**
 * The graph of `dependencies` (a dependency listed twice counts once) over `workstreamIds` and every
 * workstream the dependencies name.
 */
export function dependencyGraph(
  dependencies: readonly GraphDependency[],
  workstreamIds: Iterable<string> = [],
): DependencyGraph {
  const names = new Set<string>(workstreamIds);
  const seen = new Set<string>();
  const unsorted: Edge[] = [];
  for (const d of dependencies) {
    const id = d._id.toHexString();
    if (seen.has(id)) continue;
    seen.add(id);
    const consumer = d.consumerId.toHexString();
    const provider = d.providerId.toHexString();
    names.add(consumer);
    names.add(provider);
    if (d.state === 'met') continue;
    const edge: Edge = {
      id,
      consumer,
      provider,
      neededBy: d.neededBy,
      state: d.state,
      deliverable: d.deliverable,
    };
    if (d.commitment) {
      const c = commitmentOf(d as Pick<Dependency, 'neededBy' | 'commitment'>);
      edge.commitment = c.state;
      if (c.date) edge.committed = c.date;
      if (c.proposed) edge.proposed = true;
      // A declined dependency will not be delivered: it is broken until it is re-planned.
      if (c.state === 'declined') edge.state = 'broken';
    }
    unsorted.push(edge);
  }
  const nodes = [...names].sort(byCode);
  const position = new Map<string, number>();
  nodes.forEach((node, i) => position.set(node, i));
  const n = nodes.length;
  const m = unsorted.length;
  const c0 = new Int32Array(m);
  const p0 = new Int32Array(m);
  const order = new Int32Array(m);
  for (let i = 0; i < m; i += 1) {
    c0[i] = position.get(unsorted[i]!.consumer)!;
    p0[i] = position.get(unsorted[i]!.provider)!;
    order[i] = i;
  }
  order.sort(
    (a, b) =>
      c0[a]! - c0[b]! ||
      p0[a]! - p0[b]! ||
      byCode(unsorted[a]!.neededBy, unsorted[b]!.neededBy) ||
      byCode(unsorted[a]!.id, unsorted[b]!.id),
  );

  const edges = new Array<Edge>(m);
  const consumerAt = new Int32Array(m);
  const providerAt = new Int32Array(m);
  const neededDay = new Float64Array(m);
  const committedDay = new Float64Array(m);
  const outStart = new Int32Array(n + 1);
  const inStart = new Int32Array(n + 1);
  for (let i = 0; i < m; i += 1) {
    const k = order[i]!;
    const e = unsorted[k]!;
    edges[i] = e;
    consumerAt[i] = c0[k]!;
    providerAt[i] = p0[k]!;
    neededDay[i] = dayOf(e.neededBy) ?? NaN;
    committedDay[i] = dayOf(e.committed) ?? NaN;
    outStart[c0[k]! + 1]! += 1;
    inStart[p0[k]! + 1]! += 1;
  }
  for (let i = 0; i < n; i += 1) {
    outStart[i + 1]! += outStart[i]!;
    inStart[i + 1]! += inStart[i]!;
  }
  // Edges come by consumer, so filling each provider's slots in edge order keeps them by consumer.
  const inEdges = new Int32Array(m);
  const fill = inStart.slice(0, n);
  for (let e = 0; e < m; e += 1) inEdges[fill[providerAt[e]!]!++] = e;

  const waitsOn = new Map<string, readonly Edge[]>();
  const waitedOnBy = new Map<string, readonly Edge[]>();
  for (let i = 0; i < n; i += 1) {
    if (outStart[i + 1]! > outStart[i]!) waitsOn.set(nodes[i]!, edges.slice(outStart[i], outStart[i + 1]));
    if (inStart[i + 1]! > inStart[i]!) {
      const list: Edge[] = [];
      for (let k = inStart[i]!; k < inStart[i + 1]!; k += 1) list.push(edges[inEdges[k]!]!);
      waitedOnBy.set(nodes[i]!, list);
    }
  }
  return {
    nodes,
    edges,
    waitsOn,
    waitedOnBy,
    position,
    consumerAt,
    providerAt,
    neededDay,
    committedDay,
    outStart,
    inEdges,
    inStart,
  };
}

export interface ComponentPositions {
  /**
   * The strongly connected components, each after every component it waits on (providers first), so
   * one pass in this order sees every provider before its consumers. Members as positions, in id order.
   */
  positions: readonly Int32Array[];
  /** Each workstream's component (an index into `positions`), by position. */
  at: Int32Array;
  /** Per component: it holds a cycle (more than one workstream, or one that waits on itself). */
  cyclic: readonly boolean[];
}

export interface Components extends ComponentPositions {
  /** The components' members by id, in id order. */
  list: readonly (readonly string[])[];
  /** Each workstream's component, by id. */
  of: ReadonlyMap<string, number>;
}

/** The strongly connected components of the graph. */
export function components(graph: DependencyGraph): Components {
  const comps = componentPositions(graph);
  const of = new Map<string, number>();
  graph.nodes.forEach((node, i) => of.set(node, comps.at[i]!));
  return {
    ...comps,
    list: comps.positions.map((members) => Array.from(members, (p) => graph.nodes[p]!)),
    of,
  };
}

/**
 * Tarjan's strongly connected components, without recursion. Linear in workstreams and edges. With
 * `keep` (per edge position, 1 to keep), of the graph of the edges it keeps.
 */
export function componentPositions(graph: DependencyGraph, keep?: Uint8Array): ComponentPositions {
  const { outStart, providerAt } = graph;
  const n = graph.nodes.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const frameNode = new Int32Array(n);
  const frameEdge = new Int32Array(n);
  const at = new Int32Array(n);
  const positions: Int32Array[] = [];
  const cyclic: boolean[] = [];
  let sp = 0;
  let counter = 0;

  for (let root = 0; root < n; root += 1) {
    if (index[root] !== -1) continue;
    let fp = 0;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    frameNode[0] = root;
    frameEdge[0] = outStart[root]!;
    fp = 1;
    while (fp > 0) {
      const node = frameNode[fp - 1]!;
      const e = frameEdge[fp - 1]!;
      if (e < outStart[node + 1]!) {
        frameEdge[fp - 1] = e + 1;
        if (keep && !keep[e]) continue;
        const to = providerAt[e]!;
        if (index[to] === -1) {
          index[to] = low[to] = counter++;
          stack[sp++] = to;
          onStack[to] = 1;
          frameNode[fp] = to;
          frameEdge[fp] = outStart[to]!;
          fp += 1;
        } else if (onStack[to] && index[to]! < low[node]!) {
          low[node] = index[to]!;
        }
        continue;
      }
      fp -= 1;
      if (low[node] === index[node]) {
        let size = 0;
        while (stack[sp - 1 - size] !== node) size += 1;
        size += 1;
        const members = stack.slice(sp - size, sp).sort();
        sp -= size;
        for (const member of members) {
          onStack[member] = 0;
          at[member] = positions.length;
        }
        let selfLoop = false;
        if (size === 1) {
          for (let k = outStart[node]!; k < outStart[node + 1]!; k += 1) {
            if (providerAt[k] === node && (!keep || keep[k])) selfLoop = true;
          }
        }
        cyclic.push(size > 1 || selfLoop);
        positions.push(members);
      }
      if (fp > 0) {
        const parent = frameNode[fp - 1]!;
        if (low[node]! < low[parent]!) low[parent] = low[node]!;
      }
    }
  }
  return { positions, at, cyclic };
}

/** One cycle per cyclic component (the shortest through its smallest id), ordered by that id. */
export function cyclesOf(graph: DependencyGraph, comps: Components): string[][] {
  const cycles: string[][] = [];
  comps.list.forEach((members, c) => {
    if (comps.cyclic[c]) cycles.push(cycleThrough(graph, members[0]!, new Set(members)));
  });
  return cycles.sort((a, b) => byCode(a[0]!, b[0]!));
}

/**
 * The shortest cycle from `start` back to it through `within` (breadth first, providers in id order):
 * `[start, …, x]` where x waits on start. `start` must lie on a cycle inside `within`.
 */
export function cycleThrough(graph: DependencyGraph, start: string, within: ReadonlySet<string>): string[] {
  const path = shortestPath(graph, start, start, within);
  if (!path) throw new Error(`no cycle through ${start}`);
  return path;
}

/**
 * The cycle a new dependency (`consumer` waits on `provider`) would close, or undefined: `[consumer,
 * provider, …]`, the shortest way back from the provider to the consumer through the graph's open and
 * broken dependencies (a broken one still stands until it is re-planned or removed). A workstream
 * waiting on itself is the cycle `[consumer]`.
 */
export function wouldCloseCycle(
  graph: DependencyGraph,
  consumerId: Id | string,
  providerId: Id | string,
): string[] | undefined {
  const consumer = hexOf(consumerId);
  const provider = hexOf(providerId);
  if (consumer === provider) return [consumer];
  const path = shortestPath(graph, provider, consumer);
  return path ? [consumer, ...path] : undefined;
}

/**
 * Breadth first from `from` along waits-on edges until one reaches `to`: the workstreams from `from`
 * up to the one that waits on `to` (so `[from]` when `from` waits on `to` directly). With `within`,
 * only through those workstreams.
 */
function shortestPath(
  graph: DependencyGraph,
  from: string,
  to: string,
  within?: ReadonlySet<string>,
): string[] | undefined {
  const parent = new Map<string, string | undefined>([[from, undefined]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head]!;
    for (const e of graph.waitsOn.get(node) ?? []) {
      if (e.provider === to) {
        const path: string[] = [];
        for (let at: string | undefined = node; at !== undefined; at = parent.get(at)) path.push(at);
        return path.reverse();
      }
      if (parent.has(e.provider) || (within && !within.has(e.provider))) continue;
      parent.set(e.provider, node);
      queue.push(e.provider);
    }
  }
  return undefined;
}
