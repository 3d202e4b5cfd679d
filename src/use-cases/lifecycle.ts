/**
 * How programs change over their months (SPEC §8): `/program set` for a program or a workstream,
 * `owner`, `admins`, `milestone … done|moved:`, `milestones` and `unarchive`. Each checks who may
 * (src/domain/permissions.ts), writes only what changes, and audits it with before and after.
 */
import type { Milestone, Program, Workstream } from '../domain/entities.js';
import { refusal, type Actor } from '../domain/permissions.js';
import type { ProgramChange } from '../domain/problems.js';
import type { CalendarDate } from '../domain/types.js';
import type { ProgramChanges } from '../data/programs.js';
import type { WorkstreamChanges } from '../data/workstreams.js';
import type { Stores } from '../services.js';
import { problem, success, type Outcome } from './outcome.js';
import { resolveProgram } from './resolve.js';

/** A change as the audit log and the answer show it: each field that changed, before and after. */
export interface Changed<T> {
  before: T;
  after: T;
  fields: string[];
}

/** The program, active, if the actor may make `change` to it. */
async function changeableProgram(
  stores: Stores,
  actor: Actor,
  programKey: string,
  change: ProgramChange,
): Promise<Outcome<Program>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  if (found.value.state === 'archived')
    return problem({ kind: 'archived', programKey: found.value.key, takesNo: 'changes' });
  const refused = refusal({ kind: 'change_program', program: found.value, change }, actor);
  return refused ? problem(refused) : found;
}

/** The fields of `changes` whose value differs from `current`'s. */
function differing<T extends object>(current: T, changes: Partial<T>): Partial<T> {
  return Object.fromEntries(
    Object.entries(changes).filter(
      ([field, value]) => value !== undefined && current[field as keyof T] !== value,
    ),
  ) as Partial<T>;
}

function audit(
  stores: Stores,
  actor: Actor,
  action: string,
  target: { kind: string; id: Program['_id']; key: string },
  at: Date,
  details: Record<string, unknown>,
): Promise<void> {
  return stores.audit.record({ teamId: actor.teamId, actorId: actor.userId, action, target, details, at });
}

const beforeAndAfter = <T extends object>(before: T, after: T, fields: readonly string[]) => ({
  before: Object.fromEntries(fields.map((k) => [k, before[k as keyof T] ?? null])),
  after: Object.fromEntries(fields.map((k) => [k, after[k as keyof T] ?? null])),
});

/**
 * `/program set <program> [name:] [objective:] [channel:] [audience:]`: only the program's owner, its
 * admins or a workspace admin may; an archived program takes no changes. Nothing is written or
 * audited when nothing changes (`fields` is then empty).
 */
export async function changeProgram(
  stores: Stores,
  actor: Actor,
  input: { programKey: string; changes: ProgramChanges },
  now: Date,
): Promise<Outcome<Changed<Program>>> {
  const change = Object.keys(input.changes).length === 1 && input.changes.audience ? 'audience' : 'change';
  const found = await changeableProgram(stores, actor, input.programKey, change);
  if (!found.ok) return found;
  const program = found.value;
  const changes = differing(program, input.changes);
  const fields = Object.keys(changes);
  if (fields.length === 0) return success({ before: program, after: program, fields });
  const before = await stores.programs.change(actor.teamId, program._id, changes);
  if (!before) return problem({ kind: 'archived', programKey: program.key, takesNo: 'changes' });
  const after = { ...before, ...changes };
  await audit(stores, actor, 'program.changed', { kind: 'program', id: before._id, key: before.key }, now, {
    ...beforeAndAfter(before, after, fields),
  });
  return success({ before, after, fields });
}

/**
 * `/program set <program> <workstream> [state:] [lead:] [due:] [team:] [name:] [phase:]`. A new
 * target date keeps the old one in the audit, and the next digest shows the slip ("what changed").
 */
export async function changeWorkstream(
  stores: Stores,
  actor: Actor,
  input: { programKey: string; workstreamKey: string; changes: WorkstreamChanges },
  now: Date,
): Promise<Outcome<Changed<Workstream> & { program: Program }>> {
  const found = await changeableProgram(stores, actor, input.programKey, 'change_workstream');
  if (!found.ok) return found;
  const program = found.value;
  const [workstream] = await stores.workstreams.findByKey(actor.teamId, input.workstreamKey, program.key);
  if (!workstream) return problem({ kind: 'no_workstream', named: `${program.key}/${input.workstreamKey}` });
  const changes = differing(workstream, input.changes);
  const fields = Object.keys(changes);
  if (fields.length === 0) return success({ program, before: workstream, after: workstream, fields });
  const before = await stores.workstreams.change(actor.teamId, workstream._id, changes);
  if (!before) return problem({ kind: 'missing', what: 'workstream' });
  const after = { ...before, ...changes };
  await audit(
    stores,
    actor,
    'workstream.changed',
    { kind: 'workstream', id: before._id, key: `${program.key}/${before.key}` },
    now,
    beforeAndAfter(before, after, fields),
  );
  return success({ program, before, after, fields });
}

/**
 * `/program owner <program> @user`: the owner or a workspace admin hands the program over. The
 * previous owner stays on as an admin, so that handing over never locks anyone out by surprise.
 */
export async function handOverProgram(
  stores: Stores,
  actor: Actor,
  input: { programKey: string; userId: string },
  now: Date,
): Promise<Outcome<Changed<Program>>> {
  const found = await resolveProgram(stores, actor.teamId, input.programKey);
  if (!found.ok) return found;
  const program = found.value;
  if (program.state === 'archived')
    return problem({ kind: 'archived', programKey: program.key, takesNo: 'changes' });
  const refused = refusal({ kind: 'hand_over_program', program }, actor);
  if (refused) return problem(refused);
  if (program.ownerId === input.userId) return success({ before: program, after: program, fields: [] });
  const adminIds = [...new Set([...program.adminIds, program.ownerId])].filter((id) => id !== input.userId);
  const before = await stores.programs.change(actor.teamId, program._id, { ownerId: input.userId, adminIds });
  if (!before) return problem({ kind: 'archived', programKey: program.key, takesNo: 'changes' });
  const after = { ...before, ownerId: input.userId, adminIds };
  await audit(
    stores,
    actor,
    'program.handed_over',
    { kind: 'program', id: before._id, key: before.key },
    now,
    {
      ...beforeAndAfter(before, after, ['ownerId', 'adminIds']),
    },
  );
  return success({ before, after, fields: ['ownerId'] });
}

/** `/program admins <program> add|remove @user…`: the program's owner, its admins or a workspace admin. */
export async function changeAdmins(
  stores: Stores,
  actor: Actor,
  input: { programKey: string; change: 'add' | 'remove'; userIds: string[] },
  now: Date,
): Promise<Outcome<Changed<Program>>> {
  const found = await changeableProgram(stores, actor, input.programKey, 'admins');
  if (!found.ok) return found;
  const program = found.value;
  // The owner is always in charge; naming them as an admin changes nothing.
  const userIds = input.userIds.filter((id) => id !== program.ownerId);
  const before = await stores.programs.changeAdmins(actor.teamId, program._id, input.change, userIds);
  if (!before) return problem({ kind: 'archived', programKey: program.key, takesNo: 'changes' });
  const adminIds =
    input.change === 'add'
      ? [...new Set([...before.adminIds, ...userIds])]
      : before.adminIds.filter((id) => !userIds.includes(id));
  const after = { ...before, adminIds };
  const changed = adminIds.length !== before.adminIds.length;
  if (changed) {
    await audit(
      stores,
      actor,
      'program.admins_changed',
      { kind: 'program', id: before._id, key: before.key },
      now,
      {
        ...beforeAndAfter(before, after, ['adminIds']),
      },
    );
  }
  return success({ before, after, fields: changed ? ['adminIds'] : [] });
}

/** `/program archive <program>`: it keeps its history but takes no more changes, updates or digests. */
export function archiveProgram(
  stores: Stores,
  actor: Actor,
  programKey: string,
  now: Date,
): Promise<Outcome<Program>> {
  return setArchived(stores, actor, programKey, 'archive', now);
}

/** `/program unarchive <program>`: active again, taking updates, changes and digests. */
export function unarchiveProgram(
  stores: Stores,
  actor: Actor,
  programKey: string,
  now: Date,
): Promise<Outcome<Program>> {
  return setArchived(stores, actor, programKey, 'unarchive', now);
}

async function setArchived(
  stores: Stores,
  actor: Actor,
  programKey: string,
  change: 'archive' | 'unarchive',
  now: Date,
): Promise<Outcome<Program>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  const refused = refusal({ kind: 'change_program', program: found.value, change }, actor);
  if (refused) return problem(refused);
  const changed =
    change === 'archive'
      ? await stores.programs.archive(actor.teamId, found.value._id, now)
      : await stores.programs.unarchive(actor.teamId, found.value._id);
  if (!changed) {
    return problem(
      change === 'archive'
        ? { kind: 'archived_already', programKey: found.value.key }
        : { kind: 'not_archived', programKey: found.value.key },
    );
  }
  await audit(
    stores,
    actor,
    change === 'archive' ? 'program.archived' : 'program.unarchived',
    { kind: 'program', id: changed._id, key: changed.key },
    now,
    {},
  );
  return success(changed);
}

/** `/program milestones <program>`: every milestone, reached ones too, with the workstreams each needs. */
export async function listMilestones(
  stores: Stores,
  actor: Actor,
  programKey: string,
): Promise<Outcome<{ program: Program; milestones: Milestone[]; workstreams: Workstream[] }>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  const [milestones, workstreams] = await Promise.all([
    stores.milestones.allForProgram(actor.teamId, found.value._id),
    stores.workstreams.listByProgram(actor.teamId, found.value._id),
  ]);
  const known = new Set(workstreams.map((w) => w._id.toHexString()));
  const others = milestones.flatMap((m) => m.needs).filter((id) => !known.has(id.toHexString()));
  const besides = others.length ? await stores.workstreams.findByIds(actor.teamId, others) : [];
  return success({ program: found.value, milestones, workstreams: [...workstreams, ...besides] });
}

/** `/program milestone <program> "<name>" done` or `… moved:<date>`. */
export async function changeMilestone(
  stores: Stores,
  actor: Actor,
  input: { programKey: string; name: string; to: { done: true } | { date: CalendarDate } },
  now: Date,
): Promise<Outcome<{ program: Program; before: Milestone; after: Milestone }>> {
  const found = await changeableProgram(stores, actor, input.programKey, 'milestones');
  if (!found.ok) return found;
  const program = found.value;
  const all = await stores.milestones.allForProgram(actor.teamId, program._id);
  const wanted = input.name.toLocaleLowerCase();
  const milestone = all.find((m) => m.name.toLocaleLowerCase() === wanted);
  if (!milestone) {
    return problem({
      kind: 'no_milestone',
      programKey: program.key,
      name: input.name,
      names: all.filter((m) => !m.doneAt).map((m) => m.name),
    });
  }
  if (milestone.doneAt)
    return problem({ kind: 'milestone_done_already', name: milestone.name, doneAt: milestone.doneAt });
  if ('date' in input.to && input.to.date === milestone.date)
    return success({ program, before: milestone, after: milestone });
  const after =
    'done' in input.to
      ? await stores.milestones.markDone(actor.teamId, milestone._id, actor.userId, now)
      : await stores.milestones.move(actor.teamId, milestone._id, milestone.date, input.to.date);
  if (!after) return problem({ kind: 'milestone_changed_meanwhile', name: milestone.name });
  await audit(
    stores,
    actor,
    'done' in input.to ? 'milestone.done' : 'milestone.moved',
    { kind: 'milestone', id: milestone._id, key: program.key },
    now,
    {
      name: milestone.name,
      ...beforeAndAfter(milestone, after, 'done' in input.to ? ['doneAt'] : ['date']),
    },
  );
  return success({ program, before: milestone, after });
}
