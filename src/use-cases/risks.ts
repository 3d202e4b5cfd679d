/** `/program risks <program>`: the analysis of SPEC §6 for one program, on demand. */
import { analyseProgram } from '../domain/analysis/index.js';
import { capacityConflicts } from '../domain/analysis/capacity.js';
import type { Actor } from '../domain/permissions.js';
import type { ProgramRisks } from '../domain/read-models.js';
import type { Stores } from '../services.js';
import { dateIn } from '../domain/digest/context.js';
import type { Outcome } from './outcome.js';
import { success } from './outcome.js';
import { resolveProgram, workstreamsBesides } from './resolve.js';

/**
 * Loads what the analysis needs in four round trips whatever the program's size: the program; its
 * workstreams, the workspace's standing dependencies and the program's milestones; the other
 * programs' workstreams the dependencies name and the shared resources the program draws on; the
 * workstreams those resources' other allocations name. Forecasts come from each workstream's record
 * of its latest update, so no update history is read.
 */
export async function programRisks(
  stores: Stores,
  actor: Actor,
  programKey: string,
  now: Date,
): Promise<Outcome<ProgramRisks>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  const program = found.value;
  const [own, standing, milestones] = await Promise.all([
    stores.workstreams.listByProgram(actor.teamId, program._id),
    stores.dependencies.standing(actor.teamId),
    stores.milestones.forProgram(actor.teamId, program._id),
  ]);
  const known = new Map(own.map((w) => [w._id.toHexString(), w]));
  const [others, resources] = await Promise.all([
    workstreamsBesides(
      stores,
      actor.teamId,
      known,
      standing.flatMap((d) => [d.consumerId, d.providerId]),
    ),
    own.length > 0
      ? stores.resources.forWorkstreams(
          actor.teamId,
          own.map((w) => w._id),
        )
      : [],
  ]);
  for (const w of others) known.set(w._id.toHexString(), w);
  const allocated = resources.flatMap((r) => r.allocations.map((a) => a.workstreamId));
  for (const w of await workstreamsBesides(stores, actor.teamId, known, allocated))
    known.set(w._id.toHexString(), w);

  const workstreams = [...known.values()];
  const today = dateIn(now, actor.timezone);
  const analysis = analyseProgram({
    programId: program._id,
    today,
    workstreams,
    // Each workstream's latest update, as its record keeps it: all the analysis reads of history.
    updates: workstreams.flatMap((w) =>
      w.lastUpdateAt
        ? [{ _id: w._id, workstreamId: w._id, createdAt: w.lastUpdateAt, forecastDate: w.forecastDate }]
        : [],
    ),
    dependencies: standing,
    milestones,
  });
  const capacity = capacityConflicts({ resources, workstreams, from: today });
  return success({ program, today, analysis, workstreams: known, milestones, capacity });
}
