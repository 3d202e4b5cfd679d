/** `/program digest` and `/program preview` through the receiver, against the fake Slack's limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStores } from '../../src/services.js';
import { addWorkstream } from '../../src/use-cases/programs.js';
import { recordUpdate } from '../../src/use-cases/status.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase, testLayout } from '../support/database.js';

const PM = 'U0PM';
const NOW = new Date('2026-11-25T15:00:00Z');
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('digest-commands');
  running = await startCairn(db.connection, { now: () => NOW, jobs: () => [] });
  running.slack.setRateLimiting(false);
  await ask(
    running,
    '/program',
    'new big "Big program" channel:<#C0BIG|big> objective:"Ship <!channel> everything"',
    { userId: PM },
  );
  // 250 workstreams in 12 teams, a third of them at risk with long summaries, straight into the stores.
  const stores = createStores(db.connection, testLayout());
  const actor = { teamId: TEAM_ID, userId: PM, timezone: 'UTC', isWorkspaceAdmin: false };
  for (let i = 0; i < 250; i++) {
    const key = `ws-${String(i).padStart(3, '0')}`;
    const added = await addWorkstream(
      stores,
      actor,
      {
        programKey: 'big',
        workstreamKey: key,
        name: `Workstream ${i} <!here>`,
        team: `team-${i % 12}`,
        leadUserId: `U${i}`,
      },
      NOW,
    );
    if (!added.ok) throw new Error(JSON.stringify(added.problem));
    if (i % 5 !== 0) {
      await recordUpdate(
        stores,
        actor,
        {
          workstream: { programKey: 'big', workstreamKey: key },
          content: {
            health: i % 3 === 0 ? 'at_risk' : 'on_track',
            blocked: false,
            summary: `${'Long summary '.repeat(20)}${i}`,
            blockers: i % 7 === 0 ? 'Waiting on a vendor' : undefined,
          },
          source: 'command',
        },
        NOW,
      );
    }
  }
}, 180_000);
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('posting a digest on demand', () => {
  it('posts a 250-workstream digest within every Slack limit, listing every workstream', async () => {
    const answer = await ask(running, '/program', 'digest big', { userId: PM });
    expect(answer.all).toContain('Posted the digest of *Big program* to <#C0BIG>.');
    const posts = running.slack.calls('chat.postMessage').filter((c) => c.args.channel === 'C0BIG');
    expect(posts.every((c) => c.response.ok === true)).toBe(true);
    const main = posts.find((c) => !c.args.thread_ts)!;
    expect(posts.filter((c) => !c.args.thread_ts)).toHaveLength(1);
    for (const post of posts) {
      const blocks = post.args.blocks as unknown[];
      expect(blocks.length).toBeLessThanOrEqual(50);
      expect(validateMessageBlocks(blocks)).toEqual([]);
    }
    const thread = posts.filter((c) => c.args.thread_ts === main.response.ts);
    expect(thread.length).toBeGreaterThan(0);
    const everything = posts.map((p) => JSON.stringify(p.args.blocks)).join('\n');
    for (let i = 0; i < 250; i++) expect(everything).toContain(`ws-${String(i).padStart(3, '0')}`);
    expect(everything).not.toMatch(/<!(here|channel)>/);
    expect((main.args.metadata as { event_type: string }).event_type).toBe('cairn_digest');
    const run = await (
      await tenantCollection(db.connection, 'digest_runs', TEAM_ID)
    ).findOne({ state: 'posted' });
    expect(run?.ts).toBe(main.response.ts);
  });

  it('shows a preview to the caller alone, within the block limit', async () => {
    const before = running.slack.calls('chat.postMessage').length;
    const answer = await ask(running, '/program', 'preview big', { userId: PM });
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.blocks.length).toBeLessThanOrEqual(50);
    expect(validateMessageBlocks(answer.blocks)).toEqual([]);
    expect(answer.all).toContain('Preview, only you can see it');
    expect(running.slack.calls('chat.postMessage').length).toBe(before);
  });

  it('says so when a program has no home channel', async () => {
    await ask(running, '/program', 'new quiet "Quiet"', { userId: PM, channelId: 'D0DM' });
    await (
      await tenantCollection(db.connection, 'programs', TEAM_ID)
    ).updateOne({ key: 'quiet' }, { $unset: { channelId: 1 } });
    const answer = await ask(running, '/program', 'digest quiet', { userId: PM });
    expect(answer.all).toContain('`quiet` has no home channel to post to.');
  });
});
