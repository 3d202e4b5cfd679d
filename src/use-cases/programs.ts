/**
 * What `/program` does, as use cases: each checks who may do it, resolves names within the actor's
 * workspace, writes, and records an audit event. Handlers only parse, call one of these, and answer.
 */
import { dependencyGraph, wouldCloseCycle } from '../domain/analysis/graph.js';
import { storedId } from '../data/ids.js';
import type { ProgramOverview } from '../domain/read-models.js';
import {
  type Allocation,
  type Blocker,
  type Dependency,
  type Id,
  type Milestone,
  type Program,
  type SharedResource,
  type Workstream,
  sameId,
} from '../domain/entities.js';
import { refusal, type Actor } from '../domain/permissions.js';
import type { Problem } from '../domain/problems.js';
import { settingsOf } from '../domain/settings.js';
import type { CalendarDate, WorkstreamRef } from '../domain/types.js';
import type { Stores } from '../services.js';
import { problem, success, type Outcome } from './outcome.js';
import { otherSideOf, resolveProgram, resolveWorkstream, workstreamsBesides } from './resolve.js';

const LIST_LIMIT = 100;

/** Why the actor may not create programs here (the workspace's settings say who may), if they may not. */
export async function creationRefusal(stores: Stores, actor: Actor): Promise<Problem | undefined> {
  const { programCreation } = settingsOf(await stores.workspaces.find(actor.teamId));
  return refusal({ kind: 'create_program', creation: programCreation }, actor);
}

export async function createProgram(
  stores: Stores,
  actor: Actor,
  input: { programKey: string; name: string; objective?: string; channelId?: string },
  now: Date,
): Promise<Outcome<Program>> {
  const refused = await creationRefusal(stores, actor);
  if (refused) return problem(refused);
  const program = await stores.programs.create({
    teamId: actor.teamId,
    key: input.programKey,
    name: input.name,
    objective: input.objective,
    channelId: input.channelId,
    ownerId: actor.userId,
    createdAt: now,
  });
  if (!program) return problem({ kind: 'program_taken', key: input.programKey });
  await audit(stores, actor, 'program.created', { kind: 'program', id: program._id, key: program.key }, now, {
    name: input.name,
  });
  return success(program);
}

export async function listPrograms(
  stores: Stores,
  actor: Actor,
  includeArchived: boolean,
): Promise<Program[]> {
  return stores.programs.list(actor.teamId, { includeArchived, limit: LIST_LIMIT });
}

export async function showProgram(
  stores: Stores,
  actor: Actor,
  programKey: string,
): Promise<Outcome<ProgramOverview>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  const program = found.value;
  const [workstreams, blockers, dependencies, milestones] = await Promise.all([
    stores.workstreams.listByProgram(actor.teamId, program._id),
    stores.blockers.openFor(actor.teamId, { programId: program._id }),
    stores.dependencies.forProgram(actor.teamId, program._id),
    stores.milestones.forProgram(actor.teamId, program._id),
  ]);
  const otherWorkstreams = await otherSideOf(stores, actor.teamId, workstreams, dependencies);
  return success({ program, workstreams, blockers, dependencies, otherWorkstreams, milestones });
}

export async function addWorkstream(
  stores: Stores,
  actor: Actor,
  input: {
    programKey: string;
    workstreamKey: string;
    name: string;
    team: string;
    leadUserId: string;
    due?: CalendarDate;
  },
  now: Date,
): Promise<Outcome<{ program: Program; workstream: Workstream }>> {
  const found = await activeProgram(stores, actor, input.programKey);
  if (!found.ok) return found;
  const program = found.value;
  // Choosing who leads what is the program's owners' call (SPEC §2).
  const refused = refusal({ kind: 'change_program', program, change: 'add_workstream' }, actor);
  if (refused) return problem(refused);
  const workstream = await stores.workstreams.create({
    teamId: actor.teamId,
    programId: program._id,
    programKey: program.key,
    key: input.workstreamKey,
    name: input.name,
    team: input.team,
    leadId: input.leadUserId,
    targetDate: input.due,
    createdAt: now,
  });
  if (!workstream)
    return problem({ kind: 'workstream_taken', programKey: program.key, key: input.workstreamKey });
  await audit(
    stores,
    actor,
    'workstream.added',
    { kind: 'workstream', id: workstream._id, key: `${program.key}/${workstream.key}` },
    now,
    {
      lead: input.leadUserId,
      team: input.team,
      due: input.due,
    },
  );
  return success({ program, workstream });
}

/**
 * `/program depend`: `consumer` needs `deliverable` from `provider` by a date. When the two already have
 * a standing dependency (open, or broken: it stands until it is re-planned), this re-plans that one (a
 * new date and deliverable, open again) instead of adding a second; a met one is history, and a new one
 * is added. `previous` is the standing dependency as it was before, when there was one: unchanged
 * when it was open with the same date and deliverable (nothing written).
 */
export async function addDependency(
  stores: Stores,
  actor: Actor,
  input: {
    consumer: WorkstreamRef;
    provider: WorkstreamRef;
    by: CalendarDate;
    deliverable: string;
    /**
     * Issue 15: false stores it without a request to the provider (committed on `by`, as dependencies
     * from before requests are): the sample portfolio's. A re-plan asks again all the same.
     */
    ask?: boolean;
  },
  now: Date,
): Promise<
  Outcome<{ dependency: Dependency; consumer: Workstream; provider: Workstream; previous?: Dependency }>
> {
  const consumer = await resolveWorkstream(stores, actor.teamId, input.consumer);
  if (!consumer.ok) return consumer;
  const provider = await resolveWorkstream(stores, actor.teamId, input.provider);
  if (!provider.ok) return provider;
  if (sameId(consumer.value._id, provider.value._id)) return problem({ kind: 'self_dependency' });
  // Declaring what a workstream waits on is its program's owners' call (SPEC §8).
  const [consumerProgram] = await stores.programs.findByIds(actor.teamId, [consumer.value.programId]);
  if (!consumerProgram) return problem({ kind: 'missing', what: 'program' });
  if (consumerProgram.state === 'archived')
    return problem({ kind: 'archived', programKey: consumerProgram.key, takesNo: 'changes' });
  const refused = refusal(
    { kind: 'declare_dependency', program: consumerProgram, consumerLeadId: consumer.value.leadId },
    actor,
  );
  if (refused) return problem(refused);
  const pair = { consumer: consumer.value, provider: provider.value };
  const standing = await stores.dependencies.standing(actor.teamId);
  let existing = latestBetween(standing, pair.consumer, pair.provider);
  let checked = false;
  // A few rounds at most: each one that fails means another `depend` or a settle of this pair won.
  for (let round = 0; round < 3; round++) {
    if (!existing) {
      // Re-planning an edge that stands already changes no path, so it cannot close a cycle; a new one can.
      if (!checked) {
        const cycle = await cycleClosedBy(stores, actor.teamId, standing, pair.consumer, pair.provider);
        if (cycle) return problem({ kind: 'dependency_cycle', cycle });
        checked = true;
      }
      const added = await stores.dependencies.add({
        teamId: actor.teamId,
        consumerId: pair.consumer._id,
        consumerProgramId: pair.consumer.programId,
        providerId: pair.provider._id,
        providerProgramId: pair.provider.programId,
        deliverable: input.deliverable,
        neededBy: input.by,
        createdBy: actor.userId,
        createdAt: now,
        // Issue 15: the provider's lead is asked to commit (the caller sends the request).
        ...(input.ask === false ? {} : { commitment: { state: 'requested' as const, requestedAt: now } }),
      });
      if (added) {
        await audit(stores, actor, 'dependency.added', { kind: 'dependency', id: added._id }, now, {
          consumer: refOf(pair.consumer),
          provider: refOf(pair.provider),
          by: input.by,
        });
        return success({ dependency: added, ...pair });
      }
      // The same pair was declared at the same moment, and that one stands: this re-plans it.
      existing = latestBetween(
        await stores.dependencies.standingBetween(actor.teamId, pair.consumer._id, pair.provider._id),
        pair.consumer,
        pair.provider,
      );
      continue;
    }
    if (
      existing.state === 'open' &&
      existing.neededBy === input.by &&
      existing.deliverable === input.deliverable
    )
      return success({ dependency: existing, ...pair, previous: existing });
    const replanned = await stores.dependencies.replan(actor.teamId, existing, {
      neededBy: input.by,
      deliverable: input.deliverable,
      by: actor.userId,
      at: now,
    });
    if (replanned) {
      await audit(stores, actor, 'dependency.replanned', { kind: 'dependency', id: replanned._id }, now, {
        consumer: refOf(pair.consumer),
        provider: refOf(pair.provider),
        before: { by: existing.neededBy, deliverable: existing.deliverable, state: existing.state },
        after: { by: replanned.neededBy, deliverable: replanned.deliverable, state: replanned.state },
      });
      return success({ dependency: replanned, ...pair, previous: existing });
    }
    // Met in the meantime: history now, so this declares a new one.
    existing = undefined;
  }
  throw new Error(
    `the dependency of ${refOf(pair.consumer)} on ${refOf(pair.provider)} kept changing while it was declared`,
  );
}

const refOf = (w: Pick<Workstream, 'programKey' | 'key'>) => `${w.programKey}/${w.key}`;

/**
 * The standing dependency of `consumer` on `provider`: the latest, when data from before re-planning
 * existed holds more than one.
 */
function latestBetween(
  dependencies: readonly Dependency[],
  consumer: Workstream,
  provider: Workstream,
): Dependency | undefined {
  let latest: Dependency | undefined;
  for (const d of dependencies) {
    if (d.state === 'met' || !sameId(d.consumerId, consumer._id) || !sameId(d.providerId, provider._id))
      continue;
    if (!latest || d.createdAt > latest.createdAt) latest = d;
  }
  return latest;
}

/**
 * The cycle `consumer` waiting on `provider` would close, as `program/key` refs, or undefined: read
 * from the workspace's whole standing graph (programs depend on each other).
 */
async function cycleClosedBy(
  stores: Stores,
  teamId: string,
  standing: readonly Dependency[],
  consumer: Workstream,
  provider: Workstream,
): Promise<string[] | undefined> {
  const cycle = wouldCloseCycle(dependencyGraph(standing), consumer._id, provider._id);
  if (!cycle) return undefined;
  const known = new Map([consumer, provider].map((w) => [w._id.toHexString(), w]));
  const ids = cycle.map((hex) => storedId(hex)!);
  for (const w of await workstreamsBesides(stores, teamId, known, ids)) known.set(w._id.toHexString(), w);
  return cycle.map((hex) => {
    const w = known.get(hex);
    return w ? `${w.programKey}/${w.key}` : 'a removed workstream';
  });
}

export async function addBlocker(
  stores: Stores,
  actor: Actor,
  input: { workstream: WorkstreamRef; text: string; internal?: boolean },
  now: Date,
): Promise<Outcome<{ blocker: Blocker; workstream: Workstream }>> {
  const found = await resolveWorkstream(stores, actor.teamId, input.workstream);
  if (!found.ok) return found;
  const workstream = found.value;
  const blocker = await stores.blockers.open({
    teamId: actor.teamId,
    programId: workstream.programId,
    workstreamId: workstream._id,
    text: input.text,
    ownerId: workstream.leadId,
    openedBy: actor.userId,
    openedAt: now,
    // Internal unless said otherwise (SPEC §7).
    internal: input.internal ?? true,
  });
  await audit(stores, actor, 'blocker.opened', { kind: 'blocker', id: blocker._id }, now, {
    workstream: `${workstream.programKey}/${workstream.key}`,
    internal: blocker.internal,
  });
  return success({ blocker, workstream });
}

export async function addMilestone(
  stores: Stores,
  actor: Actor,
  input: { programKey: string; name: string; date: CalendarDate; needs: WorkstreamRef[]; internal?: boolean },
  now: Date,
): Promise<Outcome<{ program: Program; milestone: Milestone; needs: Workstream[] }>> {
  const found = await activeProgram(stores, actor, input.programKey);
  if (!found.ok) return found;
  const program = found.value;
  const refused = refusal({ kind: 'change_program', program, change: 'milestones' }, actor);
  if (refused) return problem(refused);
  const needs: Workstream[] = [];
  for (const ref of input.needs) {
    // A bare key means this program's workstream.
    const resolved = await resolveWorkstream(stores, actor.teamId, {
      programKey: ref.programKey ?? program.key,
      workstreamKey: ref.workstreamKey,
    });
    if (!resolved.ok) return resolved;
    needs.push(resolved.value);
  }
  const milestone = await stores.milestones.add({
    teamId: actor.teamId,
    programId: program._id,
    name: input.name,
    date: input.date,
    needs: needs.map((w) => w._id),
    // Client-visible unless said otherwise, like updates (SPEC §7).
    internal: input.internal ?? false,
    createdBy: actor.userId,
    createdAt: now,
  });
  await audit(
    stores,
    actor,
    'milestone.added',
    { kind: 'milestone', id: milestone._id, key: program.key },
    now,
    { date: input.date, internal: milestone.internal ?? false },
  );
  return success({ program, milestone, needs });
}

export async function setResource(
  stores: Stores,
  actor: Actor,
  input: { name: string; capacityPerWeek: number },
  now: Date,
): Promise<Outcome<{ resource: SharedResource; created: boolean }>> {
  const existing = await stores.resources.findByName(actor.teamId, input.name);
  const refused = existing && refusal({ kind: 'change_resource', resource: existing }, actor);
  if (refused) return problem(refused);
  const result = await stores.resources.upsert({
    teamId: actor.teamId,
    name: input.name,
    capacityPerWeek: input.capacityPerWeek,
    by: actor.userId,
    at: now,
  });
  await audit(
    stores,
    actor,
    result.created ? 'resource.created' : 'resource.capacity_changed',
    { kind: 'resource', id: result.resource._id, key: result.resource.key },
    now,
    {
      capacityPerWeek: input.capacityPerWeek,
    },
  );
  return success(result);
}

/**
 * `/program allocate`: books units a week of a shared resource for a workstream over a period, in place
 * of that workstream's allocations of the resource whose periods overlap it (`replaced`); its other
 * periods stay (two units in January and one in February are both real).
 */
export async function allocateResource(
  stores: Stores,
  actor: Actor,
  input: { resource: string; workstream: WorkstreamRef; units: number; from: CalendarDate; to: CalendarDate },
  now: Date,
): Promise<
  Outcome<{
    resource: SharedResource;
    workstream: Workstream;
    allocation: Allocation;
    replaced: Allocation[];
  }>
> {
  const resource = await stores.resources.findByName(actor.teamId, input.resource);
  if (!resource) {
    return problem({ kind: 'no_resource', name: input.resource });
  }
  const found = await resolveWorkstream(stores, actor.teamId, input.workstream);
  if (!found.ok) return found;
  const [program] = await stores.programs.findByIds(actor.teamId, [found.value.programId]);
  if (!program) return problem({ kind: 'missing', what: 'program' });
  const refused = refusal({ kind: 'allocate_resource', resource, program }, actor);
  if (refused) return problem(refused);
  const allocation: Allocation = {
    workstreamId: found.value._id,
    units: input.units,
    from: input.from,
    to: input.to,
    createdBy: actor.userId,
    createdAt: now,
  };
  const booked = await stores.resources.allocate(
    actor.teamId,
    resource._id,
    allocation,
    (a) => sameId(a.workstreamId, allocation.workstreamId) && overlaps(a, allocation),
  );
  if (!booked) return problem({ kind: 'resource_removed', name: input.resource });
  const { resource: updated, replaced } = booked;
  await audit(
    stores,
    actor,
    'resource.allocated',
    { kind: 'resource', id: resource._id, key: resource.key },
    now,
    {
      workstream: `${found.value.programKey}/${found.value.key}`,
      units: input.units,
      from: input.from,
      to: input.to,
      replaced: replaced.map(({ units, from, to }) => ({ units, from, to })),
    },
  );
  return success({ resource: updated, workstream: found.value, allocation, replaced });
}

/** Whether two periods (calendar dates, both ends included) share a day. */
const overlaps = (a: Pick<Allocation, 'from' | 'to'>, b: Pick<Allocation, 'from' | 'to'>) =>
  a.from <= b.to && b.from <= a.to;

async function activeProgram(stores: Stores, actor: Actor, key: string): Promise<Outcome<Program>> {
  const found = await resolveProgram(stores, actor.teamId, key);
  if (found.ok && found.value.state === 'archived')
    return problem({ kind: 'archived', programKey: key, takesNo: 'changes' });
  return found;
}

function audit(
  stores: Stores,
  actor: Actor,
  action: string,
  target: { kind: string; id?: Id; key?: string },
  at: Date,
  details?: Record<string, unknown>,
): Promise<void> {
  return stores.audit.record({ teamId: actor.teamId, actorId: actor.userId, action, target, details, at });
}
