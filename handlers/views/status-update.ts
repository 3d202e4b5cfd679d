import type { App } from '@slack/bolt';
import { Types } from 'mongoose';
import type { Actor } from '../../src/domain/permissions.js';
import type { Services } from '../../src/services.js';
import { workspaceOf } from '../../src/slack/actor.js';
import { editUpdate, recordUpdate, type RecordedUpdate } from '../../src/use-cases/status.js';
import type { Outcome } from '../../src/use-cases/outcome.js';
import { publishHome } from '../../src/use-cases/publish-home.js';
import { readUpdateForm } from '../../src/views/update-form.js';
import {
  UPDATE_MODAL_CALLBACK,
  updateRecordedView,
  type UpdateModalMetadata,
} from '../../src/views/update-views.js';

/** Longest we let a save take before answering Slack, whose deadline for a submission is 3 s. */
const SAVE_BUDGET_MS = 2_000;

/**
 * Submission of the update modal. The update is saved before the modal closes, so a failed save
 * keeps the modal open with the user's words in it and says so; a retried submission of the same
 * view records one update (its key is the view id).
 */
export function register(app: App, services: Services): void {
  app.view(UPDATE_MODAL_CALLBACK, async ({ ack, body, view, client, context }) => {
    const teamId = workspaceOf(context);
    const now = services.now();
    const form = readUpdateForm(view.state.values as never, now.toISOString().slice(0, 10));
    if (!form.ok) return ack({ response_action: 'errors', errors: form.errors });
    if (!teamId)
      return ack({
        response_action: 'errors',
        errors: { summary: 'I could not tell which workspace this came from.' },
      });
    const metadata = parseMetadata(view.private_metadata);
    const actor: Actor = { teamId, userId: body.user.id, timezone: 'UTC', isWorkspaceAdmin: false };
    const errorBlock = metadata.updateId ? 'summary' : 'workstream';

    let outcome: Outcome<RecordedUpdate>;
    try {
      const saving = metadata.updateId
        ? editUpdate(
            services.stores,
            actor,
            { updateId: new Types.ObjectId(metadata.updateId), content: form.content },
            now,
          )
        : recordUpdate(
            services.stores,
            actor,
            {
              workstream: new Types.ObjectId(form.workstreamId),
              content: form.content,
              source: 'modal',
              requestKey: `view:${view.id}`,
            },
            now,
          );
      outcome = await withinBudget(saving);
    } catch (error) {
      services.log.error(
        { err: error, teamId, user: actor.userId },
        'saving an update from the modal failed',
      );
      return ack({
        response_action: 'errors',
        errors: {
          summary:
            'Saving failed on my side; your text is still here. Please press the button again in a moment.',
        },
      });
    }
    if (!outcome.ok)
      return ack({ response_action: 'errors', errors: { [errorBlock]: stripMrkdwn(outcome.problem) } });
    await ack();

    void publishHome(services, client, teamId, actor.userId);
    const answer = updateRecordedView(outcome.value, now);
    // Confirm where the user typed /status; a DM from the bot if Cairn is not in that channel.
    const channel = metadata.channelId ?? actor.userId;
    await client.chat
      .postEphemeral({ channel, user: actor.userId, text: answer.text, blocks: answer.blocks })
      .catch(() =>
        client.chat.postMessage({ channel: actor.userId, text: answer.text, blocks: answer.blocks }),
      )
      .catch((error: unknown) => services.log.warn({ err: error }, 'could not confirm a modal update'));
  });
}

function parseMetadata(raw: string | undefined): UpdateModalMetadata {
  try {
    const parsed = JSON.parse(raw || '{}') as UpdateModalMetadata;
    return {
      updateId:
        typeof parsed.updateId === 'string' && /^[0-9a-f]{24}$/.test(parsed.updateId)
          ? parsed.updateId
          : undefined,
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

/** Field errors are plain text in Slack: drop mrkdwn code marks. */
function stripMrkdwn(text: string): string {
  return text.replace(/`/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
