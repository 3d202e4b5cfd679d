import type { App, BlockButtonAction } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import { workspaceOf } from '../../src/slack/actor.js';
import { workstreamsForUpdate } from '../../src/use-cases/status.js';
import { problemAnswer } from '../../src/views/answer.js';
import { updateModal } from '../../src/views/update-views.js';

/** The digest's own buttons. Nudging the missing leads arrives with reminders (issue 5). */
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

  app.action<BlockButtonAction>('digest_nudge', async ({ ack, respond }) => {
    await ack();
    await respond({
      ...problemAnswer(
        'Nudging the leads with missing updates is not available in this version yet; reminders arrive soon.',
      ),
      replace_original: false,
    });
  });

  // "Open in Cairn" is a link button; Slack still sends its click, which needs an answer.
  app.action('digest_open_home', async ({ ack }) => {
    await ack();
  });
}
