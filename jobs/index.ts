import type { Services } from '../src/services.js';
import { digestSchedulerJob } from './digest-scheduler.js';
import type { Job } from './runner.js';

export { startJobs, type Job, type RunningJobs } from './runner.js';

/** The jobs Cairn runs on a schedule. */
export function cairnJobs(services: Services): Job[] {
  return [digestSchedulerJob(services)];
}
