import type { Services } from '../src/services.js';
import { runEscalationTick } from '../src/use-cases/escalation.js';
import type { Job } from './runner.js';

/** Every 15 minutes: old blockers to program owners, dependencies turning at risk to both leads. */
export function escalationJob(services: Services): Job {
  return {
    name: 'escalation',
    schedule: '0 */15 * * * *',
    async run() {
      const sent = await runEscalationTick(
        { stores: services.stores, slackFor: services.slackFor, log: services.log },
        services.now(),
      );
      if (sent.blockers + sent.dependencies > 0) services.log.info(sent, 'escalations sent');
    },
  };
}
