import type { App, BlockButtonAction } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import { actorFor } from '../../src/slack/actor.js';
import { settleDependency } from '../../src/use-cases/dependencies.js';
import { publishHome } from '../../src/use-cases/publish-home.js';
import { noticeAnswer } from '../../src/views/answer.js';
import { escapeMrkdwn, truncate } from '../../src/views/escape.js';
import { readClick, refuse } from './interaction.js';

/** Mark met and Flag broken on a dependency. */
export function register(app: App, services: Services): void {
  for (const [actionId, state] of [
    ['dependency_met', 'met'],
    ['dependency_broken', 'broken'],
  ] as const) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const click = readClick(body, action.value, context);
      if (!click?.id) return refuse(respond, 'That dependency does not exist in this workspace.');
      const actor = await actorFor(services.users, client, click.actor.teamId, click.actor.userId);
      const settled = await settleDependency(services.stores, actor, click.id, state, services.now());
      if (!settled.ok) return refuse(respond, settled.problem);
      const { dependency, consumer, provider } = settled.value;
      const text = `${state === 'met' ? '✅ Met' : '💔 Broken'}, says <@${actor.userId}>: ${consumer ? `\`${consumer.programKey}/${consumer.key}\`` : '?'} needed *${escapeMrkdwn(truncate(dependency.deliverable, 200))}* from ${provider ? `\`${provider.programKey}/${provider.key}\`` : '?'}.`;
      if (click.surface === 'home') await publishHome(services, client, actor.teamId, actor.userId);
      else
        await respond({ ...noticeAnswer(text), replace_original: click.surface === 'message' }).catch(
          () => undefined,
        );
    });
  }
}
