/** Issue 11's grammar: `internal:yes|no` on blockers and milestones, `set … audience:`, `as:` on digests. */
import { describe, expect, it } from 'vitest';
import { parseProgramCommand, type ProgramRequest } from '../../src/parsing/program-command.js';

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

describe('internal:yes|no', () => {
  it.each<[string, boolean | undefined]>([
    ['blocker payments "PCI sign-off"', undefined],
    ['blocker payments "PCI sign-off" internal:yes', true],
    ['blocker payments internal:NO "PCI sign-off"', false],
    ['blocker payments "PCI sign-off" internal: no', false],
  ])('on a blocker: %j', (text, internal) => {
    const read = request(text);
    expect(read).toMatchObject({ kind: 'blocker', text: 'PCI sign-off' });
    expect((read as { internal?: boolean }).internal).toBe(internal);
  });

  it.each<[string, boolean | undefined]>([
    ['milestone checkout "Beta" 2027-01-20', undefined],
    ['milestone checkout "Beta" 2027-01-20 internal:yes needs:web', true],
    ['milestone checkout "Beta" 2027-01-20 internal:no', false],
  ])('on a milestone: %j', (text, internal) => {
    const read = request(text);
    expect(read).toMatchObject({ kind: 'milestone', name: 'Beta', date: '2027-01-20' });
    expect((read as { internal?: boolean }).internal).toBe(internal);
  });

  it.each([
    [
      'blocker payments "x" internal:perhaps',
      "`internal:` is `yes` (the blocker's text stays out of client digests) or `no`, not `internal:perhaps`; nothing was added.",
    ],
    [
      'milestone checkout "Beta" 2027-01-20 internal:maybe',
      '`internal:` is `yes` (the milestone stays out of client digests) or `no`, not `internal:maybe`; nothing was added.',
    ],
    ['blocker payments "x" internal:yes internal:no', 'You gave `internal:` twice; give it once.'],
    ['blocker payments "x" internal:', '`internal:` needs a value; see the example.'],
  ])('refuses %j', (text, expected) => {
    expect(problem(text)).toBe(expected);
  });
});

describe('/program set', () => {
  it.each<[string, 'internal' | 'external']>([
    ['set checkout audience:client', 'external'],
    ['set checkout audience:CLIENT', 'external'],
    ['set checkout audience:external', 'external'],
    ['set checkout audience:internal', 'internal'],
  ])('%j', (text, audience) => {
    expect(request(text)).toEqual({ kind: 'set', programKey: 'checkout', changes: { audience } });
  });

  it.each([
    [
      'set checkout audience:everyone',
      "A program's audience is `audience:internal` (its team and leadership only) or `audience:client` (it also has a client digest), not `audience:everyone`.",
    ],
    [
      'set checkout',
      '`/program set checkout` needs something to change: `name:`, `objective:`, `channel:` and `audience:`; or name a workstream to change it.',
    ],
    [
      'set checkout colour:blue',
      "`/program set` doesn't take `colour:`; it takes `name:`, `objective:`, `channel:`, `audience:`, `state:`, `lead:`, `due:`, `team:` and `phase:`.",
    ],
    [
      'set checkout state:done',
      "`state:` is a workstream's: name it after the program, like `/program set checkout payments state:done`.",
    ],
    [
      'set checkout payments audience:client',
      '`audience:` is the program\'s: leave the workstream out, like `/program set checkout objective:"…"`.',
    ],
    ['set', '`/program set` needs a program key.'],
  ])('refuses %j', (text, expected) => {
    expect(problem(text)).toBe(expected);
  });
});

describe('as: on digest and preview', () => {
  it.each([
    ['digest checkout', 'digest', 'team'],
    ['digest checkout as:client', 'digest', 'client'],
    ['preview checkout as:leadership', 'preview', 'leadership'],
    ['preview checkout as:Team', 'preview', 'team'],
  ])('%j', (text, kind, variant) => {
    expect(request(text)).toEqual({ kind, programKey: 'checkout', variant });
  });

  it('refuses another audience, naming the three', () => {
    expect(problem('preview checkout as:board')).toBe(
      'A digest is for `as:team` (the default), `as:leadership` or `as:client`, not `as:board`.',
    );
  });
});
