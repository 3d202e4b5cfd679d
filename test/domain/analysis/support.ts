/**
 * Shared by the dependency-analysis tests: ids, entity builders, a random graph model and brute-force
 * oracles that restate SPEC §6 path by path (exponential, for small graphs).
 */
import fc from 'fast-check';
import type { AnalysisInput, AnalysedWorkstream } from '../../../src/domain/analysis/index.js';
import type {
  Dependency,
  DependencyState,
  Id,
  Milestone,
  StatusUpdate,
} from '../../../src/domain/entities.js';
import type { CalendarDate, WorkstreamState } from '../../../src/domain/types.js';

export const id = (hex: string): Id => ({ toHexString: () => hex });

const BASE = Date.parse('2025-12-01T00:00:00Z');
/** Day `n` after 1 Dec 2025. */
export const day = (n: number): CalendarDate => new Date(BASE + n * 86_400_000).toISOString().slice(0, 10);
export const dayNumber = (date: CalendarDate): number =>
  Math.round((Date.parse(`${date}T00:00:00Z`) - BASE) / 86_400_000);

export function workstream(
  hex: string,
  fields: Partial<Omit<AnalysedWorkstream, '_id' | 'programId'>> & { program?: string } = {},
): AnalysedWorkstream {
  const { program = 'checkout', ...rest } = fields;
  return {
    _id: id(hex),
    programId: id(`program-${program}`),
    programKey: program,
    key: hex,
    team: 'team',
    state: 'active',
    ...rest,
  };
}

let sequence = 0;
export function dependency(
  consumer: string,
  provider: string,
  neededBy: CalendarDate,
  state: DependencyState = 'open',
  hex = `dep-${consumer}-${provider}-${(sequence += 1)}`,
): Pick<Dependency, '_id' | 'consumerId' | 'providerId' | 'neededBy' | 'state' | 'deliverable'> {
  return {
    _id: id(hex),
    consumerId: id(consumer),
    providerId: id(provider),
    neededBy,
    state,
    deliverable: `${provider} for ${consumer}`,
  };
}

export function update(
  workstreamHex: string,
  forecastDate: CalendarDate | undefined,
  at = 0,
): Pick<StatusUpdate, '_id' | 'workstreamId' | 'createdAt' | 'forecastDate'> {
  return {
    _id: id(`update-${workstreamHex}-${(sequence += 1)}`),
    workstreamId: id(workstreamHex),
    createdAt: new Date(BASE + at * 60_000),
    ...(forecastDate ? { forecastDate } : {}),
  };
}

export function milestone(
  hex: string,
  date: CalendarDate,
  needs: string[],
): Pick<Milestone, '_id' | 'date' | 'needs'> {
  return { _id: id(hex), date, needs: needs.map(id) };
}

// ---------------------------------------------------------------------------------------------------
// A random graph: nodes with a state and dates, edges between them. Days are offsets from 1 Dec 2025.

export interface ModelNode {
  state: WorkstreamState;
  /** Latest update's forecast (day), if any. */
  forecast?: number;
  target?: number;
  program: 0 | 1;
  team: number;
  /** Left out of the input's workstreams (a dependency names it, the loader did not load it). */
  missing: boolean;
}

export interface ModelEdge {
  c: number;
  p: number;
  needed: number;
  state: DependencyState;
}

export interface Model {
  nodes: ModelNode[];
  edges: ModelEdge[];
  today: number;
}

export const hexOfNode = (i: number): string => `w${String(i).padStart(4, '0')}`;

const states: WorkstreamState[] = [
  'active',
  'active',
  'active',
  'not_started',
  'paused',
  'done',
  'cancelled',
];

export const arbNode = (extras: boolean): fc.Arbitrary<ModelNode> =>
  fc.record({
    state: extras ? fc.constantFrom(...states) : fc.constant<WorkstreamState>('active'),
    forecast: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined, freq: extras ? 3 : 5 }),
    target: extras ? fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }) : fc.constant(30),
    program: fc.constantFrom<0 | 1>(0, 1),
    team: fc.integer({ min: 0, max: 3 }),
    missing: extras ? fc.integer({ min: 0, max: 7 }).map((x) => x === 0) : fc.constant(false),
  });

/**
 * A graph of up to `maxNodes` nodes. `acyclic`: every edge goes from a higher index to a lower one.
 * `extras`: any state, missing dates, broken and met dependencies.
 */
export function arbModel({
  maxNodes,
  maxEdges,
  acyclic,
  extras,
}: {
  maxNodes: number;
  maxEdges: number;
  acyclic: boolean;
  extras: boolean;
}): fc.Arbitrary<Model> {
  return fc.integer({ min: 1, max: maxNodes }).chain((n) =>
    fc.record({
      nodes: fc.array(arbNode(extras), { minLength: n, maxLength: n }),
      edges: fc.array(
        fc
          .record({
            c: fc.integer({ min: 0, max: n - 1 }),
            p: fc.integer({ min: 0, max: n - 1 }),
            needed: fc.integer({ min: 0, max: 60 }),
            state: extras
              ? fc.constantFrom<DependencyState>('open', 'open', 'open', 'broken', 'met')
              : fc.constant<DependencyState>('open'),
          })
          .filter((e) => !acyclic || e.c > e.p),
        { maxLength: n < 2 && acyclic ? 0 : maxEdges },
      ),
      today: fc.integer({ min: 0, max: 60 }),
    }),
  );
}

export function inputOf(model: Model): AnalysisInput {
  const workstreams = model.nodes.flatMap((node, i) =>
    node.missing
      ? []
      : [
          workstream(hexOfNode(i), {
            program: node.program === 0 ? 'checkout' : 'payments',
            team: `team-${node.team}`,
            state: node.state,
            ...(node.target !== undefined ? { targetDate: day(node.target) } : {}),
          }),
        ],
  );
  const updates = model.nodes.flatMap((node, i) =>
    node.missing
      ? []
      : [
          // An older update with a far later forecast: only the latest counts.
          update(hexOfNode(i), day(400), 0),
          update(hexOfNode(i), node.forecast !== undefined ? day(node.forecast) : undefined, 10),
        ],
  );
  return {
    programId: id('program-checkout'),
    today: day(model.today),
    workstreams,
    updates,
    dependencies: model.edges.map((e, k) =>
      dependency(hexOfNode(e.c), hexOfNode(e.p), day(e.needed), e.state, `d${String(k).padStart(5, '0')}`),
    ),
    milestones: [],
  };
}

// ---------------------------------------------------------------------------------------------------
// Oracles: the definitions of SPEC §6 (and of the choices documented in src/domain/analysis) restated
// over the model, by brute force.

const isOpen = (node: ModelNode): boolean =>
  node.missing || (node.state !== 'done' && node.state !== 'cancelled');
const stateOf = (node: ModelNode): WorkstreamState | undefined => (node.missing ? undefined : node.state);

/** Own forecast: latest update's forecast, else target; none for done, cancelled or missing work. */
export function ownOf(node: ModelNode): number | undefined {
  if (node.missing || !isOpen(node)) return undefined;
  return node.forecast ?? node.target;
}

/** `reach[i][j]`: i waits on j through one or more open or broken dependencies. */
export function reachability(
  model: Model,
  keep: (e: ModelEdge) => boolean = (e) => e.state !== 'met',
): boolean[][] {
  const n = model.nodes.length;
  const reach = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (const e of model.edges) if (keep(e)) reach[e.c]![e.p] = true;
  for (let k = 0; k < n; k += 1)
    for (let i = 0; i < n; i += 1)
      if (reach[i]![k]) for (let j = 0; j < n; j += 1) if (reach[k]![j]) reach[i]![j] = true;
  return reach;
}

/** Every path's forecast, walked one by one; the latest of them (undefined when the node has no own forecast). */
export function oraclePropagated(model: Model): Array<number | undefined> {
  const reach = reachability(model);
  const sameCycle = (a: number, b: number) => reach[a]![b]! && reach[b]![a]!;
  const pushes = (e: ModelEdge) =>
    e.state === 'open' &&
    !sameCycle(e.c, e.p) &&
    ownOf(model.nodes[e.c]!) !== undefined &&
    ownOf(model.nodes[e.p]!) !== undefined;
  const walk = (node: number, sum: number): number => {
    let best = sum;
    for (const e of model.edges) {
      if (e.c !== node || !pushes(e)) continue;
      best = Math.max(best, walk(e.p, sum + ownOf(model.nodes[e.p]!)! - e.needed));
    }
    return best;
  };
  return model.nodes.map((node, i) => {
    const own = ownOf(node);
    return own === undefined ? undefined : walk(i, own);
  });
}

export type OracleKind = 'cycle' | 'provider_cancelled' | 'broken' | 'late' | 'overdue' | 'upstream';

/** The at-risk nodes, each with the kind of every dependency (by index) that puts it at risk. */
export function oracleAtRisk(model: Model): Map<number, Map<number, OracleKind>> {
  const reach = reachability(model);
  const pf = oraclePropagated(model);
  const direct = (e: ModelEdge): OracleKind | undefined => {
    const provider = model.nodes[e.p]!;
    if (reach[e.c]![e.p] && reach[e.p]![e.c]) return 'cycle';
    if (e.state === 'broken') return 'broken';
    if (stateOf(provider) === 'done') return undefined;
    if (stateOf(provider) === 'cancelled') return 'provider_cancelled';
    const forecast = pf[e.p];
    if (forecast !== undefined && forecast > e.needed) return 'late';
    if (e.needed < model.today) return 'overdue';
    return undefined;
  };
  const atRisk = new Set<number>();
  for (let changed = true; changed;) {
    changed = false;
    model.edges.forEach((e) => {
      if (e.state === 'met' || !isOpen(model.nodes[e.c]!) || atRisk.has(e.c)) return;
      if (direct(e) !== undefined || (stateOf(model.nodes[e.p]!) !== 'done' && atRisk.has(e.p))) {
        atRisk.add(e.c);
        changed = true;
      }
    });
  }
  const result = new Map<number, Map<number, OracleKind>>();
  for (const c of atRisk) {
    const kinds = new Map<number, OracleKind>();
    model.edges.forEach((e, k) => {
      if (e.c !== c || e.state === 'met') return;
      const kind = direct(e) ?? (atRisk.has(e.p) ? 'upstream' : undefined);
      if (kind) kinds.set(k, kind);
    });
    result.set(c, kinds);
  }
  return result;
}

/** For each node, how many at-risk nodes other than it wait on it (through waiting dependencies). */
export function oracleWaiting(
  model: Model,
  atRisk: ReadonlySet<number>,
): { byNode: number[]; byTeam: Map<string, number> } {
  const waits = (e: ModelEdge) =>
    e.state !== 'met' && isOpen(model.nodes[e.c]!) && stateOf(model.nodes[e.p]!) !== 'done';
  const reach = reachability(model, waits);
  const n = model.nodes.length;
  const byNode = model.nodes.map((_, v) => [...atRisk].filter((u) => u !== v && reach[u]![v]).length);
  const byTeam = new Map<string, number>();
  for (let t = 0; t < 4; t += 1) {
    const members = [...Array(n).keys()].filter(
      (v) => !model.nodes[v]!.missing && model.nodes[v]!.team === t,
    );
    const count = [...atRisk].filter((u) => members.some((v) => v !== u && reach[u]![v])).length;
    if (count > 0) byTeam.set(`team-${t}`, count);
  }
  return { byNode, byTeam };
}

/** A seeded generator, for graphs too big to shrink. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random graph of `n` nodes and `m` open dependencies; acyclic ones go from higher to lower index. */
export function bigModel(seed: number, n: number, m: number, acyclic: boolean): Model {
  const rand = prng(seed);
  const int = (k: number) => Math.floor(rand() * k);
  const nodes: ModelNode[] = Array.from({ length: n }, () => ({
    state: rand() < 0.05 ? 'done' : 'active',
    forecast: rand() < 0.8 ? int(60) : undefined,
    target: int(60),
    program: rand() < 0.5 ? 0 : 1,
    team: int(4),
    missing: false,
  }));
  const edges: ModelEdge[] = [];
  if (n > 1) {
    for (let k = 0; k < m; k += 1) {
      let c = int(n);
      let p = int(n);
      if (acyclic) {
        if (c === p) continue;
        if (c < p) [c, p] = [p, c];
      }
      edges.push({ c, p, needed: int(60), state: rand() < 0.1 ? 'broken' : 'open' });
    }
  }
  return { nodes, edges, today: int(60) };
}
