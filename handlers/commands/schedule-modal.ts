/** Opens the schedule modal for a program (`/program schedule`) or a portfolio (`/program portfolio schedule`). */
import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../src/domain/permissions.js';
import type { ScheduleSubjectRef } from '../../src/domain/schedule.js';
import type { Services } from '../../src/services.js';
import { subjectForScheduling } from '../../src/use-cases/schedules.js';
import { problemAnswer, type Answer } from '../../src/views/answer.js';
import { problemView } from '../../src/views/problems.js';
import { scheduleModal } from '../../src/views/schedule-views.js';

/** Who may schedule is checked before the modal opens (and again when it is submitted). */
export async function openScheduleModal(
  services: Services,
  actor: Actor,
  ref: ScheduleSubjectRef,
  surface: { client: WebClient; triggerId: string },
): Promise<Answer | undefined> {
  const found = await subjectForScheduling(services.stores, actor, ref);
  if (!found.ok) return problemView(found.problem);
  try {
    await surface.client.views.open({
      trigger_id: surface.triggerId,
      view: scheduleModal(found.value, actor.timezone),
    });
    return undefined;
  } catch (error) {
    services.log.warn({ err: error }, 'could not open the schedule modal');
    return problemAnswer(
      'Slack did not let me open the schedule form in time. Please run the command again.',
    );
  }
}
