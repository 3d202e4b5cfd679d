import type { Workstream } from '../../src/domain/entities.js';
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/domain/digest.js';
import type { WorkstreamSnapshot } from '../../src/domain/digest-data.js';
import type { DigestVariant } from '../../src/domain/schedule.js';
import type { Health } from '../../src/domain/types.js';
import {
  BY_TEAM_BLOCK_PREFIX,
  digestMessages,
  redrawnReply,
  type SlackMessage,
} from '../../src/views/digest-blocks.js';
import { workstreamMenu } from '../../src/views/item-actions.js';
import { MESSAGE_TEXT_BUDGET } from '../../src/views/message-size.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { DigestFixture, inDays, otherProgram } from '../support/digest-fixtures.js';

/** Every mrkdwn text of a message, the notification text first. */
function mrkdwnOf(message: SlackMessage): string[] {
  const texts = [message.text];
  for (const block of message.blocks) {
    if (block.type === 'section' && block.text?.type === 'mrkdwn') texts.push(block.text.text);
    if (block.type === 'context') {
      for (const el of block.elements) if (el.type === 'mrkdwn') texts.push(el.text);
    }
  }
  return texts;
}
const textOf = (message: SlackMessage) => mrkdwnOf(message).join('\n');
const all = (m: { main: SlackMessage; thread: SlackMessage[] }) => [m.main, ...m.thread];

function buttonsOf(blocks: KnownBlock[]) {
  const actions = blocks.filter((b) => b.type === 'actions');
  expect(actions).toHaveLength(1);
  return actions[0]!.type === 'actions' ? actions[0]!.elements : [];
}

/** A small program with something in every part of the digest. */
function sample() {
  const fx = new DigestFixture();
  const pay = fx.workstream('pay', { name: 'Payments', team: 'Payments', targetDate: inDays(20) });
  fx.update(pay, { health: 'on_track', ago: 10 });
  fx.update(pay, { health: 'at_risk', ago: 1, summary: 'PSP sandbox is down', forecastDate: inDays(30) });
  fx.blocker(pay, 'Waiting on legal review', { ago: 2 });
  const search = fx.workstream('search', { name: 'Search', team: 'Discovery', targetDate: inDays(40) });
  fx.update(search, { health: 'on_track', ago: 1 });
  fx.blocker(search, 'Index rebuild', { ago: 12, resolvedAgo: 1 });
  const late = fx.workstream('late', { name: 'Late one', team: 'Discovery', targetDate: inDays(-3) });
  fx.update(late, { health: 'on_track', ago: 1 });
  const stuck = fx.workstream('stuck', { name: 'Stuck one', team: 'Discovery' });
  fx.update(stuck, { health: 'on_track', ago: 1 });
  fx.blocker(stuck, 'Security sign-off', { ago: 5 });
  const red = fx.workstream('red', { name: 'Red one', team: 'Payments' });
  fx.update(red, { health: 'off_track', ago: 1, summary: 'Vendor gone' });
  const quiet = fx.workstream('quiet', { name: 'Quiet one', team: 'Apps' });
  fx.update(quiet, { health: 'on_track', ago: 12 });
  const legacy = fx.workstream('legacy', { name: 'Legacy', team: 'Apps' });
  fx.update(legacy, { health: 'on_track', ago: 2 });
  legacy.state = 'done';
  const auth = fx.workstream('auth', { name: 'Auth', health: 'off_track', state: 'active' }, otherProgram());
  fx.dependency(pay, auth, inDays(15), 'SSO tokens');
  fx.dependency(search, pay, inDays(25), 'Payment events');
  fx.milestone('Beta', inDays(10), [pay, search]);
  fx.milestone('Next year', inDays(60), [search]);
  fx.previous(7, [
    [pay, { health: 'on_track', targetDate: inDays(20), forecastDate: inDays(20) }],
    [search, { health: 'on_track', targetDate: inDays(30) }],
    [legacy, { health: 'on_track' }],
    [late, { health: 'on_track', targetDate: inDays(-3) }],
    [stuck, { health: 'on_track' }],
    [red, { health: 'off_track' }],
    [quiet, { health: 'on_track' }],
  ]);
  return fx;
}

const render = (variant: DigestVariant = 'team', appHomeUrl?: string) =>
  digestMessages(buildDigest(sample().data({ variant })), appHomeUrl ? { appHomeUrl } : {});

describe('the main message', () => {
  it('has a short, meaningful notification text', () => {
    expect(render().main.text).toBe(
      'Checkout revamp — 3 on track, 2 at risk, 1 off track, 1 without an update',
    );
  });

  it('carries the header, counts, what changed, needs attention and milestones', () => {
    const { main } = render();
    expect(main.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Checkout revamp' } });
    const text = textOf(main);
    expect(text).toContain('Wed 25 Nov 2026');
    expect(text).toContain('owner <@UOWNER1>');
    expect(text).toContain('*Objective* Lift checkout conversion by 5%');
    expect(text).toContain(
      '🟢 *3* on track · 🟡 *2* at risk (1 through dependencies) · 🔴 *1* off track · ⏸ *0* not started · ⚪ *1* no update since the last digest (Wed 18 Nov) · ✅ *1* done',
    );
    // What changed
    expect(text).toContain('*What changed since Wed 18 Nov*');
    expect(text).toContain('🟢→🟡 *Payments* `pay` — PSP sandbox is down');
    expect(text).toContain('📅 *Search* `search` target date moved Fri 25 Dec → Mon 4 Jan 2027 (+10 days)');
    expect(text).toContain('📅 *Payments* `pay` forecast moved Tue 15 Dec → Fri 25 Dec (+10 days)');
    expect(text).toContain('🚧 New blocker on *Payments* `pay`: “Waiting on legal review”');
    // The top 5 of what changed (issue 15); all of it in the thread.
    expect(text).toContain(
      '🚧 New blocker on *Payments* `pay`: “Waiting on legal review”\n_+2 more in the thread_',
    );
    expect(text).not.toContain('Blocker resolved');
    const thread = textOf(render().thread[0]!);
    expect(thread).toContain('🟢→🟡 *Payments* `pay` — PSP sandbox is down');
    expect(thread).toContain('☑️ Blocker resolved on *Search* `search`: “Index rebuild”');
    expect(thread).toContain('🏁 *Legacy* `legacy` is done');
    // Needs attention: all of it, each item whole, as the message keeps to its budget that way
    expect(text).toContain('🔴 *Red one* `red` <@ULEADRED> — Vendor gone');
    expect(text).toMatch(
      /🟡 \*Payments\* `pay` <@ULEADPAY> — PSP sandbox is down\n.*“Waiting on legal review” open 2 days/,
    );
    expect(text).toContain(
      '🟡🔗 *Search* `search` <@ULEADSEARCH> — at risk: waits on *Payments* `pay` (forecast Fri 25 Dec, needed Sun 20 Dec); its forecast moves to Sat 9 Jan 2027 (+5 days)',
    );
    expect(text).toContain(
      '🟡❓ *Payments* `pay` <@ULEADPAY> says at risk, but its forecast Fri 25 Dec is 10 days past its target (Tue 15 Dec); it waits on *Auth* `platform/auth`, which is off track (needed Thu 10 Dec)',
    );
    expect(text).toContain('⚪ *Quiet one* `quiet` <@ULEADQUIET> — no update since Fri 13 Nov (12 days)');
    expect(text).toContain(
      '`late` <@ULEADLATE> says on track, but it is 3 days past its target date (Sun 22 Nov)',
    );
    expect(text).toContain(
      '`stuck` <@ULEADSTUCK> says on track, but a blocker has been open 5 days (“Security sign-off”)',
    );
    // Milestones
    expect(text).toContain(
      '⚠️ Sat 5 Dec *Beta* (in 10 days) — needs 🟡 `pay`, 🟡 `search` — *at risk*, forecast Sat 9 Jan 2027 (35 days late)',
    );
    expect(text).not.toContain('Next year');
    expect(main.blocks.length).toBeLessThanOrEqual(50);
    expect(validateMessageBlocks(main.blocks)).toEqual([]);
  });

  it('orders needs attention by severity', () => {
    const text = textOf(render().main).split('*Needs attention*')[1]!;
    const at = (s: string) => text.indexOf(s);
    expect(at('🟡🔗 *Search*')).toBeGreaterThanOrEqual(0);
    expect(at('🟡🔗 *Search*')).toBeLessThan(at('🔴 *Red one*'));
    expect(at('🔴 *Red one*')).toBeLessThan(at('🟡 *Payments*'));
    expect(at('🟡 *Payments*')).toBeLessThan(at('🟡❓ *Payments*'));
    expect(at('🟡❓ *Payments*')).toBeLessThan(at('🟢❓'));
    expect(at('🟢❓')).toBeLessThan(at('⚪ *Quiet one*'));
  });

  it('says when this is the first digest', () => {
    const fx = sample();
    fx.previousAt = undefined;
    const text = textOf(digestMessages(buildDigest(fx.data()), {}).main);
    expect(text).toContain('first digest');
    expect(text).toContain('no update for over 7 days');
  });

  it('offers Post an update, Nudge the missing ones and Open in Cairn', () => {
    expect(buttonsOf(render('team', 'slack://app?team=T0001&id=A1&tab=home').main.blocks)).toEqual([
      expect.objectContaining({
        action_id: 'digest_post_update',
        value: 'checkout',
        text: expect.objectContaining({ text: 'Post an update' }),
      }),
      expect.objectContaining({
        action_id: 'digest_nudge',
        value: 'checkout',
        text: expect.objectContaining({ text: 'Nudge the missing ones' }),
      }),
      expect.objectContaining({
        url: 'slack://app?team=T0001&id=A1&tab=home',
        text: expect.objectContaining({ text: 'Open in Cairn' }),
      }),
    ]);
  });

  it('leaves out the nudge when nothing is missing, and Open in Cairn without a link', () => {
    const fx = new DigestFixture();
    fx.update(fx.workstream('a'), { health: 'on_track', ago: 1 });
    const { main } = digestMessages(buildDigest(fx.data()), {});
    expect(buttonsOf(main.blocks).map((b) => ('action_id' in b ? b.action_id : undefined))).toEqual([
      'digest_post_update',
    ]);
  });
});

describe('the thread', () => {
  it('has the by-team detail: teams sorted, one line per workstream with lead, progress, due date, trend and summary', () => {
    const { main, thread } = render();
    expect(textOf(main)).not.toContain('*Team ');
    // What changed, whole (the main message shows its top 5), then the detail by team.
    expect(thread.map((m) => m.text)).toEqual([
      'Checkout revamp — this digest in full',
      'Checkout revamp — open blockers',
    ]);
    const text = textOf(thread[0]!);
    const teams = [...text.matchAll(/\*Team (\w+)\*/g)].map((m) => m[1]);
    expect(teams).toEqual(['Apps', 'Discovery', 'Payments']);
    expect(text).toContain(
      '🟡 *Payments* `pay` · <@ULEADPAY> · due Tue 15 Dec · 🟢🟡 · 🚧 1 — PSP sandbox is down',
    );
    expect(text).toContain('⚪ *Quiet one* `quiet` · <@ULEADQUIET> · 🟢');
    expect(text).toContain('✅ *Legacy* `legacy` · <@ULEADLEGACY> · 🟢 · done');
  });

  it('ends with the open blockers, each with Resolve and Escalate carrying its id', () => {
    const fx = sample();
    const { thread } = digestMessages(buildDigest(fx.data()));
    const last = thread.at(-1)!;
    expect(last.text).toBe('Checkout revamp — open blockers');
    const openIds = [...fx.openBlockers]
      .sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime())
      .map((b) => b._id.toHexString());
    const buttons = last.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])) as Array<{
      action_id: string;
      value: string;
    }>;
    expect(buttons.map((b) => b.action_id)).toEqual(
      openIds.flatMap(() => ['blocker_resolve', 'blocker_escalate']),
    );
    expect(buttons.map((b) => b.value)).toEqual(openIds.flatMap((id) => [id, id]));
    expect(textOf(last).split('\n').slice(1)).toEqual([
      '*Open blockers* (2), oldest first',
      '🚧 *Stuck one* `stuck` “Security sign-off” open 5 days, owner <@ULEADSTUCK>',
      '🚧 *Payments* `pay` “Waiting on legal review” open 2 days, owner <@ULEADPAY>',
    ]);
  });
});

describe('variants', () => {
  it('leadership: no by-team detail; a thread with only what the main message shortened', () => {
    const { main, thread } = render('leadership');
    expect(thread.map((m) => m.text)).toEqual(['Checkout revamp — everything that needs attention']);
    expect(textOf(thread[0]!)).not.toContain('*Team ');
    expect(textOf(thread[0]!)).toContain('*What changed since Wed 18 Nov*');
    expect(textOf(main)).not.toContain('*Team ');
    expect(textOf(main)).toContain('*Needs attention*');
    expect(textOf(main)).toContain('*Milestones in the next 30 days*');
  });

  it('client: no Slack user ids anywhere, no internal blocker text, no internal notes', () => {
    const fx = sample();
    const pay = fx.workstreams.find((w) => w.key === 'pay')!;
    fx.update(pay, {
      health: 'at_risk',
      ago: 0.5,
      summary: 'Waiting for <@U0LEGAL|dana>',
      nextSteps: 'Lean on the vendor',
    });
    fx.blocker(pay, 'Budget freeze from finance', { ago: 4, internal: true });
    const messages = digestMessages(buildDigest(fx.data({ variant: 'client' })), {});
    const json = JSON.stringify(all(messages));
    expect(json).not.toContain('<@U');
    expect(json).not.toContain('Budget freeze');
    expect(json).not.toContain('Lean on the vendor');
    expect(textOf(messages.main)).toContain('_an internal blocker_');
    expect(textOf(messages.main)).toContain('Waiting for @dana');
  });
});

describe('escaping', () => {
  it('never lets <!channel> from user text through', () => {
    const ping = '<!channel> <https://evil.example|click>';
    const fx = new DigestFixture({ name: `Big ${ping}`, objective: `Goal ${ping}` });
    const w = fx.workstream('pay', { name: `Pay ${ping}`, team: `Team ${ping}` });
    fx.update(w, { health: 'off_track', ago: 1, summary: `Summary ${ping}`, nextSteps: `Next ${ping}` });
    fx.blocker(w, `Blocker ${ping}`, { ago: 4 });
    const provider = fx.workstream('api', { name: `Api ${ping}`, targetDate: inDays(20) });
    fx.update(provider, { health: 'on_track', ago: 1 });
    fx.dependency(w, provider, inDays(10), `Deliverable ${ping}`);
    fx.milestone(`Milestone ${ping}`, inDays(3), [w]);
    fx.previous(7, [[w, { health: 'on_track' }]]);
    for (const variant of ['team', 'leadership', 'client'] as const) {
      const messages = digestMessages(buildDigest(fx.data({ variant })), {});
      for (const message of all(messages)) {
        for (const text of mrkdwnOf(message)) {
          expect(text).not.toContain('<!channel>');
          expect(text).not.toContain('<https://evil');
        }
      }
      expect(textOf(messages.main)).toContain('&lt;!channel&gt;');
    }
  });
});

describe('a 250-workstream program', () => {
  const HEALTHS: Health[] = ['at_risk', 'off_track', 'on_track', 'at_risk'];
  function huge() {
    const fx = new DigestFixture();
    const long = 'Long summary that goes on and on about vendors, budgets, environments and people. '.repeat(
      8,
    );
    for (let i = 0; i < 250; i++) {
      const key = `ws-${String(i).padStart(3, '0')}`;
      const w = fx.workstream(key, {
        name: `Workstream number ${i} with a rather long descriptive name for testing`,
        team: `squad-${String(i % 23).padStart(2, '0')}${'x'.repeat(i % 7)}`,
        targetDate: inDays((i % 40) - 10),
      });
      if (i % 17 === 0) continue; // never updated
      fx.update(w, { health: 'on_track', ago: 14, summary: long });
      fx.update(w, {
        health: HEALTHS[i % 4]!,
        ago: i % 5 === 0 ? 9 : 1,
        summary: long,
        nextSteps: long,
        progress: i % 100,
      });
      fx.blocker(w, `Blocker ${i}: ${long}`, { ago: (i % 9) + 1 });
      fx.blocker(w, `Second blocker ${i}: ${long}`, { ago: 1 });
      if (i % 2 === 0) fx.blocker(w, `Third blocker ${i}`, { ago: 2 });
    }
    const ws = fx.workstreams;
    for (let i = 0; i < 60; i++)
      fx.dependency(ws[i]!, ws[(i * 7 + 3) % 250]!, inDays(i % 10), `Deliverable ${i} ${long}`);
    for (let i = 0; i < 20; i++) fx.milestone(`Milestone ${i}`, inDays(i), ws.slice(i * 5, i * 5 + 20));
    fx.previous(
      8,
      ws.map((w, i): [Workstream, Partial<WorkstreamSnapshot>] => [
        w,
        { health: HEALTHS[(i + 1) % 4]!, targetDate: inDays((i % 40) - 12) },
      ]),
    );
    return fx;
  }

  it.each(['team', 'leadership', 'client'] as const)(
    '%s: every message is within Slack’s limits',
    (variant) => {
      const messages = digestMessages(buildDigest(huge().data({ variant })), {
        appHomeUrl: 'slack://app?team=T1&id=A1',
      });
      for (const message of all(messages)) {
        expect(validateMessageBlocks(message.blocks)).toEqual([]);
        expect(message.blocks.length).toBeLessThanOrEqual(50);
        expect(message.text.length).toBeLessThan(200);
      }
    },
  );

  it('puts every workstream exactly once in the by-team lines across the thread', () => {
    const view = buildDigest(huge().data());
    const messages = digestMessages(view, {});
    expect(messages.thread.length).toBeGreaterThan(1);
    const counts = new Map<string, number>();
    for (const message of all(messages)) {
      for (const block of message.blocks) {
        if (!block.block_id?.startsWith(BY_TEAM_BLOCK_PREFIX) || block.type !== 'section') continue;
        // A line's own key comes first; a later one names what it waits on.
        for (const line of (block.text?.text ?? '').split('\n')) {
          const key = /`(ws-\d{3})`/.exec(line)?.[1];
          if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    }
    expect(counts.size).toBe(250);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('keeps the 7 most severe items in the main message, one line each, and all of them in the thread', () => {
    const view = buildDigest(huge().data());
    const { main, thread } = digestMessages(view, {});
    const attentionLine = /^• ((🔴|🟡)(🔗|❓)?|🟢❓|⛓️|📦|⚪) /u;
    const linesOf = (messages: SlackMessage[]) =>
      messages
        .flatMap((m) => m.blocks.filter((b) => !b.block_id?.startsWith(BY_TEAM_BLOCK_PREFIX)))
        .flatMap((b) => (b.type === 'section' ? (b.text?.text ?? '').split('\n') : []));
    const inMain = linesOf([main]).filter((l) => attentionLine.test(l));
    const inThread = linesOf(thread).filter((l) => attentionLine.test(l));

    // The main message keeps the 7 most severe (at-risk chains first), one line each, and says how
    // many more there are…
    const attention = textOf(main).split('*Needs attention*')[1]!.split('*Milestones')[0]!;
    expect(inMain).toHaveLength(7);
    expect(inMain[0]).toMatch(/^• (🔴|🟡)🔗 /u);
    expect(attention).toContain(`_+${view.attention.length - 7} more in the thread_`);
    // …and the thread opens with all of them, whole, under their heading (each line below it carries
    // its menu beside it).
    expect(thread[0]!.text).toMatch(/^Checkout revamp — everything that needs attention \(1\/\d+\)$/);
    const firstSection = thread[0]!.blocks[0];
    expect(firstSection?.type === 'section' && firstSection.text?.text).toBe(
      `*Needs attention* (${view.attention.length})`,
    );
    // Nothing is lost: every item is one bullet in the thread, in order, the main message's first.
    expect(inThread).toHaveLength(view.attention.length);
    inMain.forEach((line, i) => expect(inThread[i]!.startsWith(line.replace(/…[*_]*$/u, ''))).toBe(true));
  });

  it('redraws a thread reply line by line where it was, saying which lines no longer need attention', () => {
    const fx = huge();
    const posted = digestMessages(buildDigest(fx.data()));
    const reply = posted.thread.find((m) =>
      m.blocks.some((b) => b.block_id?.startsWith('digest_attention_missing_update_')),
    )!;
    const missing = reply.blocks.find((b) => b.block_id?.startsWith('digest_attention_missing_update_'))!;
    const w = fx.workstreams.find((x) => missing.block_id!.endsWith(x._id.toHexString()))!;
    // The work gets its update: it no longer needs attention, and the thread moves (one item fewer).
    fx.update(w, { health: 'on_track', ago: 0, summary: 'Back on plan' });
    const view = buildDigest(fx.data());
    const fresh = digestMessages(view);
    const redrawn = redrawnReply(reply, fresh, view)!;

    expect(redrawn.text).toBe(reply.text);
    expect(redrawn.blocks.map((b) => b.block_id)).toEqual(reply.blocks.map((b) => b.block_id));
    const line = redrawn.blocks.find((b) => b.block_id === missing.block_id);
    expect(line).toMatchObject({
      type: 'section',
      // Its name as every line cuts it.
      text: { text: `• ✅ *${w.name.slice(0, 59)}…* \`${w.key}\` — no longer needs attention` },
      // Its menu as drawn now: the work is green, so it offers Still on track (it had nothing to carry).
      accessory: workstreamMenu(w._id.toHexString(), 'on_track'),
    });
    // Every other line with a menu is as drawn now; the rest of the reply is as it was.
    const drawnNow = new Map(
      [fresh.main, ...fresh.thread].flatMap((m) => m.blocks).map((b) => [b.block_id, b] as const),
    );
    redrawn.blocks.forEach((block, i) => {
      const id = block.block_id ?? '';
      if (id === missing.block_id) return;
      const withMenu = id.startsWith('digest_attention_') || id.startsWith(`${BY_TEAM_BLOCK_PREFIX}ws_`);
      expect(block).toEqual(withMenu ? drawnNow.get(id) : reply.blocks[i]);
    });
    expect(validateMessageBlocks(redrawn.blocks)).toEqual([]);
  });

  it('gives up on a reply that would no longer keep to the text budget', () => {
    const fx = huge();
    const view = buildDigest(fx.data());
    const fresh = digestMessages(view);
    const reply = fresh.thread[0]!;
    expect(redrawnReply(reply, fresh, view)).toEqual(reply);
    expect(redrawnReply({ ...reply, text: 'x'.repeat(MESSAGE_TEXT_BUDGET) }, fresh, view)).toBeUndefined();
  });
});
