/**
 * Issue 15, item 1: the digest's main message keeps to a fixed budget whatever the program's size
 * (at most 30 lines as renderedLines counts them and 4,000 characters of text): the counts, the top
 * 5 of what changed and the top 7 of needs attention (ranked), each list cut there ending "+N more
 * in the thread"; and the thread holds everything (every attention item, every change, every
 * workstream). For programs of 5, 50 and 500 workstreams in each variant, and for random programs.
 */
import fc from 'fast-check';
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildDigest, type AttentionItem, type DigestView } from '../../src/domain/digest.js';
import type { DigestVariant } from '../../src/domain/schedule.js';
import { button, context, divider, header, section } from '../../src/views/blocks.js';
import {
  ATTENTION_IN_MAIN,
  BY_TEAM_BLOCK_PREFIX,
  CHANGES_IN_MAIN,
  digestMessages,
  MAIN_BUDGET,
  oneLineOf,
  type SlackMessage,
} from '../../src/views/digest-blocks.js';
import { MESSAGE_TEXT_BUDGET, messageTextLength, renderedLines } from '../../src/views/message-size.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { DigestFixture, inDays, otherProgram } from '../support/digest-fixtures.js';
import { bigProgram, programOf, programSpec } from '../support/digest-programs.js';

const VARIANTS: DigestVariant[] = ['team', 'leadership', 'client'];
const OPTIONS = { appHomeUrl: 'slack://app?team=T1&id=A1' };

/** The lines of a message's sections, outside the by-team detail. */
function sectionLines(messages: readonly SlackMessage[]): string[] {
  return messages
    .flatMap((m) => m.blocks.filter((b) => !b.block_id?.startsWith(BY_TEAM_BLOCK_PREFIX)))
    .flatMap((b) => (b.type === 'section' ? (b.text?.text ?? '').split('\n') : []));
}
const ATTENTION_LINE = /^• ((🔴|🟡)(🔗|❓)?|🟢❓|⛓️|📦|⚪) /u;
const CHANGE_LINE = /^• ((🟢|🟡|🔴|⏸)→|📅 |🚧 New blocker|☑️ Blocker resolved|🏁 \*)/u;
const attentionLines = (messages: readonly SlackMessage[]) =>
  sectionLines(messages).filter((l) => ATTENTION_LINE.test(l));
const changeLines = (messages: readonly SlackMessage[]) =>
  sectionLines(messages).filter((l) => CHANGE_LINE.test(l));

/** How many more a part of the main message (by its heading) says are in the thread. */
function saidMore(main: SlackMessage, heading: string): number {
  const lines = sectionLines([main]);
  const from = lines.findIndex((l) => l.startsWith(heading));
  if (from < 0) return 0;
  const part = lines.slice(from + 1);
  const end = part.findIndex((l) => /^\*[A-Z]/.test(l));
  const more = (end < 0 ? part : part.slice(0, end)).map((l) => /^_\+(\d+) more in the thread_$/.exec(l));
  return Number(more.find((m) => m)?.[1] ?? 0);
}

const changeCount = (view: DigestView) => {
  const c = view.changes;
  return (
    c.healthTransitions.length +
    c.targetSlips.length +
    c.forecastSlips.length +
    c.milestoneMoves.length +
    c.milestoneSlips.length +
    c.newBlockers.length +
    c.resolvedBlockers.length +
    c.completed.length
  );
};

/** What a line about the item names: its workstream's key, or a conflict's resource. */
const markerOf = (item: AttentionItem) =>
  item.kind === 'capacity' ? `*${item.resource}*` : `\`${item.workstream.key}\``;

const size = (m: SlackMessage) => ({
  lines: renderedLines(m.blocks),
  chars: messageTextLength(m.blocks, m.text),
});

/** Everything the budget promises of one digest's messages. */
function checkBudget(view: DigestView, messages: { main: SlackMessage; thread: SlackMessage[] }) {
  const { main, thread } = messages;
  const { lines, chars } = size(main);
  expect(lines, 'lines').toBeLessThanOrEqual(MAIN_BUDGET.lines);
  expect(chars, 'characters').toBeLessThanOrEqual(MAIN_BUDGET.chars);
  expect(validateMessageBlocks(main.blocks)).toEqual([]);
  for (const m of thread) {
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(messageTextLength(m.blocks, m.text)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
  }

  // Needs attention: the main message shows the top items, in ranked order, each on a line of its
  // own, and counts the rest; the thread has them all when the main message shortened any.
  const inMain = attentionLines([main]);
  const inThread = attentionLines(thread);
  inMain.forEach((line, i) => expect(line).toContain(markerOf(view.attention[i]!)));
  expect(saidMore(main, '*Needs attention*')).toBe(view.attention.length - inMain.length);
  expect(inThread.length === 0 ? inMain.length : inThread.length).toBe(view.attention.length);
  inThread.forEach((line, i) => expect(line).toContain(markerOf(view.attention[i]!)));

  // What changed: the same.
  const changes = changeCount(view);
  const changedInMain = changeLines([main]);
  const changedInThread = changeLines(thread);
  expect(changedInMain.length).toBeLessThanOrEqual(CHANGES_IN_MAIN);
  expect(saidMore(main, '*What changed')).toBe(changes - changedInMain.length);
  expect(changedInThread.length === 0 ? changedInMain.length : changedInThread.length).toBe(changes);

  // Every workstream in exactly one by-team line of the thread.
  if (view.teams) {
    const byTeam = thread
      .flatMap((m) => m.blocks)
      .filter((b) => b.block_id?.startsWith(BY_TEAM_BLOCK_PREFIX))
      .flatMap((b) => (b.type === 'section' ? (b.text?.text ?? '').split('\n') : []))
      .filter((l) => !l.startsWith('*Team '));
    expect(byTeam.length).toBe(view.teams.reduce((n, t) => n + t.lines.length, 0));
  }
  return { lines, chars, inMain: inMain.length, changedInMain: changedInMain.length };
}

describe('renderedLines', () => {
  it('counts the lines of headers, sections (fields two to a row) and context, and one for any other block', () => {
    const blocks: KnownBlock[] = [
      header('Title'), // 1
      section('one\ntwo\nthree'), // 3
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'text' },
        fields: [
          { type: 'mrkdwn', text: 'a' },
          { type: 'mrkdwn', text: 'b\nb' },
          { type: 'mrkdwn', text: 'c' },
        ],
      }, // 1 + 2 (the taller of a and b) + 1 (c alone)
      context('x'), // 1
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'y\ny' },
          { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'a' },
        ],
      }, // 2
      divider(), // 1
      { type: 'actions', elements: [button('Go', 'a', 'v')] }, // 1
      { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'a' }, // 1
    ];
    expect(renderedLines(blocks)).toBe(1 + 3 + 4 + 1 + 2 + 1 + 1 + 1);
    expect(renderedLines([])).toBe(0);
  });
});

describe('oneLineOf', () => {
  it('keeps a short line as it is, and its first line alone', () => {
    expect(oneLineOf('• 🔴 *Red* `red`', 100)).toBe('• 🔴 *Red* `red`');
    expect(oneLineOf('• 🔴 *Red* `red`\n      🚧 “Vendor” open 2 days', 100)).toBe('• 🔴 *Red* `red`');
  });

  it('cuts a long line with "…", closing the bold and italics it cut into, leaving out a code span cut into', () => {
    const cut = oneLineOf(`• 🔴 *${'Long name '.repeat(10)}* \`red\``, 40);
    expect(cut).toMatch(/^• 🔴 \*Long name.*…\*$/u);
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(oneLineOf(`• waits on _${'deliverable '.repeat(10)}_`, 30)).toMatch(/…_$/);
    // A key is never shown shortened.
    expect(oneLineOf(`• *Name* \`${'k'.repeat(50)}\``, 30)).toBe('• *Name*…');
    expect(oneLineOf(`• *Name* \`key\` — ${'x'.repeat(40)}`, 20)).toBe('• *Name* `key`…');
    // A mention is kept whole or left out, and its underscores and asterisks are not formatting.
    expect(oneLineOf(`• *a* <@U0LEAD|ana_b*> ${'x'.repeat(60)}`, 40)).toBe(
      `• *a* <@U0LEAD|ana_b*> ${'x'.repeat(12)}…`,
    );
  });
});

describe.each([5, 50, 500])('a program of %i workstreams', (workstreams) => {
  const fx = bigProgram(workstreams);

  it.each(VARIANTS)(
    '%s: the main message keeps to the budget, and the thread holds everything',
    (variant) => {
      const view = buildDigest(fx.data({ variant }));
      const shown = checkBudget(view, digestMessages(view, OPTIONS));
      // As many of the top items as there are, up to 7 and 5.
      expect(shown.inMain).toBe(Math.min(ATTENTION_IN_MAIN, view.attention.length));
      expect(shown.changedInMain).toBe(Math.min(CHANGES_IN_MAIN, changeCount(view)));
      // Milestones moved and forecasts slipped are among the changes counted and shown.
      expect(view.changes.milestoneMoves.length).toBeGreaterThan(0);
      expect(view.changes.milestoneSlips.length).toBeGreaterThan(0);
    },
  );
});

describe('the budget', () => {
  it('holds for one very long item: a chain across programs with long names, summary and blockers', () => {
    const fx = new DigestFixture({ name: 'N'.repeat(150), objective: 'Objective line\n'.repeat(80) });
    const platform = otherProgram();
    const long = (what: string) => `${what} ${'with a name that goes on and on '.repeat(4)}`;
    const ws = Array.from({ length: 6 }, (_, i) =>
      fx.workstream(
        `ws-${i}`,
        { name: long(`Workstream ${i}`), targetDate: inDays(5) },
        i > 0 ? platform : undefined,
      ),
    );
    for (const [i, w] of ws.entries()) {
      fx.update(w, { health: 'at_risk', ago: 1, summary: long('Summary'), forecastDate: inDays(40 + i) });
      fx.blocker(w, long('Blocker'), { ago: 3 });
    }
    for (let i = 0; i < 5; i++) fx.dependency(ws[i]!, ws[i + 1]!, inDays(10), long('Deliverable'));
    fx.milestone(long('Milestone'), inDays(9), ws);
    for (const variant of VARIANTS) {
      const view = buildDigest(fx.data({ variant }));
      const messages = digestMessages(view, OPTIONS);
      checkBudget(view, messages);
      if (variant !== 'client') expect(view.attention[0]?.kind).toBe('chain');
      // The objective is cut to one line in the main message, and whole in the thread.
      expect(messages.thread[0]?.blocks[0]).toMatchObject({
        text: { text: expect.stringMatching(/^\*Objective\* Objective line\nObjective line/) },
      });
    }
  });

  it('holds for any program, in any variant', () => {
    fc.assert(
      fc.property(programSpec, (spec) => {
        const view = buildDigest(programOf(spec).data({ variant: spec.variant }));
        checkBudget(view, digestMessages(view, OPTIONS));
      }),
      { numRuns: 40 },
    );
  });
});
