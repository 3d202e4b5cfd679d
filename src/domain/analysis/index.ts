/**
 * Program intelligence (SPEC §6, issue 10): one pure pass over data already loaded. Given a program's
 * workstreams, their updates, the dependencies they take part in and the milestones of the program, it
 * returns every workstream's propagated forecast, the at-risk work with the chain of facts behind each,
 * the cycles, the broken dependencies, the critical path of the program and of each milestone, the
 * milestone forecasts and the bottlenecks. No I/O, no clock: `today` is an argument. Every list comes
 * in a fixed order.
 *
 * Slips propagate as far as the input reaches: for a chain through other programs to be followed to
 * its root, the input must hold those programs' dependencies and workstreams too. A loader gets that
 * in a constant number of queries by taking the workspace's open and broken dependencies, the
 * workstreams they name and those workstreams' latest updates.
 *
 * Capacity conflicts are computed apart, over all programs of a workspace, by `capacityConflicts` in
 * ./capacity.ts; a caller that shows both adds its result next to this one. Shared resources join the
 * bottleneck ranking through `rankGroups(result.waiting, resource name → allocated workstream ids)`.
 */
import type { Id } from '../entities.js';
import type { CalendarDate } from '../types.js';
import {
  rankGroups,
  rankWorkstreams,
  waitingIndex,
  type GroupBottleneck,
  type WaitingIndex,
  type WorkstreamBottleneck,
} from './bottlenecks.js';
import { atRiskChains, type AtRiskWorkstream } from './chains.js';
import { criticalPath, type CriticalPath } from './critical-path.js';
import { byCode } from './days.js';
import {
  components,
  cycleThrough,
  dependencyGraph,
  type DependencyGraph,
  type Edge,
  type GraphDependency,
} from './graph.js';
import { milestoneForecasts, type ForecastMilestone, type MilestoneForecast } from './milestones.js';
import {
  propagate,
  type ForecastUpdate,
  type ForecastWorkstream,
  type WorkstreamForecast,
} from './propagation.js';

export type { GroupBottleneck, WaitingIndex, WorkstreamBottleneck } from './bottlenecks.js';
export { rankGroups } from './bottlenecks.js';
export type { AtRiskWorkstream, RiskKind, RiskLink } from './chains.js';
export { RISK_SEVERITY } from './chains.js';
export type { CriticalPath, CriticalStep } from './critical-path.js';
export type { DependencyGraph, Edge } from './graph.js';
export { dependencyGraph, wouldCloseCycle } from './graph.js';
export type { MilestoneForecast } from './milestones.js';
export type { WorkstreamForecast } from './propagation.js';

export type AnalysedWorkstream = ForecastWorkstream & {
  programId: Id;
  programKey: string;
  key: string;
  team: string;
};

export interface AnalysisInput {
  /**
   * The program analysed (or a portfolio's programs): their workstreams make the critical path.
   */
  programId: Id | readonly Id[];
  /** Today in the program's timezone: a dependency needed before it and not delivered is overdue. */
  today: CalendarDate;
  /** The program's workstreams and the other programs' workstreams its dependencies reach. */
  workstreams: readonly AnalysedWorkstream[];
  /** Their status updates: at least each workstream's latest (the newest counts). */
  updates: readonly ForecastUpdate[];
  /** The dependencies (any state: met ones are left out of the graph). */
  dependencies: readonly GraphDependency[];
  /** The program's milestones. */
  milestones: readonly ForecastMilestone[];
}

export interface AtRiskItem extends AtRiskWorkstream {
  /** Its program's id, when the input holds the workstream. */
  programId?: string;
}

export interface ProgramAnalysis {
  /** The dependency graph, for what waits on a workstream (`waitedOnBy`) and `wouldCloseCycle`. */
  graph: DependencyGraph;
  /** Every workstream of the input and of its dependencies, in workstream order (see below). */
  forecasts: WorkstreamForecast[];
  /** The at-risk workstreams, in workstream order, with their reasons and chains. */
  atRisk: AtRiskItem[];
  /** Each cycle once, by its first workstream (see graph.ts). */
  cycles: string[][];
  /** Every broken dependency (visible until re-planned or removed), by consumer, provider, date, id. */
  broken: Edge[];
  /** The program's critical path; absent when none of its workstreams has a forecast. */
  criticalPath?: CriticalPath;
  /** By date, then id. */
  milestones: MilestoneForecast[];
  bottlenecks: {
    workstreams: WorkstreamBottleneck[];
    teams: GroupBottleneck[];
  };
  /** Who waits on whom among the at-risk work: ranks further groups (shared resources) with rankGroups. */
  waiting: WaitingIndex;
}

/**
 * Workstream order: the input's workstreams by program key, key, then id; then workstreams the input
 * does not hold, by id.
 */
export function analyseProgram(input: AnalysisInput): ProgramAnalysis {
  // Each id's hex form once: with MongoDB's ObjectId every toHexString() builds a new string.
  const analysed = new Set(
    (Array.isArray(input.programId) ? input.programId : [input.programId]).map((id: Id) => id.toHexString()),
  );
  const byId = new Map<string, AnalysedWorkstream>();
  const programOf = new Map<string, string>();
  const ofProgram: string[] = [];
  for (const w of input.workstreams) {
    const id = w._id.toHexString();
    const program = w.programId.toHexString();
    byId.set(id, w);
    programOf.set(id, program);
    if (analysed.has(program)) ofProgram.push(id);
  }
  const graph = dependencyGraph(input.dependencies, byId.keys());
  const comps = components(graph);
  const cycleByComponent = new Map<number, string[]>();
  comps.list.forEach((members, c) => {
    if (comps.cyclic[c]) cycleByComponent.set(c, cycleThrough(graph, members[0]!, new Set(members)));
  });

  const propagation = propagate(graph, comps, byId, input.updates);
  const forecastsById = propagation.byId;
  const atRiskAt = atRiskChains(graph, comps, propagation, input.today, (c) => cycleByComponent.get(c));
  const waiting = waitingIndex(graph, propagation.forecasts, atRiskAt);

  const entries = graph.nodes.map((id) => ({ id, w: byId.get(id) }));
  entries.sort((a, b) =>
    a.w && b.w
      ? byCode(a.w.programKey, b.w.programKey) || byCode(a.w.key, b.w.key) || byCode(a.id, b.id)
      : a.w
        ? -1
        : b.w
          ? 1
          : byCode(a.id, b.id),
  );
  const ordered = entries.map((e) => e.id);
  const teams = new Map<string, string[]>();
  for (const id of ordered) {
    const w = byId.get(id);
    if (!w) continue;
    const team = teams.get(w.team);
    if (team) team.push(id);
    else teams.set(w.team, [id]);
  }
  const path = criticalPath(forecastsById, ofProgram);

  return {
    graph,
    forecasts: ordered.map((id) => forecastsById.get(id)!),
    atRisk: ordered.flatMap((id) => {
      const item = atRiskAt[graph.position.get(id)!];
      if (!item) return [];
      const program = programOf.get(id);
      return [program ? { ...item, programId: program } : item];
    }),
    cycles: [...cycleByComponent.values()].sort((a, b) => byCode(a[0]!, b[0]!)),
    broken: graph.edges.filter((e) => e.state === 'broken'),
    ...(path ? { criticalPath: path } : {}),
    milestones: milestoneForecasts(input.milestones, forecastsById),
    bottlenecks: {
      workstreams: rankWorkstreams(waiting, ordered),
      teams: rankGroups(waiting, teams),
    },
    waiting,
  };
}
