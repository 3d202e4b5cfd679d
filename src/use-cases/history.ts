/** `/status <workstream> history`: a workstream's latest updates, in two queries. */
import type { WorkstreamHistory } from '../domain/read-models.js';
import type { Actor } from '../domain/permissions.js';
import type { WorkstreamRef } from '../domain/types.js';
import type { Stores } from '../services.js';
import { success, type Outcome } from './outcome.js';
import { resolveWorkstream } from './resolve.js';

/** How many updates the history shows (SPEC §2). */
export const HISTORY_LENGTH = 20;

/** Anyone in the workspace may read a workstream's history (SPEC §2); another workspace's is not found. */
export async function workstreamHistory(
  stores: Stores,
  actor: Actor,
  ref: WorkstreamRef,
): Promise<Outcome<WorkstreamHistory>> {
  const found = await resolveWorkstream(stores, actor.teamId, ref);
  if (!found.ok) return found;
  // One more than shown, to know whether there are older ones.
  const updates = await stores.updates.latest(
    actor.teamId,
    found.value.programId,
    found.value._id,
    HISTORY_LENGTH + 1,
  );
  return success({
    workstream: found.value,
    updates: updates.slice(0, HISTORY_LENGTH),
    more: updates.length > HISTORY_LENGTH,
  });
}
