/**
 * Milestone moves in "what changed": their lines (the name escaped as user text), and their place
 * among the changes, where a milestone moved later or its forecast slipped comes first (the main
 * message shows the top 5; the thread has them all).
 */
import { describe, expect, it } from 'vitest';
import { buildDigest, type DigestChanges } from '../../src/domain/digest.js';
import { CHANGES_IN_MAIN, digestMessages, type SlackMessage } from '../../src/views/digest-blocks.js';
import { LineFormat } from '../../src/views/digest-lines.js';
import { DigestFixture, inDays, TODAY } from '../support/digest-fixtures.js';

const none: DigestChanges = {
  hasPrevious: true,
  since: inDays(-7),
  healthTransitions: [],
  newBlockers: [],
  resolvedBlockers: [],
  completed: [],
  targetSlips: [],
  forecastSlips: [],
  milestoneMoves: [],
  milestoneSlips: [],
};

/** The lines of a message's sections. */
const linesOf = (messages: readonly SlackMessage[]) =>
  messages
    .flatMap((m) => m.blocks)
    .flatMap((b) => (b.type === 'section' ? (b.text?.text ?? '').split('\n') : []));
/** The "what changed" lines of a message, from its heading to the next heading. */
function changedIn(message: SlackMessage): string[] {
  const lines = linesOf([message]);
  const from = lines.findIndex((l) => l.startsWith('*What changed'));
  if (from < 0) return [];
  const part = lines.slice(from + 1);
  const end = part.findIndex((l) => /^\*[A-Z]/.test(l));
  return (end < 0 ? part : part.slice(0, end)).filter((l) => l.startsWith('• '));
}

describe('milestone lines of what changed', () => {
  const f = new LineFormat(TODAY);

  it('say a milestone moved later or earlier, and a forecast slipped, with the days', () => {
    expect(
      f.changes({
        ...none,
        milestoneMoves: [
          { milestone: 'Launch', from: inDays(16), to: inDays(23), days: 7 },
          { milestone: 'Beta', from: inDays(10), to: inDays(9), days: -1 },
        ],
        milestoneSlips: [{ milestone: 'Launch', from: inDays(21), to: inDays(26), days: 5 }],
      }),
    ).toEqual([
      '📅 Milestone *Launch* moved Fri 11 Dec → Fri 18 Dec (+7 days)',
      '📅 Milestone *Launch* forecast slipped Wed 16 Dec → Mon 21 Dec (+5 days)',
      '📅 Milestone *Beta* moved earlier Sat 5 Dec → Fri 4 Dec (-1 day)',
    ]);
  });

  it('escape the milestone name as user text: no mention, link or formatting of the user’s', () => {
    const [line] = f.changes({
      ...none,
      milestoneMoves: [
        {
          milestone: 'Go <!channel> & <https://x.test|live> *now* <@U0ANA>',
          from: inDays(16),
          to: inDays(23),
          days: 7,
        },
      ],
    });
    expect(line).toBe(
      '📅 Milestone *Go &lt;!channel&gt; &amp; &lt;https://x.test|live&gt; ∗now∗ &lt;@U0ANA&gt;* moved Fri 11 Dec → Fri 18 Dec (+7 days)',
    );
  });

  it('come first in the main message’s top 5 when later, after health transitions when earlier; the thread has all', () => {
    const fx = new DigestFixture();
    const ws = ['a', 'b', 'c', 'd', 'e'].map((key) => {
      const w = fx.workstream(key, { name: `Work ${key}`, targetDate: inDays(40) });
      fx.update(w, { health: 'at_risk', ago: 1, forecastDate: inDays(30) });
      return w;
    });
    // Five health transitions and five forecast slips of workstreams.
    fx.previous(
      7,
      ws.map((w) => [w, { health: 'on_track', targetDate: inDays(40), forecastDate: inDays(20) }]),
    );
    const launch = fx.milestone('Launch & <!here>', inDays(23), ws);
    fx.milestoneWas(launch, inDays(16), inDays(20));
    const beta = fx.milestone('Beta', inDays(9));
    fx.milestoneWas(beta, inDays(10));

    for (const variant of ['team', 'leadership'] as const) {
      const messages = digestMessages(buildDigest(fx.data({ variant })));
      const main = changedIn(messages.main);
      expect(main, variant).toHaveLength(CHANGES_IN_MAIN);
      expect(main.slice(0, 2), variant).toEqual([
        '• 📅 Milestone *Launch &amp; &lt;!here&gt;* moved Fri 11 Dec → Fri 18 Dec (+7 days)',
        '• 📅 Milestone *Launch &amp; &lt;!here&gt;* forecast slipped Tue 15 Dec → Fri 25 Dec (+10 days)',
      ]);
      expect(
        main.slice(2).every((l) => l.startsWith('• 🟢→🟡 ')),
        variant,
      ).toBe(true);
      const thread = messages.thread.flatMap((m) => changedIn(m));
      expect(thread, variant).toHaveLength(2 + 5 + 1 + 5);
      expect(thread[7], variant).toBe('• 📅 Milestone *Beta* moved earlier Sat 5 Dec → Fri 4 Dec (-1 day)');
      expect(thread.slice(8).every((l) => /^• 📅 \*Work [a-e]\* `[a-e]` forecast moved/.test(l))).toBe(true);
    }
  });
});
