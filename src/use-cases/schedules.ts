/**
 * Digest schedules of programs and portfolios: create, edit, list, pause, resume, remove. Only a program's
 * owners (a portfolio's maker) or a workspace admin may change them; anyone in the workspace may list them.
 */
import type { ScheduleInput, ScheduleSubject, ScheduleSubjectRef } from '../domain/schedule.js';
import type { DigestSchedule, Id, Program } from '../domain/entities.js';
import { refusal, type Actor } from '../domain/permissions.js';
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
  const refused = refusal({ kind: 'change_program', program: found.value, change: 'schedules' }, actor);
  return refused ? problem(refused) : found;
}

/** The program or portfolio, if the actor may change its schedules (a portfolio's: whoever made it, or a workspace admin). */
export async function subjectForScheduling(
  stores: Stores,
  actor: Actor,
  ref: ScheduleSubjectRef,
): Promise<Outcome<ScheduleSubject>> {
  if ('programKey' in ref) {
    const found = await programForScheduling(stores, actor, ref.programKey);
    return found.ok ? success({ kind: 'program', program: found.value }) : found;
  }
  const found = await findSubject(stores, actor, ref);
  if (!found.ok || found.value.kind === 'program') return found;
  const { portfolio } = found.value;
  const refused = refusal({ kind: 'change_portfolio', portfolio }, actor);
  return refused ? problem(refused) : found;
}

export async function createSchedule(
  stores: Stores,
  actor: Actor,
  ref: ScheduleSubjectRef,
  input: ScheduleInput,
  now: Date,
): Promise<Outcome<{ subject: ScheduleSubject; schedule: DigestSchedule }>> {
  const found = await subjectForScheduling(stores, actor, ref);
  if (!found.ok) return found;
  const subject = found.value;
  const schedule = await stores.schedules.create({
    teamId: actor.teamId,
    ...(subject.kind === 'program'
      ? { programId: subject.program._id, programKey: subject.program.key }
      : { portfolioId: subject.portfolio._id, portfolioKey: subject.portfolio.key }),
    ...choicesFor(subject, input),
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
    target: { kind: 'schedule', id: schedule._id, key: subjectKey(subject) },
    details: { ...input, ...(subject.kind === 'portfolio' ? { portfolio: subject.portfolio.key } : {}) },
    at: now,
  });
  return success({ subject, schedule });
}

/** The schedule and what it belongs to, if the actor may change it (to open its form filled in). */
export async function scheduleForChange(
  stores: Stores,
  actor: Actor,
  scheduleId: Id,
): Promise<Outcome<{ subject: ScheduleSubject; schedule: DigestSchedule }>> {
  const schedule = await stores.schedules.findById(actor.teamId, scheduleId);
  const ref = schedule ? refOf(schedule) : undefined;
  if (!schedule || !ref) return problem({ kind: 'missing', what: 'schedule' });
  const found = await subjectForScheduling(stores, actor, ref);
  return found.ok ? success({ subject: found.value, schedule }) : found;
}

/**
 * The schedule's form submitted again. A new timing starts from now, as a new schedule would: the
 * slots the old timing had before the change are not "missed", and the next one is the new timing's.
 * The same timing keeps its place, so a slot due but not yet posted is not lost by an edit.
 */
export async function editSchedule(
  stores: Stores,
  actor: Actor,
  scheduleId: Id,
  ref: ScheduleSubjectRef,
  input: ScheduleInput,
  now: Date,
): Promise<Outcome<{ subject: ScheduleSubject; schedule: DigestSchedule }>> {
  const found = await scheduleForChange(stores, actor, scheduleId);
  if (!found.ok) return found;
  const { subject, schedule: before } = found.value;
  // The form names what it schedules: a schedule of something else is not this form's.
  if (JSON.stringify(refOfSubject(subject)) !== JSON.stringify(ref))
    return problem({ kind: 'missing', what: 'schedule' });
  const fields = choicesFor(subject, input);
  const retimed =
    before.time !== fields.time ||
    before.timezone !== fields.timezone ||
    before.days.join() !== fields.days.join();
  const later = before.lastSlotAt.getTime() > now.getTime() ? before.lastSlotAt : now;
  const schedule = await stores.schedules.change(
    actor.teamId,
    scheduleId,
    fields,
    retimed ? { lastSlotAt: later, nextSlotAt: nextSlot(fields, later) } : undefined,
  );
  if (!schedule) return problem({ kind: 'missing', what: 'schedule' });
  const changes = Object.fromEntries(
    (Object.keys(fields) as Array<keyof ScheduleInput>).flatMap((key) =>
      JSON.stringify(before[key] ?? null) === JSON.stringify(fields[key] ?? null)
        ? []
        : [[key, { from: before[key] ?? null, to: fields[key] ?? null }]],
    ),
  );
  await stores.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action: 'schedule.changed',
    target: { kind: 'schedule', id: scheduleId, key: subjectKey(subject) },
    details: changes,
    at: now,
  });
  return success({ subject, schedule });
}

/** A program's or portfolio's schedules; anyone in the workspace may read them. */
export async function listSchedules(
  stores: Stores,
  actor: Actor,
  ref: ScheduleSubjectRef,
): Promise<Outcome<{ subject: ScheduleSubject; schedules: DigestSchedule[] }>> {
  const found = await findSubject(stores, actor, ref);
  if (!found.ok) return found;
  const subject = found.value;
  return success({
    subject,
    schedules:
      subject.kind === 'program'
        ? await stores.schedules.forProgram(actor.teamId, subject.program._id)
        : await stores.schedules.forPortfolio(actor.teamId, subject.portfolio._id),
  });
}

export type ScheduleChange = 'pause' | 'resume' | 'remove';

export async function changeSchedule(
  stores: Stores,
  actor: Actor,
  scheduleId: Id,
  change: ScheduleChange,
  now: Date,
): Promise<Outcome<{ subject: ScheduleSubject; schedule: DigestSchedule | undefined }>> {
  const schedule = await stores.schedules.findById(actor.teamId, scheduleId);
  if (!schedule) return problem({ kind: 'missing', what: 'schedule' });
  const ref = refOf(schedule);
  if (!ref) return problem({ kind: 'missing', what: 'schedule' });
  const found = await subjectForScheduling(stores, actor, ref);
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
    target: { kind: 'schedule', id: scheduleId, key: subjectKey(found.value) },
    at: now,
  });
  return success({ subject: found.value, schedule: changed });
}

/** A portfolio's digest is for leadership and chases nobody: its programs' own schedules do. */
function choicesFor(subject: ScheduleSubject, input: ScheduleInput): ScheduleInput {
  return subject.kind === 'program' ? input : { ...input, variant: 'leadership', reminderLeadMinutes: 0 };
}

/** The key a subject's schedules are asked for by again (after a change, to redraw the list). */
export function refOfSubject(subject: ScheduleSubject): ScheduleSubjectRef {
  return subject.kind === 'program'
    ? { programKey: subject.program.key }
    : { portfolioKey: subject.portfolio.key };
}

function refOf(schedule: DigestSchedule): ScheduleSubjectRef | undefined {
  if (schedule.programKey) return { programKey: schedule.programKey };
  if (schedule.portfolioKey) return { portfolioKey: schedule.portfolioKey };
  return undefined;
}

const subjectKey = (subject: ScheduleSubject) =>
  subject.kind === 'program' ? subject.program.key : `portfolio:${subject.portfolio.key}`;

async function findSubject(
  stores: Stores,
  actor: Actor,
  ref: ScheduleSubjectRef,
): Promise<Outcome<ScheduleSubject>> {
  if ('programKey' in ref) {
    const found = await resolveProgram(stores, actor.teamId, ref.programKey);
    return found.ok ? success({ kind: 'program', program: found.value }) : found;
  }
  const portfolio = await stores.portfolios.findByKey(actor.teamId, ref.portfolioKey);
  return portfolio
    ? success({ kind: 'portfolio', portfolio })
    : problem({ kind: 'no_portfolio', key: ref.portfolioKey });
}
