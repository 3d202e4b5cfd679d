/** User text shown back in Slack cannot ping anyone, make links, or break the message. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { testDatabase } from '../support/database.js';

const PM = 'U0PM';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('escaping');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

const PINGS = /<!(channel|here|everyone|subteam)/;

describe('escaping user text', () => {
  it('neutralises mentions, links and markup in names, summaries and blockers, but keeps person mentions', async () => {
    // As Slack sends them with escaping on: real mentions in <…>, typed < > & as entities.
    const name = '"Launch <!channel> &amp; <https://evil.example|click here> &lt;!here&gt; *now*"';
    expect((await ask(running, '/program', `new launch ${name}`, { userId: PM })).all).toContain(
      // The user's own *…* is shown with look-alike asterisks: it cannot end Cairn's bold early.
      'Created *Launch @channel &amp; click here @here ∗now∗* (`launch`)',
    );
    await ask(running, '/program', `add launch web "Web <!everyone>" team:web lead:<@${PM}|pm>`, {
      userId: PM,
    });
    const update = await ask(
      running,
      '/status',
      'web amber <!here> look: &lt;!channel&gt; and <@U0DANA|dana> ```',
      { userId: PM },
    );
    // ``` cannot open a code block: the backticks are shown as look-alikes.
    expect(update.all).toContain('> @here look: @channel and <@U0DANA> ˋˋˋ');
    expect(update.all).not.toContain('```');
    expect(update.all).not.toMatch(PINGS);
    await ask(running, '/program', 'blocker web "Ask <!subteam^S123|@sre> &amp; <https://x.example|legal>"', {
      userId: PM,
    });

    for (const [command, text] of [
      ['/program', 'show launch'],
      ['/status', 'web'],
      ['/program', 'list'],
    ] as const) {
      const answer = await ask(running, command, text, { userId: PM });
      expect(answer.all, `${command} ${text}`).not.toMatch(PINGS);
      expect(answer.all, `${command} ${text}`).not.toMatch(/<https?:/);
    }
    const card = await ask(running, '/status', 'web', { userId: PM });
    expect(card.all).toContain('<@U0DANA>');
    expect(card.all).toContain('Ask @sre &amp; legal');
  });
});
