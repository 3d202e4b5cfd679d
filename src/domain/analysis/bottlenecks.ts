/**
 * Bottlenecks (SPEC §6): the workstreams and teams the most at-risk work waits on, ranked, with the
 * count of work items waiting on each. Work waits on a workstream when it reaches it through one or
 * more open or broken dependencies, each with an open consumer and a provider that is not done (done
 * work has delivered; cancelled work waits on nothing). A workstream's count is the number of at-risk
 * workstreams, other than itself, that wait on it; a group's (a team, and later a shared resource:
 * the workstreams allocated to it) is the number of at-risk workstreams that wait on any of its
 * members other than themselves. Each is counted once however many paths lead there.
 *
 * One pass over the components, consumers first, with a bit set of at-risk workstreams per component:
 * linear in dependencies times (at-risk workstreams / 32).
 */
import { byCode } from './days.js';
import { componentPositions, type DependencyGraph } from './graph.js';
import { isOpen, type WorkstreamForecast } from './propagation.js';

export interface WorkstreamBottleneck {
  workstreamId: string;
  /** At-risk workstreams waiting on it. */
  waiting: number;
}

export interface GroupBottleneck {
  /** The group's name (a team's, or a shared resource's). */
  name: string;
  /** At-risk workstreams waiting on any of its workstreams. */
  waiting: number;
}

/** Who waits on whom, for the at-risk work: what the rankings are read from. */
export interface WaitingIndex {
  /**
   * Of a workstream: a bit set of the at-risk workstreams that wait on it (itself excluded), written
   * into `into` when given; undefined for a workstream the graph does not hold.
   */
  waitingOn(id: string, into?: Uint32Array): Uint32Array | undefined;
  words: number;
}

/** `atRisk`: per position in `graph.nodes`, whether that workstream is at risk. */
export function waitingIndex(
  graph: DependencyGraph,
  forecasts: readonly WorkstreamForecast[],
  atRisk: ArrayLike<unknown>,
): WaitingIndex {
  const { consumerAt, providerAt, inStart, inEdges } = graph;
  const n = graph.nodes.length;
  const bit = new Int32Array(n).fill(-1);
  let bits = 0;
  for (let i = 0; i < n; i += 1) if (atRisk[i]) bit[i] = bits++;
  const words = Math.ceil(bits / 32);
  // Cycles as the waiting goes: a done or cancelled workstream on a stored cycle does not close it.
  const waits = new Uint8Array(graph.edges.length);
  for (let e = 0; e < waits.length; e += 1) {
    waits[e] =
      isOpen(forecasts[consumerAt[e]!]!.state) && forecasts[providerAt[e]!]!.state !== 'done' ? 1 : 0;
  }
  const comps = componentPositions(graph, waits);
  /** Per component: the at-risk workstreams that wait on its members (its own at-risk members, if cyclic). */
  const sets = new Array<Uint32Array>(comps.positions.length);

  for (let c = comps.positions.length - 1; c >= 0; c -= 1) {
    const members = comps.positions[c]!;
    const set = new Uint32Array(words);
    if (comps.cyclic[c]) for (const at of members) setBit(set, bit[at]!);
    for (const at of members) {
      for (let k = inStart[at]!; k < inStart[at + 1]!; k += 1) {
        const e = inEdges[k]!;
        const consumer = consumerAt[e]!;
        const from = comps.at[consumer]!;
        if (from === c || !waits[e]) continue;
        setBit(set, bit[consumer]!);
        const upstream = sets[from]!;
        for (let i = 0; i < words; i += 1) set[i]! |= upstream[i]!;
      }
    }
    sets[c] = set;
  }

  return {
    words,
    waitingOn(id, into = new Uint32Array(words)) {
      const at = graph.position.get(id);
      if (at === undefined) return undefined;
      into.set(sets[comps.at[at]!]!);
      // A cyclic component's set holds its own at-risk members, each waiting on the others, not on itself.
      const own = bit[at]!;
      if (own >= 0) into[own >>> 5]! &= ~(1 << (own & 31));
      return into;
    },
  };
}

/** Workstreams with at-risk work waiting on them: most first, then by id. */
export function rankWorkstreams(index: WaitingIndex, ids: Iterable<string>): WorkstreamBottleneck[] {
  const ranked: WorkstreamBottleneck[] = [];
  const scratch = new Uint32Array(index.words);
  for (const id of ids) {
    const set = index.waitingOn(id, scratch);
    const waiting = set ? count(set) : 0;
    if (waiting > 0) ranked.push({ workstreamId: id, waiting });
  }
  return ranked.sort((a, b) => b.waiting - a.waiting || byCode(a.workstreamId, b.workstreamId));
}

/** Groups of workstreams (teams; shared resources) with at-risk work waiting on them: most first, then by name. */
export function rankGroups(
  index: WaitingIndex,
  groups: ReadonlyMap<string, readonly string[]>,
): GroupBottleneck[] {
  const ranked: GroupBottleneck[] = [];
  const scratch = new Uint32Array(index.words);
  for (const [name, ids] of groups) {
    const union = new Uint32Array(index.words);
    for (const id of ids) {
      const set = index.waitingOn(id, scratch);
      if (set) for (let i = 0; i < index.words; i += 1) union[i]! |= set[i]!;
    }
    const waiting = count(union);
    if (waiting > 0) ranked.push({ name, waiting });
  }
  return ranked.sort((a, b) => b.waiting - a.waiting || byCode(a.name, b.name));
}

function setBit(set: Uint32Array, bit: number): void {
  if (bit >= 0) set[bit >>> 5]! |= 1 << (bit & 31);
}

function count(set: Uint32Array): number {
  let n = 0;
  for (let v of set) {
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}
