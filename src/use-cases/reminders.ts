/**
 * Reminders before each digest (SPEC §4): by the schedule's lead time, each lead whose workstreams
 * have no update since the last digest gets one DM, claimed in MongoDB per lead and slot so any
 * number of replicas send it once. Paused, done and cancelled workstreams are left alone.
 */
import type { Id, Workstream } from '../domain/entities.js';
import type { ProgramSchedule } from '../data/schedules.js';
import { localSlotLabel } from '../domain/schedule-slots.js';
import type { Stores } from '../services.js';
import { expectsUpdates } from '../domain/workstream-state.js';
import { postMessageOnce } from '../slack/digest-poster.js';
import type { ClientFor } from '../slack/workspace-client.js';
import type { Logger } from '../logger.js';
import { isUpdatedSince, reminderMessage } from '../views/reminder-views.js';
import { whoIsAway } from './time-away.js';
import { settingsOf } from '../domain/settings.js';

export interface ReminderDeps {
  stores: Stores;
  slackFor: ClientFor;
  log: Logger;
}

const MAX_LEAD_MS = 24 * 60 * 60 * 1000;

export async function runReminderTick(
  deps: ReminderDeps,
  replicaId: string,
  now: Date,
): Promise<{ sent: number }> {
  let sent = 0;
  for (const schedule of await deps.stores.schedules.upcoming(
    now,
    new Date(now.getTime() + MAX_LEAD_MS),
    500,
  )) {
    const slot = schedule.nextSlotAt!;
    if (slot.getTime() - schedule.reminderLeadMinutes * 60_000 > now.getTime()) continue;
    sent += await remindFor(deps, schedule, slot, replicaId, now);
  }
  return { sent };
}

async function remindFor(
  deps: ReminderDeps,
  schedule: ProgramSchedule,
  slot: Date,
  replicaId: string,
  now: Date,
): Promise<number> {
  const { stores } = deps;
  const [programs, previous, workstreams, workspace] = await Promise.all([
    stores.programs.findByIds(schedule.teamId, [schedule.programId]),
    stores.runs.lastPosted(schedule.teamId, { scheduleKey: schedule._id.toHexString() }),
    stores.workstreams.listByProgram(schedule.teamId, schedule.programId),
    stores.workspaces.find(schedule.teamId),
  ]);
  const program = programs[0];
  // Its schedules are paused on uninstall; this covers a tick that read them just before.
  if (!program || program.state === 'archived' || workspace?.uninstalledAt) return 0;
  const since =
    previous?.postedAt ?? new Date(now.getTime() - settingsOf(workspace).staleAfterDays * 86_400_000);
  return nudgeLeads(deps, {
    teamId: schedule.teamId,
    scheduleKey: schedule._id.toHexString(),
    slot,
    programName: program.name,
    since,
    when: localSlotLabel(slot, schedule.timezone),
    workstreams,
    replicaId,
    now,
  });
}

/** DMs each lead whose workstreams are missing an update, once per (key, slot, lead). */
export async function nudgeLeads(
  deps: ReminderDeps,
  r: {
    teamId: string;
    scheduleKey: string;
    slot: Date;
    programName: string;
    since: Date;
    when: string | undefined;
    workstreams: readonly Workstream[];
    replicaId: string;
    now: Date;
  },
): Promise<number> {
  const missing = r.workstreams.filter((w) => expectsUpdates(w.state) && !isUpdatedSince(w, r.since));
  // Someone away gets no reminder (issue 15): the digest says "lead away until …" for their work.
  const away = missing.length > 0 ? await whoIsAway(deps.stores, r.teamId, r.now) : new Map();
  const byLead = new Map<string, Workstream[]>();
  for (const w of missing) {
    if (!away.has(w.leadId)) byLead.set(w.leadId, [...(byLead.get(w.leadId) ?? []), w]);
  }
  let sent = 0;
  for (const [leadId, theirs] of byLead) {
    const claim = await deps.stores.reminders.claim({
      teamId: r.teamId,
      scheduleKey: r.scheduleKey,
      slot: r.slot,
      leadId,
      claimedBy: r.replicaId,
      claimedAt: r.now,
    });
    if (!claim) continue;
    try {
      // No automatic repeats: postMessageOnce looks for the DM before repeating it (a lost answer).
      const client = await deps.slackFor(r.teamId, { retries: false });
      const message = reminderMessage(
        leadId,
        { programName: r.programName, since: r.since, when: r.when },
        theirs,
        r.now,
      );
      const posted = await postMessageOnce(client, leadId, message, `reminder:${claim._id.toHexString()}`, {
        since: r.now,
      });
      await deps.stores.reminders.markSent(r.teamId, claim._id as Id, posted.channel, posted.ts);
      sent++;
    } catch (error) {
      deps.log.warn({ err: error, leadId, scheduleKey: r.scheduleKey }, 'could not send a reminder');
      await deps.stores.reminders
        .markFailed(r.teamId, claim._id, error instanceof Error ? error.message : String(error))
        .catch(() => undefined);
    }
  }
  return sent;
}
