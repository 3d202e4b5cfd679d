/**
 * Issue 15, item 6: honest one-click answers. "Still on track" is offered on green work alone; amber
 * and red work (blocked work is red) offers "No change"; work with no update offers neither. The same
 * on every surface that offers one: the digest's line menus, reminder DMs (and, in home-view.test.ts,
 * the Home tab). The answers say what was recorded, and a refused stale "Still on track" offers the way on.
 */
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/domain/digest.js';
import { oneClickAnswerFor } from '../../src/domain/one-click.js';
import type { Health } from '../../src/domain/types.js';
import { digestMessages } from '../../src/views/digest-blocks.js';
import { ACTION } from '../../src/views/ids.js';
import { LINE_CHOICE, readLineChoice, workstreamMenu } from '../../src/views/item-actions.js';
import { problemText } from '../../src/views/problems.js';
import { reminderMessage } from '../../src/views/reminder-views.js';
import { notOnTrackView, updateRecordedView } from '../../src/views/update-views.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';
import { DigestFixture, NOW } from '../support/digest-fixtures.js';

/** What these tests read of rendered blocks (a unit test: no harness, so not test/support/clicks.ts). */
interface RenderedBlock {
  text?: { text: string };
  elements?: Array<Element | { text: string }>;
  accessory?: Element;
}
interface Element {
  type?: string;
  action_id?: string;
  value?: string;
  text?: { text: string };
  options?: Array<{ text: { text: string }; value: string }>;
}
const elementsOf = (blocks: readonly unknown[]) =>
  (blocks as RenderedBlock[]).flatMap((b) => [
    ...((b.elements ?? []) as Element[]),
    ...(b.accessory ? [b.accessory] : []),
  ]);
const buttonsIn = (blocks: readonly unknown[]) =>
  elementsOf(blocks)
    .filter((e) => e.type === 'button')
    .map((e) => ({ label: e.text?.text ?? '', action_id: e.action_id, value: e.value }));
const menusIn = (blocks: readonly unknown[]) =>
  elementsOf(blocks)
    .filter((e) => e.type === 'overflow')
    .map((e) => ({ options: (e.options ?? []).map((o) => ({ label: o.text.text, value: o.value })) }));
const textOf = (blocks: readonly unknown[]) =>
  (blocks as RenderedBlock[])
    .map((b) => b.text?.text ?? '')
    .filter(Boolean)
    .join('\n');

const ID = '0123456789abcdef01234567';
const labels = (health: Health | undefined) =>
  workstreamMenu(ID, health).options.map((o) => [o.text.text, o.value]);

describe('the one-click answer a health allows', () => {
  it('is Still on track on green work, No change on amber and red, none without an update', () => {
    expect(oneClickAnswerFor('on_track')).toBe('still_on_track');
    expect(oneClickAnswerFor('at_risk')).toBe('no_change');
    expect(oneClickAnswerFor('off_track')).toBe('no_change');
    expect(oneClickAnswerFor(undefined)).toBeUndefined();
  });
});

describe("a digest line's menu", () => {
  it('offers Still on track on green work, No change on amber and red work, neither with no update', () => {
    expect(labels('on_track')).toEqual([
      ['Update…', `update:${ID}`],
      ['Still on track', `carry:${ID}`],
      ['Details', `details:${ID}`],
    ]);
    for (const health of ['at_risk', 'off_track'] as const)
      expect(labels(health)).toEqual([
        ['Update…', `update:${ID}`],
        ['No change', `no_change:${ID}`],
        ['Details', `details:${ID}`],
      ]);
    expect(labels(undefined)).toEqual([
      ['Update…', `update:${ID}`],
      ['Details', `details:${ID}`],
    ]);
  });

  it('reads back every choice, and the value menus posted before No change existed as Still on track', () => {
    expect(readLineChoice(`carry:${ID}`)).toEqual({ choice: LINE_CHOICE.stillOnTrack, workstreamId: ID });
    expect(readLineChoice(`no_change:${ID}`)).toEqual({ choice: LINE_CHOICE.noChange, workstreamId: ID });
    expect(readLineChoice(`same:${ID}`)).toBeUndefined();
  });

  it('follows each workstream’s latest health on every line of a posted team digest', () => {
    const fx = new DigestFixture();
    const green = fx.workstream('green', { name: 'Green work', team: 'a' });
    const amber = fx.workstream('amber', { name: 'Amber work', team: 'a' });
    const red = fx.workstream('red', { name: 'Red work', team: 'b' });
    const fresh = fx.workstream('fresh', { name: 'Fresh work', team: 'b' });
    const paused = fx.workstream('paused', { name: 'Paused work', team: 'b', state: 'paused' });
    fx.previous(7);
    fx.update(paused, { health: 'on_track', ago: 3 });
    fx.update(green, { health: 'on_track', ago: 10 });
    fx.update(amber, { health: 'at_risk', ago: 1 });
    fx.update(red, { health: 'off_track', ago: 2 });
    const digest = digestMessages(buildDigest(fx.data({ variant: 'team' })));
    const messages = [digest.main, ...digest.thread];
    const offered = new Map<string, Set<string>>();
    for (const m of messages) {
      expect(validateMessageBlocks(m.blocks)).toEqual([]);
      for (const menu of menusIn(m.blocks)) {
        const id = menu.options[0]!.value.split(':')[1]!;
        const seen = offered.get(id) ?? new Set<string>();
        seen.add(menu.options.map((o) => o.label).join(' · '));
        offered.set(id, seen);
      }
    }
    const by = (w: { _id: { toHexString(): string } }) => [...(offered.get(w._id.toHexString()) ?? [])];
    expect(by(green)).toEqual(['Update… · Still on track · Details']);
    expect(by(amber)).toEqual(['Update… · No change · Details']);
    expect(by(red)).toEqual(['Update… · No change · Details']);
    expect(by(fresh)).toEqual(['Update… · Details']);
    // Paused work is not chased: no one-click answer on its line.
    expect(by(paused)).toEqual(['Update… · Details']);
  });
});

describe('a reminder DM', () => {
  it('offers Still on track on green work, No change on amber and red work, neither before a first update', () => {
    const fx = new DigestFixture();
    const green = fx.workstream('green');
    const amber = fx.workstream('amber');
    const red = fx.workstream('red');
    const fresh = fx.workstream('fresh');
    fx.update(green, { health: 'on_track', ago: 10 });
    fx.update(amber, { health: 'at_risk', ago: 10 });
    fx.update(red, { health: 'off_track', ago: 10 });
    const since = new Date(NOW.getTime() - 7 * 86_400_000);
    const message = reminderMessage(
      'U0LEAD',
      { programName: 'Checkout', since, when: undefined },
      [green, amber, red, fresh],
      NOW,
    );
    const of = (w: { _id: { toHexString(): string } }) =>
      buttonsIn(message.blocks)
        .filter((b) => b.value === w._id.toHexString())
        .map((b) => [b.label, b.action_id]);
    expect(of(green)).toContainEqual(['Still on track', ACTION.updateCarryForward]);
    expect(of(amber)).toContainEqual(['No change', ACTION.updateNoChange]);
    expect(of(red)).toContainEqual(['No change', ACTION.updateNoChange]);
    for (const w of [green, amber, red]) expect(of(w)).toHaveLength(3);
    expect(of(fresh).map(([label]) => label)).toEqual(['Update…', 'Details']);
  });
});

describe('the answers', () => {
  const fx = new DigestFixture();
  const vault = fx.workstream('vault', { name: 'Card *vault*' });

  it('to No change say it was recorded and the health the work stays at', () => {
    const update = { ...fx.update(vault, { health: 'at_risk', ago: 0, summary: 'Audit slipped' }) };
    const answer = updateRecordedView({ update, workstream: vault, duplicate: false }, NOW, 'no_change');
    expect(answer.text).toBe('No change recorded: Card ∗vault∗ (checkout/vault) stays at risk');
    const text = textOf(answer.blocks);
    expect(text).toContain(
      'No change recorded: *Card ∗vault∗* (`checkout/vault`) stays 🟡 at risk\n> Audit slipped',
    );
    expect(buttonsIn(answer.blocks).map((b) => b.action_id)).toEqual([ACTION.updateEdit]);

    const blocked = { ...update, health: 'off_track' as const, blocked: true };
    const again = updateRecordedView(
      { update: blocked, workstream: vault, duplicate: true },
      NOW,
      'no_change',
    );
    expect(again.text).toBe(
      'No change already recorded: Card ∗vault∗ (checkout/vault) stays off track (blocked)',
    );
    // Still on track's answer is as it was.
    const green = { ...update, health: 'on_track' as const };
    expect(updateRecordedView({ update: green, workstream: vault, duplicate: false }, NOW).text).toBe(
      'Recorded for Card ∗vault∗ (checkout/vault): 🟢 On track',
    );
  });

  it('to a stale Still on track say the work is no longer on track and offer Update… and No change', () => {
    const refused = {
      kind: 'not_on_track',
      workstreamName: 'Card vault',
      health: 'at_risk',
      blocked: false,
    } as const;
    expect(problemText(refused)).toBe(
      '*Card vault* is now 🟡 at risk, not on track: nothing was recorded. Use *Update…* to say how it stands, or *No change* to record that it stays at risk.',
    );
    expect(problemText({ ...refused, health: 'off_track', blocked: true })).toContain(
      'is now 🔴 off track (blocked), not on track',
    );
    const answer = notOnTrackView(refused, ID);
    expect(answer.response_type).toBe('ephemeral');
    expect(validateMessageBlocks(answer.blocks)).toEqual([]);
    expect(buttonsIn(answer.blocks).map((b) => [b.label, b.action_id, b.value])).toEqual([
      ['Update…', ACTION.updateOpen, ID],
      ['No change', ACTION.updateNoChange, ID],
    ]);
  });
});
