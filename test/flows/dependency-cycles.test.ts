/**
 * `/program depend` that would close a cycle is refused, naming the cycle in order, across programs,
 * and writes nothing; a broken dependency still counts (it stands until re-planned), a met one not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { everyDocument, tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
const dependencies = async () => (await everyDocument(db.connection, 'dependencies')).length;
/** The raw collection where the stores keep the workspace's dependencies. */
const stored = () => tenantCollection(db.connection, 'dependencies', TEAM_ID);

beforeAll(async () => {
  db = await testDatabase('dependency-cycles');
  running = await startCairn(db.connection, { now: () => new Date('2026-11-25T15:00:00Z') });
  running.slack.setRateLimiting(false);
  const as = { userId: PM };
  await ask(running, '/program', 'new checkout "Checkout"', as);
  await ask(running, '/program', 'new payments "Payments"', as);
  await ask(running, '/program', `add checkout ui "Checkout UI" team:web lead:<@${PM}>`, as);
  await ask(running, '/program', `add payments api "Payments API" team:pay lead:<@${PM}>`, as);
  await ask(running, '/program', `add payments rules "Fraud rules" team:risk lead:<@${PM}>`, as);
  for (const text of [
    'depend checkout/ui on payments/api by 2026-12-10 "Card API"',
    'depend payments/api on payments/rules by 2026-12-05 "Rules engine"',
  ]) {
    const answer = await ask(running, '/program', text, as);
    expect(answer.all).not.toContain(':warning:');
  }
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('/program depend', () => {
  it('refuses a dependency that closes a cycle across programs, naming it in order, and writes nothing', async () => {
    const before = await dependencies();
    const answer = await ask(
      running,
      '/program',
      'depend payments/rules on checkout/ui by 2026-12-01 "UI flags"',
      {
        userId: PM,
      },
    );
    expect(answer.all).toContain(
      'That would close a cycle: `payments/rules` → `checkout/ui` → `payments/api` → `payments/rules`.',
    );
    expect(await dependencies()).toBe(before);
  });

  it('counts a broken dependency, which stands until it is re-planned, but not a met one', async () => {
    const dependency = async (deliverable: string) => (await stored()).findOne({ deliverable });
    await (await stored()).updateOne({ deliverable: 'Card API' }, { $set: { state: 'broken' } });
    const refused = await ask(
      running,
      '/program',
      'depend payments/rules on checkout/ui by 2026-12-01 "UI flags"',
      {
        userId: PM,
      },
    );
    expect(refused.all).toContain('That would close a cycle');

    await (await stored()).updateOne({ deliverable: 'Card API' }, { $set: { state: 'met' } });
    const accepted = await ask(
      running,
      '/program',
      'depend payments/rules on checkout/ui by 2026-12-01 "UI flags"',
      {
        userId: PM,
      },
    );
    expect(accepted.all).not.toContain('cycle');
    expect(await dependency('UI flags')).toMatchObject({ state: 'open', neededBy: '2026-12-01' });
  });
});
