import type { App, BlockButtonAction } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import { actorFor } from '../../src/slack/actor.js';
import { escalateBlocker, resolveBlocker } from '../../src/use-cases/blockers.js';
import { publishHome } from '../../src/use-cases/publish-home.js';
import { noticeAnswer } from '../../src/views/answer.js';
import { escapeKeepingMentions, truncate } from '../../src/views/escape.js';
import { blockerEscalationMessage } from '../../src/views/escalation-views.js';
import { formatAge } from '../../src/views/format.js';
import { readClick, refuse, tell } from './interaction.js';

/** Resolve and Escalate on a blocker; checked on the server, then the message or Home tab redrawn. */
export function register(app: App, services: Services): void {
  app.action<BlockButtonAction>(
    'blocker_resolve',
    async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const click = readClick(body, action.value, context);
      if (!click?.id) return refuse(respond, 'That blocker does not exist in this workspace.');
      const actor = await actorFor(services.users, client, click.actor.teamId, click.actor.userId);
      const resolved = await resolveBlocker(services.stores, actor, click.id, services.now());
      if (!resolved.ok) return refuse(respond, resolved.problem);
      const text = `✅ Resolved by <@${actor.userId}>: ${escapeKeepingMentions(truncate(resolved.value.blocker.text, 300))}`;
      if (click.surface === 'home') await publishHome(services, client, actor.teamId, actor.userId);
      else
        await respond({ ...noticeAnswer(text), replace_original: click.surface === 'message' }).catch(
          () => undefined,
        );
    },
  );

  app.action<BlockButtonAction>(
    'blocker_escalate',
    async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const click = readClick(body, action.value, context);
      if (!click?.id) return refuse(respond, 'That blocker does not exist in this workspace.');
      const escalated = await escalateBlocker(services.stores, click.actor, click.id, services.now());
      if (!escalated.ok) return refuse(respond, escalated.problem);
      const { program, workstream, blocker } = escalated.value;
      if (!workstream) return refuse(respond, 'That blocker’s workstream no longer exists.');
      const message = blockerEscalationMessage(
        program,
        workstream,
        blocker,
        Math.floor((services.now().getTime() - blocker.openedAt.getTime()) / 86_400_000),
      );
      await client.chat.postMessage({ channel: program.ownerId, text: message.text, blocks: message.blocks });
      await tell(
        respond,
        noticeAnswer(
          `Brought to <@${program.ownerId}>, the owner of ${program.key}: the blocker open ${formatAge(blocker.openedAt, services.now())}.`,
        ),
      );
    },
  );
}
