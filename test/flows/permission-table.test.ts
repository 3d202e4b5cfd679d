/**
 * Issue 13: SPEC §8's table of who may, run through the signed receiver. Every command that changes
 * something, as the program's owner, one of its admins, a workstream's lead, another member and a
 * workspace admin, each on a program of its own: allowed ones do what they say, refused ones answer
 * "Only …" naming who may and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { ask, countWrites } from '../support/conversation.js';
import { everyDocument, testDatabase } from '../support/database.js';
import { introduceRoles, PROGRAM_OWNERS, ROLES, USERS, type Role } from '../support/roles.js';

const EVERYONE = ROLES;

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let n = 0;

beforeAll(async () => {
  db = await testDatabase('permission-table');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
  introduceRoles(running.slack);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

/** A program of its own for one case: owner, one admin, two workstreams led by the lead, a milestone, a resource. */
async function freshProgram(): Promise<{ key: string; resource: string }> {
  const key = `p${++n}`;
  const resource = `res-${n}`;
  const owner = { userId: USERS.owner };
  await ask(running, '/program', `new ${key} "Program ${n}"`, owner);
  await ask(running, '/program', `admins ${key} add <@${USERS.admin}>`, owner);
  for (const ws of ['web', 'api'])
    await ask(running, '/program', `add ${key} ${ws} "${ws}" team:core lead:<@${USERS.lead}>`, owner);
  await ask(running, '/program', `milestone ${key} "Beta" 2027-01-20 needs:web`, owner);
  await ask(running, '/program', `resource "${resource}" capacity:5`, { userId: USERS.lead });
  return { key, resource };
}

const TABLE: Array<[string, (p: { key: string; resource: string }) => string, readonly Role[], string?]> = [
  ['/program archive', (p) => `archive ${p.key}`, PROGRAM_OWNERS],
  ['/program set (program)', (p) => `set ${p.key} name:"Renamed"`, PROGRAM_OWNERS],
  ['/program set (workstream)', (p) => `set ${p.key} web state:paused due:2027-02-01`, PROGRAM_OWNERS],
  ['/program add', (p) => `add ${p.key} extra "Extra" team:core lead:<@${USERS.member}>`, PROGRAM_OWNERS],
  ['/program admins', (p) => `admins ${p.key} add <@${USERS.member}>`, PROGRAM_OWNERS],
  ['/program owner', (p) => `owner ${p.key} <@${USERS.member}>`, ['owner', 'workspaceAdmin']],
  ['/program milestone (add)', (p) => `milestone ${p.key} "GA" 2027-03-01`, PROGRAM_OWNERS],
  ['/program milestone (done)', (p) => `milestone ${p.key} "Beta" done`, PROGRAM_OWNERS],
  ['/program milestone (moved)', (p) => `milestone ${p.key} "Beta" moved:2027-02-01`, PROGRAM_OWNERS],
  [
    '/program depend',
    (p) => `depend ${p.key}/web on ${p.key}/api by 2027-01-10 "Login API"`,
    ['owner', 'admin', 'lead', 'workspaceAdmin'],
  ],
  ['/program resource (existing)', (p) => `resource "${p.resource}" capacity:8`, ['lead', 'workspaceAdmin']],
  [
    '/program allocate',
    (p) => `allocate "${p.resource}" ${p.key}/web 2 from:2026-12-07 to:2026-12-20`,
    ['owner', 'admin', 'lead', 'workspaceAdmin'],
  ],
  ['/program show', (p) => `show ${p.key}`, EVERYONE],
  ['/program milestones', (p) => `milestones ${p.key}`, EVERYONE],
];

describe('who may run each /program command (SPEC §8)', () => {
  const cases = TABLE.flatMap(([name, text, allowed]) =>
    ROLES.map((role) => [name, role, text, allowed.includes(role)] as const),
  );
  it.each(cases)('%s as %s', async (_name, role, text, allowed) => {
    const program = await freshProgram();
    const before = await countWrites(db.connection);
    const answer = await ask(running, '/program', text(program), { userId: USERS[role] });
    if (allowed) {
      expect(answer.all).not.toContain(':warning:');
      expect(answer.all).not.toMatch(/\bOnly\b/);
    } else {
      expect(answer.all).toMatch(/Only .*(may|can)/);
      // A refusal names who may by mention (an owner, a resource's maker) or as workspace admins.
      expect(answer.all).toMatch(/<@U0[A-Z]+>|workspace admin/);
      expect(await countWrites(db.connection)).toEqual(before);
    }
  });

  it('lets anyone post an update to any workstream, marked as on behalf of its lead when another posts it', async () => {
    const program = await freshProgram();
    for (const role of ROLES) {
      const answer = await ask(running, '/status', `${program.key}/web green fine from ${role}`, {
        userId: USERS[role],
      });
      expect(answer.all).toContain('Recorded for');
      if (role === 'lead') expect(answer.all).not.toContain('on behalf of');
      else expect(answer.all).toContain(`Posted on behalf of <@${USERS.lead}>, who leads it.`);
    }
    const stored = await everyDocument(db.connection, 'updates', { summary: /^fine from / });
    expect(
      Object.fromEntries(
        stored.map((u) => [String(u.summary).replace('fine from ', ''), u.onBehalfOf ?? null]),
      ),
    ).toEqual({
      owner: USERS.lead,
      admin: USERS.lead,
      lead: null,
      member: USERS.lead,
      workspaceAdmin: USERS.lead,
    });
    const history = await ask(running, '/status', `${program.key}/web history`, { userId: USERS.member });
    expect(history.all).toContain(`<@${USERS.member}> for <@${USERS.lead}>`);
  });

  it('unarchives for the program owners only', async () => {
    for (const role of ROLES) {
      const program = await freshProgram();
      await ask(running, '/program', `archive ${program.key}`, { userId: USERS.owner });
      const answer = await ask(running, '/program', `unarchive ${program.key}`, { userId: USERS[role] });
      if (PROGRAM_OWNERS.includes(role)) expect(answer.all).toContain('is active again');
      else expect(answer.all).toContain('may unarchive it');
    }
  });
});
