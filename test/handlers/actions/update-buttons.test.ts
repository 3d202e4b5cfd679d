import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../../support/cairn-harness.js';
import { ask } from '../../support/conversation.js';
import { tenantCollection, testDatabase } from '../../support/database.js';

const LEAD = 'U0LEAD';
const OTHER = 'U0OTHER';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
/** The update's Edit button value: `<programId>/<updateId>`. */
let updateRef: string;

beforeAll(async () => {
  db = await testDatabase('update-buttons');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
  await ask(running, '/program', 'new checkout "Checkout"', { userId: LEAD });
  await ask(running, '/program', `add checkout web "Web" team:web lead:<@${LEAD}>`, { userId: LEAD });
  const quick = await ask(running, '/status', 'web amber 30% waiting on design', { userId: LEAD });
  updateRef = String(
    (quick.blocks.find((b) => b.type === 'actions')?.elements?.[0] as { value: string }).value,
  );
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

function click(actionId: string, value: string, userId = LEAD) {
  return running.driver.blockAction({
    user: { id: userId, username: userId, name: userId, team_id: TEAM_ID },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }],
  });
}

async function answerTo(response: { sent: Record<string, unknown> }): Promise<string> {
  const url = String(response.sent.response_url);
  return JSON.stringify((await running.slack.waitForResponse((r) => url.endsWith(r.id))).body);
}

describe('Edit and Update… buttons', () => {
  it("opens the author's update in the modal, filled in", async () => {
    running.slack.reset();
    const response = await click('status_edit', updateRef);
    expect(response.status).toBe(200);
    const open = await running.slack.waitForCall('views.open');
    expect(open.response.ok).toBe(true);
    const view = open.args.view as {
      title: { text: string };
      private_metadata: string;
      blocks: Array<{ block_id?: string; element?: Record<string, unknown> }>;
    };
    expect(view.title.text).toBe('Edit update');
    expect(JSON.parse(view.private_metadata)).toMatchObject({ updateRef });
    expect(view.blocks.find((b) => b.block_id === 'summary')?.element?.initial_value).toBe(
      'waiting on design',
    );
    expect(view.blocks.find((b) => b.block_id === 'progress')?.element?.initial_value).toBe('30');
  });

  it("refuses Edit to someone who is not the update's author", async () => {
    running.slack.reset();
    const response = await click('status_edit', updateRef, OTHER);
    expect(await answerTo(response)).toContain('Only its author, <@U0LEAD>, may edit that update.');
    expect(running.slack.calls('views.open')).toHaveLength(0);
  });

  it.each([
    ['not-an-id'],
    ['{"$ne":null}'],
    ['ffffffffffffffffffffffff'],
    ['ffffffffffffffffffffffff/ffffffffffffffffffffffff'],
  ])('answers a tampered value %j clearly', async (value) => {
    const response = await click('status_edit', value);
    expect(await answerTo(response)).toContain('That update does not exist in this workspace.');
  });

  it("answers a value naming the update's program but no update of it clearly", async () => {
    const [programId] = updateRef.split('/');
    const response = await click('status_edit', `${programId}/ffffffffffffffffffffffff`);
    expect(await answerTo(response)).toContain('That update does not exist in this workspace.');
  });

  it('answers an expired trigger with a clear message', async () => {
    running.slack.injectError('views.open', { error: 'expired_trigger_id' });
    const workstreams = await tenantCollection(db.connection, 'workstreams', TEAM_ID);
    const workstreamId = String((await workstreams.findOne({ key: 'web' }))?._id);
    const response = await click('status_open_modal', workstreamId);
    expect(await answerTo(response)).toContain(
      'That click reached me too late for Slack to open the form. Please click again.',
    );
  });
});
