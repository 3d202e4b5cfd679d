import { refusal, type Actor } from '../domain/permissions.js';
import { problem, success, type Outcome } from './outcome.js';
import { nudgeLeads, type ReminderDeps } from './reminders.js';
import { resolveProgram } from './resolve.js';
import { settingsOf } from '../domain/settings.js';

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
  const refused = refusal({ kind: 'change_program', program, change: 'nudge' }, actor);
  if (refused) return problem(refused);
  const [clicked, workstreams, workspace] = await Promise.all([
    deps.stores.runs.postedWithTs(actor.teamId, program._id, messageKey),
    deps.stores.workstreams.listByProgram(actor.teamId, program._id),
    deps.stores.workspaces.find(actor.teamId),
  ]);
  // "Missing" as the clicked digest said it: no update since the digest before it. (The digest
  // itself is the last posted one, and measuring from it would nudge leads it listed as up to date.)
  const previous = await deps.stores.runs.lastPosted(actor.teamId, {
    programId: program._id,
    ...(clicked?.postedAt ? { before: clicked.postedAt } : {}),
  });
  const staleAfterDays = settingsOf(workspace).staleAfterDays;
  const since = previous?.postedAt ?? new Date(now.getTime() - staleAfterDays * 86_400_000);
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
