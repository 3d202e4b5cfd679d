/**
 * Everything SPEC §6 says about one program, from data already loaded: the dependency analysis
 * (./index.ts), the capacity conflicts its work takes part in (./capacity.ts), and the shared
 * resources ranked beside workstreams and teams as bottlenecks. Pure, like its parts; every view that
 * shows the analysis (digest, card, App Home, `/program risks`) starts here, so they always agree.
 */
import type { Dependency, Id, Milestone, Program, Workstream } from '../entities.js';
import type { CalendarDate } from '../types.js';
import { capacityConflicts, type CapacityConflict, type CapacityResource } from './capacity.js';
import { analyseProgram, rankGroups, type GroupBottleneck, type ProgramAnalysis } from './index.js';
import type { ForecastUpdate } from './propagation.js';
import type { DependencyAtRisk, WorkstreamChains } from '../read-models.js';

export interface IntelligenceInput {
  /** The program read (or a portfolio's programs). */
  program: Pick<Program, '_id' | 'key'> | ReadonlyArray<Pick<Program, '_id' | 'key'>>;
  /** Today in the timezone the program is read in. */
  today: CalendarDate;
  /** The program's workstreams and every other workstream the dependencies and allocations name. */
  workstreams: readonly Workstream[];
  /** The workspace's standing (open and broken) dependencies. */
  dependencies: readonly Dependency[];
  milestones: readonly Milestone[];
  /** The workspace's shared resources with their allocations. */
  resources: readonly CapacityResource[];
}

export interface ProgramIntelligence {
  analysis: ProgramAnalysis;
  /** Conflicts from today's week on in which the program has work, by week then resource. */
  capacity: CapacityConflict[];
  /** Shared resources whose allocated work the at-risk work waits on, most waited on first. */
  resourceBottlenecks: GroupBottleneck[];
}

/**
 * A workstream's record keeps its latest update's time and forecast (`recordLatest`): that is all of
 * the history the analysis reads, so every view forecasts from the same facts.
 */
function latestFromRecords(workstreams: readonly Workstream[]): ForecastUpdate[] {
  return workstreams.flatMap((w) =>
    w.lastUpdateAt
      ? [{ _id: w._id, workstreamId: w._id, createdAt: w.lastUpdateAt, forecastDate: w.forecastDate }]
      : [],
  );
}

/**
 * The analysis read from workstream records (see latestFromRecords), as every view runs it. Only the
 * program's critical path depends on `programId`; callers that read none pass any program.
 */
export function analyseRecords(input: {
  programId: Id | readonly Id[];
  today: CalendarDate;
  workstreams: readonly Workstream[];
  dependencies: readonly Dependency[];
  milestones?: readonly Milestone[];
}): ProgramAnalysis {
  return analyseProgram({
    programId: input.programId,
    today: input.today,
    workstreams: input.workstreams,
    updates: latestFromRecords(input.workstreams),
    dependencies: input.dependencies,
    milestones: input.milestones ?? [],
  });
}

/** Each shared resource's name → the workstreams booked on it: a group for rankGroups. */
export function resourceGroups(resources: readonly CapacityResource[]): Map<string, string[]> {
  return new Map(resources.map((r) => [r.name, r.allocations.map((a) => a.workstreamId.toHexString())]));
}

/**
 * Some workstreams' chains both ways (SPEC §6), from the workspace's standing dependencies and the
 * workstreams they name, in one pass of the analysis: each one's forecast, the chain from it to the
 * root cause when it is at risk, and the at-risk work whose chain runs through it.
 */
export function chainsAround(
  workstreams: readonly Workstream[],
  named: ReadonlyMap<string, Workstream>,
  dependencies: readonly Dependency[],
  today: CalendarDate,
): Map<string, WorkstreamChains> {
  const around = new Map<string, WorkstreamChains>();
  const first = workstreams[0];
  if (!first) return around;
  const analysis = analyseRecords({
    programId: first.programId,
    today,
    workstreams: [...named.values()],
    dependencies,
  });
  const forecasts = new Map(analysis.forecasts.map((f) => [f.workstreamId, f]));
  for (const w of workstreams) {
    around.set(w._id.toHexString(), { today, reaches: [], named });
  }
  for (const risk of analysis.atRisk) {
    const own = around.get(risk.workstreamId);
    if (own) own.risk = risk;
    // Each workstream on its chain holds it up, once.
    for (const id of new Set(risk.chain.map((l) => l.providerId)))
      around.get(id)?.reaches.push(risk.workstreamId);
  }
  for (const [id, chains] of around) {
    const forecast = forecasts.get(id);
    if (forecast) chains.forecast = forecast;
  }
  return around;
}

/** One workstream's chains both ways (see chainsAround). */
export function workstreamChains(
  workstream: Workstream,
  named: ReadonlyMap<string, Workstream>,
  dependencies: readonly Dependency[],
  today: CalendarDate,
): WorkstreamChains {
  return chainsAround([workstream], named, dependencies, today).get(workstream._id.toHexString())!;
}

export function programIntelligence(input: IntelligenceInput): ProgramIntelligence {
  const programs = Array.isArray(input.program) ? input.program : [input.program];
  const keys = new Set(programs.map((p) => p.key));
  const analysis = analyseRecords({
    programId: programs.map((p) => p._id),
    today: input.today,
    workstreams: input.workstreams,
    dependencies: input.dependencies,
    milestones: input.milestones,
  });
  const capacity = capacityConflicts({
    resources: input.resources,
    workstreams: input.workstreams,
    from: input.today,
  }).filter((c) => c.byProgram.some((p) => keys.has(p.programKey)));
  const resourceBottlenecks = rankGroups(analysis.waiting, resourceGroups(input.resources));
  return { analysis, capacity, resourceBottlenecks };
}

/**
 * Why each open dependency of the workspace is at risk, by dependency id (SPEC §6): the chain from it
 * to the root cause; or, when no date says late yet, that its provider says it is off track (SPEC §3).
 */
export function atRiskReasons(
  standing: readonly Dependency[],
  named: ReadonlyMap<string, Workstream>,
  today: CalendarDate,
): Map<string, DependencyAtRisk> {
  const first = [...named.values()][0];
  const reasons = new Map<string, DependencyAtRisk>();
  if (!first) return reasons;
  const analysis = analyseRecords({
    programId: first.programId,
    today,
    workstreams: [...named.values()],
    dependencies: standing,
  });
  const riskOf = new Map(analysis.atRisk.map((r) => [r.workstreamId, r]));
  for (const risk of analysis.atRisk) {
    for (const link of risk.reasons) {
      if (link.kind === 'broken' || link.kind === 'cycle') continue;
      // This link, then the provider's own chain to its root cause.
      const upstream = link.providerAtRisk ? (riskOf.get(link.providerId)?.chain ?? []) : [];
      reasons.set(link.dependencyId, { chain: [link, ...upstream] });
    }
  }
  for (const d of standing) {
    const id = d._id.toHexString();
    const provider = named.get(d.providerId.toHexString());
    if (d.state !== 'open' || reasons.has(id) || !provider) continue;
    if (provider.state === 'done' || provider.state === 'cancelled') continue;
    if (provider.health === 'off_track') reasons.set(id, { providerOffTrack: true, chain: [] });
  }
  return reasons;
}
