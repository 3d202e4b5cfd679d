/** How each Problem a use case returns is worded, and that user text in one never becomes markup. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/domain/problems.js';
import { peopleIn, problemPlainText, problemText } from '../../src/views/problems.js';

const worded: Array<[Problem, string]> = [
  [{ kind: 'missing', what: 'blocker' }, 'That blocker does not exist in this workspace.'],
  [{ kind: 'missing', what: 'update_workstream' }, 'That update’s workstream no longer exists.'],
  [
    { kind: 'no_program', key: 'checkout' },
    'There is no program `checkout` here. `/program list` shows them.',
  ],
  [
    { kind: 'ambiguous_workstream', key: 'api', choices: ['checkout/api', 'billing/api'] },
    'More than one program has a workstream `api`: say which, e.g. `checkout/api`, `billing/api`.',
  ],
  [
    { kind: 'archived', programKey: 'checkout', takesNo: 'updates' },
    '`checkout` is archived; it takes no updates.',
  ],
  [
    { kind: 'not_program_admin', change: 'schedules', programKey: 'checkout', ownerId: 'U0PM' },
    'Only the owner of `checkout` (<@U0PM>), its admins or a workspace admin may change its digest schedules.',
  ],
  [{ kind: 'resolved_already', by: 'U0ADA' }, 'That blocker was resolved already by <@U0ADA>.'],
  [{ kind: 'resolved_already' }, 'That blocker was resolved already.'],
  [{ kind: 'settled_already', state: 'met' }, 'That dependency is met already.'],
  [
    { kind: 'no_resource', name: 'SRE "on-call"' },
    'There is no shared resource `SRE "on-call"`. Create it first: `/program resource "SRE on-call" capacity:10`.',
  ],
  [
    { kind: 'not_on_track', workstreamName: 'Card vault', health: 'at_risk', blocked: false },
    '*Card vault* is now 🟡 at risk, not on track: nothing was recorded. Use *Update…* to say how it stands, or *No change* to record that it stays at risk.',
  ],
  [
    { kind: 'post_failed', channelId: 'C0001', error: 'channel_not_found' },
    'I could not post the digest to <#C0001>: channel_not_found. I will retry it shortly.',
  ],
];

describe('problemText', () => {
  it.each(worded)('words %j', (problem, text) => {
    expect(problemText(problem)).toBe(text);
  });

  it('never lets user text in a problem ping, link or break out of its quotes', () => {
    const user = fc.string({ unit: 'grapheme', maxLength: 300 });
    const problems = fc.oneof(
      user.map((key): Problem => ({ kind: 'no_program', key })),
      user.map((named): Problem => ({ kind: 'no_workstream', named })),
      user.map((name): Problem => ({ kind: 'no_resource', name })),
      user.map((name): Problem => ({ kind: 'resource_removed', name })),
      user.map((workstreamName): Problem => ({ kind: 'nothing_to_carry', workstreamName })),
      user.map((workstreamName): Problem => ({
        kind: 'not_on_track',
        workstreamName,
        health: 'off_track',
        blocked: true,
      })),
      fc
        .tuple(user, user)
        .map(([programKey, key]): Problem => ({ kind: 'workstream_taken', programKey, key })),
    );
    fc.assert(
      fc.property(problems, (problem) => {
        const text = problemText(problem);
        // Slack reads `<…>` as a mention, link or command; Cairn writes none in these problems.
        expect(text).not.toMatch(/[<>]/);
        // Cairn's own code spans open and close: an even number of backticks outside ```.
        expect((text.match(/`/g) ?? []).length % 2).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('as a modal error, gives the user their own characters back and names people as Slack shows them', () => {
    expect(problemPlainText({ kind: 'no_program', key: 'Tier*1_x `y` & <z>' })).toBe(
      'There is no program "Tier*1_x `y` & <z>" here. /program list shows them.',
    );
    const refused: Problem = {
      kind: 'not_program_admin',
      change: 'schedules',
      programKey: 'checkout',
      ownerId: 'U0PM',
    };
    expect(peopleIn(refused)).toEqual(['U0PM']);
    expect(problemPlainText(refused, new Map([['U0PM', 'Ada']]))).toBe(
      'Only the owner of "checkout" (@Ada), its admins or a workspace admin may change its digest schedules.',
    );
    expect(problemPlainText(refused)).toContain('(@U0PM)');
  });
});
