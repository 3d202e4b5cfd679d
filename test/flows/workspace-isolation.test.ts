/**
 * A user of workspace B can neither read nor change anything of workspace A, whatever names or
 * ids they send: by command, by button value, or by modal submission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedId, storedUpdateRef } from '../../src/data/ids.js';
import { startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { ask, countWrites } from '../support/conversation.js';
import { everyDocument, tenantCollection, testDatabase } from '../support/database.js';

const A = 'TAAAA';
const B = 'TBBBB';
const PM_A = 'U0PMA';
const MALLORY = 'U0MAL';

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
/** The Edit button's value on A's update: `<programId>/<updateId>`. */
let updateRef: string;
let workstreamId: string;
let programId: string;

/**
 * How many documents each concept holds in every workspace's collections together (in the
 * partitioned layout each workspace has its own): a write by anyone anywhere changes a count.
 */

beforeAll(async () => {
  db = await testDatabase('isolation');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
  await ask(running, '/program', 'new checkout "Checkout revamp"', { teamId: A, userId: PM_A });
  await ask(running, '/program', `add checkout payments "Payments API" team:payments lead:<@${PM_A}>`, {
    teamId: A,
    userId: PM_A,
  });
  const quick = await ask(running, '/status', 'payments green all good', { teamId: A, userId: PM_A });
  updateRef = String(
    (quick.blocks.find((b) => b.type === 'actions')?.elements?.[0] as { value: string }).value,
  );
  expect(storedUpdateRef(updateRef)).toBeDefined();
  const workstream = await (await tenantCollection(db.connection, 'workstreams', A)).findOne({ teamId: A });
  workstreamId = String(workstream?._id);
  programId = String(workstream?.programId);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('workspace isolation', () => {
  it("answers B's commands as if A's program did not exist, and writes nothing of A's", async () => {
    const before = await countWrites(db.connection);
    const cases: Array<[string, string, RegExp]> = [
      ['/program', 'show checkout', /There is no program `checkout` here/],
      ['/program', 'archive checkout', /There is no program `checkout` here/],
      [
        '/program',
        `add checkout evil "Evil" team:x lead:<@${MALLORY}>`,
        /There is no program `checkout` here/,
      ],
      ['/program', 'blocker payments "sabotage"', /There is no workstream `payments` here/],
      ['/program', 'depend payments on vault by dec 1 "x"', /There is no workstream `payments` here/],
      ['/status', 'payments', /There is no workstream `payments` here/],
      ['/status', 'checkout/payments red sabotage', /There is no workstream `checkout\/payments` here/],
    ];
    for (const [command, text, expected] of cases) {
      const answer = await ask(running, command as '/program' | '/status', text, {
        teamId: B,
        userId: MALLORY,
      });
      expect(answer.all, `${command} ${text}`).toMatch(expected);
    }
    expect(await countWrites(db.connection)).toEqual(before);
    const list = await ask(running, '/program', 'list', { teamId: B, userId: MALLORY });
    expect(list.all).not.toContain('checkout');
  });

  it("refuses a button whose value names A's update or workstream when clicked in B", async () => {
    for (const [actionId, value] of [
      ['status_edit', updateRef],
      ['status_open_modal', workstreamId],
    ] as const) {
      const clicked = await running.driver.blockAction({
        team: { id: B, domain: 'b' },
        user: { id: MALLORY, username: 'mallory', name: 'mallory', team_id: B },
        actions: [{ type: 'button', action_id: actionId, block_id: 'x', value, action_ts: '1' }],
      });
      expect(clicked.status).toBe(200);
      const url = String(clicked.sent.response_url);
      const answer = await running.slack.waitForResponse((r) => url.endsWith(r.id));
      expect(JSON.stringify(answer.body)).toMatch(/does not exist in this workspace/);
    }
    expect(running.slack.calls('views.open')).toHaveLength(0);
  });

  it("refuses every button of issue 5 when its value names A's things and the click comes from B", async () => {
    await ask(running, '/program', 'blocker payments "A blocker"', { teamId: A, userId: PM_A });
    await ask(running, '/program', `add checkout web "Web" team:web lead:<@${PM_A}>`, {
      teamId: A,
      userId: PM_A,
    });
    await ask(running, '/program', 'depend web on payments by dec 1 "API"', { teamId: A, userId: PM_A });
    const blockerOfA = async () =>
      (await tenantCollection(db.connection, 'blockers', A)).findOne({ teamId: A });
    const dependencyOfA = async () =>
      (await tenantCollection(db.connection, 'dependencies', A)).findOne({ teamId: A });
    const blockerId = String((await blockerOfA())?._id);
    const dependencyId = String((await dependencyOfA())?._id);
    const before = await countWrites(db.connection);
    const cases: Array<[string, string, RegExp]> = [
      ['status_carry_forward', workstreamId, /That workstream does not exist in this workspace/],
      ['status_details', workstreamId, /That workstream does not exist in this workspace/],
      ['blocker_resolve', blockerId, /That blocker does not exist in this workspace/],
      ['blocker_escalate', blockerId, /That blocker does not exist in this workspace/],
      ['dependency_met', dependencyId, /That dependency does not exist in this workspace/],
      ['dependency_broken', dependencyId, /That dependency does not exist in this workspace/],
      ['digest_nudge', 'checkout', /There is no program `checkout` here/],
    ];
    for (const [actionId, value, expected] of cases) {
      const clicked = await running.driver.blockAction({
        team: { id: B, domain: 'b' },
        user: { id: MALLORY, username: 'mallory', name: 'mallory', team_id: B },
        actions: [{ type: 'button', action_id: actionId, block_id: 'x', value, action_ts: '1' }],
      });
      expect(clicked.status).toBe(200);
      const url = String(clicked.sent.response_url);
      const answer = await running.slack.waitForResponse((r) => url.endsWith(r.id));
      expect(JSON.stringify(answer.body), actionId).toMatch(expected);
    }
    expect(await countWrites(db.connection)).toEqual(before);
    expect((await blockerOfA())?.resolvedAt).toBeUndefined();
    expect((await dependencyOfA())?.state).toBe('open');
    // Nothing of B's anywhere, and B's stores do not see A's blocker or dependency.
    expect(await everyDocument(db.connection, 'blockers', { teamId: B })).toEqual([]);
    expect(await everyDocument(db.connection, 'dependencies', { teamId: B })).toEqual([]);
    const { stores } = running.cairn.services;
    expect(await stores.blockers.findById(A, storedId(blockerId)!)).not.toBeNull();
    expect(await stores.blockers.findById(B, storedId(blockerId)!)).toBeNull();
    expect(await stores.dependencies.findById(A, storedId(dependencyId)!)).not.toBeNull();
    expect(await stores.dependencies.findById(B, storedId(dependencyId)!)).toBeNull();
  });

  it("refuses a modal submission naming A's workstream from B, inline, and records nothing", async () => {
    const before = await countWrites(db.connection);
    const submitted = await running.driver.viewSubmission({
      team: { id: B, domain: 'b' },
      user: { id: MALLORY, username: 'mallory', name: 'mallory', team_id: B },
      view: {
        id: 'VEVIL',
        callback_id: 'status_update',
        private_metadata: '{}',
        state: {
          values: {
            workstream: { value: { type: 'static_select', selected_option: { value: workstreamId } } },
            health: { value: { type: 'radio_buttons', selected_option: { value: 'off_track' } } },
            summary: { value: { type: 'plain_text_input', value: 'sabotage' } },
          },
        },
      },
    });
    expect(submitted.json).toEqual({
      response_action: 'errors',
      errors: { workstream: 'That workstream does not exist in this workspace.' },
    });
    expect(await countWrites(db.connection)).toEqual(before);
  });

  it("does not let B edit A's update through a forged modal's metadata", async () => {
    const submitted = await running.driver.viewSubmission({
      team: { id: B, domain: 'b' },
      user: { id: MALLORY, username: 'mallory', name: 'mallory', team_id: B },
      view: {
        id: 'VEVIL2',
        callback_id: 'status_update',
        private_metadata: JSON.stringify({ updateRef }),
        state: {
          values: {
            health: { value: { type: 'radio_buttons', selected_option: { value: 'off_track' } } },
            summary: { value: { type: 'plain_text_input', value: 'rewritten' } },
          },
        },
      },
    });
    expect(submitted.json).toEqual({
      response_action: 'errors',
      errors: { summary: 'That update does not exist in this workspace.' },
    });
    const update = await (
      await tenantCollection(db.connection, 'updates', A, programId)
    ).findOne({ teamId: A });
    expect(update?.summary).toBe('all good');
    // The stores answer B with nothing of A's, and no update of B's was recorded anywhere.
    const ref = storedUpdateRef(updateRef)!;
    const { stores } = running.cairn.services;
    expect((await stores.updates.findById(A, ref.programId, ref.updateId))?.summary).toBe('all good');
    expect(await stores.updates.findById(B, ref.programId, ref.updateId)).toBeNull();
    expect(await everyDocument(db.connection, 'updates', { teamId: B })).toEqual([]);
  });
});
