/**
 * `/program follow <program>` and `/program unfollow <program>` (SPEC §9): anyone in the workspace
 * may follow any program they may read (all of its programs), and stop following it; each person
 * follows and unfollows for themselves alone. Followers get the program's scheduled digests by DM
 * (src/use-cases/follower-digests.ts). Both are idempotent: a second follow or unfollow changes
 * nothing and says so.
 */
import type { Program } from '../domain/entities.js';
import { refusal, type Actor } from '../domain/permissions.js';
import type { Stores } from '../services.js';
import { problem, success, type Outcome } from './outcome.js';
import { resolveProgram } from './resolve.js';

export interface FollowChange {
  program: Program;
  /** False when nothing changed: they followed it already (follow), or did not (unfollow). */
  changed: boolean;
}

/** At most this many follows are read for one person's Home tab or one run's followers. */
export const FOLLOW_FETCH_LIMIT = 500;

/** `/program follow`: `scheduled` is how many of its digest schedules are running (not paused). */
export async function followProgram(
  stores: Stores,
  actor: Actor,
  programKey: string,
  now: Date,
): Promise<Outcome<FollowChange & { scheduled: number }>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  const program = found.value;
  const refused = refusal({ kind: 'read_program', program }, actor);
  if (refused) return problem(refused);
  // An archived program posts no digests: following it would promise DMs that never come.
  if (program.state === 'archived')
    return problem({ kind: 'archived', programKey: program.key, takesNo: 'followers' });
  const [changed, schedules] = await Promise.all([
    stores.followers.follow(actor.teamId, program._id, actor.userId, now),
    stores.schedules.forProgram(actor.teamId, program._id),
  ]);
  return success({ program, changed, scheduled: schedules.filter((s) => !s.paused).length });
}

/** Stops the actor's own follow; an archived program may be unfollowed too. */
export async function unfollowProgram(
  stores: Stores,
  actor: Actor,
  programKey: string,
): Promise<Outcome<FollowChange>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  const program = found.value;
  const refused = refusal({ kind: 'read_program', program }, actor);
  if (refused) return problem(refused);
  const changed = await stores.followers.unfollow(actor.teamId, program._id, actor.userId);
  return success({ program, changed });
}
