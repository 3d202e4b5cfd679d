/**
 * `/program sample remove` (issue 14): deletes the sample portfolio that `createSamplePortfolio` made
 * in the workspace — its programs (keys in SAMPLE_PROGRAM_KEYS) and everything of theirs: workstreams,
 * updates, blockers, dependencies on either side, milestones, digest schedules, runs and reminders, the
 * allocations of their workstreams, and the shared resource the sample made (only if its PM made it,
 * and only once nothing else is booked on it). Nothing outside the sample is touched, and every query
 * is scoped to the actor's workspace.
 *
 * There are no transactions to lean on (FerretDB), so the programs go last: should a run fail half
 * way, the programs are still there and running it again finds the rest through them. Once they are
 * gone, there is nothing to remove.
 */
import { sameId, type Id } from '../domain/entities.js';
import { refusal, type Actor } from '../domain/permissions.js';
import type { SampleRemoval, SampleRemovedCounts } from '../domain/read-models.js';
import type { Stores } from '../services.js';
import { problem, success, type Outcome } from './outcome.js';
import { SAMPLE_PEOPLE, SAMPLE_PROGRAM_KEYS, SAMPLE_RESOURCE } from './sample-portfolio.js';

/** Only the owner of every sample program, or a workspace admin, may (src/domain/permissions.ts). */
export async function removeSamplePortfolio(
  stores: Stores,
  actor: Actor,
  now: Date,
): Promise<Outcome<SampleRemoval>> {
  const { teamId } = actor;
  const programs = await stores.programs.findByKeys(teamId, SAMPLE_PROGRAM_KEYS);
  if (programs.length === 0) return success({ removed: false });
  const refused = refusal({ kind: 'remove_sample', programs }, actor);
  if (refused) return problem(refused);
  const programIds = programs.map((p) => p._id);
  const [workstreams, schedules] = await Promise.all([
    stores.workstreams.listByPrograms(teamId, programIds),
    stores.schedules.forPrograms(teamId, programIds),
  ]);
  const workstreamIds = workstreams.map((w) => w._id);

  // Bookings first (they name the workstreams), then the resource the sample made, if it is free.
  let allocations = 0;
  const booked = workstreamIds.length ? await stores.resources.forWorkstreams(teamId, workstreamIds) : [];
  for (const resource of booked) {
    const taken = await stores.resources.unallocate(
      teamId,
      resource._id,
      (a) => workstreamIds.some((id) => sameId(id, a.workstreamId)),
      now,
    );
    allocations += taken?.removed.length ?? 0;
  }
  let resources = 0;
  const keptResources: string[] = [];
  const made = await stores.resources.findByName(teamId, SAMPLE_RESOURCE);
  if (made && made.createdBy === SAMPLE_PEOPLE.pm.id) {
    if (await stores.resources.removeUnallocated(teamId, made._id, SAMPLE_PEOPLE.pm.id, now)) resources++;
    else keptResources.push(made.name);
  }

  // What hangs off the schedules before the schedules; the workstreams and programs last.
  const reminders = await stores.reminders.removeFor(
    teamId,
    schedules.map((s) => s._id.toHexString()),
    programIds,
  );
  const schedulesRemoved = await stores.schedules.removeForPrograms(teamId, programIds);
  // Follows and the DMs sent to followers hang off the programs and their runs: before the runs.
  await stores.followerDigests.removeForPrograms(teamId, programIds);
  await stores.followers.removeForPrograms(teamId, programIds);
  const digestRuns = await stores.runs.removeForPrograms(teamId, programIds);
  let updates = 0;
  for (const id of programIds) updates += await stores.updates.removeForProgram(teamId, id);
  const blockers = await stores.blockers.removeByPrograms(teamId, programIds);
  const dependencies = await stores.dependencies.removeTouchingPrograms(teamId, programIds);
  const milestones = await stores.milestones.removeByPrograms(teamId, programIds);
  const workstreamsRemoved = await stores.workstreams.removeByPrograms(teamId, programIds);
  const programsRemoved = await stores.programs.remove(teamId, programIds);

  const counts: SampleRemovedCounts = {
    programs: programsRemoved,
    workstreams: workstreamsRemoved,
    updates,
    blockers,
    dependencies,
    milestones,
    schedules: schedulesRemoved,
    digestRuns,
    reminders,
    resources,
    allocations,
  };
  // Audited as other lifecycle changes are: each program's removal, then what the whole came to.
  for (const p of programs) {
    await audit(stores, actor, 'program.removed', { kind: 'program', id: p._id, key: p.key }, now, {
      name: p.name,
      sample: true,
    });
  }
  await audit(stores, actor, 'sample.removed', { kind: 'workspace', key: teamId }, now, {
    programs: programs.map((p) => p.key),
    removed: counts,
    keptResources,
  });
  return success({ removed: true, programs, counts, keptResources });
}

function audit(
  stores: Stores,
  actor: Actor,
  action: string,
  target: { kind: string; id?: Id; key: string },
  at: Date,
  details: Record<string, unknown>,
): Promise<void> {
  return stores.audit.record({ teamId: actor.teamId, actorId: actor.userId, action, target, details, at });
}
