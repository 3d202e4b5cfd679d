/** Issue 13's grammar (SPEC §8): `set` for programs and workstreams, `owner`, `admins`, milestones, `unarchive`. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseProgramCommand,
  type ProgramRequest,
  type WorkstreamFieldChanges,
} from '../../src/parsing/program-command.js';

const ctx = { now: new Date('2026-11-25T15:00:00Z'), timezone: 'UTC' };

function request(text: string): ProgramRequest {
  const parsed = parseProgramCommand(text, ctx);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.problem}`);
  return parsed.request;
}

function problem(text: string): string {
  const parsed = parseProgramCommand(text, ctx);
  if (parsed.ok) throw new Error(`${text}: expected a problem, got ${JSON.stringify(parsed.request)}`);
  return parsed.problem;
}

describe('/program set <program> <workstream>', () => {
  it.each<[string, WorkstreamFieldChanges]>([
    ['set checkout payments state:done', { state: 'done' }],
    ['set checkout payments state:Paused', { state: 'paused' }],
    ['set checkout payments due:2027-01-15', { targetDate: '2027-01-15' }],
    ['set checkout payments due:jan 15 lead:<@U0LEE|lee>', { targetDate: '2027-01-15', leadId: 'U0LEE' }],
    ['set checkout payments team:Platform name:"Payments v2"', { team: 'platform', name: 'Payments v2' }],
    ['set checkout payments phase:"Beta" state:active', { phase: 'Beta', state: 'active' }],
  ])('%j', (text, changes) => {
    expect(request(text)).toEqual({
      kind: 'set-workstream',
      programKey: 'checkout',
      workstreamKey: 'payments',
      changes,
    });
  });

  it.each([
    [
      'set checkout payments state:finished',
      "A workstream's state is `state:active`, `state:paused`, `state:done` and `state:cancelled`, not `state:finished`.",
    ],
    [
      'set checkout payments state:not_started',
      "A workstream's state is `state:active`, `state:paused`, `state:done` and `state:cancelled`, not `state:not_started`.",
    ],
    [
      'set checkout payments',
      '`/program set checkout <workstream>` needs something to change: `state:`, `lead:`, `due:`, `team:` and `phase:` or `name:`.',
    ],
    [
      'set checkout payments lead:@lee',
      '`lead:` must be a person mention, Slack sent `@lee` as plain text. Pick the person from the @ autocomplete so Slack sends a mention.',
    ],
    [
      'set checkout payments channel:<#C1|x>',
      '`channel:` is the program\'s: leave the workstream out, like `/program set checkout objective:"…"`.',
    ],
    ['set checkout payments extra state:done', "I don't know what to do with `extra` in `/program set`."],
  ])('refuses %j', (text, expected) => {
    expect(problem(text)).toBe(expected);
  });

  it('reads back any combination of fields, in any order', () => {
    const fields = fc.record(
      {
        state: fc.constantFrom('active', 'paused', 'done', 'cancelled' as const),
        leadId: fc.stringMatching(/^U[A-Z0-9]{2,10}$/),
        targetDate: fc
          .integer({ min: 0, max: 700 })
          .map((d) => new Date(Date.UTC(2026, 10, 26) + d * 86_400_000).toISOString().slice(0, 10)),
        team: fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/),
        name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,30}[A-Za-z0-9]$/),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fields.filter((f) => Object.keys(f).length > 0),
        fc.nat(),
        (changes, seed) => {
          const parts = [
            changes.state && `state:${changes.state}`,
            changes.leadId && `lead:<@${changes.leadId}>`,
            changes.targetDate && `due:${changes.targetDate}`,
            changes.team && `team:${changes.team}`,
            changes.name && `name:"${changes.name}"`,
          ].filter((p): p is string => Boolean(p));
          const shuffled = parts.map((p, i) => ({ p, k: (seed * (i + 7)) % 11 })).sort((a, b) => a.k - b.k);
          const text = `set checkout payments ${shuffled.map((x) => x.p).join(' ')}`;
          expect(request(text)).toEqual({
            kind: 'set-workstream',
            programKey: 'checkout',
            workstreamKey: 'payments',
            changes: { ...changes, ...(changes.name && { name: changes.name.replace(/\s+/g, ' ') }) },
          });
        },
      ),
    );
  });
});

describe('/program set <program>', () => {
  it('reads a new name, objective, home channel and audience together', () => {
    expect(
      request(
        'set checkout name:"Checkout 2.0" objective:"Fewer drop-offs" channel:<#C0NEW|checkout> audience:client',
      ),
    ).toEqual({
      kind: 'set',
      programKey: 'checkout',
      changes: {
        name: 'Checkout 2.0',
        objective: 'Fewer drop-offs',
        channelId: 'C0NEW',
        audience: 'external',
      },
    });
  });
});

describe('owner, admins, unarchive, milestones, settings', () => {
  it('reads them', () => {
    expect(request('owner checkout <@U0DANA|dana>')).toEqual({
      kind: 'owner',
      programKey: 'checkout',
      userId: 'U0DANA',
    });
    expect(request('admins checkout add <@U0LEE> <@U0KIM|kim> <@U0LEE>')).toEqual({
      kind: 'admins',
      programKey: 'checkout',
      change: 'add',
      userIds: ['U0LEE', 'U0KIM'],
    });
    expect(request('admins checkout REMOVE <@U0LEE>')).toEqual({
      kind: 'admins',
      programKey: 'checkout',
      change: 'remove',
      userIds: ['U0LEE'],
    });
    expect(request('unarchive checkout')).toEqual({ kind: 'unarchive', programKey: 'checkout' });
    expect(request(' Settings ')).toEqual({ kind: 'settings' });
    expect(request('milestones checkout')).toEqual({ kind: 'milestones', programKey: 'checkout' });
    expect(request('milestone checkout "Beta launch" done')).toEqual({
      kind: 'milestone-done',
      programKey: 'checkout',
      name: 'Beta launch',
    });
    expect(request('milestone checkout "Beta launch" moved:feb 3')).toEqual({
      kind: 'milestone-moved',
      programKey: 'checkout',
      name: 'Beta launch',
      date: '2027-02-03',
    });
  });

  it.each([
    ['owner checkout', '`/program owner` needs the new owner, as @mentions.'],
    ['owner checkout <@U1> <@U2>', 'A program has one owner; name one person.'],
    [
      'owner checkout @dana',
      'Slack sent `@dana` as plain text: pick each person from the @ autocomplete so Slack sends a mention.',
    ],
    ['settings now', "I don't know what to do with `now` in `/program settings`."],
    ['settings tz:UTC', "`/program settings` doesn't take `tz:`; it takes no options."],
    ['admins checkout <@U1>', 'Say `add` or `remove` after the program, then the people.'],
    ['admins checkout add', '`/program admins` needs the people to add, as @mentions.'],
    [
      'admins checkout add <@U1> payments',
      "`payments` isn't a person: pick each person from the @ autocomplete so Slack sends a mention.",
    ],
    [
      'milestone checkout "Beta" done needs:web',
      '`needs:` is for adding a milestone; marking one done takes nothing else.',
    ],
    [
      'milestone checkout "Beta" done moved:feb 3',
      '`moved:` is for adding a milestone; marking one done takes nothing else.',
    ],
    [
      'milestone checkout "Beta" moved:someday',
      "I couldn't read `someday` as a date. Dates look like `2026-12-15`, `dec 15`, `fri`, `next monday`, `tomorrow` or `in 2 weeks`.",
    ],
  ])('refuses %j', (text, expected) => {
    expect(problem(text)).toBe(expected);
  });
});
