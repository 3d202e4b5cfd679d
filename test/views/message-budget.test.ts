/**
 * Issue 12, item 4: every message a digest posts keeps to MESSAGE_TEXT_BUDGET (11,000 characters of
 * text, its blocks and its notification text together), Slack's block limits hold, what does not
 * fit the main message is in the thread (said so, "…and N more in the thread"), and no workstream
 * is dropped: for random programs (property) and for a 300-workstream one.
 */
import fc from 'fast-check';
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/domain/digest.js';
import type { Workstream } from '../../src/domain/entities.js';
import type { WorkstreamSnapshot } from '../../src/domain/digest-data.js';
import type { DigestVariant } from '../../src/domain/schedule.js';
import type { Health } from '../../src/domain/types.js';
import { button, context, header, section } from '../../src/views/blocks.js';
import { BY_TEAM_BLOCK_PREFIX, digestMessages, type SlackMessage } from '../../src/views/digest-blocks.js';
import {
  blockTextLength,
  MESSAGE_TEXT_BUDGET,
  messageTextLength,
  packBlocks,
} from '../../src/views/message-size.js';
import { previewBlocks } from '../../src/views/preview.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { DigestFixture, inDays, otherProgram } from '../support/digest-fixtures.js';

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
  const more = /_…and (\d+) more in the thread_/.exec(part);
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

const HEALTHS: Health[] = ['at_risk', 'off_track', 'on_track', 'at_risk'];

/** A program of `size` workstreams with long names, summaries, next steps, blockers, dependencies and milestones. */
function bigProgram(size: number): DigestFixture {
  const fx = new DigestFixture({ objective: 'A long objective. '.repeat(60) });
  const long = 'Long summary about vendors, budgets, environments and the people waiting on them. '.repeat(4);
  for (let i = 0; i < size; i++) {
    const w = fx.workstream(`ws-${String(i).padStart(3, '0')}`, {
      name: `Workstream ${i} with a long descriptive name 🚀 for the digest`,
      team: `squad-${i % 17}`,
      targetDate: inDays((i % 40) - 10),
      leadId: `U0LEAD${i % 40}`,
    });
    if (i % 13 === 0) continue; // never updated
    fx.update(w, { health: 'on_track', ago: 14, summary: long });
    fx.update(w, {
      health: HEALTHS[i % 4]!,
      ago: i % 5 === 0 ? 9 : 1,
      summary: long,
      nextSteps: long,
      progress: i % 100,
      forecastDate: inDays((i % 40) + 5),
    });
    fx.blocker(w, `Blocker ${i}: ${long}`, { ago: (i % 9) + 1 });
    if (i % 3 === 0) fx.blocker(w, `Resolved ${i}: ${long}`, { ago: 10, resolvedAgo: 1 });
  }
  const ws = fx.workstreams;
  for (let i = 0; i < size / 4; i++)
    fx.dependency(ws[i]!, ws[(i * 7 + 3) % size]!, inDays(i % 10), `Deliverable ${i} ${long}`);
  for (let i = 0; i < 25; i++) fx.milestone(`Milestone ${i}`, inDays(i), ws.slice(i * 5, i * 5 + 20));
  fx.previous(
    8,
    ws.map((w, i): [Workstream, Partial<WorkstreamSnapshot>] => [
      w,
      { health: HEALTHS[(i + 1) % 4]!, targetDate: inDays((i % 40) - 12) },
    ]),
  );
  return fx;
}

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
      // What needs attention is all there, once: the main message's share, the rest in the thread.
      const inMain = attentionLines([messages.main]);
      const inThread = attentionLines(messages.thread);
      expect(inMain.length).toBeGreaterThan(0);
      expect(inMain.length + inThread.length).toBe(view.attention.length);
      expect(saidMore(messages.main, '*Needs attention*')).toBe(inThread.length);
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

/** Text that may be long, with emoji and characters Slack escapes (so its size grows when escaped). */
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength, size: 'max' }),
    fc
      .tuple(
        fc.constantFrom('&', '<>', '🟢', 'word ', 'Ünïcödé ', '👩‍👩‍👧‍👦'),
        fc.integer({ min: maxLength / 2, max: maxLength }),
      )
      .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length))),
  );

const workstreamSpec = fc.record({
  name: text(90).map((t) => `W ${t}`),
  team: fc.nat({ max: 12 }),
  updates: fc.array(
    fc.record({
      health: fc.constantFrom<Health>('on_track', 'at_risk', 'off_track'),
      ago: fc.integer({ min: 0, max: 20 }),
      summary: text(400),
      nextSteps: fc.option(text(200), { nil: undefined }),
    }),
    { maxLength: 3, size: 'max' },
  ),
  blockers: fc.array(fc.record({ text: text(300), ago: fc.integer({ min: 0, max: 30 }) }), {
    maxLength: 4,
    size: 'max',
  }),
  target: fc.option(fc.integer({ min: -30, max: 60 }), { nil: undefined }),
  lead: fc.boolean(),
  dependsOn: fc.option(fc.nat(), { nil: undefined }),
  external: fc.boolean(),
  was: fc.option(fc.constantFrom<Health>('on_track', 'at_risk', 'off_track'), { nil: undefined }),
});

const programSpec = fc.record({
  name: text(120).map((t) => `P ${t}`),
  objective: text(1200),
  // Sized up: most programs drawn need more than one message.
  workstreams: fc.array(workstreamSpec, { maxLength: 140, size: 'max' }),
  milestones: fc.array(fc.record({ name: text(100), in: fc.integer({ min: 0, max: 29 }) }), {
    maxLength: 30,
  }),
  previous: fc.boolean(),
  variant: fc.constantFrom<DigestVariant>('team', 'leadership', 'client'),
});

type ProgramSpec = typeof programSpec extends fc.Arbitrary<infer T> ? T : never;

function programOf(spec: ProgramSpec): DigestFixture {
  const fx = new DigestFixture({ name: spec.name, objective: spec.objective, audience: 'external' });
  const platform = otherProgram();
  const auth = fx.workstream('auth', { name: 'Auth', health: 'off_track', state: 'active' }, platform);
  const was: Array<[Workstream, Partial<WorkstreamSnapshot>]> = [];
  spec.workstreams.forEach((s, i) => {
    const w = fx.workstream(`ws-${i}`, {
      name: s.name,
      team: `team ${s.team}`,
      ...(s.target !== undefined ? { targetDate: inDays(s.target) } : {}),
      ...(s.lead ? { leadId: `U0LEAD${i}` } : { leadId: '' }),
    });
    for (const u of [...s.updates].sort((a, b) => b.ago - a.ago))
      fx.update(w, {
        health: u.health,
        ago: u.ago,
        summary: u.summary,
        ...(u.nextSteps !== undefined ? { nextSteps: u.nextSteps } : {}),
      });
    for (const b of s.blockers) fx.blocker(w, b.text, { ago: b.ago });
    if (s.was) was.push([w, { health: s.was }]);
  });
  const own = fx.workstreams;
  spec.workstreams.forEach((s, i) => {
    if (s.dependsOn === undefined) return;
    const provider = s.external ? auth : own[s.dependsOn % own.length]!;
    if (provider !== own[i]) fx.dependency(own[i]!, provider, inDays(s.dependsOn % 20), `Deliverable ${i}`);
  });
  spec.milestones.forEach((m, i) => fx.milestone(m.name, inDays(m.in), own.slice(i, i + 5)));
  if (spec.previous) fx.previous(7, was);
  return fx;
}

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
        // Nothing that needs attention is dropped, and the main message counts what it moved.
        const inMain = attentionLines([messages.main]).length;
        const inThread = attentionLines(messages.thread).length;
        expect(inMain + inThread).toBe(view.attention.length);
        expect(saidMore(messages.main, '*Needs attention*')).toBe(inThread);
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
