/**
 * The playground's page server (issue 14), against the real app and the local Slack peer: the page
 * loads, a command typed as a sample user reaches Cairn signed and its answer shows to that user
 * alone, a posted digest shows in its channel with its menus, and a click goes back as Slack's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../src/slack-peer/playground.js';
import { eventually, SIGNING_SECRET, startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { testDatabase } from '../support/database.js';

const PM = { id: 'U0PM', name: 'Priya' };
const LEE = { id: 'U0LEE', name: 'Lee' };

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let playground: Playground;

beforeAll(async () => {
  db = await testDatabase('playground');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
  playground = await startPlayground({
    peer: running.slack,
    cairnUrl: running.url,
    signingSecret: SIGNING_SECRET,
    users: [PM, LEE],
    channelNames: { C0CHECKOUT: 'checkout' },
    port: 0,
    host: '127.0.0.1',
  });
});
afterAll(async () => {
  await playground?.stop();
  await running?.stop();
  await db?.drop();
});

const state = async (user: string, channel: string) =>
  (await (await fetch(`${playground.url}state?user=${user}&channel=${channel}`)).json()) as {
    conversations: Array<{ id: string; name: string }>;
    html: string;
  };
const type = (user: string, channel: string, text: string) =>
  fetch(`${playground.url}command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, channel, text }),
  });

describe('the playground page', () => {
  it('loads, with the sample users to switch between', async () => {
    const page = await fetch(playground.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<option value="U0PM">Priya</option>');
    expect(html).toContain('/status … or /program …');
  });

  it('sends what is typed as a signed slash command and shows the answer to that user alone', async () => {
    expect((await type(PM.id, 'C0CHECKOUT', '/program new checkout "Checkout <revamp>"')).status).toBe(200);
    await eventually(async () => (await state(PM.id, 'C0CHECKOUT')).html.includes('Created'), 5_000);
    const mine = await state(PM.id, 'C0CHECKOUT');
    expect(mine.html).toContain('Only visible to you');
    expect(mine.html).toContain('Checkout &lt;revamp&gt;');
    expect(mine.html).not.toContain('<revamp>');
    expect((await state(LEE.id, 'C0CHECKOUT')).html).not.toContain('Created');
    expect((await type(PM.id, 'C0CHECKOUT', 'hello')).status).toBe(400);
  });

  it('sends a command typed on the Home tab to the DM with Cairn, as Slack’s Messages tab does', async () => {
    const sent = await type(PM.id, 'home', '/status help');
    expect(await sent.json()).toMatchObject({ status: 200, channel: `D${PM.id}` });
    await eventually(async () => (await state(PM.id, `D${PM.id}`)).html.includes('Report status'), 5_000);
  });

  it('shows a posted digest in its channel, and sends a click on it back as Slack does', async () => {
    await type(PM.id, 'C0CHECKOUT', `/program add checkout web "Web" team:web lead:@lee`);
    await type(LEE.id, 'C0CHECKOUT', '/status web red Vendor late');
    await type(PM.id, 'C0CHECKOUT', '/program digest checkout');
    await eventually(
      async () => (await state(PM.id, 'C0CHECKOUT')).html.includes('data-kind="overflow"'),
      10_000,
    );
    const { html, conversations } = await state(PM.id, 'C0CHECKOUT');
    expect(conversations.slice(0, 2)).toEqual([
      { id: 'home', name: 'Cairn · Home' },
      { id: 'C0CHECKOUT', name: 'checkout' },
    ]);
    const ts = /class="message" data-ts="([^"]+)"/.exec(html)?.[1];
    const nudge = /data-block-id="([^"]*)" data-action-id="digest_post_update" data-value="([^"]*)"/.exec(
      html,
    );
    expect(ts).toBeDefined();
    expect(nudge).not.toBeNull();
    const opened = running.slack.calls('views.open').length;
    const click = await fetch(`${playground.url}action`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user: LEE.id,
        channel: 'C0CHECKOUT',
        ts,
        kind: 'button',
        actionId: 'digest_post_update',
        blockId: nudge![1],
        value: nudge![2],
        label: 'Post an update',
      }),
    });
    expect(click.status).toBe(200);
    await eventually(async () => running.slack.calls('views.open').length > opened, 5_000);
  });
});
