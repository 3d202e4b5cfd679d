/**
 * The critical path (SPEC §6): of a set of workstreams (a program's, or those a milestone needs), the
 * chain of dependencies that decides when the last of them finishes. It ends at the workstream with
 * the latest propagated forecast (the longest chain among equals, then the smallest id) and goes back
 * through the dependency that decides each step's forecast (`drivenBy`) to a workstream nothing pushes.
 * Its finish is that latest propagated forecast.
 */
import type { CalendarDate } from '../types.js';
import { byCode } from './days.js';
import type { Edge } from './graph.js';
import type { WorkstreamForecast } from './propagation.js';

export interface CriticalStep {
  workstreamId: string;
  own: CalendarDate;
  propagated: CalendarDate;
  /** The dependency by which it waits on the step before (absent on the first step). */
  via?: Edge;
}

export interface CriticalPath {
  /** The latest propagated forecast of the set: the last step's. */
  finish: CalendarDate;
  /** First (pushed by nothing) to last (finishing last). */
  steps: CriticalStep[];
}

/** The critical path of `ids`; undefined when none of them has a propagated forecast. */
export function criticalPath(
  forecasts: ReadonlyMap<string, WorkstreamForecast>,
  ids: Iterable<string>,
): CriticalPath | undefined {
  let last: WorkstreamForecast | undefined;
  for (const id of ids) {
    const f = forecasts.get(id);
    if (!f?.propagated) continue;
    if (
      !last ||
      byCode(f.propagated, last.propagated!) > 0 ||
      (f.propagated === last.propagated &&
        (f.chainLength > last.chainLength ||
          (f.chainLength === last.chainLength && byCode(f.workstreamId, last.workstreamId) < 0)))
    ) {
      last = f;
    }
  }
  if (!last) return undefined;
  const steps: CriticalStep[] = [];
  for (
    let at: WorkstreamForecast | undefined = last;
    at;
    at = at.drivenBy && forecasts.get(at.drivenBy.provider)
  ) {
    steps.push({
      workstreamId: at.workstreamId,
      own: at.own!,
      propagated: at.propagated!,
      ...(at.drivenBy ? { via: at.drivenBy } : {}),
    });
  }
  return { finish: last.propagated!, steps: steps.reverse() };
}
