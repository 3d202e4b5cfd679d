/**
 * Issue 15: the propose-another-date modal's submission. Who may answer is checked again here (the
 * use case), not only when the modal opened; the consumer's lead is told.
 */
import { storedId } from '../../src/data/ids.js';
import { answerDependency, tellConsumer } from '../../src/use-cases/dependency-commitment.js';
import { dependencyAnsweredText, readRequestRef } from '../../src/views/commitment-views.js';
import { INPUT_ACTION, PROPOSE_FIELD } from '../../src/views/ids.js';
import type { ModalListener } from '../types.js';
import { fieldError } from './field-error.js';

type Values = Record<string, Record<string, { selected_date?: string | null }>>;

export const proposeDateSubmitted: ModalListener = async ({ ack, body, view, client, context }) => {
  const date = (view.state.values as Values)[PROPOSE_FIELD.date]?.[INPUT_ACTION]?.selected_date ?? undefined;
  if (!date)
    return ack({ response_action: 'errors', errors: { [PROPOSE_FIELD.date]: 'Please choose a date.' } });
  const ref = readRequestRef(view.private_metadata);
  const id = storedId(ref?.id);
  const { services } = context;
  try {
    const actor = await context.actor();
    const now = services.now();
    const done =
      ref && id
        ? await answerDependency(services.stores, actor, id, ref.replans, { kind: 'propose', date }, now)
        : ({ ok: false, problem: { kind: 'missing', what: 'dependency' } } as const);
    if (!done.ok)
      return ack({
        response_action: 'errors',
        errors: { [PROPOSE_FIELD.date]: await fieldError(context, client, done.problem) },
      });
    await ack();
    context.saved('Your proposed date is recorded');
    // The request is answered: the answerer's Home tab stops offering its buttons.
    services.homes.request(client, actor.teamId, actor.userId);
    await tellConsumer(client, done.value, actor.userId, now).catch((error: unknown) =>
      services.log.warn({ err: error }, 'could not tell the consumer lead about a proposed date'),
    );
    const { dependency, consumer, provider } = done.value;
    const text = dependencyAnsweredText(dependency, consumer, provider, actor.userId, now);
    await client.chat
      .postMessage({
        channel: body.user.id,
        text,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
      })
      .catch((error: unknown) => services.log.warn({ err: error }, 'could not confirm a proposed date'));
  } catch (error) {
    services.log.error({ err: error, teamId: context.workspaceId }, 'proposing a date failed');
    return ack({
      response_action: 'errors',
      errors: { [PROPOSE_FIELD.date]: 'Saving failed on my side. Please try again in a moment.' },
    });
  }
};
