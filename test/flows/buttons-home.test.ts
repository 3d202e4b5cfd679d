/**
 * Preview and Post now on the program owner's Home tab, clicked on the Home tab Cairn published,
 * through the signed receiver, the fake Slack and the real database, with the app's clock pinned.
 * The Home tab has no response_url: Preview answers with a modal, Post now with a DM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import {
  ACTION,
  buttonsIn,
  callsAfter,
  clickInHome,
  findButton,
  markCalls,
  menusIn,
  nextCall,
  openHome,
  postedMessage,
  textOf,
  type PublishedHome,
  type RenderedBlock,
} from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { everyDocument, tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const LEAD = 'U0LEAD';
const API_LEAD = 'U0APILEAD';
const CHANNEL = 'C0CHECKOUT';
/** Set up on Monday 16 Nov 2026; the owner clicks on Wednesday 18 Nov, 09:00 UTC. */
const SET_UP = new Date('2026-11-16T10:00:00Z');
const CLICKED = new Date('2026-11-18T09:00:00Z');
let now = SET_UP;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let home: PublishedHome;
let programId = '';

beforeAll(async () => {
  db = await testDatabase('buttons-home');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  for (const id of [PM, LEAD, API_LEAD]) running.slack.setUser({ id, tz: 'UTC' });
  const as = { userId: PM };
  await ask(running, '/program', `new checkout "Checkout revamp" channel:<#${CHANNEL}|checkout>`, as);
  await ask(running, '/program', `add checkout web "Web checkout" team:web lead:<@${LEAD}>`, as);
  await ask(running, '/program', `add checkout api "Checkout API" team:api lead:<@${API_LEAD}>`, as);
  await ask(running, '/status', 'web green on plan', { userId: LEAD });
  await ask(running, '/status', 'api amber 60% waiting on the PCI audit', { userId: API_LEAD });
  await ask(running, '/program', 'blocker api "Waiting on PCI sign-off"', as);
  programId = String(
    (await (await tenantCollection(db.connection, 'programs', TEAM_ID)).findOne({ key: 'checkout' }))?._id,
  );
  now = CLICKED;
  home = await openHome(running, PM);
  expect(textOf(home.blocks)).toContain(
    '*Checkout revamp* `checkout` · owner · 2 workstreams: 🟢 1 🟡 1 🔴 0 ⏸ 0 · 1 open blocker',
  );
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('Preview', () => {
  it('opens the digest, as it would be posted now, in a modal for the owner alone; posts and records nothing', async () => {
    const preview = findButton(home.blocks, ACTION.homePreview, 'checkout');
    expect(preview.label).toBe('Preview');
    // What `/program preview` shows at this instant: the modal must show the same, without buttons.
    const expected = (await ask(running, '/program', 'preview checkout', { userId: PM }))
      .blocks as RenderedBlock[];
    expect(textOf(expected)).toContain('*Team api* (1)');

    const mark = markCalls(running);
    const response = await clickInHome(running, PM, home, preview);
    expect(response.status).toBe(200);
    const open = await nextCall(running, mark, 'views.open');

    expect(open.response.ok).toBe(true);
    const modal = open.args.view as { type: string; title: { text: string }; blocks: RenderedBlock[] };
    expect(modal.type).toBe('modal');
    expect(modal.title.text).toBe('Digest preview');
    // …without its buttons and the menus beside its lines (nothing in a modal would answer them).
    const withoutAccessory = (b: RenderedBlock) =>
      Object.fromEntries(Object.entries(b).filter(([key]) => key !== 'accessory'));
    expect(menusIn(expected).length).toBeGreaterThan(0);
    expect(modal.blocks).toEqual(expected.filter((b) => b.type !== 'actions').map(withoutAccessory));
    expect(buttonsIn(modal.blocks)).toEqual([]);
    expect(menusIn(modal.blocks)).toEqual([]);
    const text = textOf(modal.blocks);
    expect(text).toContain('_Preview, only you can see it. Posted, the detail below goes in the thread._');
    expect(text).toContain('🟢 *1* on track · 🟡 *1* at risk');
    expect(text).toContain('Waiting on PCI sign-off');

    // Nothing posted, nothing recorded: the next digest still compares with none.
    expect(await everyDocument(db.connection, 'digest_runs')).toHaveLength(0);
    expect(callsAfter(running, mark, 'chat.postMessage')).toEqual([]);
  });
});

describe('Post now', () => {
  it("posts one digest to the program's channel, records the run, and tells the owner by DM", async () => {
    const post = findButton(home.blocks, ACTION.homePostDigest, 'checkout');
    expect(post.label).toBe('Post now');

    const mark = markCalls(running);
    const response = await clickInHome(running, PM, home, post);
    expect(response.status).toBe(200);
    const dm = await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === PM);
    expect(dm.args.text).toBe(`Posted the digest of *Checkout revamp* to <#${CHANNEL}>.`);

    // One digest in the channel: the main message and its thread.
    const inChannel = callsAfter(running, mark, 'chat.postMessage').filter((c) => c.args.channel === CHANNEL);
    const mains = inChannel.filter((c) => !c.args.thread_ts);
    expect(mains).toHaveLength(1);
    const main = postedMessage(mains[0]!);
    expect(main.text).toBe('Checkout revamp — 1 on track, 1 at risk, 0 off track');
    expect(textOf(main.blocks)).toContain('*Needs attention* (');
    expect((mains[0]!.args.metadata as { event_type: string }).event_type).toBe('cairn_digest');
    const replies = inChannel.filter((c) => c.args.thread_ts);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((c) => c.args.thread_ts === main.ts)).toBe(true);
    expect(
      running.slack
        .messages(CHANNEL)
        .filter((m) => !m.thread_ts)
        .map((m) => m.ts),
    ).toEqual([main.ts]);

    // The database: one posted run, at the pinned time, pointing at that message.
    const runs = await everyDocument(db.connection, 'digest_runs');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      state: 'posted',
      channelId: CHANNEL,
      ts: main.ts,
      postedAt: CLICKED,
      scheduleKey: `on-demand:${programId}`,
      claimedBy: `home:${PM}`,
      attempts: 1,
    });
  });

  it('posts nothing more on a second click in the same second', async () => {
    const mark = markCalls(running);
    const response = await clickInHome(running, PM, home, findButton(home.blocks, ACTION.homePostDigest));
    expect(response.status).toBe(200);
    await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === PM);
    expect(callsAfter(running, mark, 'chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toEqual(
      [],
    );
    expect(await everyDocument(db.connection, 'digest_runs')).toHaveLength(1);
  });
});
