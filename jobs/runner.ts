import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../src/logger.js';
import { InFlight } from '../src/in-flight.js';

export interface Job {
  name: string;
  /** A node-cron expression; six fields allow seconds. */
  schedule: string;
  run(now: Date): Promise<void>;
}

export interface RunningJobs {
  /** Stops scheduling and waits (up to `timeoutMs`) for runs in progress to finish. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Drives jobs with node-cron. A run never overlaps the previous run of the same job, and a failed
 * run is logged, not thrown: the next tick tries again. Correctness across replicas comes from the
 * jobs themselves claiming their work atomically in MongoDB, not from this runner.
 */
export function startJobs(jobs: readonly Job[], log: Logger): RunningJobs {
  routeCronLogs(log);
  const inFlight = new InFlight();
  const tasks: ScheduledTask[] = jobs.map((job) => {
    if (!cron.validate(job.schedule))
      throw new Error(`job ${job.name}: invalid cron expression ${job.schedule}`);
    return cron.schedule(
      job.schedule,
      (context) =>
        inFlight.track(async () => {
          try {
            await job.run(context.date);
          } catch (error) {
            log.error({ err: error, job: job.name }, 'job run failed');
          }
        }),
      { name: job.name, noOverlap: true },
    );
  });
  log.info({ jobs: jobs.map((j) => j.name) }, 'jobs started');
  return {
    async stop(timeoutMs = 10_000) {
      await Promise.all(tasks.map((task) => task.stop()));
      if (!(await inFlight.drained(timeoutMs)))
        log.warn({ running: inFlight.size }, 'jobs still running at shutdown');
      await Promise.all(tasks.map((task) => task.destroy()));
    },
  };
}

/** node-cron logs to the console by default; ours go through pino with everything else. */
function routeCronLogs(log: Logger): void {
  const cronLog = log.child({ component: 'node-cron' });
  cron.setLogger({
    info: (message) => cronLog.info(message),
    warn: (message) => cronLog.warn(message),
    error: (message, err) => cronLog.error({ err: err ?? message }, String(message)),
    debug: (message, err) => cronLog.debug({ err }, String(message)),
  });
}
