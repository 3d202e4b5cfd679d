import type { RecordedUpdate } from '../../src/domain/read-models.js';
import { storedId, storedUpdateRef } from '../../src/data/ids.js';
import { todayIn } from '../../src/parsing/dates.js';
import { editUpdate, recordUpdate } from '../../src/use-cases/status.js';
import type { Outcome } from '../../src/use-cases/outcome.js';
import { readUpdateForm } from '../../src/views/update-form.js';
import { UPDATE_FIELD } from '../../src/views/ids.js';
import { updateRecordedView, type UpdateModalMetadata } from '../../src/views/update-views.js';
import type { ModalListener } from '../types.js';
import { fieldError } from './field-error.js';

/** Longest we let a save take before answering Slack, whose deadline for a submission is 3 s. */
const SAVE_BUDGET_MS = 2_000;

/**
 * Submission of the update modal. The update is saved before the modal closes, so a failed save
 * keeps the modal open with the user's words in it and says so; a retried submission of the same
 * view records one update (its key is the view id).
 */
export const updateSubmitted: ModalListener = async ({ ack, view, client, context }) => {
  const { services } = context;
  const now = services.now();
  const actor = await context.actor().catch(() => undefined);
  if (!actor)
    return ack({
      response_action: 'errors',
      errors: { [UPDATE_FIELD.summary]: 'I could not tell which workspace this came from.' },
    });
  // "Today" for the forecast picker is the user's own day, not UTC's.
  const form = readUpdateForm(view.state.values as never, todayIn({ now, timezone: actor.timezone }));
  if (!form.ok) return ack({ response_action: 'errors', errors: form.errors });
  const metadata = parseMetadata(view.private_metadata);
  const errorBlock = metadata.updateRef ? UPDATE_FIELD.summary : UPDATE_FIELD.workstream;

  let outcome: Outcome<RecordedUpdate>;
  try {
    const ref = storedUpdateRef(metadata.updateRef);
    const saving = ref
      ? editUpdate(services.stores, actor, { ...ref, content: form.content }, now)
      : recordUpdate(
          services.stores,
          actor,
          {
            workstream: storedId(form.workstreamId)!,
            content: form.content,
            source: 'modal',
            requestKey: `view:${view.id}`,
            blockerInternal: form.blockerInternal,
          },
          now,
        );
    outcome = await withinBudget(saving);
  } catch (error) {
    services.log.error(
      { err: error, teamId: actor.teamId, user: actor.userId },
      'saving an update from the modal failed',
    );
    return ack({
      response_action: 'errors',
      errors: {
        [UPDATE_FIELD.summary]:
          'Saving failed on my side; your text is still here. Please press the button again in a moment.',
      },
    });
  }
  if (!outcome.ok)
    return ack({
      response_action: 'errors',
      errors: { [errorBlock]: await fieldError(context, client, outcome.problem) },
    });
  await ack();
  context.saved('Your update is recorded');

  services.homes.request(client, actor.teamId, actor.userId);
  const answer = updateRecordedView(outcome.value, now);
  // Confirm where the user typed /status; a DM from the bot if Cairn is not in that channel.
  const channel = metadata.channelId ?? actor.userId;
  await client.chat
    .postEphemeral({ channel, user: actor.userId, text: answer.text, blocks: answer.blocks })
    .catch(() => client.chat.postMessage({ channel: actor.userId, text: answer.text, blocks: answer.blocks }))
    .catch((error: unknown) => services.log.warn({ err: error }, 'could not confirm a modal update'));
};

function parseMetadata(raw: string | undefined): UpdateModalMetadata {
  try {
    const parsed = JSON.parse(raw || '{}') as UpdateModalMetadata;
    return {
      updateRef: storedUpdateRef(parsed.updateRef) ? parsed.updateRef : undefined,
      channelId:
        typeof parsed.channelId === 'string' && /^[CDG][A-Z0-9]+$/.test(parsed.channelId)
          ? parsed.channelId
          : undefined,
    };
  } catch {
    return {};
  }
}

function withinBudget<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`save took longer than ${SAVE_BUDGET_MS} ms`)), SAVE_BUDGET_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
