/** Resolve and Escalate on a blocker. Who may: its owner, its workstream's lead, and the program's owners. */
import type { Blocker, Id, Program, Workstream } from '../domain/entities.js';
import { refusal, type Actor } from '../domain/permissions.js';
import type { Stores } from '../services.js';
import { problem, success, type Outcome } from './outcome.js';

interface BlockerContext {
  blocker: Blocker;
  workstream: Workstream | undefined;
  program: Program | undefined;
}

async function blockerContext(stores: Stores, teamId: string, id: Id): Promise<BlockerContext | undefined> {
  const blocker = await stores.blockers.findById(teamId, id);
  if (!blocker) return undefined;
  const [workstream, programs] = await Promise.all([
    stores.workstreams.findById(teamId, blocker.workstreamId),
    stores.programs.findByIds(teamId, [blocker.programId]),
  ]);
  return { blocker, workstream: workstream ?? undefined, program: programs[0] };
}

const refusedToHandle = (c: BlockerContext, actor: Actor) =>
  refusal(
    {
      kind: 'handle_blocker',
      blocker: c.blocker,
      ...(c.workstream ? { leadId: c.workstream.leadId } : {}),
      ...(c.program ? { program: c.program } : {}),
    },
    actor,
  );

export async function resolveBlocker(
  stores: Stores,
  actor: Actor,
  id: Id,
  now: Date,
): Promise<Outcome<BlockerContext>> {
  const c = await blockerContext(stores, actor.teamId, id);
  if (!c) return problem({ kind: 'missing', what: 'blocker' });
  const refused = refusedToHandle(c, actor);
  if (refused) return problem(refused);
  const first =
    !c.blocker.resolvedAt &&
    (await stores.claims.once(actor.teamId, `resolve:${id.toHexString()}`, actor.userId, now));
  const resolved = first ? await stores.blockers.resolve(actor.teamId, id, actor.userId, now) : null;
  if (!resolved)
    return problem({
      kind: 'resolved_already',
      ...(c.blocker.resolvedBy ? { by: c.blocker.resolvedBy } : {}),
    });
  await stores.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action: 'blocker.resolved',
    target: { kind: 'blocker', id },
    at: now,
  });
  return success({ ...c, blocker: resolved });
}

/** Escalating brings the blocker to the program owner; anyone who can see it may ask for that. */
export async function escalateBlocker(
  stores: Stores,
  actor: Actor,
  id: Id,
  now: Date,
): Promise<Outcome<BlockerContext & { program: Program }>> {
  const c = await blockerContext(stores, actor.teamId, id);
  if (!c || !c.program) return problem({ kind: 'missing', what: 'blocker' });
  if (c.blocker.resolvedAt) return problem({ kind: 'nothing_to_escalate' });
  await stores.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action: 'blocker.escalated',
    target: { kind: 'blocker', id },
    at: now,
  });
  return success({ ...c, program: c.program });
}
