/**
 * Issue 13: SPEC §8's table of who may, for every button that changes something. Clicks are sent as
 * Slack sends them (signed block_actions from a message), as the program's owner, one of its admins,
 * a workstream's lead, another member and a workspace admin — whoever was shown the button: the check
 * is on the server. Allowed clicks do what they say; refused ones answer "Only …" and change nothing.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/permissions.js';
import { createSchedule } from '../../src/use-cases/schedules.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ACTION, answerTo, clickInMessage, ephemeralMessage } from '../support/clicks.js';
import { ask, countWrites } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';
import { introduceRoles, PROGRAM_OWNERS, ROLES, USERS, type Role } from '../support/roles.js';
import type { DriverResponse } from '../support/slack-driver.js';

const AND_LEAD: readonly Role[] = [...PROGRAM_OWNERS, 'lead'];

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let n = 0;
const now = new Date('2026-11-25T15:00:00Z');

beforeAll(async () => {
  db = await testDatabase('button-permission-table');
  running = await startCairn(db.connection, { now: () => now });
  running.slack.setRateLimiting(false);
  introduceRoles(running.slack);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

interface World {
  key: string;
  programId: Types.ObjectId;
  blockerId: string;
  dependencyId: string;
  scheduleId: string;
  webId: string;
  updateRef: string;
}

/** A program of its own for one click: an admin, two workstreams the lead leads, a blocker, a dependency, a schedule, an update. */
async function freshWorld(): Promise<World> {
  const key = `b${++n}`;
  const owner = { userId: USERS.owner };
  await ask(running, '/program', `new ${key} "Program ${n}" channel:<#C0P${n}|p${n}>`, owner);
  await ask(running, '/program', `admins ${key} add <@${USERS.admin}>`, owner);
  for (const ws of ['web', 'api'])
    await ask(running, '/program', `add ${key} ${ws} "${ws}" team:core lead:<@${USERS.lead}>`, owner);
  await ask(running, '/program', `blocker ${key}/web "Waiting on review"`, owner);
  await ask(running, '/program', `depend ${key}/web on ${key}/api by 2027-01-10 "Login API"`, owner);
  await ask(running, '/status', `${key}/web green All fine`, { userId: USERS.lead });
  const program = (await (await tenantCollection(db.connection, 'programs', TEAM_ID)).findOne({ key }))!;
  const programId = program._id as Types.ObjectId;
  const web = (await (
    await tenantCollection(db.connection, 'workstreams', TEAM_ID)
  ).findOne({ programKey: key, key: 'web' }))!;
  const blocker = (await (
    await tenantCollection(db.connection, 'blockers', TEAM_ID)
  ).findOne({ workstreamId: web._id }))!;
  const dependency = (await (
    await tenantCollection(db.connection, 'dependencies', TEAM_ID)
  ).findOne({ consumerId: web._id }))!;
  const update = (await (
    await tenantCollection(db.connection, 'updates', TEAM_ID, programId.toHexString())
  ).findOne({}))!;
  const actor: Actor = { teamId: TEAM_ID, userId: USERS.owner, isWorkspaceAdmin: false, timezone: 'UTC' };
  const schedule = await createSchedule(
    running.cairn.services.stores,
    actor,
    { programKey: key },
    {
      channelId: `C0P${n}`,
      days: ['mon'],
      time: '09:00',
      timezone: 'UTC',
      variant: 'team',
      reminderLeadMinutes: 0,
    },
    now,
  );
  if (!schedule.ok) throw new Error(JSON.stringify(schedule.problem));
  return {
    key,
    programId,
    blockerId: String(blocker._id),
    dependencyId: String(dependency._id),
    scheduleId: schedule.value.schedule._id.toHexString(),
    webId: String(web._id),
    updateRef: `${programId.toHexString()}/${String(update._id)}`,
  };
}

const raw = (base: string, ...key: string[]) => tenantCollection(db.connection, base, TEAM_ID, ...key);
const oid = (hex: string) => new Types.ObjectId(hex);
const schedule = (id: string) => db.connection.collection('digest_schedules').findOne({ _id: oid(id) });

/** Each button: its action id, the value it carries, who may click it, and what an allowed click changed. */
const TABLE: Array<
  [
    string,
    string,
    (w: World) => string,
    readonly Role[],
    (w: World, click: DriverResponse) => Promise<boolean>,
  ]
> = [
  [
    'Resolve (blocker)',
    ACTION.blockerResolve,
    (w) => w.blockerId,
    AND_LEAD,
    async (w) => Boolean((await (await raw('blockers')).findOne({ _id: oid(w.blockerId) }))?.resolvedAt),
  ],
  [
    'Escalate (blocker)',
    ACTION.blockerEscalate,
    (w) => w.blockerId,
    ROLES,
    async (w) =>
      (await (
        await raw('audit_events')
      ).countDocuments({ action: 'blocker.escalated', 'target.id': oid(w.blockerId) })) === 1,
  ],
  [
    'Mark met (dependency)',
    ACTION.dependencyMet,
    (w) => w.dependencyId,
    AND_LEAD,
    async (w) => (await (await raw('dependencies')).findOne({ _id: oid(w.dependencyId) }))?.state === 'met',
  ],
  [
    'Flag broken (dependency)',
    ACTION.dependencyBroken,
    (w) => w.dependencyId,
    AND_LEAD,
    async (w) =>
      (await (await raw('dependencies')).findOne({ _id: oid(w.dependencyId) }))?.state === 'broken',
  ],
  // Issue 15: the providing lead's answer to a dependency request (the lead leads api, the provider).
  [
    'Commit (dependency request)',
    ACTION.dependencyCommit,
    (w) => `${w.dependencyId}:0`,
    AND_LEAD,
    async (w) =>
      (await (await raw('dependencies')).findOne({ _id: oid(w.dependencyId) }))?.commitment?.state ===
      'committed',
  ],
  [
    'Decline (dependency request)',
    ACTION.dependencyDecline,
    (w) => `${w.dependencyId}:0`,
    AND_LEAD,
    async (w) =>
      (await (await raw('dependencies')).findOne({ _id: oid(w.dependencyId) }))?.commitment?.state ===
      'declined',
  ],
  [
    'Propose another date (dependency request): opens the modal',
    ACTION.dependencyPropose,
    (w) => `${w.dependencyId}:0`,
    AND_LEAD,
    async (_w, response) =>
      running.slack.calls('views.open').some((c) => c.args.trigger_id === response.sent.trigger_id),
  ],
  [
    'Edit (schedule): opens its form',
    ACTION.scheduleEdit,
    (w) => w.scheduleId,
    PROGRAM_OWNERS,
    async (_w, response) =>
      running.slack.calls('views.open').some((c) => c.args.trigger_id === response.sent.trigger_id),
  ],
  [
    'Pause (schedule)',
    ACTION.schedulePause,
    (w) => w.scheduleId,
    PROGRAM_OWNERS,
    async (w) => (await schedule(w.scheduleId))?.paused === true,
  ],
  [
    'Remove (schedule)',
    ACTION.scheduleRemove,
    (w) => w.scheduleId,
    PROGRAM_OWNERS,
    async (w) => (await schedule(w.scheduleId)) === null,
  ],
  [
    'Still on track',
    ACTION.updateCarryForward,
    (w) => w.webId,
    ROLES,
    async (w) =>
      (await (
        await raw('updates', w.programId.toHexString())
      ).countDocuments({ source: 'carried_forward', programId: w.programId })) === 1,
  ],
  [
    'No change',
    ACTION.updateNoChange,
    (w) => w.webId,
    ROLES,
    async (w) =>
      (await (
        await raw('updates', w.programId.toHexString())
      ).countDocuments({ source: 'carried_forward', programId: w.programId })) === 1,
  ],
  [
    'Nudge the missing ones',
    ACTION.digestNudge,
    (w) => w.key,
    PROGRAM_OWNERS,
    async (_w, response) =>
      /Nobody to nudge|Nudged \d/.test(JSON.stringify(await answerTo(running, response))),
  ],
];

const click = (userId: string, actionId: string, value: string) =>
  clickInMessage(running, userId, ephemeralMessage({ text: 'x', blocks: [] }), {
    action_id: actionId,
    value,
    label: actionId,
    blockId: 'b',
    nearText: '',
  });

describe('who may click each button (SPEC §8)', () => {
  const cases = TABLE.flatMap(([name, actionId, value, allowed, changed]) =>
    ROLES.map((role) => [name, role, actionId, value, allowed.includes(role), changed] as const),
  );
  it.each(cases)('%s as %s', async (_name, role, actionId, value, allowed, changed) => {
    const world = await freshWorld();
    const before = await countWrites(db.connection);
    const response = await click(USERS[role], actionId, value(world));
    expect(response.status).toBe(200);
    if (allowed) {
      await expect.poll(() => changed(world, response), { timeout: 5_000 }).toBe(true);
    } else {
      const answer = JSON.stringify(await answerTo(running, response));
      expect(answer).toMatch(/Only .*may/);
      expect(await countWrites(db.connection)).toEqual(before);
    }
  });

  it('lets only its author open an update to edit it', async () => {
    const world = await freshWorld();
    for (const role of ROLES) {
      const opened = running.slack.calls('views.open').length;
      const response = await click(USERS[role], ACTION.updateEdit, world.updateRef);
      if (role === 'lead') {
        await expect.poll(() => running.slack.calls('views.open').length).toBe(opened + 1);
      } else {
        expect(JSON.stringify(await answerTo(running, response))).toContain('Only its author, <@U0LEAD>');
      }
    }
  });
});
