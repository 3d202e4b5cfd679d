/**
 * What the views render and what the app listens to are the same set of ids: no button or overflow
 * menu without a listener (a click Slack would show as failed), no listener for one nobody renders.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buttonListeners, overflowListeners } from '../../handlers/actions/index.js';
import { commandListeners } from '../../handlers/commands/index.js';
import { EVENTS } from '../../handlers/events/index.js';
import { modalListeners } from '../../handlers/views/index.js';
import { ACTION, MODAL } from '../../src/views/ids.js';
import { LINE_CHOICE, readLineChoice } from '../../src/views/item-actions.js';
import { everySurface } from '../support/every-surface.js';

interface Element {
  type?: unknown;
  action_id: string;
  options?: Array<{ value?: string }>;
}

/** Every interactive element, leaving out the inputs of modals (read on submission, never listened to). */
function elementsIn(node: unknown, inInput = false, found: Element[] = []): Element[] {
  if (Array.isArray(node)) node.forEach((n) => elementsIn(n, inInput, found));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const input = inInput || o.type === 'input';
    if (typeof o.action_id === 'string' && !input) found.push(o as unknown as Element);
    for (const value of Object.values(o)) elementsIn(value, input, found);
  }
  return found;
}
const actionIdsIn = (node: unknown) => new Set(elementsIn(node).map((e) => e.action_id));

const surfaces = everySurface();
const elements = surfaces.flatMap((s) => elementsIn(s.view ?? s.blocks));
const rendered = (type: string) => new Set(elements.filter((e) => e.type === type).map((e) => e.action_id));
const callbacks = new Set(
  surfaces.flatMap((s) => (s.view?.type === 'modal' && s.view.callback_id ? [s.view.callback_id] : [])),
);

describe('ids', () => {
  it('every button the views render has a listener, and every button listener has a button', () => {
    expect([...rendered('button')].sort()).toEqual(Object.keys(buttonListeners).sort());
  });

  it('every overflow menu the views render has a listener, and every option names a choice it answers', () => {
    expect([...rendered('overflow')].sort()).toEqual(Object.keys(overflowListeners).sort());
    // Buttons and menus are all there is, and between them every action id is listened to, once.
    expect(new Set(elements.map((e) => e.type))).toEqual(new Set(['button', 'overflow']));
    expect([...Object.keys(buttonListeners), ...Object.keys(overflowListeners)].sort()).toEqual(
      Object.values(ACTION).sort(),
    );
    const values = elements.filter((e) => e.type === 'overflow').flatMap((e) => e.options ?? []);
    expect(values.length).toBeGreaterThan(0);
    const choices = values.map((o) => readLineChoice(o.value)?.choice);
    expect(new Set(choices)).toEqual(new Set(Object.values(LINE_CHOICE)));
  });

  it('every modal the views open has a submission listener, and no listener waits for a modal nobody opens', () => {
    expect([...callbacks].sort()).toEqual(Object.keys(modalListeners).sort());
    expect(Object.keys(modalListeners).sort()).toEqual(Object.values(MODAL).sort());
  });

  it('the app answers exactly the slash commands and events the manifest declares', () => {
    const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
      features: { slash_commands: Array<{ command: string }> };
      settings: { event_subscriptions: { bot_events: string[] } };
    };
    expect(Object.keys(commandListeners).sort()).toEqual(
      manifest.features.slash_commands.map((c) => c.command).sort(),
    );
    expect([...EVENTS].sort()).toEqual([...manifest.settings.event_subscriptions.bot_events].sort());
  });

  it('Escalate sits beside Resolve on every blocker a lead can act on: the card, the Home tab and the digest thread', () => {
    for (const name of ['workstream card', 'Home tab', 'digest thread 2 (team)']) {
      const ids = actionIdsIn(
        surfaces.find((s) => s.name === name)!.view ?? surfaces.find((s) => s.name === name)!.blocks,
      );
      expect(ids, name).toContain(ACTION.blockerResolve);
      expect(ids, name).toContain(ACTION.blockerEscalate);
    }
  });
});
