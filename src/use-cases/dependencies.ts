/** Mark met and Flag broken on a dependency: either side's lead, or either program's owners. */
import { type Dependency, type Id, type Workstream, sameId } from '../domain/entities.js';
import { refusal, type Actor } from '../domain/permissions.js';
import type { Stores } from '../services.js';
import { problem, success, type Outcome } from './outcome.js';

export async function settleDependency(
  stores: Stores,
  actor: Actor,
  id: Id,
  state: 'met' | 'broken',
  now: Date,
): Promise<Outcome<{ dependency: Dependency; consumer?: Workstream; provider?: Workstream }>> {
  const dependency = await stores.dependencies.findById(actor.teamId, id);
  if (!dependency) return problem({ kind: 'missing', what: 'dependency' });
  const [workstreams, programs] = await Promise.all([
    stores.workstreams.findByIds(actor.teamId, [dependency.consumerId, dependency.providerId]),
    stores.programs.findByIds(actor.teamId, [dependency.consumerProgramId, dependency.providerProgramId]),
  ]);
  const consumer = workstreams.find((w) => sameId(w._id, dependency.consumerId));
  const provider = workstreams.find((w) => sameId(w._id, dependency.providerId));
  const refused = refusal(
    { kind: 'settle_dependency', leadIds: [consumer?.leadId, provider?.leadId], programs },
    actor,
  );
  if (refused) return problem(refused);
  // Once per plan: a re-planned dependency is a new commitment, which can be settled again.
  const first =
    dependency.state === 'open' &&
    (await stores.claims.once(
      actor.teamId,
      `settle:${id.toHexString()}:${dependency.replans ?? 0}`,
      actor.userId,
      now,
    ));
  const settled = first ? await stores.dependencies.settle(actor.teamId, id, state, actor.userId, now) : null;
  if (!settled) return problem({ kind: 'settled_already', state: dependency.state });
  await stores.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action: `dependency.${state}`,
    target: { kind: 'dependency', id },
    at: now,
  });
  return success({ dependency: settled, consumer, provider });
}
