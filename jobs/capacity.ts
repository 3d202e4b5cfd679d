import type { Services } from '../src/services.js';
import { runCapacityTick } from '../src/use-cases/capacity-alerts.js';
import type { Job } from './runner.js';

/** Every 15 minutes: shared resources over capacity in a week, to the owners of the programs involved. */
export function capacityJob(services: Services): Job {
  return {
    name: 'capacity',
    schedule: '0 */15 * * * *',
    async run() {
      const result = await runCapacityTick(
        { stores: services.stores, slackFor: services.slackFor, log: services.log },
        services.now(),
      );
      if (result.notified + result.resolved > 0)
        services.log.info(result, 'capacity conflicts told or resolved');
    },
  };
}
