/**
 * A program with a few workstreams and a digest schedule, for scheduler tests that drive the core
 * with an injected clock against the real database and the fake Slack.
 */
import type { Connection } from 'mongoose';
import { createLogger } from '../../src/logger.js';
import { createStores, type Stores } from '../../src/services.js';
import { singleWorkspaceClients, type ClientFor } from '../../src/slack/workspace-client.js';
import type { Actor } from '../../src/domain/permissions.js';
import type { DigestVariant, Weekday } from '../../src/domain/schedule.js';
import { createProgram, addWorkstream } from '../../src/use-cases/programs.js';
import { createSchedule } from '../../src/use-cases/schedules.js';
import { runSchedulerTick, type SchedulerDeps, type TickReport } from '../../src/use-cases/scheduler.js';
import { BOT_TOKEN } from './cairn-harness.js';
import { testLayout } from './database.js';
import type { FakeSlack } from './fake-slack.js';

export const TEAM = 'T0001';
export const OWNER: Actor = { teamId: TEAM, userId: 'U0PM', timezone: 'UTC', isWorkspaceAdmin: false };

export function schedulerDeps(
  connection: Connection,
  slack: FakeSlack,
): SchedulerDeps & { stores: Stores; slackFor: ClientFor } {
  const log = createLogger(process.env.LOG_LEVEL ?? 'silent', 'scheduler-under-test');
  const slackFor = singleWorkspaceClients(BOT_TOKEN, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 50 },
  });
  // In the layout the test run asks for, as Cairn under test and tenantCollection use it.
  return { stores: createStores(connection, testLayout()), slackFor, log };
}

export async function programWithSchedule(
  stores: Stores,
  options: {
    key: string;
    channelId: string;
    days: Weekday[];
    time: string;
    timezone: string;
    createdAt: Date;
    workstreams?: number;
    variant?: DigestVariant;
  },
) {
  const program = await createProgram(
    stores,
    OWNER,
    { programKey: options.key, name: `Program ${options.key}`, channelId: options.channelId },
    options.createdAt,
  );
  if (!program.ok) throw new Error(JSON.stringify(program.problem));
  for (let i = 0; i < (options.workstreams ?? 2); i++) {
    const added = await addWorkstream(
      stores,
      OWNER,
      {
        programKey: options.key,
        workstreamKey: `ws-${i}`,
        name: `Workstream ${i}`,
        team: `team-${i % 2}`,
        leadUserId: `U0LEAD${i}`,
      },
      options.createdAt,
    );
    if (!added.ok) throw new Error(JSON.stringify(added.problem));
  }
  const schedule = await createSchedule(
    stores,
    OWNER,
    { programKey: options.key },
    {
      channelId: options.channelId,
      days: options.days,
      time: options.time,
      timezone: options.timezone,
      variant: options.variant ?? 'team',
      reminderLeadMinutes: 0,
    },
    options.createdAt,
  );
  if (!schedule.ok) throw new Error(JSON.stringify(schedule.problem));
  return { program: program.value, schedule: schedule.value.schedule };
}

export function tick(
  deps: SchedulerDeps,
  now: Date,
  replicaId = 'replica-a',
  graceMs = 6 * 3_600_000,
): Promise<TickReport> {
  return runSchedulerTick(deps, { replicaId, graceMs, staleClaimMs: 120_000, retryDelayMs: 1_000 }, now);
}

/** Top-level digest messages in a channel (thread replies left out). */
export function digestsIn(slack: FakeSlack, channel: string) {
  return slack.messages(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
}

export const runIdOf = (message: { metadata?: unknown }) =>
  (message.metadata as { event_payload?: { run_id?: string } } | undefined)?.event_payload?.run_id;
