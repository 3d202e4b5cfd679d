/**
 * Followers (issue 15, point 3), through the signed receiver, the fake Slack and the real database,
 * with the app's clock (and Slack's) pinned: `/program follow|unfollow` and their answers, the Home
 * tab's list of followed programs, and each follower's DM of every scheduled digest, exactly once
 * per follower per slot with two replicas ticking at the same moment; none for someone who
 * unfollowed, none for an archived program. A replica that died while DMing followers, and a DM
 * Slack refused for a while, are taken over by one replica later, without a second DM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Id } from '../../src/domain/entities.js';
import { postDigest } from '../../src/slack/digest-poster.js';
import { composeDigest } from '../../src/use-cases/compose-digest.js';
import { runSchedulerTick, type TickReport } from '../../src/use-cases/scheduler.js';
import { followerDigest } from '../../src/views/follower-views.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { BOT_TOKEN, startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { markCalls, nextCall, openHome, textOf, type RenderedBlock } from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { everyDocument, testDatabase } from '../support/database.js';
import { FakeSlack, type FakeMessage } from '../support/fake-slack.js';

const PM = 'U0PM';
/** Follows `checkout` without being in its channel. */
const FAN = 'U0FAN';
/** Leads a workstream, is in the channel, and follows `checkout` as well. */
const LEAD = 'U0LEAD';
/** Follows `checkout`, then unfollows it. */
const QUIT = 'U0QUIT';
const OTHER = 'U0OTHER';
/** Follows a program that has no schedule. */
const NEWCOMER = 'U0NEW';
const CHANNEL = 'C0CHECKOUT';
const LEGACY_CHANNEL = 'C0LEGACY';

/** Set up on Sunday 29 Nov 2026; the schedules post daily at 09:00 UTC. */
let clock = new Date('2026-11-29T10:00:00Z');
const SLOT_1 = new Date('2026-11-30T09:00:00Z');
const SLOT_2 = new Date('2026-12-01T09:00:00Z');
const SLOT_3 = new Date('2026-12-02T09:00:00Z');
const SLOT_4 = new Date('2026-12-03T09:00:00Z');
const SLOT_5 = new Date('2026-12-04T09:00:00Z');
const SLOT_6 = new Date('2026-12-05T09:00:00Z');
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
let running: RunningCairn;
let programId: Id;
let scheduleId: Id;

const stores = () => running.cairn.services.stores;
const topLevel = (messages: FakeMessage[]) => messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
const runIdOf = (m: FakeMessage) =>
  (m.metadata as { event_payload?: { run_id?: string } } | undefined)?.event_payload?.run_id;
/** The digests in a channel, or in the DM with a user. */
const digestsIn = (where: string) => topLevel(slack.messages(where)).filter((m) => runIdOf(m) !== undefined);
const runOf = async (slot: Date) =>
  (await everyDocument(db.connection, 'digest_runs', { scheduleKey: scheduleId.toHexString(), slot }))[0]!;
const followerDigests = (runId: unknown) => everyDocument(db.connection, 'follower_digests', { runId });
const openMarkers = () => db.connection.collection('follower_digests_open').find({}).toArray();

/** Replicas ticking at the same moment, as processes would at the same minute. */
async function tick(at: Date, ...replicas: string[]): Promise<TickReport[]> {
  clock = at;
  const options = { graceMs: 6 * 3_600_000, staleClaimMs: 120_000, retryDelayMs: 1_000 };
  return Promise.all(
    replicas.map((replicaId) => runSchedulerTick(running.cairn.services, { ...options, replicaId }, at)),
  );
}
const sent = (reports: TickReport[]) => reports.reduce((n, r) => n + r.followerDms, 0);

beforeAll(async () => {
  db = await testDatabase('followers');
  // Slack's clock follows the app's, as real clocks agree: a DM is found by its run id since the slot.
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM_ID, now: () => clock.getTime() });
  running = await startCairn(db.connection, { now: () => clock, slack });
  slack.setRateLimiting(false);
  for (const id of [PM, FAN, LEAD, QUIT, OTHER]) slack.setUser({ id, tz: 'UTC' });
  const as = { userId: PM };
  for (const text of [
    `new checkout "Checkout revamp" channel:<#${CHANNEL}|checkout>`,
    `add checkout web "Web checkout" team:web lead:<@${LEAD}>`,
    `add checkout api "Checkout API" team:api lead:<@${PM}>`,
    `new legacy "Legacy billing" channel:<#${LEGACY_CHANNEL}|legacy>`,
    `add legacy core "Core" team:core lead:<@${PM}>`,
  ]) {
    expect((await ask(running, '/program', text, as)).all, text).not.toContain(':warning:');
  }
  await ask(running, '/status', 'web green on plan', { userId: LEAD });
  await ask(running, '/status', 'api amber waiting on the PCI audit', { userId: PM });
  const [checkout, legacy] = await stores().programs.findByKeys(TEAM_ID, ['checkout', 'legacy']);
  programId = checkout!._id;
  for (const program of [checkout!, legacy!]) {
    const schedule = await stores().schedules.create({
      teamId: TEAM_ID,
      programId: program._id,
      programKey: program.key,
      channelId: program.channelId!,
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      time: '09:00',
      timezone: 'UTC',
      variant: 'team',
      reminderLeadMinutes: 60,
      createdBy: PM,
      createdAt: clock,
      lastSlotAt: clock,
      nextSlotAt: SLOT_1,
    });
    if (program.key === 'checkout') scheduleId = schedule._id;
  }
  // FAN followed legacy while it was active; it is archived since.
  expect((await ask(running, '/program', 'follow legacy', { userId: FAN })).all).toContain('You now follow');
  expect((await ask(running, '/program', 'archive legacy', as)).all).toContain('Archived');
});
afterAll(async () => {
  await running?.stop();
  await slack?.stop();
  await db?.drop();
});

describe('/program follow and unfollow', () => {
  it('follows, says so, and says so again without a second follow however many are sent at once', async () => {
    const first = await ask(running, '/program', 'follow checkout', { userId: FAN });
    expect(first.response_type).toBe('ephemeral');
    expect(first.all).toBe(
      'You now follow *Checkout revamp* (`checkout`): each of its scheduled digests comes to you by DM from Cairn when it is posted. `/program unfollow checkout` stops them.',
    );
    const again = await ask(running, '/program', 'follow Checkout', { userId: FAN });
    expect(again.all).toBe(
      'You already follow *Checkout revamp* (`checkout`); nothing changed. `/program unfollow checkout` stops its digests by DM.',
    );
    const answers = await Promise.all(
      [1, 2, 3].map(() => ask(running, '/program', 'follow checkout', { userId: LEAD })),
    );
    expect(answers.filter((a) => a.all.startsWith('You now follow'))).toHaveLength(1);
    expect(answers.filter((a) => a.all.startsWith('You already follow'))).toHaveLength(2);
    const follows = await everyDocument(db.connection, 'program_followers', { programId });
    expect(follows.map((f) => f.userId).sort()).toEqual([FAN, LEAD]);
  });

  it('answers an unknown program, an archived one, and an unfollow of a program not followed', async () => {
    expect((await ask(running, '/program', 'follow nope', { userId: OTHER })).all).toContain(
      'There is no program `nope` here.',
    );
    expect((await ask(running, '/program', 'unfollow nope', { userId: OTHER })).all).toContain(
      'There is no program `nope` here.',
    );
    expect((await ask(running, '/program', 'follow legacy', { userId: OTHER })).all).toContain(
      '`legacy` is archived; it takes no followers.',
    );
    expect((await ask(running, '/program', 'unfollow checkout', { userId: OTHER })).all).toBe(
      "You don't follow *Checkout revamp* (`checkout`); nothing changed. `/program follow checkout` would send you its digests by DM.",
    );
    await ask(running, '/program', 'new quiet "Quiet program"', { userId: PM });
    expect((await ask(running, '/program', 'follow quiet', { userId: NEWCOMER })).all).toBe(
      'You now follow *Quiet program* (`quiet`): it has no digest schedule running yet, so nothing comes until one is set (`/program schedule quiet`); then each digest comes to you by DM from Cairn. `/program unfollow quiet` stops them.',
    );
    const problem = await ask(running, '/program', 'follow', { userId: OTHER });
    expect(problem.all).toContain('`/program follow` needs a program key.');
    expect(problem.all).toContain('`/program follow checkout`');
    expect(await everyDocument(db.connection, 'program_followers', { userId: OTHER })).toEqual([]);
  });

  it('unfollows only the one who asks, says so, and draws their Home tab again each time', async () => {
    const homeAfter = async (text: string) => {
      const mark = markCalls(running);
      const answer = await ask(running, '/program', text, { userId: QUIT });
      const published = await nextCall(running, mark, 'views.publish', (c) => c.args.user_id === QUIT);
      const view = published.args.view as { blocks: RenderedBlock[] } | string;
      const blocks = (typeof view === 'string' ? JSON.parse(view) : view).blocks as RenderedBlock[];
      return { answer: answer.all, home: textOf(blocks) };
    };
    const followed = await homeAfter('follow checkout');
    expect(followed.answer).toContain('You now follow *Checkout revamp*');
    expect(followed.home).toContain('*Programs you follow* (1)');
    const unfollowed = await homeAfter('unfollow checkout');
    expect(unfollowed.answer).toBe(
      'You no longer follow *Checkout revamp* (`checkout`): its digests stop coming to you by DM.',
    );
    expect(unfollowed.home).toContain('Nothing here yet');
    expect((await ask(running, '/program', 'unfollow checkout', { userId: QUIT })).all).toContain(
      "You don't follow",
    );
    const follows = await everyDocument(db.connection, 'program_followers', { programId });
    expect(follows.map((f) => f.userId).sort()).toEqual([FAN, LEAD]);
  });
});

describe('the Home tab', () => {
  it('lists the programs the user follows, an archived one marked, each with how to stop it', async () => {
    const home = await openHome(running, FAN);
    const text = textOf(home.blocks);
    expect(text).toContain('*Programs you follow* (2)');
    expect(text).toContain(
      '*Legacy billing* `legacy` · _archived: no digests_ · `/program unfollow legacy` stops them',
    );
    expect(text).toContain(
      '*Checkout revamp* `checkout` · its digests come to you by DM · `/program unfollow checkout` stops them',
    );
    expect(text).not.toContain('Nothing here yet');
    // Someone who follows nothing has no such list.
    expect(textOf((await openHome(running, PM)).blocks)).not.toContain('Programs you follow');
  });
});

describe("followers' DMs", () => {
  it('sends each follower the digest at the slot, once, with two replicas ticking together; nobody else', async () => {
    const reports = await tick(later(SLOT_1, 30_000), 'replica-a', 'replica-b');
    expect(reports.reduce((n, r) => n + r.posted, 0)).toBe(1);
    expect(sent(reports)).toBe(2);
    // The same minute again, later: nothing more.
    expect(sent(await tick(later(SLOT_1, 75_000), 'replica-b', 'replica-a'))).toBe(0);

    const [digest] = digestsIn(CHANNEL);
    expect(digestsIn(CHANNEL)).toHaveLength(1);
    const run = await runOf(SLOT_1);
    expect(runIdOf(digest!)).toBe(String(run._id));
    for (const follower of [FAN, LEAD]) {
      const dms = digestsIn(follower);
      expect(dms, follower).toHaveLength(1);
      const dm = dms[0]!;
      expect(runIdOf(dm)).toBe(String(run._id));
      // The channel's main message, ending with why it came and how to stop it.
      expect(dm.text).toBe(digest!.text);
      const blocks = dm.blocks as RenderedBlock[];
      expect(blocks.slice(0, -1)).toEqual(digest!.blocks);
      expect(textOf(blocks.slice(-1))).toBe(
        `You follow *Checkout revamp* (\`checkout\`); this digest was posted in <#${CHANNEL}>. \`/program unfollow checkout\` stops these DMs.`,
      );
      expect(validateMessageBlocks(blocks)).toEqual([]);
      // Its thread as in the channel; the charts stay in the channel.
      const replies = slack.messages(follower).filter((m) => m.thread_ts === dm.ts && m.ts !== dm.ts);
      const channelReplies = slack
        .messages(CHANNEL)
        .filter((m) => m.thread_ts === digest!.ts && m.ts !== digest!.ts && !m.files);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.map((m) => m.text)).toEqual(channelReplies.map((m) => m.text));
      expect(slack.uploadedFiles(slack.dmChannelFor(follower))).toEqual([]);
    }
    // Unfollowed: nothing. Archived: no digest, so no DM (FAN's one DM is checkout's).
    expect(slack.messages(QUIT)).toEqual([]);
    expect(slack.messages(OTHER)).toEqual([]);
    expect(digestsIn(LEGACY_CHANNEL)).toEqual([]);
    expect(JSON.stringify(slack.messages(FAN))).not.toContain('Legacy billing');

    const recorded = await followerDigests(run._id);
    expect(recorded.map((d) => [d.userId, d.state, d.attempts]).sort()).toEqual([
      [FAN, 'sent', 1],
      [LEAD, 'sent', 1],
    ]);
    for (const d of recorded) expect(['replica-a', 'replica-b']).toContain(d.claimedBy);
    expect(await openMarkers()).toEqual([]);
  });

  it('takes over the followers of a replica that died: a DM it had sent is recorded, not sent again', async () => {
    const services = running.cairn.services;
    const program = (await stores().programs.findByKey(TEAM_ID, 'checkout'))!;
    const scheduleKey = scheduleId.toHexString();
    // Replica A claims the slot, posts the digest, marks it as owing its followers and records it;
    // it claims FAN's DM and sends it, then dies before recording it, and before LEAD's.
    clock = later(SLOT_2, 5_000);
    const run = (await stores().runs.claim({
      teamId: TEAM_ID,
      programId,
      scheduleKey,
      slot: SLOT_2,
      channelId: CHANNEL,
      claimedBy: 'replica-a',
      claimedAt: clock,
    }))!;
    const runId = run._id.toHexString();
    const composed = await composeDigest(stores(), program, {
      scheduleKey,
      variant: 'team',
      timezone: 'UTC',
      now: clock,
    });
    const client = await services.slackFor(TEAM_ID, { retries: false });
    const posted = await postDigest(client, CHANNEL, composed, runId, { since: SLOT_2 });
    await stores().followerDigests.open(TEAM_ID, run._id, clock);
    await stores().runs.markPosted(TEAM_ID, run._id, {
      ts: posted.ts,
      postedAt: clock,
      snapshot: composed.snapshot,
    });
    await stores().schedules.advance(TEAM_ID, scheduleId, SLOT_2, SLOT_3);
    await stores().followerDigests.claim({
      teamId: TEAM_ID,
      runId: run._id,
      programId,
      userId: FAN,
      claimedBy: 'replica-a',
      claimedAt: clock,
    });
    const fanDm = await postDigest(
      client,
      slack.dmChannelFor(FAN),
      followerDigest(composed, program, CHANNEL),
      runId,
      { since: SLOT_2 },
    );
    expect(digestsIn(FAN)).toHaveLength(2);

    // A minute later the claims are not stale: nobody touches them.
    expect(sent(await tick(later(SLOT_2, 65_000), 'replica-b'))).toBe(0);
    expect(digestsIn(LEAD)).toHaveLength(1);
    // Three minutes later two replicas see the stale followers; one goes through them.
    const reports = await tick(later(SLOT_2, 185_000), 'replica-b', 'replica-c');
    expect(sent(reports)).toBe(2);
    expect(digestsIn(FAN)).toHaveLength(2);
    expect(digestsIn(LEAD)).toHaveLength(2);
    expect(digestsIn(LEAD).map(runIdOf)).toContain(runId);
    const recorded = await followerDigests(run._id);
    const fan = recorded.find((d) => d.userId === FAN)!;
    expect(fan).toMatchObject({ state: 'sent', attempts: 2, ts: fanDm.ts });
    expect(recorded.find((d) => d.userId === LEAD)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(await openMarkers()).toEqual([]);
    // Later ticks send nothing more.
    expect(sent(await tick(later(SLOT_2, 400_000), 'replica-b', 'replica-c'))).toBe(0);
    expect(digestsIn(CHANNEL)).toHaveLength(2);
  });

  it('tries a DM that Slack refused for a while again, once, on a later tick; one refused for good is left', async () => {
    slack.injectError('conversations.open', { error: 'internal_error', times: 1 });
    const first = await tick(later(SLOT_3, 30_000), 'replica-a', 'replica-b');
    expect(first.reduce((n, r) => n + r.posted, 0)).toBe(1);
    expect(sent(first)).toBe(1);
    const run = await runOf(SLOT_3);
    const failed = (await followerDigests(run._id)).find((d) => d.state === 'failed')!;
    expect(failed).toMatchObject({ attempts: 1 });
    expect(String(failed.error)).toContain('internal_error');
    expect(failed.retryAt).toBeDefined();
    expect(await openMarkers()).toHaveLength(1);

    // Before a stale claim's time, nothing; after it, one replica sends it.
    expect(sent(await tick(later(SLOT_3, 90_000), 'replica-a', 'replica-b'))).toBe(0);
    const retried = await tick(later(SLOT_3, 30_000 + 180_000), 'replica-a', 'replica-b');
    expect(sent(retried)).toBe(1);
    for (const follower of [FAN, LEAD])
      expect(
        digestsIn(follower).filter((m) => runIdOf(m) === String(run._id)),
        follower,
      ).toHaveLength(1);
    expect((await followerDigests(run._id)).map((d) => d.state)).toEqual(['sent', 'sent']);
    expect(await openMarkers()).toEqual([]);

    // A follower Slack will never reach (deactivated): recorded as failed, never tried again.
    slack.injectError('conversations.open', { error: 'user_not_found', times: 1 });
    expect(sent(await tick(later(SLOT_4, 30_000), 'replica-a', 'replica-b'))).toBe(1);
    const fourth = await runOf(SLOT_4);
    const refused = (await followerDigests(fourth._id)).find((d) => d.state === 'failed')!;
    expect(refused.retryAt).toBeUndefined();
    expect(await openMarkers()).toEqual([]);
    expect(sent(await tick(later(SLOT_4, 400_000), 'replica-a', 'replica-b'))).toBe(0);
    expect(digestsIn(refused.userId as string).filter((m) => runIdOf(m) === String(fourth._id))).toEqual([]);
  });

  it('sends nothing to whoever unfollowed, and nothing for a program archived since it was followed', async () => {
    await ask(running, '/program', 'unfollow checkout', { userId: LEAD });
    const lead = digestsIn(LEAD).length;
    const fan = digestsIn(FAN).length;
    expect(sent(await tick(later(SLOT_5, 30_000), 'replica-a', 'replica-b'))).toBe(1);
    expect(digestsIn(LEAD)).toHaveLength(lead);
    expect(digestsIn(FAN)).toHaveLength(fan + 1);
    expect(digestsIn(CHANNEL)).toHaveLength(5);

    expect((await ask(running, '/program', 'archive checkout', { userId: PM })).all).toContain('Archived');
    expect(sent(await tick(later(SLOT_6, 30_000), 'replica-a', 'replica-b'))).toBe(0);
    expect(digestsIn(FAN)).toHaveLength(fan + 1);
    expect(digestsIn(CHANNEL)).toHaveLength(5);
    expect(await openMarkers()).toEqual([]);
  });
});
