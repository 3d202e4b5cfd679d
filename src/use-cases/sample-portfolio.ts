/**
 * Issue 14's sample data: a small portfolio that shows on its first digest what Cairn is for — three
 * programs in five teams, a week of updates, a dependency chain that slipped across programs, a shared
 * resource booked past its capacity, a milestone at risk and a lead who went quiet. Made through the
 * same use cases as commands, so it is real data, marked as a sample in every program's name and
 * objective, and its program keys start with `sample-`.
 */
import { DateTime } from 'luxon';
import type { Actor } from '../domain/permissions.js';
import type { ScheduleInput } from '../domain/schedule.js';
import type { CalendarDate, Health } from '../domain/types.js';
import type { Stores } from '../services.js';
import * as programs from './programs.js';
import { createSchedule } from './schedules.js';
import { recordUpdate } from './status.js';

/** The people of the sample, as Slack user ids the playground shows by name. */
export const SAMPLE_PEOPLE = {
  pm: { id: 'U0SAMPLEPM', name: 'Priya (PM)' },
  ana: { id: 'U0SAMPLEANA', name: 'Ana' },
  ben: { id: 'U0SAMPLEBEN', name: 'Ben' },
  cho: { id: 'U0SAMPLECHO', name: 'Cho' },
  dev: { id: 'U0SAMPLEDEV', name: 'Dev' },
} as const;

export const SAMPLE_PROGRAM_KEYS = ['sample-checkout', 'sample-payments', 'sample-mobile'] as const;

/** The shared resource the sample makes (as its PM), booked past its capacity by two sample programs. */
export const SAMPLE_RESOURCE = 'SRE team';

type Person = keyof typeof SAMPLE_PEOPLE;

interface SampleWorkstream {
  program: (typeof SAMPLE_PROGRAM_KEYS)[number];
  key: string;
  name: string;
  team: string;
  lead: Person;
  dueInDays: number;
  /** Updates, oldest first: days ago, health, summary and an optional forecast (days from today). */
  updates: Array<[daysAgo: number, health: Health, summary: string, forecastInDays?: number]>;
}

const WORKSTREAMS: SampleWorkstream[] = [
  {
    program: 'sample-checkout',
    key: 'web',
    name: 'Checkout web',
    team: 'web',
    lead: 'ana',
    dueInDays: 21,
    updates: [
      [7, 'on_track', 'New cart page behind a flag'],
      [4, 'on_track', 'Address form done; payment step next'],
      [1, 'on_track', 'Payment step waits on the new card API'],
    ],
  },
  {
    program: 'sample-checkout',
    key: 'api',
    name: 'Checkout API',
    team: 'platform',
    lead: 'ben',
    dueInDays: 14,
    updates: [
      [6, 'on_track', 'Order endpoints migrated'],
      [2, 'on_track', 'Card tokens next, from the payments vault'],
    ],
  },
  {
    program: 'sample-payments',
    key: 'vault',
    name: 'Card vault',
    team: 'payments',
    lead: 'cho',
    dueInDays: 7,
    updates: [
      [7, 'on_track', 'Vault schema agreed', 7],
      [4, 'at_risk', 'PCI review moved a week', 14],
      [1, 'off_track', 'Auditor found a key-rotation gap; redesign needed', 20],
    ],
  },
  {
    program: 'sample-payments',
    key: 'fraud',
    name: 'Fraud rules',
    team: 'risk',
    lead: 'dev',
    dueInDays: 30,
    // Dev went quiet: the digest lists the missing update and the reminders chase it.
    updates: [[12, 'on_track', 'Rules engine picked']],
  },
  {
    program: 'sample-mobile',
    key: 'ios',
    name: 'iOS app 3.0',
    team: 'mobile',
    lead: 'ana',
    dueInDays: 28,
    updates: [
      [5, 'on_track', 'New navigation in TestFlight'],
      [1, 'at_risk', 'Load testing needs SRE time we may not get'],
    ],
  },
  {
    program: 'sample-mobile',
    key: 'android',
    name: 'Android app 3.0',
    team: 'mobile',
    lead: 'dev',
    dueInDays: 35,
    updates: [[3, 'on_track', 'Parity with iOS on the new navigation']],
  },
];

const DEPENDENCIES = [
  {
    consumer: { programKey: 'sample-checkout', workstreamKey: 'web' },
    provider: { programKey: 'sample-checkout', workstreamKey: 'api' },
    byInDays: 12,
    deliverable: 'Card payments endpoint',
  },
  {
    consumer: { programKey: 'sample-checkout', workstreamKey: 'api' },
    provider: { programKey: 'sample-payments', workstreamKey: 'vault' },
    byInDays: 8,
    deliverable: 'Tokenised card API',
  },
];

/** Each sample program's digest schedule (its channel is the program's). */
export const SAMPLE_SCHEDULE: Omit<ScheduleInput, 'channelId'> = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  time: '09:00',
  timezone: 'UTC',
  variant: 'team',
  reminderLeadMinutes: 120,
};

const PROGRAMS: Record<(typeof SAMPLE_PROGRAM_KEYS)[number], string> = {
  'sample-checkout': 'Checkout revamp (sample)',
  'sample-payments': 'Payments platform (sample)',
  'sample-mobile': 'Mobile app 3.0 (sample)',
};

export type SampleOutcome = { created: true } | { created: false; reason: 'already_there' };

/**
 * Creates the sample in the workspace, as of `now`, with its home channels; does nothing when a
 * sample program is there already (a restart, or a second playground tab).
 */
export async function createSamplePortfolio(
  stores: Stores,
  input: { teamId: string; channelIds: Record<(typeof SAMPLE_PROGRAM_KEYS)[number], string>; now: Date },
): Promise<SampleOutcome> {
  const { teamId, now } = input;
  const actorOf = (person: Person): Actor => ({
    teamId,
    userId: SAMPLE_PEOPLE[person].id,
    isWorkspaceAdmin: false,
    timezone: 'UTC',
  });
  const pm = actorOf('pm');
  const day = (offset: number): CalendarDate =>
    DateTime.fromJSDate(now, { zone: 'utc' }).plus({ days: offset }).toISODate()!;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
  const weekAgo = at(8);

  for (const key of SAMPLE_PROGRAM_KEYS) {
    const made = await programs.createProgram(
      stores,
      pm,
      {
        programKey: key,
        name: PROGRAMS[key],
        objective: 'Sample data to try Cairn with: `/program sample remove` removes it',
        channelId: input.channelIds[key],
      },
      weekAgo,
    );
    if (!made.ok) return { created: false, reason: 'already_there' };
  }
  for (const w of WORKSTREAMS) {
    await must(
      programs.addWorkstream(
        stores,
        pm,
        {
          programKey: w.program,
          workstreamKey: w.key,
          name: w.name,
          team: w.team,
          leadUserId: SAMPLE_PEOPLE[w.lead].id,
          due: day(w.dueInDays),
        },
        weekAgo,
      ),
    );
  }
  // The chain: checkout's web waits on its API, which waits on the payments vault (off track).
  for (const d of DEPENDENCIES) {
    await must(
      programs.addDependency(
        stores,
        pm,
        {
          consumer: d.consumer,
          provider: d.provider,
          by: day(d.byInDays),
          deliverable: d.deliverable,
          ask: false,
        },
        weekAgo,
      ),
    );
  }
  await must(
    programs.addMilestone(
      stores,
      pm,
      {
        programKey: 'sample-checkout',
        name: 'Beta launch',
        date: day(18),
        needs: [{ workstreamKey: 'web' }, { workstreamKey: 'api' }],
      },
      weekAgo,
    ),
  );
  // SRE time booked past its capacity by two programs in the same weeks.
  await must(programs.setResource(stores, pm, { name: SAMPLE_RESOURCE, capacityPerWeek: 6 }, weekAgo));
  for (const [program, key, units] of [
    ['sample-payments', 'vault', 4],
    ['sample-mobile', 'ios', 4],
  ] as const) {
    await must(
      programs.allocateResource(
        stores,
        pm,
        {
          resource: SAMPLE_RESOURCE,
          workstream: { programKey: program, workstreamKey: key },
          units,
          from: day(0),
          to: day(20),
        },
        weekAgo,
      ),
    );
  }
  for (const w of WORKSTREAMS) {
    for (const [daysAgo, health, summary, forecast] of w.updates) {
      await must(
        recordUpdate(
          stores,
          actorOf(w.lead),
          {
            workstream: { programKey: w.program, workstreamKey: w.key },
            content: {
              health,
              blocked: false,
              summary,
              ...(forecast === undefined ? {} : { forecastDate: day(forecast) }),
            },
            source: 'command',
          },
          at(daysAgo),
        ),
      );
    }
  }
  // Digests on weekday mornings with reminders two hours before, as a program manager would set
  // them: the playground's scheduler posts them and chases the leads by DM, as in Slack.
  for (const key of SAMPLE_PROGRAM_KEYS) {
    await must(
      createSchedule(
        stores,
        pm,
        { programKey: key },
        { ...SAMPLE_SCHEDULE, channelId: input.channelIds[key] },
        now,
      ),
    );
  }
  return { created: true };
}

/** A step of the sample that fails is a bug in the sample, not something to answer a user with. */
async function must<T>(
  outcome: Promise<{ ok: true; value: T } | { ok: false; problem: unknown }>,
): Promise<T> {
  const done = await outcome;
  if (!done.ok) throw new Error(`the sample portfolio could not be made: ${JSON.stringify(done.problem)}`);
  return done.value;
}
