import type { Services } from '../src/services.js';
import { runRequestReminderTick } from '../src/use-cases/request-reminders.js';
import type { Job } from './runner.js';

/** Every 15 minutes: one reminder to a providing lead whose dependency request waits 2 working days. */
export function requestRemindersJob(services: Services): Job {
  return {
    name: 'request-reminders',
    schedule: '0 */15 * * * *',
    async run() {
      const { sent } = await runRequestReminderTick(
        { stores: services.stores, slackFor: services.slackFor, log: services.log },
        services.now(),
      );
      if (sent > 0) services.log.info({ sent }, 'dependency request reminders sent');
    },
  };
}
