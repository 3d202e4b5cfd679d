import type { Services } from '../src/services.js';
import { runReminderTick } from '../src/use-cases/reminders.js';
import type { Job } from './runner.js';

/** Every minute: DM leads whose updates are missing, by each schedule's reminder lead time. */
export function remindersJob(services: Services, replicaId: string): Job {
  return {
    name: 'reminders',
    schedule: '30 * * * * *',
    async run() {
      const { sent } = await runReminderTick(
        { stores: services.stores, slackFor: services.slackFor, log: services.log },
        replicaId,
        services.now(),
      );
      if (sent > 0) services.log.info({ sent }, 'reminders sent');
    },
  };
}
