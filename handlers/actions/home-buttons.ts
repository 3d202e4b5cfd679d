import type { App, BlockButtonAction } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import { composeDigest } from '../../src/use-cases/compose-digest.js';
import { resolveProgram } from '../../src/use-cases/resolve.js';
import { postDigestNow } from '../../src/use-cases/scheduler.js';
import { actorFor } from '../../src/slack/actor.js';
import { escapeMrkdwn } from '../../src/views/escape.js';
import { previewBlocks } from '../../src/views/preview.js';
import { readClick } from './interaction.js';

/** Preview and Post now on the Home tab's programs. The Home tab has no response_url: answers go by DM or modal. */
export function register(app: App, services: Services): void {
  app.action<BlockButtonAction>('home_preview', async ({ ack, body, action, client, context }) => {
    await ack();
    const click = readClick(body, undefined, context);
    if (!click || !action.value) return;
    const actor = await actorFor(services.users, client, click.actor.teamId, click.actor.userId);
    const found = await resolveProgram(services.stores, actor.teamId, action.value);
    if (!found.ok) return dm(client, actor.userId, found.problem);
    const digest = await composeDigest(services.stores, found.value, {
      variant: 'team',
      timezone: actor.timezone,
      now: services.now(),
    });
    await client.views
      .open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: 'Digest preview' },
          close: { type: 'plain_text', text: 'Close' },
          blocks: previewBlocks(
            digest.main.blocks,
            digest.thread.map((m) => m.blocks),
          ).filter((b) => b.type !== 'actions'),
        },
      })
      .catch(() =>
        dm(
          client,
          actor.userId,
          'That click reached me too late for Slack to open the preview. Please click again.',
        ),
      );
  });

  app.action<BlockButtonAction>('home_post_digest', async ({ ack, body, action, client, context }) => {
    await ack();
    const click = readClick(body, undefined, context);
    if (!click || !action.value) return;
    const found = await resolveProgram(services.stores, click.actor.teamId, action.value);
    if (!found.ok) return dm(client, click.actor.userId, found.problem);
    const posted = await postDigestNow(
      { stores: services.stores, slackFor: services.slackFor, log: services.log },
      found.value,
      { replicaId: `home:${click.actor.userId}`, now: services.now() },
    );
    await dm(
      client,
      click.actor.userId,
      posted.ok
        ? `Posted the digest of *${escapeMrkdwn(found.value.name)}* to <#${posted.channelId}>.`
        : posted.problem,
    );
  });
}

async function dm(
  client: { chat: { postMessage(args: { channel: string; text: string }): Promise<unknown> } },
  userId: string,
  text: string,
): Promise<void> {
  await client.chat.postMessage({ channel: userId, text }).catch(() => undefined);
}
