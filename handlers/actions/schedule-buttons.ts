import type { App, BlockButtonAction } from '@slack/bolt';
import { Types } from 'mongoose';
import type { Services } from '../../src/services.js';
import { actorFor, workspaceOf } from '../../src/slack/actor.js';
import { changeSchedule, listSchedules, type ScheduleChange } from '../../src/use-cases/schedules.js';
import { problemAnswer } from '../../src/views/answer.js';
import { scheduleListView } from '../../src/views/schedule-views.js';

const CHANGES: Record<string, ScheduleChange> = {
  schedule_pause: 'pause',
  schedule_resume: 'resume',
  schedule_remove: 'remove',
};

/** Pause, Resume and Remove on `/program schedules`: checked on the server, then the list redrawn in place. */
export function register(app: App, services: Services): void {
  for (const [actionId, change] of Object.entries(CHANGES)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const teamId = workspaceOf(context);
      const id =
        action.value && /^[0-9a-f]{24}$/.test(action.value) ? new Types.ObjectId(action.value) : undefined;
      if (!teamId || !id) {
        await respond({
          ...problemAnswer('That schedule does not exist in this workspace.'),
          replace_original: false,
        });
        return;
      }
      try {
        const actor = await actorFor(services.users, client, teamId, body.user.id);
        const changed = await changeSchedule(services.stores, actor, id, change, services.now());
        if (!changed.ok) {
          await respond({ ...problemAnswer(changed.problem), replace_original: false });
          return;
        }
        const list = await listSchedules(services.stores, actor, changed.value.program.key);
        if (list.ok)
          await respond({
            ...scheduleListView(list.value.program, list.value.schedules),
            replace_original: true,
          });
      } catch (error) {
        services.log.error({ err: error, teamId }, `${change} schedule failed`);
        await respond({
          ...problemAnswer('That did not work on my side; nothing changed. Please try again in a minute.'),
          replace_original: false,
        }).catch(() => undefined);
      }
    });
  }
}
