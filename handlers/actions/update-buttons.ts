import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { View } from '@slack/types';
import { Types } from 'mongoose';
import { EDIT_WINDOW_MS } from '../../src/data/updates.js';
import type { Services } from '../../src/services.js';
import { workspaceOf } from '../../src/slack/actor.js';
import { workstreamsForUpdate } from '../../src/use-cases/status.js';
import { problemAnswer } from '../../src/views/answer.js';
import { updateModal } from '../../src/views/update-views.js';

const objectId = (value: string | undefined) =>
  value && /^[0-9a-f]{24}$/.test(value) ? new Types.ObjectId(value) : undefined;

/**
 * Edit (on a recorded update) and Update… (on a workstream card) open the update modal. A button's
 * value is never trusted: what it names must exist in the clicker's workspace, and only an update's
 * author may edit it.
 */
export function register(app: App, services: Services): void {
  app.action<BlockButtonAction>('status_edit', async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const teamId = workspaceOf(context);
    const updateId = objectId(action.value);
    const update = teamId && updateId ? await services.stores.updates.findById(teamId, updateId) : null;
    if (!teamId || !update) return say(respond, 'That update does not exist in this workspace.');
    if (update.authorId !== body.user.id)
      return say(respond, `Only its author, <@${update.authorId}>, may edit that update.`);
    if (services.now().getTime() - update.createdAt.getTime() > EDIT_WINDOW_MS) {
      return say(
        respond,
        'That update can no longer be edited (edits are open for 24 hours). Post a new one with `/status`.',
      );
    }
    const workstream = await services.stores.workstreams.findById(teamId, update.workstreamId);
    if (!workstream) return say(respond, 'That update’s workstream no longer exists.');
    await open(
      client,
      body.trigger_id,
      updateModal({
        workstreams: [workstream],
        selected: workstream,
        editing: update,
        metadata: { updateId: update._id.toHexString(), channelId: body.channel?.id },
      }),
      respond,
      services,
    );
  });

  app.action<BlockButtonAction>(
    'status_open_modal',
    async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const teamId = workspaceOf(context);
      const workstreamId = objectId(action.value);
      const selected =
        teamId && workstreamId ? await services.stores.workstreams.findById(teamId, workstreamId) : null;
      if (!teamId || !selected) return say(respond, 'That workstream does not exist in this workspace.');
      const workstreams = await workstreamsForUpdate(services.stores, {
        teamId,
        userId: body.user.id,
        timezone: 'UTC',
        isWorkspaceAdmin: false,
      });
      const list = workstreams.some((w) => w._id.equals(selected._id))
        ? workstreams
        : [selected, ...workstreams];
      await open(
        client,
        body.trigger_id,
        updateModal({ workstreams: list, selected, metadata: { channelId: body.channel?.id } }),
        respond,
        services,
      );
    },
  );
}

async function open(
  client: WebClient,
  triggerId: string,
  view: View,
  respond: RespondFn,
  services: Services,
): Promise<void> {
  try {
    await client.views.open({ trigger_id: triggerId, view });
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code === 'expired_trigger_id' || code === 'exchanged_trigger_id') {
      return say(respond, 'That click reached me too late for Slack to open the form. Please click again.');
    }
    services.log.error({ err: error }, 'could not open the update modal');
    return say(
      respond,
      'I could not open the update form just now. Please try again in a minute, or use `/status <workstream> <health> <summary>`.',
    );
  }
}

async function say(respond: RespondFn, text: string): Promise<void> {
  await respond({ ...problemAnswer(text), replace_original: false }).catch(() => undefined);
}
