import type { Services } from '../src/services.js';
import { runSchedulerTick } from '../src/use-cases/scheduler.js';
import type { Job } from './runner.js';

/** Every 15 s: claim and post due digest slots, catch up missed ones, take over abandoned runs. */
export function digestSchedulerJob(services: Services, replicaId: string): Job {
  return {
    name: 'digest-scheduler',
    schedule: '*/15 * * * * *',
    async run() {
      const report = await runSchedulerTick(
        { stores: services.stores, slackFor: services.slackFor, log: services.log, pacer: services.pacer },
        { replicaId, graceMs: services.digestGraceMs },
        services.now(),
      );
      if (Object.values(report).some((n) => n > 0))
        services.log.info({ ...report, replicaId }, 'digest scheduler tick');
    },
  };
}
