import type { App } from '@slack/bolt';
import { isValidTimezone } from '../../src/parsing/dates.js';
import type { Services } from '../../src/services.js';
import { actorFor, workspaceOf } from '../../src/slack/actor.js';
import { createSchedule } from '../../src/use-cases/schedules.js';
import {
  readScheduleForm,
  SCHEDULE_MODAL_CALLBACK,
  scheduleCreatedView,
} from '../../src/views/schedule-views.js';

/** Submission of the schedule modal; who may schedule is checked again here, not only at opening. */
export function register(app: App, services: Services): void {
  app.view(SCHEDULE_MODAL_CALLBACK, async ({ ack, body, view, client, context }) => {
    const form = readScheduleForm(view.state.values as never, view.private_metadata, isValidTimezone);
    if (!form.ok) return ack({ response_action: 'errors', errors: form.errors });
    const teamId = workspaceOf(context);
    if (!teamId)
      return ack({
        response_action: 'errors',
        errors: { channel: 'I could not tell which workspace this came from.' },
      });
    try {
      const actor = await actorFor(services.users, client, teamId, body.user.id);
      const created = await createSchedule(
        services.stores,
        actor,
        form.programKey,
        form.input,
        services.now(),
      );
      if (!created.ok)
        return ack({ response_action: 'errors', errors: { channel: created.problem.replace(/`/g, '') } });
      await ack();
      const answer = scheduleCreatedView(created.value.program, created.value.schedule);
      await client.chat
        .postMessage({ channel: body.user.id, text: answer.text, blocks: answer.blocks })
        .catch((error: unknown) => services.log.warn({ err: error }, 'could not confirm a new schedule'));
    } catch (error) {
      services.log.error({ err: error, teamId }, 'creating a schedule failed');
      return ack({
        response_action: 'errors',
        errors: {
          channel: 'Saving failed on my side; your choices are still here. Please try again in a moment.',
        },
      });
    }
  });
}
