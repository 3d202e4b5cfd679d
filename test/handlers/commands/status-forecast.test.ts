/**
 * `/status <workstream> <health> forecast:<date> …` through the signed receiver: the forecast is read
 * in the user's Slack timezone and stored on the update; a past one is refused and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, type RunningCairn } from '../../support/cairn-harness.js';
import { ask } from '../../support/conversation.js';
import { everyDocument, testDatabase } from '../../support/database.js';

const PM = 'U0PM';
const DANA = 'U0DANA';
// Wed 25 Nov 2026 20:00 UTC: already Thu 26 Nov, 09:00, for Dana in Auckland.
const NOW = new Date('2026-11-25T20:00:00Z');

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('status-forecast');
  running = await startCairn(db.connection, { now: () => NOW });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'America/New_York' });
  running.slack.setUser({ id: DANA, tz: 'Pacific/Auckland' });
  await ask(running, '/program', 'new checkout "Checkout revamp"', { userId: PM });
  const added = await ask(
    running,
    '/program',
    `add checkout payments "Payments API" team:payments lead:<@${DANA}|dana> due:2026-12-15`,
    { userId: PM },
  );
  expect(added.all).toMatch(/^Added \*/);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('/status … forecast:<date>', () => {
  it("stores the forecast, read in the user's timezone, on the update", async () => {
    // `wed` for Dana (Thursday in Auckland) is next week's Wed 2 Dec; in UTC it would be today, 25 Nov.
    const answer = await ask(running, '/status', 'payments amber 60% forecast:wed PCI review slipped', {
      userId: DANA,
    });
    expect(answer.all).toContain('Recorded for *Payments API* (`checkout/payments`): 🟡 At risk · 60%');
    expect(answer.all).toContain('Forecast: Wed 2 Dec');
    const updates = await everyDocument(db.connection, 'updates');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      forecastDate: '2026-12-02',
      health: 'at_risk',
      progress: 60,
      summary: 'PCI review slipped',
      authorId: DANA,
      source: 'command',
    });
  });

  it('refuses a forecast in the past, naming the dates, and records nothing', async () => {
    // 25 Nov is still today in UTC, but it has passed in Auckland.
    const answer = await ask(running, '/status', 'payments green forecast:2026-11-25 done', { userId: DANA });
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.all).toContain("Your forecast, Wed 25 Nov 2026, has passed (it's Thu 26 Nov 2026 for you)");
    expect(answer.all).toContain('forecast:dec 15');
    expect(await everyDocument(db.connection, 'updates')).toHaveLength(1);
  });
});
