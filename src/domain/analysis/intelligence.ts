/**
 * Everything SPEC §6 says about one program, from data already loaded: the dependency analysis
 * (./index.ts), the capacity conflicts its work takes part in (./capacity.ts), and the shared
 * resources ranked beside workstreams and teams as bottlenecks. Pure, like its parts; every view that
 * shows the analysis (digest, card, App Home, `/program risks`) starts here, so they always agree.
 */
import type { Dependency, Milestone, Program, Workstream } from '../entities.js';
import type { CalendarDate } from '../types.js';
import { capacityConflicts, type CapacityConflict, type CapacityResource } from './capacity.js';
import { analyseProgram, rankGroups, type GroupBottleneck, type ProgramAnalysis } from './index.js';
import type { ForecastUpdate } from './propagation.js';
import type { WorkstreamChains } from '../read-models.js';

export interface IntelligenceInput {
  program: Pick<Program, '_id' | 'key'>;
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
export function latestFromRecords(workstreams: readonly Workstream[]): ForecastUpdate[] {
  return workstreams.flatMap((w) =>
    w.lastUpdateAt
      ? [{ _id: w._id, workstreamId: w._id, createdAt: w.lastUpdateAt, forecastDate: w.forecastDate }]
      : [],
  );
}

/**
 * A workstream's chains both ways (SPEC §6), from the workspace's standing dependencies and the
 * workstreams they name: its forecast, the chain from it to the root cause when it is at risk, and
 * the at-risk work whose chain runs through it.
 */
export function workstreamChains(
  workstream: Workstream,
  named: ReadonlyMap<string, Workstream>,
  dependencies: readonly Dependency[],
  today: CalendarDate,
): WorkstreamChains {
  const analysis = analyseProgram({
    programId: workstream.programId,
    today,
    workstreams: [...named.values()],
    updates: latestFromRecords([...named.values()]),
    dependencies,
    milestones: [],
  });
  const id = workstream._id.toHexString();
  const forecast = analysis.forecasts.find((f) => f.workstreamId === id);
  const risk = analysis.atRisk.find((r) => r.workstreamId === id);
  return {
    today,
    ...(forecast ? { forecast } : {}),
    ...(risk ? { risk } : {}),
    reaches: analysis.atRisk
      .filter((r) => r.workstreamId !== id && r.chain.some((l) => l.providerId === id))
      .map((r) => r.workstreamId),
    named,
  };
}

export function programIntelligence(input: IntelligenceInput): ProgramIntelligence {
  const analysis = analyseProgram({
    programId: input.program._id,
    today: input.today,
    workstreams: input.workstreams,
    updates: latestFromRecords(input.workstreams),
    dependencies: input.dependencies,
    milestones: input.milestones,
  });
  const capacity = capacityConflicts({
    resources: input.resources,
    workstreams: input.workstreams,
    from: input.today,
  }).filter((c) => c.byProgram.some((p) => p.programKey === input.program.key));
  const allocatedTo = new Map<string, string[]>();
  for (const r of input.resources) {
    allocatedTo.set(
      r.name,
      r.allocations.map((a) => a.workstreamId.toHexString()),
    );
  }
  const resourceBottlenecks = rankGroups(analysis.waiting, allocatedTo);
  return { analysis, capacity, resourceBottlenecks };
}
