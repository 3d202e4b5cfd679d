/**
 * SPEC §8 with one configured bot token (HTTP mode): `app_uninstalled` pauses the workspace's
 * schedules and marks it uninstalled; once Cairn runs with a token Slack verifies again (the app
 * reinstalled, its new token configured, Cairn restarted), what the uninstall paused resumes, and
 * only that.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/permissions.js';
import { changeSchedule, createSchedule } from '../../src/use-cases/schedules.js';
import { eventually, startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { testDatabase } from '../support/database.js';

const OWNER = 'U0OWNER';
const now = new Date('2026-11-25T15:00:00Z');
const actor: Actor = { teamId: TEAM_ID, userId: OWNER, isWorkspaceAdmin: false, timezone: 'UTC' };

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn | undefined;

beforeAll(async () => {
  db = await testDatabase('single-workspace-uninstall');
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

const schedules = () => db.connection.collection('digest_schedules').find({ teamId: TEAM_ID }).toArray();
const workspace = () => db.connection.collection('workspaces').findOne({ teamId: TEAM_ID });

it('pauses on app_uninstalled and resumes, from now on, once the bot token is verified again', async () => {
  running = await startCairn(db.connection, { now: () => now });
  await ask(running, '/program', 'new checkout "Checkout" channel:<#C0CHECKOUT|checkout>', { userId: OWNER });
  const { stores } = running.cairn.services;
  const make = async (time: string) => {
    const made = await createSchedule(
      stores,
      actor,
      { programKey: 'checkout' },
      {
        channelId: 'C0CHECKOUT',
        days: ['mon', 'wed'],
        time,
        timezone: 'UTC',
        variant: 'team',
        reminderLeadMinutes: 0,
      },
      now,
    );
    if (!made.ok) throw new Error(JSON.stringify(made.problem));
    return made.value.schedule._id;
  };
  await make('09:00');
  const byHand = await make('10:00');
  expect((await changeSchedule(stores, actor, byHand, 'pause', now)).ok).toBe(true);

  const sent = await running.driver.event({ type: 'app_uninstalled' });
  expect(sent.status).toBe(200);
  // The workspace is marked first, then its schedules paused: wait for the last step.
  await eventually(async () => Boolean((await workspace())?.uninstalledAt), 5_000);
  await eventually(async () => (await schedules()).some((s) => s.pausedReason === 'uninstalled'), 5_000);
  expect((await schedules()).map((s) => [s.time, s.paused, s.pausedReason ?? null]).sort()).toEqual([
    ['09:00', true, 'uninstalled'],
    ['10:00', true, null],
  ]);
  await running.stop();

  // Reinstalled, with its new token configured: a restart verifies it and resumes what the uninstall paused.
  running = await startCairn(db.connection, { now: () => now });
  await eventually(async () => !(await workspace())?.uninstalledAt, 5_000);
  await eventually(async () => (await schedules()).some((s) => s.time === '09:00' && !s.paused), 5_000);
  const after = await schedules();
  expect(after.find((s) => s.time === '09:00')).toMatchObject({
    paused: false,
    nextSlotAt: new Date('2026-11-30T09:00:00Z'),
  });
  expect(after.find((s) => s.time === '09:00')?.pausedReason).toBeUndefined();
  expect(after.find((s) => s.time === '10:00')).toMatchObject({ paused: true });
});
