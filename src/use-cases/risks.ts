/** `/program risks <program>`: the analysis of SPEC §6 for one program, on demand. */
import { programIntelligence } from '../domain/analysis/intelligence.js';
import type { Actor } from '../domain/permissions.js';
import type { ProgramRisks } from '../domain/read-models.js';
import type { Stores } from '../services.js';
import { dateIn } from '../domain/digest/context.js';
import { loadWorkspacePlan, workstreamsNamedBy } from './intelligence-data.js';
import type { Outcome } from './outcome.js';
import { success } from './outcome.js';
import { resolveProgram } from './resolve.js';

/**
 * Loads what the analysis needs in three round trips whatever the program's size: the program; its
 * workstreams and milestones with the workspace's standing dependencies and allocated resources; the
 * other programs' workstreams those name. Forecasts come from each workstream's record of its latest
 * update, so no update history is read.
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
  const [own, milestones, plan] = await Promise.all([
    stores.workstreams.listByProgram(actor.teamId, program._id),
    stores.milestones.forProgram(actor.teamId, program._id),
    loadWorkspacePlan(stores, actor.teamId),
  ]);
  const known = new Map(own.map((w) => [w._id.toHexString(), w]));
  for (const w of await workstreamsNamedBy(stores, actor.teamId, known, plan))
    known.set(w._id.toHexString(), w);

  const today = dateIn(now, actor.timezone);
  const intelligence = programIntelligence({
    program,
    today,
    workstreams: [...known.values()],
    dependencies: plan.standing,
    milestones,
    resources: plan.resources,
  });
  return success({ program, today, workstreams: known, milestones, ...intelligence });
}
