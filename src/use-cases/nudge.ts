import { mayAdministerProgram, type Actor } from '../domain/permissions.js';
import { quoteInput } from '../views/escape.js';
import { problem, success, type Outcome } from './outcome.js';
import { nudgeLeads, type ReminderDeps } from './reminders.js';
import { resolveProgram } from './resolve.js';

/**
 * "Nudge the missing ones" on a digest: DMs the leads of workstreams with no update since the
 * program's last digest, once per digest message (its ts keys the claims), whoever clicks again.
 */
export async function nudgeMissing(
  deps: ReminderDeps,
  actor: Actor,
  programKey: string,
  messageKey: string,
  now: Date,
): Promise<Outcome<{ nudged: number }>> {
  const found = await resolveProgram(deps.stores, actor.teamId, programKey);
  if (!found.ok) return found;
  const program = found.value;
  if (!mayAdministerProgram(program, actor)) {
    return problem(
      `Only the owner of ${quoteInput(program.key)} (<@${program.ownerId}>), its admins or a workspace admin may nudge its leads.`,
    );
  }
  const [previous, workstreams] = await Promise.all([
    deps.stores.runs.lastPosted(actor.teamId, { programId: program._id }),
    deps.stores.workstreams.listByProgram(actor.teamId, program._id),
  ]);
  const since = previous?.postedAt ?? new Date(now.getTime() - 7 * 86_400_000);
  const nudged = await nudgeLeads(deps, {
    teamId: actor.teamId,
    scheduleKey: `nudge:${program._id.toHexString()}:${messageKey}`,
    slot: since,
    programName: program.name,
    since,
    when: undefined,
    workstreams,
    replicaId: `click:${actor.userId}`,
    now,
  });
  return success({ nudged });
}
