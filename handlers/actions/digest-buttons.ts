import type { App, BlockButtonAction } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import { workspaceOf } from '../../src/slack/actor.js';
import { workstreamsForUpdate } from '../../src/use-cases/status.js';
import { actorFor } from '../../src/slack/actor.js';
import { nudgeMissing } from '../../src/use-cases/nudge.js';
import { noticeAnswer, problemAnswer } from '../../src/views/answer.js';
import { readClick, refuse, tell } from './interaction.js';
import { updateModal } from '../../src/views/update-views.js';

/** The digest's own buttons. */
export function register(app: App, services: Services): void {
  app.action<BlockButtonAction>('digest_post_update', async ({ ack, body, client, respond, context }) => {
    await ack();
    const teamId = workspaceOf(context);
    if (!teamId) return;
    const workstreams = await workstreamsForUpdate(services.stores, {
      teamId,
      userId: body.user.id,
      timezone: 'UTC',
      isWorkspaceAdmin: false,
    });
    if (workstreams.length === 0) {
      await respond({ ...problemAnswer('There are no workstreams to report on.'), replace_original: false });
      return;
    }
    await client.views
      .open({
        trigger_id: body.trigger_id,
        view: updateModal({ workstreams, metadata: { channelId: body.channel?.id } }),
      })
      .catch(async () => {
        await respond({
          ...problemAnswer('That click reached me too late for Slack to open the form. Please click again.'),
          replace_original: false,
        });
      });
  });

  app.action<BlockButtonAction>('digest_nudge', async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const click = readClick(body, undefined, context);
    if (!click || !action.value) return refuse(respond, 'That program does not exist in this workspace.');
    const actor = await actorFor(services.users, client, click.actor.teamId, click.actor.userId);
    const deps = { stores: services.stores, slackFor: services.slackFor, log: services.log };
    const nudged = await nudgeMissing(
      deps,
      actor,
      action.value,
      click.messageTs ?? body.trigger_id,
      services.now(),
    );
    if (!nudged.ok) return refuse(respond, nudged.problem);
    const n = nudged.value.nudged;
    await tell(
      respond,
      noticeAnswer(
        n === 0
          ? 'Nobody to nudge: no lead is missing an update, or this digest has nudged them already.'
          : `Nudged ${n} lead${n === 1 ? '' : 's'} by DM.`,
      ),
    );
  });

  // "Open in Cairn" is a link button; Slack still sends its click, which needs an answer.
  app.action('digest_open_home', async ({ ack }) => {
    await ack();
  });
}
