/**
 * Issue 12, item 4: every message a digest posts keeps to MESSAGE_TEXT_BUDGET (11,000 characters of
 * text, its blocks and its notification text together), Slack's block limits hold, what the main
 * message shortens is in the thread whole (said so, "+N more in the thread"), and no workstream
 * is dropped: for random programs (property) and for a 300-workstream one. The main message's own,
 * smaller budget (issue 15) is tested in digest-budget.test.ts.
 */
import fc from 'fast-check';
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/domain/digest.js';
import { button, context, header, section } from '../../src/views/blocks.js';
import {
  ATTENTION_IN_MAIN,
  BY_TEAM_BLOCK_PREFIX,
  digestMessages,
  type SlackMessage,
} from '../../src/views/digest-blocks.js';
import {
  blockTextLength,
  MESSAGE_TEXT_BUDGET,
  messageTextLength,
  packBlocks,
} from '../../src/views/message-size.js';
import { previewBlocks } from '../../src/views/preview.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { bigProgram, programOf, programSpec } from '../support/digest-programs.js';

type Messages = { main: SlackMessage; thread: SlackMessage[] };
const all = (m: Messages) => [m.main, ...m.thread];

/** Every text of a message, by an independent walk of its blocks (not the code under test). */
function textsOf(message: SlackMessage): string[] {
  const out = [message.text];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node))
      if (key === 'text' && typeof value === 'string') out.push(value);
      else walk(value);
  };
  walk(message.blocks);
  return out;
}
const sizeOf = (message: SlackMessage) => textsOf(message).reduce((n, t) => n + t.length, 0);

/** What is wrong with a digest's messages as Slack would take them. */
function limitProblems(messages: Messages): string[] {
  return all(messages).flatMap((m, i) => {
    const where = i === 0 ? 'main' : `reply ${i}`;
    const problems = validateMessageBlocks(m.blocks).map((p) => `${where}: ${p}`);
    if (m.blocks.length > 50) problems.push(`${where}: ${m.blocks.length} blocks`);
    if (sizeOf(m) > MESSAGE_TEXT_BUDGET) problems.push(`${where}: ${sizeOf(m)} characters of text`);
    return problems;
  });
}

/** Lines of the attention list (as digest-blocks.test.ts tells them apart), outside the by-team detail. */
const ATTENTION_LINE = /^• ((🔴|🟡)(🔗|❓)?|🟢❓|⛓️|📦|⚪) /u;
function attentionLines(messages: readonly SlackMessage[]): string[] {
  return messages
    .flatMap((m) => m.blocks.filter((b) => !b.block_id?.startsWith(BY_TEAM_BLOCK_PREFIX)))
    .flatMap((b) => (b.type === 'section' ? (b.text?.text ?? '').split('\n') : []))
    .filter((l) => ATTENTION_LINE.test(l));
}

/** How many more the main message says are in the thread, for the part that starts with `heading`. */
function saidMore(main: SlackMessage, heading: string): number {
  const text = main.blocks.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : '')).join('\n');
  const part = text.split(heading)[1]?.split(/\n\*[A-Z]/)[0] ?? '';
  const more = /_\+(\d+) more in the thread_/.exec(part);
  return more ? Number(more[1]) : 0;
}

describe('messageTextLength', () => {
  it('counts every text of every block (sections, fields, context, headers, buttons) and the notification text', () => {
    const blocks: KnownBlock[] = [
      header('Title'), // 5
      section('12345678'), // 8
      { type: 'section', fields: [{ type: 'mrkdwn', text: 'abc' }], text: { type: 'mrkdwn', text: 'de' } }, // 5
      context('xyz'), // 3
      { type: 'actions', elements: [button('Go', 'a', 'a value that is not text')] }, // 2
      { type: 'divider' },
    ];
    expect(blockTextLength(blocks)).toBe(23);
    expect(messageTextLength(blocks, 'fallback')).toBe(31);
    expect(messageTextLength(blocks)).toBe(23);
    // An emoji counts as its UTF-16 length, never less than what Slack may count.
    expect(messageTextLength([section('🟢')])).toBe(2);
  });

  it('packs blocks into messages within the budget and 50 blocks, in order, dropping none', () => {
    const blocks = Array.from({ length: 130 }, (_, i) => section(`${i}:${'x'.repeat((i * 37) % 2900)}`));
    const packed = packBlocks(blocks, { reserve: 100 });
    expect(packed.flat()).toEqual(blocks);
    expect(packed.length).toBeGreaterThan(3);
    for (const message of packed) {
      expect(message.length).toBeLessThanOrEqual(50);
      expect(blockTextLength(message)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET - 100);
    }
    // Tiny blocks are split by count alone.
    expect(packBlocks(Array.from({ length: 120 }, () => section('a'))).map((m) => m.length)).toEqual([
      50, 50, 20,
    ]);
  });
});

describe('a 300-workstream digest', () => {
  const fx = bigProgram(300);

  it.each(['team', 'leadership', 'client'] as const)(
    '%s: every message keeps to 11,000 characters of text and Slack’s block limits',
    (variant) => {
      const view = buildDigest(fx.data({ variant }));
      const messages = digestMessages(view, { appHomeUrl: 'slack://app?team=T1&id=A1' });
      // Without the budget this program's main message alone holds tens of thousands of characters.
      expect(messages.thread.length).toBeGreaterThan(0);
      expect(limitProblems(messages)).toEqual([]);
      expect(messageTextLength(messages.main.blocks, messages.main.text)).toBe(sizeOf(messages.main));
      // What needs attention is all in the thread, once; the main message shows the top of it and
      // counts the rest.
      const inMain = attentionLines([messages.main]);
      const inThread = attentionLines(messages.thread);
      expect(inMain.length).toBe(ATTENTION_IN_MAIN);
      expect(inThread.length).toBe(view.attention.length);
      expect(saidMore(messages.main, '*Needs attention*')).toBe(view.attention.length - inMain.length);
    },
  );

  it.each(['team', 'client'] as const)('%s: names every workstream, in the thread', (variant) => {
    const messages = digestMessages(buildDigest(fx.data({ variant })));
    const text = all(messages).flatMap(textsOf).join('\n');
    for (const w of fx.workstreams) expect(text, w.key).toContain(`\`${w.key}\``);
    // Each in exactly one by-team line.
    const byTeam = all(messages)
      .flatMap((m) => m.blocks)
      .filter((b) => b.block_id?.startsWith(BY_TEAM_BLOCK_PREFIX))
      .flatMap((b) => (b.type === 'section' ? (b.text?.text ?? '').split('\n') : []))
      .map((l) => /`(ws-\d{3})`/.exec(l)?.[1])
      .filter((k) => k !== undefined);
    expect(byTeam.sort()).toEqual(fx.workstreams.map((w) => w.key).sort());
  });

  it('the preview of it keeps to the budget too, and counts what it leaves for the thread', () => {
    const messages = digestMessages(buildDigest(fx.data()));
    const blocks = previewBlocks(
      messages.main.blocks,
      messages.thread.map((m) => m.blocks),
    );
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(messageTextLength(blocks, messages.main.text)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET + 200);
    expect(JSON.stringify(blocks.at(-1))).toMatch(
      /more blocks? of detail by team, in the thread when posted/,
    );
  });

  it('has a short fallback naming the program, its counts and the preview command', () => {
    const { fallback } = digestMessages(buildDigest(fx.data({ variant: 'leadership' })));
    expect(fallback.text.length).toBeLessThan(600);
    expect(fallback.text).toContain('Checkout revamp');
    expect(fallback.text).toMatch(/\*\d+\* on track/);
    expect(fallback.text).toContain('`/program preview checkout as:leadership`');
  });
});

// ---------------------------------------------------------------------------
// Random programs
// ---------------------------------------------------------------------------

describe('any digest', () => {
  it('keeps every message within 11,000 characters of text and names every workstream somewhere', () => {
    fc.assert(
      fc.property(programSpec, (spec) => {
        const fx = programOf(spec);
        const view = buildDigest(fx.data({ variant: spec.variant }));
        const messages = digestMessages(view, { appHomeUrl: 'slack://app?team=T1&id=A1' });
        const problems = limitProblems(messages);
        if (problems.length > 0) throw new Error(problems.slice(0, 5).join('\n'));
        for (const m of all(messages))
          expect(messageTextLength(m.blocks, m.text)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
        expect(messages.fallback.text.length).toBeLessThan(2_000);
        if (spec.variant === 'leadership') return; // the leadership digest has no by-team lines
        const shown = all(messages).flatMap(textsOf).join('\n');
        for (const w of fx.workstreams)
          if (!shown.includes(`\`${w.key}\``)) throw new Error(`${w.key} is in no message`);
        // Nothing that needs attention is dropped: the main message shows it all, or the thread does,
        // and the main message counts what it left to the thread.
        const inMain = attentionLines([messages.main]).length;
        const inThread = attentionLines(messages.thread).length;
        expect(inMain).toBeLessThanOrEqual(ATTENTION_IN_MAIN);
        expect(inThread === 0 ? inMain : inThread).toBe(view.attention.length);
        expect(saidMore(messages.main, '*Needs attention*')).toBe(view.attention.length - inMain);
      }),
      { numRuns: 60 },
    );
  });

  it('is drawn from programs big enough to need the budget (so the property above can fail)', () => {
    const specs = fc.sample(programSpec, { numRuns: 30, seed: 12 });
    const needing = specs.filter((spec) => {
      const messages = digestMessages(buildDigest(programOf(spec).data({ variant: spec.variant })));
      // More text in all than one message may carry, and a main message cut to fit.
      const total = all(messages).reduce((n, m) => n + sizeOf(m), 0);
      return total > MESSAGE_TEXT_BUDGET && /more in the thread_/.test(textsOf(messages.main).join('\n'));
    });
    expect(needing.length).toBeGreaterThanOrEqual(specs.length / 3);
  });
});
