/** What `/status`, the update modal and the Edit button do, as use cases. */
import { expectsUpdates } from '../domain/workstream-state.js';
import type { OneClickAnswer } from '../domain/one-click.js';
import type { RecordedUpdate, WorkstreamCard } from '../domain/read-models.js';
import { type Id, type UpdateContent, type UpdateRef, type Workstream, sameId } from '../domain/entities.js';
import { refusal, type Actor } from '../domain/permissions.js';
import type { UpdateSource, WorkstreamRef } from '../domain/types.js';
import type { Stores } from '../services.js';
import { problem, success, type Outcome } from './outcome.js';
import { resolveWorkstream, workstreamsBesides } from './resolve.js';
import { workstreamChains } from '../domain/analysis/intelligence.js';
import { dateIn } from '../domain/digest/context.js';

/** How many past updates the card's health trend shows. */
export const TREND_LENGTH = 8;

export async function recordUpdate(
  stores: Stores,
  actor: Actor,
  input: {
    workstream: WorkstreamRef | Id;
    content: UpdateContent;
    source: UpdateSource;
    requestKey?: string;
    /**
     * Whether a blocker this update opens is internal (its text left out of client digests). Blockers
     * are internal unless the author says otherwise (SPEC §7), whether or not the update itself is.
     */
    blockerInternal?: boolean;
  },
  now: Date,
): Promise<Outcome<RecordedUpdate>> {
  const found = !('workstreamKey' in input.workstream)
    ? await byId(stores, actor.teamId, input.workstream)
    : await resolveWorkstream(stores, actor.teamId, input.workstream);
  if (!found.ok) return found;
  const workstream = found.value;
  const program = (await stores.programs.findByIds(actor.teamId, [workstream.programId]))[0];
  if (!program || program.state === 'archived') {
    return problem({ kind: 'archived', programKey: workstream.programKey, takesNo: 'updates' });
  }
  const { update, duplicate } = await stores.updates.record({
    teamId: actor.teamId,
    programId: workstream.programId,
    workstreamId: workstream._id,
    authorId: actor.userId,
    ...(actor.userId === workstream.leadId ? {} : { onBehalfOf: workstream.leadId }),
    source: input.source,
    createdAt: now,
    requestKey: input.requestKey,
    ...input.content,
  });
  // Also on a repeat: the first attempt may still be on its way (two clicks at once) or may have died
  // between its writes, and whoever answers must find the workstream current. It only moves forward.
  const latest = stores.workstreams.recordLatest(actor.teamId, workstream._id, {
    health: update.health,
    progress: update.progress,
    forecastDate: update.forecastDate,
    at: update.createdAt,
  });
  if (duplicate) {
    await latest;
    return success({
      update,
      workstream: { ...workstream, health: update.health, lastUpdateAt: update.createdAt },
      duplicate,
    });
  }
  // Carrying an update forward restates it; its blockers are open already.
  const blockerText =
    input.source === 'carried_forward'
      ? ''
      : input.content.blockers?.trim() ||
        (input.content.blocked ? input.content.summary.trim() || 'Blocked (no details given)' : '');
  // The latest state, the blocker and the audit record are independent writes: one round trip, not three.
  const [, openedBlocker] = await Promise.all([
    latest,
    blockerText
      ? stores.blockers.open({
          teamId: actor.teamId,
          programId: workstream.programId,
          workstreamId: workstream._id,
          text: blockerText,
          ownerId: workstream.leadId,
          openedBy: actor.userId,
          openedAt: now,
          updateId: update._id,
          internal: input.blockerInternal ?? true,
        })
      : Promise.resolve(undefined),
    stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'update.recorded',
      target: { kind: 'workstream', id: workstream._id, key: `${workstream.programKey}/${workstream.key}` },
      details: {
        updateId: update._id,
        health: update.health,
        source: input.source,
        ...(update.internal ? { internal: true } : {}),
      },
      at: now,
    }),
  ]);
  return success({
    update,
    workstream: { ...workstream, health: update.health, lastUpdateAt: now },
    openedBlocker,
    duplicate,
  });
}

export async function editUpdate(
  stores: Stores,
  actor: Actor,
  input: UpdateRef & { content: UpdateContent },
  now: Date,
): Promise<Outcome<RecordedUpdate>> {
  const existing = await stores.updates.findById(actor.teamId, input.programId, input.updateId);
  if (!existing) return problem({ kind: 'missing', what: 'update' });
  const refused = refusal({ kind: 'edit_update', authorId: existing.authorId }, actor);
  if (refused) return problem(refused);
  const edited = await stores.updates.edit(
    actor.teamId,
    input.programId,
    input.updateId,
    actor.userId,
    input.content,
    now,
  );
  if (!edited) return problem({ kind: 'edit_closed' });
  const workstream = await stores.workstreams.findById(actor.teamId, edited.workstreamId);
  if (!workstream) return problem({ kind: 'missing', what: 'update_workstream' });
  // The edited update may still be the latest: keep the workstream's current health in step.
  await stores.workstreams.recordLatest(actor.teamId, workstream._id, {
    health: edited.health,
    progress: edited.progress,
    forecastDate: edited.forecastDate,
    at: edited.createdAt,
  });
  await stores.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action: 'update.edited',
    target: { kind: 'workstream', id: workstream._id, key: `${workstream.programKey}/${workstream.key}` },
    details: { updateId: edited._id, revisions: edited.revisions.length },
    at: now,
  });
  return success({ update: edited, workstream, duplicate: false });
}

export async function workstreamCard(
  stores: Stores,
  actor: Actor,
  ref: WorkstreamRef,
  now: Date,
): Promise<Outcome<WorkstreamCard>> {
  const found = await resolveWorkstream(stores, actor.teamId, ref);
  if (!found.ok) return found;
  const workstream = found.value;
  const [programs, updates, blockers, dependencies, standing] = await Promise.all([
    stores.programs.findByIds(actor.teamId, [workstream.programId]),
    stores.updates.latest(actor.teamId, workstream.programId, workstream._id, TREND_LENGTH),
    stores.blockers.openFor(actor.teamId, { workstreamIds: [workstream._id] }),
    stores.dependencies.involving(actor.teamId, [workstream._id]),
    stores.dependencies.standing(actor.teamId),
  ]);
  // The chains both ways run through the whole workspace: one more query for the work they name.
  const named = new Map([[workstream._id.toHexString(), workstream]]);
  const others = await workstreamsBesides(stores, actor.teamId, named, [
    ...dependencies.flatMap((d) => [d.consumerId, d.providerId]),
    ...standing.flatMap((d) => [d.consumerId, d.providerId]),
  ]);
  for (const w of others) named.set(w._id.toHexString(), w);
  const other = (id: Id) => named.get(id.toHexString());
  return success({
    workstream,
    program: programs[0],
    updates,
    blockers,
    needs: dependencies
      .filter((d) => sameId(d.consumerId, workstream._id))
      .map((d) => ({ dependency: d, other: other(d.providerId) })),
    owes: dependencies
      .filter((d) => sameId(d.providerId, workstream._id))
      .map((d) => ({ dependency: d, other: other(d.consumerId) })),
    chains: workstreamChains(workstream, named, standing, dateIn(now, actor.timezone)),
  });
}

/** The workstreams a user leads first, then the rest that take updates, for the update modal. */
export async function workstreamsForUpdate(stores: Stores, actor: Actor, limit = 100): Promise<Workstream[]> {
  const [mine, active] = await Promise.all([
    stores.workstreams.listByLead(actor.teamId, actor.userId, limit),
    stores.workstreams.listActive(actor.teamId, limit),
  ]);
  const seen = new Set(mine.map((w) => w._id.toHexString()));
  return [...mine, ...active.filter((w) => !seen.has(w._id.toHexString()))].slice(0, limit);
}

async function byId(stores: Stores, teamId: string, id: Id): Promise<Outcome<Workstream>> {
  const workstream = await stores.workstreams.findById(teamId, id);
  return workstream ? success(workstream) : problem({ kind: 'missing', what: 'workstream' });
}

/**
 * "Still on track" or "No change" (src/domain/one-click.ts): records the latest update again, with its
 * health, marked as carried forward. "Still on track" is refused, recording nothing, when that health
 * is not on track (the click came from a message drawn before the work turned amber or red); "No
 * change" carries any health forward. A repeated click on the same message (same `requestKey`)
 * records one update.
 */
export async function carryForward(
  stores: Stores,
  actor: Actor,
  workstreamId: Id,
  requestKey: string,
  now: Date,
  answer: OneClickAnswer,
): Promise<Outcome<RecordedUpdate>> {
  const workstream = await stores.workstreams.findById(actor.teamId, workstreamId);
  if (!workstream) return problem({ kind: 'missing', what: 'workstream' });
  // A one-click answer answers a chase; paused, done and cancelled work is not chased (SPEC §8).
  if (!expectsUpdates(workstream.state))
    return problem({ kind: 'not_chased', workstreamName: workstream.name, state: workstream.state });
  const [latest] = await stores.updates.latest(actor.teamId, workstream.programId, workstreamId, 1);
  if (!latest) {
    return problem({ kind: 'nothing_to_carry', workstreamName: workstream.name });
  }
  if (answer === 'still_on_track' && latest.health !== 'on_track') {
    const { health, blocked } = latest;
    return problem({ kind: 'not_on_track', workstreamName: workstream.name, health, blocked });
  }
  const content: UpdateContent = {
    health: latest.health,
    blocked: latest.blocked,
    progress: latest.progress,
    summary: latest.summary,
    nextSteps: latest.nextSteps,
    forecastDate: latest.forecastDate,
    // Restating an internal update keeps it internal.
    ...(latest.internal ? { internal: true } : {}),
  };
  return recordUpdate(
    stores,
    actor,
    { workstream: workstreamId, content, source: 'carried_forward', requestKey },
    now,
  );
}
