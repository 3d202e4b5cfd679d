import type { App } from '@slack/bolt';
import { parseStatusCommand } from '../../src/parsing/status-command.js';
import type { Actor } from '../../src/domain/permissions.js';
import type { Services } from '../../src/services.js';
import { workspaceOf } from '../../src/slack/actor.js';
import { publishHome } from '../../src/use-cases/publish-home.js';
import { recordUpdate, workstreamCard, workstreamsForUpdate } from '../../src/use-cases/status.js';
import { failureAnswer, problemAnswer, type Answer } from '../../src/views/answer.js';
import { statusHelp } from '../../src/views/help.js';
import { updateModal, updateRecordedView } from '../../src/views/update-views.js';
import { workstreamCardView } from '../../src/views/workstream-card.js';

export function register(app: App, services: Services): void {
  app.command('/status', async ({ command, ack, respond, client, context }) => {
    if (/^\s*help\s*$/i.test(command.text)) return ack(statusHelp());
    await ack();
    const reply = async (answer: Answer) => {
      await respond(answer);
    };
    const teamId = workspaceOf(context);
    if (!teamId) return reply(problemAnswer('I could not tell which workspace this came from.'));
    // Neither the card nor an update needs the user's timezone or admin rights: no users.info here.
    const actor: Actor = { teamId, userId: command.user_id, timezone: 'UTC', isWorkspaceAdmin: false };
    try {
      const parsed = parseStatusCommand(command.text, { now: services.now(), timezone: 'UTC' });
      if (!parsed.ok) return reply(problemAnswer(parsed.problem, parsed.example));
      const request = parsed.request;
      const now = services.now();
      switch (request.kind) {
        case 'help':
          return reply(statusHelp());
        case 'modal': {
          const workstreams = await workstreamsForUpdate(services.stores, actor);
          if (workstreams.length === 0) {
            return reply(
              problemAnswer(
                'There are no workstreams to report on yet. A program manager adds them with `/program add`.',
              ),
            );
          }
          await client.views.open({
            trigger_id: command.trigger_id,
            view: updateModal({ workstreams, metadata: { channelId: command.channel_id } }),
          });
          return;
        }
        case 'card': {
          const card = await workstreamCard(services.stores, actor, request.workstream);
          return reply(card.ok ? workstreamCardView(card.value, now) : problemAnswer(card.problem));
        }
        case 'update': {
          const { workstream, ...content } = request;
          const recorded = await recordUpdate(
            services.stores,
            actor,
            { workstream, content, source: 'command' },
            now,
          );
          if (recorded.ok) void publishHome(services, client, teamId, actor.userId);
          return reply(
            recorded.ok ? updateRecordedView(recorded.value, now) : problemAnswer(recorded.problem),
          );
        }
      }
    } catch (error) {
      services.log.error({ err: error, teamId, user: command.user_id }, '/status failed');
      const what = command.text.trim() ? 'record that' : 'open the update form';
      await respond(failureAnswer(what, command.text.trim() ? `/status ${command.text}` : undefined)).catch(
        () => undefined,
      );
    }
  });
}
