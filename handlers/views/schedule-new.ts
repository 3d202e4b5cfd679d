import { isValidTimezone } from '../../src/parsing/dates.js';
import { storedId } from '../../src/data/ids.js';
import { createSchedule, editSchedule } from '../../src/use-cases/schedules.js';
import { SCHEDULE_FIELD } from '../../src/views/ids.js';
import { fieldError } from './field-error.js';
import { readScheduleForm, scheduleCreatedView } from '../../src/views/schedule-views.js';
import type { ModalListener } from '../types.js';

/**
 * Submission of the schedule modal, new or opened from a schedule's Edit button; who may schedule is
 * checked again here, not only at opening.
 */
export const newScheduleSubmitted: ModalListener = async ({ ack, body, view, client, context }) => {
  const form = readScheduleForm(view.state.values as never, view.private_metadata, isValidTimezone);
  if (!form.ok) return ack({ response_action: 'errors', errors: form.errors });
  const { services } = context;
  try {
    const actor = await context.actor();
    const editedId = form.scheduleId ? storedId(form.scheduleId) : undefined;
    const created = editedId
      ? await editSchedule(services.stores, actor, editedId, form.subject, form.input, services.now())
      : await createSchedule(services.stores, actor, form.subject, form.input, services.now());
    if (!created.ok)
      return ack({
        response_action: 'errors',
        errors: { [SCHEDULE_FIELD.channel]: await fieldError(context, client, created.problem) },
      });
    await ack();
    const answer = scheduleCreatedView(created.value.subject, created.value.schedule, Boolean(editedId));
    await client.chat
      .postMessage({ channel: body.user.id, text: answer.text, blocks: answer.blocks })
      .catch((error: unknown) => services.log.warn({ err: error }, 'could not confirm a schedule'));
  } catch (error) {
    services.log.error({ err: error, teamId: context.workspaceId }, 'saving a schedule failed');
    return ack({
      response_action: 'errors',
      errors: {
        [SCHEDULE_FIELD.channel]:
          'Saving failed on my side; your choices are still here. Please try again in a moment.',
      },
    });
  }
};
