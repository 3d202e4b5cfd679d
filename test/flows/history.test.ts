/**
 * `/status <workstream> history` through the receiver: a workstream with 25 updates shows its 20
 * newest, newest first, each with its time in the reader's timezone, health, progress, forecast,
 * summary (cut and escaped), author and source, within Block Kit's limits; another workspace sees
 * nothing of it.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const DANA = 'U0DANA';
const SOURCES = ['command', 'modal', 'button', 'carried_forward'] as const;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

/** Update n (1 = oldest) was posted n hours after 2026-11-24 00:00 UTC. */
const postedAt = (n: number) => new Date(Date.UTC(2026, 10, 24, n));

beforeAll(async () => {
  db = await testDatabase('history');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'America/New_York' });
  for (const text of [
    'new checkout "Checkout"',
    `add checkout payments "Payments API" team:pay lead:<@${DANA}>`,
    `add checkout web "Web" team:web lead:<@${DANA}>`,
  ]) {
    expect((await ask(running, '/program', text, { userId: PM })).all).not.toContain(':warning:');
  }
  const ws = await (
    await tenantCollection(db.connection, 'workstreams', TEAM_ID)
  ).findOne({ teamId: TEAM_ID, key: 'payments' });
  // Written straight to the database, as stored: every source, an edited one, an internal one.
  await (
    await tenantCollection(db.connection, 'updates', TEAM_ID, String(ws!.programId))
  ).insertMany(
    Array.from({ length: 25 }, (_, i) => {
      const n = i + 1;
      return {
        _id: new Types.ObjectId(),
        teamId: TEAM_ID,
        programId: ws!.programId,
        workstreamId: ws!._id,
        authorId: n % 2 ? DANA : PM,
        source: SOURCES[n % 4],
        createdAt: postedAt(n),
        health: n === 25 ? 'at_risk' : 'on_track',
        blocked: false,
        summary:
          n === 25
            ? `*Card vault* <!channel> slipped ${'very '.repeat(80)}far`
            : `u${String(n).padStart(2, '0')} progressing`,
        ...(n === 25 ? { progress: 60, forecastDate: '2026-12-15' } : {}),
        ...(n === 24 ? { internal: true } : {}),
        revisions:
          n === 23
            ? [{ health: 'on_track', blocked: false, summary: 'earlier', replacedAt: postedAt(n) }]
            : [],
        requestKey: `seed:${n}`,
      };
    }),
  );
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('/status <workstream> history', () => {
  it('shows the 20 newest of 25 updates, newest first, in the reader’s timezone, with who and how', async () => {
    const answer = await ask(running, '/status', 'payments history', { userId: PM });
    expect(answer.response_type).toBe('ephemeral');
    expect(validateMessageBlocks(answer.blocks)).toEqual([]);
    expect(answer.blocks[0]).toMatchObject({ type: 'header', text: { text: 'History: Payments API' } });
    expect(answer.all).toContain(
      '`checkout/payments` · the last 20 updates, newest first · times in America/New_York',
    );
    const sections = answer.blocks.filter((b) => b.type === 'section').map((b) => b.text!.text);
    expect(sections).toHaveLength(20);

    // Newest first: 25 (the slip), then 24 … 6; 1 to 5 left out.
    const order = sections.slice(1).map((s) => /u(\d\d) progressing/.exec(s)?.[1]);
    expect(order).toEqual(Array.from({ length: 19 }, (_, i) => String(24 - i).padStart(2, '0')));
    expect(answer.all).not.toMatch(/u0[1-5] progressing/);
    expect(answer.all).toContain('`/program export checkout` sends you all of them');

    // 2026-11-25 01:00 UTC is 20:00 the evening before in New York.
    const newest = sections[0]!;
    expect(newest).toContain('*Tue 24 Nov, 20:00* · 🟡 At risk · 60% · forecast Tue 15 Dec');
    // The summary cut to 300 characters and escaped: no bold, no @channel.
    const quoted = newest.split('\n').find((l) => l.startsWith('> '))!;
    expect(quoted).toMatch(/^> ∗Card vault∗ &lt;!channel&gt; slipped very /);
    expect(quoted.endsWith('…')).toBe(true);
    expect(Array.from(quoted.slice(2)).length).toBeLessThanOrEqual(300);
    expect(newest).toContain(`_<@${DANA}> · via the update form_`);

    expect(sections[1]).toContain(`*Tue 24 Nov, 19:00* · 🟢 On track`);
    expect(sections[1]).toContain(`_<@${PM}> · via \`/status\` · 🔒 internal_`);
    expect(sections[2]).toContain(`_<@${DANA}> · carried forward · edited_`);
    expect(sections[3]).toContain(`_<@${PM}> · via a button_`);
  });

  it('shows a workstream with no updates, and a real one recorded by command', async () => {
    const empty = await ask(running, '/status', 'web history', { userId: PM });
    expect(empty.all).toContain('no updates yet');
    expect(empty.all).toContain('*No update yet.* `/status checkout/web green …` posts the first one.');

    await ask(running, '/status', 'web amber 40% checkout copy in review', { userId: DANA });
    const one = await ask(running, '/status', 'checkout/web HISTORY', { userId: DANA });
    expect(one.all).toContain('its one update, newest first · times in UTC');
    expect(one.all).toContain('🟡 At risk · 40%');
    expect(one.all).toContain('> checkout copy in review');
    expect(one.all).toContain(`_<@${DANA}> · via \`/status\`_`);
    expect(one.all).not.toContain('Older updates');
  });

  it('refuses words after `history`, and another workspace finds nothing', async () => {
    const extra = await ask(running, '/status', 'payments history please', { userId: PM });
    expect(extra.all).toContain(
      ":warning: `history` takes nothing after it; I don't know what to do with `please`.",
    );
    const other = await ask(running, '/status', 'payments history', { userId: 'U0MAL', teamId: 'TBBBB' });
    expect(other.all).toContain('There is no workstream `payments` here');
  });
});
