/**
 * The program counts on the owner's Home tab agree with the program's digest: work that said on
 * track (or nothing yet) but waits on something that will be late is at risk in both, and Home says
 * how much of it is at risk only through its dependencies. Through the signed receiver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { openHome, textOf, type RenderedBlock } from '../support/clicks.js';
import { ask } from '../support/conversation.js';
import { testDatabase } from '../support/database.js';

const PM = 'U0PM';
const WEB = 'U0WEB';
const API = 'U0API';
const MOBILE = 'U0MOBILE';
/** Monday 16 Nov 2026. */
const now = new Date('2026-11-16T10:00:00Z');

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

const programLine = async () =>
  textOf((await openHome(running, PM)).blocks)
    .split('\n')
    .find((line) => line.includes('`checkout` · owner'));
const digestCounts = async () =>
  textOf((await ask(running, '/program', 'preview checkout', { userId: PM })).blocks as RenderedBlock[]);

beforeAll(async () => {
  db = await testDatabase('home-counts');
  running = await startCairn(db.connection, { now: () => now, jobs: () => [] });
  running.slack.setRateLimiting(false);
  for (const id of [PM, WEB, API, MOBILE]) running.slack.setUser({ id, tz: 'UTC' });
  const as = { userId: PM };
  await ask(running, '/program', 'new checkout "Checkout revamp"', as);
  await ask(running, '/program', `add checkout web "Web checkout" team:web lead:<@${WEB}>`, as);
  await ask(running, '/program', `add checkout api "Checkout API" team:api lead:<@${API}>`, as);
  await ask(running, '/program', `add checkout mobile "Mobile checkout" team:mobile lead:<@${MOBILE}>`, as);
  // web waits on the API by 1 Dec; mobile (no update yet) waits on web by 4 Dec.
  await ask(running, '/program', 'depend web on api by 2026-12-01 "Payments API"', as);
  await ask(running, '/program', 'depend mobile on web by 2026-12-04 "Web flows"', as);
  await ask(running, '/status', 'web green on plan', { userId: WEB });
  await ask(running, '/status', 'api green forecast:2026-11-27 on plan', { userId: API });
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe("the program counts on the owner's Home tab", () => {
  it('count work at risk through its dependencies as the digest does, and say how much', async () => {
    expect(await programLine()).toContain('3 workstreams: 🟢 2 🟡 0 🔴 0 ⏸ 1 ·');
    expect(await digestCounts()).toContain('🟢 *2* on track');

    // The API now lands after web needs it: web (said on track) and mobile (said nothing) are at risk.
    await ask(running, '/status', 'api green forecast:2026-12-09 vendor moved', { userId: API });
    expect(await programLine()).toContain('3 workstreams: 🟢 1 🟡 2 (2 through dependencies) 🔴 0 ⏸ 0 ·');
    expect(await digestCounts()).toContain('🟢 *1* on track · 🟡 *2* at risk');

    // Work that says it is at risk itself is not counted twice.
    await ask(running, '/status', 'web amber design late', { userId: WEB });
    expect(await programLine()).toContain('3 workstreams: 🟢 1 🟡 2 (1 through dependencies) 🔴 0 ⏸ 0 ·');
  });
});
