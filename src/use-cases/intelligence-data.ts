/**
 * Loading what the program analysis (SPEC §6) needs besides a program's own records, in two round
 * trips whatever the sizes: the workspace's standing dependencies and allocated shared resources
 * (one batch, which a caller can send together with its own queries), then the other programs'
 * workstreams those name (one query, or none).
 */
import type { Dependency, SharedResource, Workstream } from '../domain/entities.js';
import type { Stores } from '../services.js';
import { workstreamsBesides } from './resolve.js';

export interface WorkspacePlan {
  /** Open and broken dependencies of the whole workspace: chains cross programs. */
  standing: Dependency[];
  /** Shared resources with allocations: capacity is summed across programs. */
  resources: SharedResource[];
}

export async function loadWorkspacePlan(stores: Stores, teamId: string): Promise<WorkspacePlan> {
  const [standing, resources] = await Promise.all([
    stores.dependencies.standing(teamId),
    stores.resources.allocatedIn(teamId),
  ]);
  return { standing, resources };
}

/** The workstreams the plan names that `known` lacks: one query, or none. */
export function workstreamsNamedBy(
  stores: Stores,
  teamId: string,
  known: { has(hex: string): boolean },
  plan: WorkspacePlan,
): Promise<Workstream[]> {
  return workstreamsBesides(stores, teamId, known, [
    ...plan.standing.flatMap((d) => [d.consumerId, d.providerId]),
    ...plan.resources.flatMap((r) => r.allocations.map((a) => a.workstreamId)),
  ]);
}
