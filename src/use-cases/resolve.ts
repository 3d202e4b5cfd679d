import type { Id, Program, Workstream } from '../domain/entities.js';
import type { WorkstreamRef } from '../domain/types.js';
import type { Stores } from '../services.js';
import { problem, success, type Outcome } from './outcome.js';

/** Finds a program of the actor's workspace by key. */
export async function resolveProgram(stores: Stores, teamId: string, key: string): Promise<Outcome<Program>> {
  const program = await stores.programs.findByKey(teamId, key);
  if (!program) return problem({ kind: 'no_program', key });
  return success(program);
}

/** Finds a workstream by `key` or `program/key`, saying which programs to choose from when ambiguous. */
export async function resolveWorkstream(
  stores: Stores,
  teamId: string,
  ref: WorkstreamRef,
): Promise<Outcome<Workstream>> {
  const found = await stores.workstreams.findByKey(teamId, ref.workstreamKey, ref.programKey);
  const named = ref.programKey ? `${ref.programKey}/${ref.workstreamKey}` : ref.workstreamKey;
  if (found.length === 0) {
    return problem({ kind: 'no_workstream', named });
  }
  if (found.length > 1) {
    const choices = found.map((w) => `${w.programKey}/${w.key}`);
    return problem({ kind: 'ambiguous_workstream', key: ref.workstreamKey, choices });
  }
  return success(found[0]!);
}

/** The workstreams of other programs that a program's dependencies name (one query, or none). */
export function otherSideOf(
  stores: Stores,
  teamId: string,
  own: readonly Workstream[],
  dependencies: readonly { consumerId: Id; providerId: Id }[],
): Promise<Workstream[]> {
  return workstreamsBesides(
    stores,
    teamId,
    new Set(own.map((w) => w._id.toHexString())),
    dependencies.flatMap((d) => [d.consumerId, d.providerId]),
  );
}

/** The workstreams `ids` name that are not among `known` (hex ids): one query, or none. */
export async function workstreamsBesides(
  stores: Stores,
  teamId: string,
  known: { has(hex: string): boolean },
  ids: readonly Id[],
): Promise<Workstream[]> {
  const missing = new Map<string, Id>();
  for (const id of ids) if (!known.has(id.toHexString())) missing.set(id.toHexString(), id);
  return missing.size > 0 ? stores.workstreams.findByIds(teamId, [...missing.values()]) : [];
}
