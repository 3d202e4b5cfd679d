/**
 * The digest's own buttons, clicked on a digest Cairn posted (`/program digest`): "Nudge the missing
 * ones" DMs exactly the leads the digest shows as missing; "Post an update" opens the update form,
 * whose submission records the update. The nudge DMs offer Still on track on green work and No change
 * on amber work (issue 15): No change records the amber update carried forward and the DM says so; a
 * Still on track clicked in a DM older than the work's turn to amber records nothing. Through the
 * signed receiver, the fake Slack and the real database, with the app's clock pinned.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import {
  ACTION,
  answerTo,
  buttonsIn,
  callsAfter,
  clickInMessage,
  findButton,
  markCalls,
  nextCall,
  postedMessage,
  textOf,
  type RenderedBlock,
  type ShownMessage,
} from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const LEAD = 'U0LEAD';
const API_LEAD = 'U0APILEAD';
const DANA = 'U0DANA';
const CHANNEL = 'C0CHECKOUT';
/** Thursday 5 Nov 2026: set up; every workstream gets its first update. */
const SET_UP = new Date('2026-11-05T10:00:00Z');
/** Monday 16 Nov: web is updated again; the others are not. */
const WEB_UPDATED = new Date('2026-11-16T10:00:00Z');
/** Wednesday 18 Nov, 09:00 UTC: the digest is posted. */
const POSTED = new Date('2026-11-18T09:00:00Z');
/** Two hours later, the owner nudges; an hour after that, a lead posts an update from the digest. */
const NUDGED = new Date('2026-11-18T11:00:00Z');
const UPDATED = new Date('2026-11-18T12:00:00Z');
let now = SET_UP;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let digest: ShownMessage;
/** The nudge DMs, as posted. */
const nudged: { dana?: ShownMessage; api?: ShownMessage } = {};
const ids = { program: '', web: '', api: '', payments: '', vault: '' };
/** The raw collection where the stores keep the workspace's documents of `base`. */
const raw = (base: string, ...key: string[]) => tenantCollection(db.connection, base, TEAM_ID, ...key);

beforeAll(async () => {
  db = await testDatabase('buttons-digest');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  for (const id of [PM, LEAD, API_LEAD, DANA]) running.slack.setUser({ id, tz: 'UTC' });
  const as = { userId: PM };
  await ask(running, '/program', `new checkout "Checkout revamp" channel:<#${CHANNEL}|checkout>`, as);
  await ask(running, '/program', `add checkout web "Web checkout" team:web lead:<@${LEAD}>`, as);
  await ask(running, '/program', `add checkout api "Checkout API" team:api lead:<@${API_LEAD}>`, as);
  await ask(running, '/program', `add checkout payments "Payments" team:payments lead:<@${DANA}>`, as);
  await ask(running, '/program', `add checkout vault "Card vault" team:payments lead:<@${DANA}>`, as);
  await ask(running, '/status', 'web green started', { userId: LEAD });
  await ask(running, '/status', 'api green started', { userId: API_LEAD });
  await ask(running, '/status', 'payments green started', { userId: DANA });
  await ask(running, '/status', 'vault amber started late', { userId: DANA });
  now = WEB_UPDATED;
  await ask(running, '/status', 'web green on plan', { userId: LEAD });
  ids.program = String((await (await raw('programs')).findOne({ key: 'checkout' }))?._id);
  for (const key of ['web', 'api', 'payments', 'vault'] as const)
    ids[key] = String((await (await raw('workstreams')).findOne({ key }))?._id);

  now = POSTED;
  const mark = markCalls(running);
  const answer = await ask(running, '/program', 'digest checkout', as);
  expect(answer.all).toContain(`Posted the digest of *Checkout revamp* to <#${CHANNEL}>.`);
  const main = callsAfter(running, mark, 'chat.postMessage').filter(
    (c) => c.args.channel === CHANNEL && !c.args.thread_ts,
  );
  expect(main).toHaveLength(1);
  digest = postedMessage(main[0]!);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('Nudge the missing ones', () => {
  it('DMs exactly the leads the digest shows as missing, once, and tells the clicker how many', async () => {
    // The digest says who is missing: api, payments and vault (no update for 13 days); web was
    // updated two days before it.
    expect(digest.text).toBe('Checkout revamp — 3 on track, 1 at risk, 0 off track, 3 without an update');
    expect(textOf(digest.blocks)).toContain('⚪ *3* no update for over 7 days');
    const nudge = findButton(digest.blocks, ACTION.digestNudge, 'checkout');
    expect(nudge.label).toBe('Nudge the missing ones');

    now = NUDGED;
    const mark = markCalls(running);
    const response = await clickInMessage(running, PM, digest, nudge);
    const answer = await answerTo(running, response);

    // The DMs: one to each lead with a missing workstream, listing only theirs.
    const dms = callsAfter(running, mark, 'chat.postMessage');
    expect(dms.map((c) => c.args.channel).sort()).toEqual([API_LEAD, DANA].sort());
    const toDana = postedMessage(dms.find((c) => c.args.channel === DANA)!);
    expect(toDana.text).toBe('2 workstream updates due for Checkout revamp');
    expect(textOf(toDana.blocks)).toContain(
      'Hi <@U0DANA>, *Checkout revamp* is waiting on your update. These workstreams have no update since the last digest:',
    );
    // Still on track on green payments, No change on amber vault.
    expect(buttonsIn(toDana.blocks).map((b) => [b.action_id, b.value, b.label])).toEqual([
      [ACTION.updateOpen, ids.payments, 'Update…'],
      [ACTION.updateCarryForward, ids.payments, 'Still on track'],
      [ACTION.workstreamDetails, ids.payments, 'Details'],
      [ACTION.updateOpen, ids.vault, 'Update…'],
      [ACTION.updateNoChange, ids.vault, 'No change'],
      [ACTION.workstreamDetails, ids.vault, 'Details'],
    ]);
    const toApi = postedMessage(dms.find((c) => c.args.channel === API_LEAD)!);
    expect(toApi.text).toBe('1 workstream update due for Checkout revamp');
    expect(buttonsIn(toApi.blocks).map((b) => b.value)).toEqual([ids.api, ids.api, ids.api]);
    nudged.dana = toDana;
    nudged.api = toApi;

    // The database: one sent reminder per nudged lead, keyed by this digest message.
    const reminders = await (await raw('reminders')).find({}, { sort: { leadId: 1 } }).toArray();
    expect(reminders.map((r) => [r.leadId, r.state, r.scheduleKey, r.claimedAt])).toEqual(
      [API_LEAD, DANA].sort().map((lead) => [lead, 'sent', `nudge:${ids.program}:${digest.ts}`, NUDGED]),
    );

    // The clicker is told, without touching the digest.
    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Nudged 2 leads by DM.',
    });
  });

  it('nudges nobody again from the same digest, and says so', async () => {
    const mark = markCalls(running);
    const response = await clickInMessage(running, PM, digest, findButton(digest.blocks, ACTION.digestNudge));
    const answer = await answerTo(running, response);
    expect(answer).toMatchObject({
      replace_original: false,
      text: 'Nobody to nudge: no lead is missing an update, or this digest has nudged them already.',
    });
    expect(callsAfter(running, mark, 'chat.postMessage')).toEqual([]);
  });
});

describe('Post an update', () => {
  it("opens the update form with the clicker's workstream first, and its submission records the update", async () => {
    const button = findButton(digest.blocks, ACTION.digestPostUpdate, 'checkout');
    expect(button.label).toBe('Post an update');

    now = UPDATED;
    const mark = markCalls(running);
    const response = await clickInMessage(running, API_LEAD, digest, button);
    expect(response.status).toBe(200);
    const open = await nextCall(running, mark, 'views.open');
    expect(open.response.ok).toBe(true);
    const modal = open.response.view as {
      id: string;
      callback_id: string;
      private_metadata: string;
      title: { text: string };
      blocks: Array<
        RenderedBlock & { element?: { options?: Array<{ value: string; text: { text: string } }> } }
      >;
    };
    expect(modal.title.text).toBe('Status update');
    expect(JSON.parse(modal.private_metadata)).toEqual({ channelId: CHANNEL });
    const choices = modal.blocks.find((b) => b.block_id === 'workstream')?.element?.options ?? [];
    expect(choices[0]).toMatchObject({ value: ids.api, text: { text: 'Checkout API (checkout/api)' } });

    // The user fills it in and submits: Slack sends the view back with its state.
    const submitMark = markCalls(running);
    const submitted = await running.driver.viewSubmission({
      user: { id: API_LEAD, username: 'api.lead', name: 'api.lead', team_id: TEAM_ID },
      view: {
        ...modal,
        state: {
          values: {
            workstream: { value: { type: 'static_select', selected_option: { value: choices[0]!.value } } },
            health: { value: { type: 'radio_buttons', selected_option: { value: 'at_risk' } } },
            progress: { value: { type: 'number_input', value: '40' } },
            summary: { value: { type: 'plain_text_input', value: 'Login flow in security review' } },
            next_steps: { value: { type: 'plain_text_input', value: null } },
            blockers: { value: { type: 'plain_text_input', value: null } },
            forecast: { value: { type: 'datepicker', selected_date: '2026-12-04' } },
          },
        },
      },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe(''); // the modal closes
    const confirmation = await nextCall(
      running,
      submitMark,
      'chat.postEphemeral',
      (c) => c.args.user === API_LEAD,
    );

    // The database: the update, and the workstream it moved.
    const updates = await (
      await raw('updates', ids.program)
    )
      .find({ workstreamId: new Types.ObjectId(ids.api), createdAt: { $gt: NUDGED } })
      .toArray();
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      authorId: API_LEAD,
      source: 'modal',
      health: 'at_risk',
      blocked: false,
      progress: 40,
      summary: 'Login flow in security review',
      forecastDate: '2026-12-04',
      createdAt: UPDATED,
    });
    expect(await (await raw('workstreams')).findOne({ key: 'api' })).toMatchObject({
      health: 'at_risk',
      progress: 40,
      lastUpdateAt: UPDATED,
    });

    // Confirmed to the clicker alone, in the digest's channel; their Home tab shows it.
    expect(confirmation.args.channel).toBe(CHANNEL);
    expect(confirmation.args.text).toBe('Recorded for Checkout API (checkout/api): 🟡 At risk · 40%');
    const home = await nextCall(running, submitMark, 'views.publish', (c) => c.args.user_id === API_LEAD);
    expect(textOf((home.args.view as { blocks: RenderedBlock[] }).blocks)).toContain(
      '🟡 *Checkout API* `checkout/api` · updated just now · 40%',
    );
    // Nothing was posted to the channel for everyone.
    expect(callsAfter(running, mark, 'chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toEqual(
      [],
    );
  });
});

describe('Still on track and No change in a nudge DM', () => {
  const carriedOf = async (id: string) =>
    (await raw('updates', ids.program))
      .find({ workstreamId: new Types.ObjectId(id), source: 'carried_forward' }, { sort: { createdAt: 1 } })
      .toArray();
  /** What the click's response_url received: the DM redrawn in place, and what the clicker alone was told. */
  const answered = async (response: Awaited<ReturnType<typeof clickInMessage>>, told: boolean) => {
    const id = new URL(String(response.sent.response_url)).pathname.split('/').pop();
    const bodies = () =>
      running.slack
        .responses()
        .filter((r) => r.id === id)
        .map((r) => r.body as { replace_original?: boolean; text?: string; blocks?: RenderedBlock[] });
    await expect.poll(() => bodies().length, { timeout: 5_000 }).toBe(told ? 2 : 1);
    return {
      redrawn: bodies().find((b) => b.replace_original === true),
      told: bodies().find((b) => b.replace_original !== true),
    };
  };

  it('No change on amber work records it carried forward at risk, and the DM redrawn says so', async () => {
    const dm = nudged.dana!;
    const response = await clickInMessage(
      running,
      DANA,
      dm,
      findButton(dm.blocks, ACTION.updateNoChange, ids.vault),
    );
    const { redrawn } = await answered(response, false);
    expect(textOf(redrawn?.blocks ?? [])).toContain('✅ *Card vault* `checkout/vault` — updated: 🟡 At risk');
    // Payments, still missing, still offers Still on track.
    expect(findButton(redrawn?.blocks ?? [], ACTION.updateCarryForward, ids.payments).label).toBe(
      'Still on track',
    );
    expect(await carriedOf(ids.vault)).toMatchObject([
      { authorId: DANA, health: 'at_risk', summary: 'started late', createdAt: now },
    ]);
  });

  it('Still on track from a DM drawn before the work turned amber records nothing, says it is now at risk, and redraws the DM', async () => {
    // The api lead was nudged while api was green; since then the form recorded it at risk.
    const dm = nudged.api!;
    const still = findButton(dm.blocks, ACTION.updateCarryForward, ids.api);
    expect(still.label).toBe('Still on track');
    const response = await clickInMessage(running, API_LEAD, dm, still);
    const { redrawn, told } = await answered(response, true);
    expect(textOf(told?.blocks ?? [])).toContain(
      '*Checkout API* is now 🟡 at risk, not on track: nothing was recorded. Use *Update…* to say how it stands, or *No change* to record that it stays at risk.',
    );
    expect(findButton(told?.blocks ?? [], ACTION.updateNoChange, ids.api).label).toBe('No change');
    expect(textOf(redrawn?.blocks ?? [])).toContain('✅ *Checkout API* `checkout/api` — updated: 🟡 At risk');
    expect(await carriedOf(ids.api)).toEqual([]);
  });
});
