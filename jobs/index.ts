import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Services } from '../src/services.js';
import { capacityJob } from './capacity.js';
import { digestSchedulerJob } from './digest-scheduler.js';
import { escalationJob } from './escalation.js';
import { remindersJob } from './reminders.js';
import { requestRemindersJob } from './request-reminders.js';
import type { Job } from './runner.js';

export { startJobs, type Job, type RunningJobs } from './runner.js';

/** The jobs Cairn runs on a schedule; each claims its work in MongoDB, so every replica runs them all. */
export function cairnJobs(services: Services): Job[] {
  const replicaId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  return [
    digestSchedulerJob(services, replicaId),
    remindersJob(services, replicaId),
    escalationJob(services),
    capacityJob(services),
    requestRemindersJob(services),
  ];
}
