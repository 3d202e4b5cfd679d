/**
 * Issue 15: dependencies the provider commits to. `depend` asks the providing workstream's lead once
 * per plan (a DM with Commit · Propose another date · Decline); their answer is recorded once per plan
 * (a claim by unique insert: FerretDB's updates are not compare-and-set), audited, and told to the
 * consumer's lead.
 */
import type { WebClient } from '@slack/web-api';
import { dateIn } from '../domain/digest/context.js';
import {
  type Dependency,
  type DependencyCommitment,
  type Id,
  type Workstream,
  sameId,
} from '../domain/entities.js';
import { refusal, type Actor } from '../domain/permissions.js';
import type { CalendarDate } from '../domain/types.js';
import type { Stores } from '../services.js';
import { postMessageOnce } from '../slack/digest-poster.js';
import { dependencyAnsweredText, dependencyRequestMessage } from '../views/commitment-views.js';
import { problem, success, type Outcome } from './outcome.js';

export type CommitmentAnswer =
  { kind: 'commit' } | { kind: 'propose'; date: CalendarDate } | { kind: 'decline' };

/**
 * Sends the providing lead the request, once per dependency and plan whatever the number of
 * `depend`s or replicas. Resolves whether this call sent it. The lead is asked even when they also
 * lead the consumer or declared it themselves: the answer is the provider's commitment, one click.
 */
export async function askProviderToCommit(
  stores: Stores,
  client: WebClient,
  found: { dependency: Dependency; consumer: Workstream; provider: Workstream },
  now: Date,
): Promise<boolean> {
  const { dependency, consumer, provider } = found;
  if (dependency.state !== 'open' || dependency.commitment?.state !== 'requested') return false;
  const key = `commit-request:${dependency._id.toHexString()}:${dependency.replans ?? 0}`;
  if (!(await stores.claims.once(dependency.teamId, key, 'depend', now))) return false;
  await postMessageOnce(
    client,
    provider.leadId,
    dependencyRequestMessage(dependency, consumer, provider, now),
    key,
    { since: now },
  );
  return true;
}

/**
 * What an answer needs read first: the dependency and both workstreams, whether the actor may
 * answer, and whether the request asked at plan `replans` is still open to an answer.
 */
export async function loadRequest(
  stores: Stores,
  actor: Actor,
  id: Id,
  replans: number,
): Promise<Outcome<{ dependency: Dependency; consumer?: Workstream; provider?: Workstream }>> {
  const dependency = await stores.dependencies.findById(actor.teamId, id);
  if (!dependency) return problem({ kind: 'missing', what: 'dependency' });
  const [workstreams, programs] = await Promise.all([
    stores.workstreams.findByIds(actor.teamId, [dependency.consumerId, dependency.providerId]),
    stores.programs.findByIds(actor.teamId, [dependency.providerProgramId]),
  ]);
  const consumer = workstreams.find((w) => sameId(w._id, dependency.consumerId));
  const provider = workstreams.find((w) => sameId(w._id, dependency.providerId));
  const refused = refusal(
    { kind: 'answer_dependency', providerLeadId: provider?.leadId, program: programs[0] },
    actor,
  );
  if (refused) return problem(refused);
  return closed(dependency, replans) ?? success({ dependency, consumer, provider });
}

/** Why the request (asked at plan `replans`) can no longer be answered, if it cannot. */
function closed(d: Dependency, replans: number) {
  if (d.state !== 'open') return problem({ kind: 'answered_already', state: d.state });
  if ((d.replans ?? 0) !== replans) return problem({ kind: 'answered_already', state: 'replanned' });
  const c = d.commitment;
  if (!c) return problem({ kind: 'answered_already', state: 'committed' });
  if (c.state !== 'requested') return problem({ kind: 'answered_already', state: c.state });
  return undefined;
}

/**
 * Commit, propose another date, or decline: the providing workstream's lead (or its program's
 * owners, admins, a workspace admin) answers the request asked at plan `replans`, once. Another date
 * is a commitment to that date (marked proposed); it must not be before the actor's today. The date
 * needed is a commitment like any other when proposed.
 */
export async function answerDependency(
  stores: Stores,
  actor: Actor,
  id: Id,
  replans: number,
  answer: CommitmentAnswer,
  now: Date,
): Promise<Outcome<{ dependency: Dependency; consumer?: Workstream; provider?: Workstream }>> {
  const loaded = await loadRequest(stores, actor, id, replans);
  if (!loaded.ok) return loaded;
  const { dependency, consumer, provider } = loaded.value;
  const today = dateIn(now, actor.timezone);
  if (answer.kind === 'propose' && !(answer.date >= today))
    return problem({ kind: 'bad_proposed_date', today });
  if (
    !(await stores.claims.once(
      actor.teamId,
      `commit-answer:${id.toHexString()}:${replans}`,
      actor.userId,
      now,
    ))
  ) {
    const again = await stores.dependencies.findById(actor.teamId, id);
    return (again && closed(again, replans)) || problem({ kind: 'answered_already', state: 'committed' });
  }
  const commitment: DependencyCommitment = {
    state: answer.kind === 'decline' ? 'declined' : 'committed',
    requestedAt: dependency.commitment!.requestedAt,
    answeredBy: actor.userId,
    answeredAt: now,
  };
  if (answer.kind === 'commit') commitment.date = dependency.neededBy;
  if (answer.kind === 'propose') {
    commitment.date = answer.date;
    if (answer.date !== dependency.neededBy) commitment.proposed = true;
  }
  const answered = await stores.dependencies.answer(actor.teamId, id, replans, commitment);
  if (!answered) return problem({ kind: 'answered_already', state: 'replanned' });
  await stores.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action: `dependency.${commitment.proposed ? 'proposed' : commitment.state}`,
    target: { kind: 'dependency', id },
    at: now,
    ...(commitment.date ? { details: { date: commitment.date } } : {}),
  });
  return success({ dependency: answered, consumer, provider });
}

/**
 * Tells the consumer's lead what the provider answered (once per plan), unless they answered it
 * themselves. Resolves whether it was sent; a failure is the caller's to log.
 */
export async function tellConsumer(
  client: WebClient,
  answered: { dependency: Dependency; consumer?: Workstream; provider?: Workstream },
  by: string,
  now: Date,
): Promise<boolean> {
  const { dependency, consumer, provider } = answered;
  if (!consumer || consumer.leadId === by) return false;
  const text = dependencyAnsweredText(dependency, consumer, provider, by, now);
  await postMessageOnce(
    client,
    consumer.leadId,
    { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
    `commit-told:${dependency._id.toHexString()}:${dependency.replans ?? 0}`,
    { since: now },
  );
  return true;
}
