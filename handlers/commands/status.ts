/** `/status …`: the modal, a workstream's card, or a quick update. */
import { parseStatusCommand } from '../../src/parsing/status-command.js';
import { recordUpdate, workstreamCard, workstreamsForUpdate } from '../../src/use-cases/status.js';
import { problemAnswer, type Answer } from '../../src/views/answer.js';
import { statusHelp } from '../../src/views/help.js';
import { workstreamHistory } from '../../src/use-cases/history.js';
import { setAway, setBack } from '../../src/use-cases/time-away.js';
import { awayChangedView } from '../../src/views/time-away-views.js';
import { historyView } from '../../src/views/history-view.js';
import { updateModal, updateRecordedView } from '../../src/views/update-views.js';
import { workstreamCardView } from '../../src/views/workstream-card.js';
import { problemView } from '../../src/views/problems.js';
import type { CommandListener } from '../types.js';

export const statusCommand: CommandListener = async ({ command, ack, respond, client, context }) => {
  if (/^\s*help\s*$/i.test(command.text)) return ack(statusHelp());
  await ack();
  const { services } = context;
  const reply = async (answer: Answer) => void (await respond(answer));
  const actor = await context.actor();
  const now = services.now();
  const parsed = parseStatusCommand(command.text, { now, timezone: actor.timezone });
  if (!parsed.ok) return reply(problemAnswer(parsed.problem, parsed.example));
  const request = parsed.request;
  switch (request.kind) {
    case 'help':
      return reply(statusHelp());
    case 'modal': {
      const workstreams = await workstreamsForUpdate(services.stores, actor);
      if (workstreams.length === 0)
        return reply(
          problemAnswer(
            'There are no workstreams to report on yet. A program manager adds them with `/program add`.',
          ),
        );
      await client.views.open({
        trigger_id: command.trigger_id,
        view: updateModal({ workstreams, metadata: { channelId: command.channel_id } }),
      });
      return;
    }
    case 'card': {
      const card = await workstreamCard(services.stores, actor, request.workstream, now);
      return reply(card.ok ? workstreamCardView(card.value, now) : problemView(card.problem));
    }
    case 'history': {
      const history = await workstreamHistory(services.stores, actor, request.workstream);
      return reply(
        history.ok ? historyView(history.value, now, actor.timezone) : problemView(history.problem),
      );
    }
    case 'away':
      return reply(awayChangedView(await setAway(services.stores, actor, request.until, now), now));
    case 'back':
      return reply(awayChangedView(await setBack(services.stores, actor, now), now));
    case 'update': {
      const { workstream, ...content } = request;
      const recorded = await recordUpdate(
        services.stores,
        actor,
        // A blocker a blocked update opens has the summary as its text: client-visible only when the
        // author said `internal:no`; internal otherwise, like every blocker (SPEC §7).
        { workstream, content, source: 'command', blockerInternal: request.internal ?? true },
        now,
      );
      if (!recorded.ok) return reply(problemView(recorded.problem));
      context.saved('Your update is recorded');
      services.homes.request(client, actor.teamId, actor.userId);
      return reply(updateRecordedView(recorded.value, now));
    }
  }
};
