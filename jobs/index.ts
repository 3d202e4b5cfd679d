import type { Services } from '../src/services.js';
import type { Job } from './runner.js';

export { startJobs, type Job, type RunningJobs } from './runner.js';

/**
 * The jobs Cairn runs on a schedule. None yet: the digest scheduler, reminders and escalation
 * (issues 4 and 5) will each add one file here.
 */
export function cairnJobs(_services: Services): Job[] {
  return [];
}
