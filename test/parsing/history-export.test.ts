/** The grammar of `/status <workstream> history` and `/program export <program> [since:] [as:client]`. */
import { describe, expect, it } from 'vitest';
import { parseProgramCommand } from '../../src/parsing/program-command.js';
import { parseStatusCommand } from '../../src/parsing/status-command.js';

// Wednesday 25 November 2026, 10:00 in New York.
const ctx = { now: new Date('2026-11-25T15:00:00Z'), timezone: 'America/New_York' };

describe('/status <workstream> history', () => {
  it.each([
    ['payments history', { workstreamKey: 'payments' }],
    ['  Checkout/Payments   HISTORY ', { programKey: 'checkout', workstreamKey: 'payments' }],
  ])('%s', (text, workstream) => {
    expect(parseStatusCommand(text, ctx)).toEqual({ ok: true, request: { kind: 'history', workstream } });
  });

  it('takes nothing after `history`', () => {
    expect(parseStatusCommand('payments history of december', ctx)).toEqual({
      ok: false,
      problem: "`history` takes nothing after it; I don't know what to do with `of december`.",
      example: '`/status payments history`',
    });
  });

  it('leaves `history` alone as a workstream key: `/status history` is its card', () => {
    expect(parseStatusCommand('history', ctx)).toEqual({
      ok: true,
      request: { kind: 'card', workstream: { workstreamKey: 'history' } },
    });
    expect(parseStatusCommand('history history', ctx)).toEqual({
      ok: true,
      request: { kind: 'history', workstream: { workstreamKey: 'history' } },
    });
  });
});

describe('/program export', () => {
  it.each([
    ['export checkout', { programKey: 'checkout', audience: 'team' }],
    ['export checkout as:client', { programKey: 'checkout', audience: 'client' }],
    ['export checkout as:leadership', { programKey: 'checkout', audience: 'team' }],
    ['export checkout since:2026-11-01', { programKey: 'checkout', audience: 'team', since: '2026-11-01' }],
    [
      'EXPORT checkout as:CLIENT since: nov 1 2026',
      { programKey: 'checkout', audience: 'client', since: '2026-11-01' },
    ],
    // Today, in the user's timezone, is the latest `since:`.
    ['export checkout since:today', { programKey: 'checkout', audience: 'team', since: '2026-11-25' }],
  ])('%s', (text, request) => {
    expect(parseProgramCommand(text, ctx)).toEqual({ ok: true, request: { kind: 'export', ...request } });
  });

  it.each([
    ['export', '`/program export` needs a program key.'],
    ['export checkout payments', "I don't know what to do with `payments` in `/program export`."],
    ['export checkout as:board', 'An export is for the team (the default) or `as:client`, not `as:board`.'],
    ['export checkout since:someday', "I couldn't read `someday` as a date."],
    [
      'export checkout since:tomorrow',
      "`since:` reads as Thu 26 Nov 2026, which hasn't come yet; give a day on or before today.",
    ],
    ['export checkout channel:<#C1|x>', "`/program export` doesn't take `channel:`"],
  ])('refuses %s', (text, problem) => {
    const parsed = parseProgramCommand(text, ctx);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem).toContain(problem);
      expect(parsed.example).toBe('`/program export checkout since:2026-11-01 as:client`');
    }
  });
});
