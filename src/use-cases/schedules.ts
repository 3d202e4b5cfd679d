/** Digest schedules: create, list, pause, resume, remove. Only a program's owners may change them. */
import type { ScheduleInput } from '../domain/schedule.js';
import type { DigestSchedule, Id, Program } from '../domain/entities.js';
import { mayAdministerProgram, type Actor } from '../domain/permissions.js';
import { nextSlot } from '../domain/schedule-slots.js';
import type { Stores } from '../services.js';
import { problem, success, type Outcome } from './outcome.js';
import { resolveProgram } from './resolve.js';

/** The program, if the actor may change its schedules. */
export async function programForScheduling(
  stores: Stores,
  actor: Actor,
  programKey: string,
): Promise<Outcome<Program>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  if (found.value.state === 'archived')
    return problem({ kind: 'archived', programKey, takesNo: 'schedules' });
  if (!mayAdministerProgram(found.value, actor)) {
    return problem({
      kind: 'not_program_admin',
      change: 'schedules',
      programKey,
      ownerId: found.value.ownerId,
    });
  }
  return found;
}

export async function createSchedule(
  stores: Stores,
  actor: Actor,
  programKey: string,
  input: ScheduleInput,
  now: Date,
): Promise<Outcome<{ program: Program; schedule: DigestSchedule }>> {
  const found = await programForScheduling(stores, actor, programKey);
  if (!found.ok) return found;
  const program = found.value;
  const schedule = await stores.schedules.create({
    teamId: actor.teamId,
    programId: program._id,
    programKey: program.key,
    ...input,
    createdBy: actor.userId,
    createdAt: now,
    // Slots from now on; nothing before the schedule existed is "missed".
    lastSlotAt: now,
    nextSlotAt: nextSlot(input, now),
  });
  await stores.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action: 'schedule.created',
    target: { kind: 'schedule', id: schedule._id, key: program.key },
    details: { ...input },
    at: now,
  });
  return success({ program, schedule });
}

export async function listSchedules(
  stores: Stores,
  actor: Actor,
  programKey: string,
): Promise<Outcome<{ program: Program; schedules: DigestSchedule[] }>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  return success({
    program: found.value,
    schedules: await stores.schedules.forProgram(actor.teamId, found.value._id),
  });
}

export type ScheduleChange = 'pause' | 'resume' | 'remove';

export async function changeSchedule(
  stores: Stores,
  actor: Actor,
  scheduleId: Id,
  change: ScheduleChange,
  now: Date,
): Promise<Outcome<{ program: Program; schedule: DigestSchedule | undefined }>> {
  const schedule = await stores.schedules.findById(actor.teamId, scheduleId);
  if (!schedule) return problem({ kind: 'missing', what: 'schedule' });
  const found = await programForScheduling(stores, actor, schedule.programKey);
  if (!found.ok) return found;
  let changed: DigestSchedule | undefined;
  if (change === 'remove') {
    await stores.schedules.remove(actor.teamId, scheduleId);
  } else {
    const timing = { days: schedule.days, time: schedule.time, timezone: schedule.timezone };
    changed =
      (await stores.schedules.setPaused(
        actor.teamId,
        scheduleId,
        change === 'pause',
        now,
        nextSlot(timing, now),
      )) ?? undefined;
  }
  await stores.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action: `schedule.${change === 'remove' ? 'removed' : change === 'pause' ? 'paused' : 'resumed'}`,
    target: { kind: 'schedule', id: scheduleId, key: schedule.programKey },
    at: now,
  });
  return success({ program: found.value, schedule: changed });
}
