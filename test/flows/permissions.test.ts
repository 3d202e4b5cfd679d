import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { everyDocument, tenantCollection, testDatabase } from '../support/database.js';

const OWNER = 'U0OWNER';
const OTHER = 'U0OTHER';
const ADMIN = 'U0ADMIN';

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

beforeAll(async () => {
  db = await testDatabase('permissions');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: ADMIN, is_admin: true });
  running.slack.setUser({ id: OTHER });
  await ask(running, '/program', 'new checkout "Checkout revamp"', { userId: OWNER });
  await ask(running, '/program', 'new billing "Billing"', { userId: OWNER });
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

const state = async (key: string) =>
  (await (await tenantCollection(db.connection, 'programs', TEAM_ID)).findOne({ key }))?.state;

describe('who may change a program', () => {
  it('refuses archive to someone who is neither owner, admin nor workspace admin, with a clear answer', async () => {
    const answer = await ask(running, '/program', 'archive checkout', { userId: OTHER });
    expect(answer.all).toContain(
      'Only the owner of `checkout` (<@U0OWNER>), its admins or a workspace admin may archive it.',
    );
    expect(await state('checkout')).toBe('active');
  });

  it('refuses adding a workstream (choosing its lead) to a non-owner', async () => {
    const answer = await ask(running, '/program', `add checkout web "Web" team:web lead:<@${OTHER}>`, {
      userId: OTHER,
    });
    expect(answer.all).toContain('may add workstreams and choose their leads');
    expect(await everyDocument(db.connection, 'workstreams')).toHaveLength(0);
  });

  it('lets anyone post updates and read', async () => {
    await ask(running, '/program', `add checkout web "Web" team:web lead:<@${OWNER}>`, { userId: OWNER });
    const update = await ask(running, '/status', 'web green fine', { userId: OTHER });
    expect(update.all).toContain('Recorded for *Web*');
    const show = await ask(running, '/program', 'show checkout', { userId: OTHER });
    expect(show.all).toContain('*Team web*');
  });

  it('lets the owner archive, and then refuses changes and updates to the archived program', async () => {
    const answer = await ask(running, '/program', 'archive checkout', { userId: OWNER });
    expect(answer.all).toContain('Archived *Checkout revamp* (`checkout`)');
    expect(await state('checkout')).toBe('archived');
    expect((await ask(running, '/program', 'archive checkout', { userId: OWNER })).all).toContain(
      '`checkout` is archived already.',
    );
    expect((await ask(running, '/status', 'web red late', { userId: OWNER })).all).toContain(
      '`checkout` is archived; it takes no updates.',
    );
    const audit = await (
      await tenantCollection(db.connection, 'audit_events', TEAM_ID)
    ).findOne({ action: 'program.archived' });
    expect(audit?.actorId).toBe(OWNER);
  });

  it('lets a workspace admin archive a program they do not own', async () => {
    const answer = await ask(running, '/program', 'archive billing', { userId: ADMIN });
    expect(answer.all).toContain('Archived *Billing*');
    expect(await state('billing')).toBe('archived');
  });
});
