/**
 * Issue 15: Commit · Propose another date · Decline, on the DM that asks a providing lead to commit
 * to a dependency and on their Home tab's owed dependency. The value names the dependency and the plan
 * it was asked at; who may answer is the use case's check, made before anything is written. Answered
 * on the DM, the DM is replaced by the answer; on the Home tab (no message, no response URL), the Home
 * tab is drawn afresh, the buttons gone; either way, the answerer's Home tab stops offering them.
 */
import { storedId } from '../../src/data/ids.js';
import { dateIn } from '../../src/domain/digest/context.js';
import {
  answerDependency,
  loadRequest,
  tellConsumer,
  type CommitmentAnswer,
} from '../../src/use-cases/dependency-commitment.js';
import { noticeAnswer } from '../../src/views/answer.js';
import {
  dependencyAnsweredText,
  proposeDateModal,
  readRequestRef,
} from '../../src/views/commitment-views.js';
import type { ButtonListener } from '../types.js';
import { readClick, refuse, showChange } from './click.js';
import { openModal } from './open-modal.js';

const answered =
  (answer: CommitmentAnswer): ButtonListener =>
  async (args) => {
    const { ack, body, context, client } = args;
    await ack();
    const { services } = context;
    const ref = readRequestRef(body.actions[0]?.value);
    const id = storedId(ref?.id);
    if (!ref || !id) return refuse(args, { kind: 'missing', what: 'dependency' });
    const actor = await context.actor();
    const now = services.now();
    const done = await answerDependency(services.stores, actor, id, ref.replans, answer, now);
    if (!done.ok) return refuse(args, done.problem);
    context.saved(`Your answer to the dependency request (${answer.kind}) is recorded`);
    await tellConsumer(client, done.value, actor.userId, now).catch((error: unknown) =>
      services.log.warn({ err: error }, 'could not tell the consumer lead about an answer'),
    );
    const { dependency, consumer, provider } = done.value;
    const click = readClick(body);
    await showChange(
      args,
      click,
      noticeAnswer(dependencyAnsweredText(dependency, consumer, provider, actor.userId, now)),
    );
    if (click.surface !== 'home') services.homes.request(client, actor.teamId, actor.userId);
  };

export const dependencyCommitClicked = answered({ kind: 'commit' });
export const dependencyDeclineClicked = answered({ kind: 'decline' });

/** Propose another date: the modal (checked first: someone who may not answer sees no form). */
export const dependencyProposeClicked: ButtonListener = async (args) => {
  const { ack, body, context } = args;
  await ack();
  const { services } = context;
  const ref = readRequestRef(body.actions[0]?.value);
  const id = storedId(ref?.id);
  if (!ref || !id) return refuse(args, { kind: 'missing', what: 'dependency' });
  const actor = await context.actor();
  const loaded = await loadRequest(services.stores, actor, id, ref.replans);
  if (!loaded.ok) return refuse(args, loaded.problem);
  const { dependency, provider } = loaded.value;
  const now = services.now();
  await openModal(args, proposeDateModal(dependency, provider, dateIn(now, actor.timezone), now), 'the form');
};
