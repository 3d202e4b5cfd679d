/**
 * Issue 11: the client variant of the digest shows only client-visible text (SPEC §7), and only a
 * client-facing program has one. The view model first, then its Block Kit.
 */
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { isClientFacing, variantRefusal } from '../../src/domain/audience.js';
import {
  buildDigest,
  type ChainAttention,
  type HealthAttention,
  type WorkstreamLine,
} from '../../src/domain/digest.js';
import { ACTION } from '../../src/views/ids.js';
import { digestMessages } from '../../src/views/digest-blocks.js';
import { DigestFixture, inDays, otherProgram } from '../support/digest-fixtures.js';

const MARK = 'ZZINTERNALZZ';

/**
 * A client-facing program with an internal and a client-visible side to everything: updates,
 * blockers, milestones, and work in another program that its own work waits on.
 */
function world() {
  const fx = new DigestFixture({
    audience: 'external',
    name: 'Checkout for <@U0NAMED|nina>',
    objective: 'Ship it with <@U0OBJ>',
  });
  const pay = fx.workstream('pay', { name: 'Payments', team: 'Pay', targetDate: inDays(20) });
  const web = fx.workstream('web', { name: 'Web', team: 'Web', targetDate: inDays(40) });
  fx.previous(7, [
    [pay, { health: 'on_track' }],
    [web, { health: 'on_track' }],
  ]);
  // pay: its latest update is internal, an older one client-visible.
  fx.update(pay, { health: 'on_track', ago: 3, summary: 'Card vault migrated with <@U0ANA|ana>' });
  const secret = fx.update(pay, {
    health: 'off_track',
    ago: 1,
    summary: `${MARK} vendor is failing, ask <@U0LEAD>`,
    nextSteps: `${MARK} next`,
    forecastDate: inDays(25),
  });
  secret.internal = true;
  // web: a client-visible latest update that mentions people.
  fx.update(web, { health: 'at_risk', ago: 1, summary: 'Waiting on <@U0BOB|bob> for copy' });
  fx.blocker(pay, `${MARK} budget freeze`, { ago: 2, internal: true });
  fx.blocker(pay, 'Vendor sandbox down, see <@U0CAT>', { ago: 1, internal: false });
  // A blocker stored before issue 11, without the field: client-visible, as it always was.
  const legacy = fx.blocker(web, 'Copy review pending', { ago: 3 });
  delete legacy.internal;
  fx.milestone(`${MARK} board review`, inDays(5), [pay]).internal = true;
  fx.milestone('Beta launch', inDays(10), [pay, web]);
  // web waits on work in another program, which is late.
  const platform = otherProgram('platform', 'Platform ZZOTHERZZ');
  const auth = fx.workstream('auth', { name: 'Auth ZZOTHERZZ', targetDate: inDays(30) }, platform);
  fx.update(auth, { health: 'at_risk', ago: 1, forecastDate: inDays(30) });
  fx.dependency(web, auth, inDays(15), 'SSO tokens');
  // Another program waits on pay, and both book a shared resource over capacity.
  const ledger = fx.workstream('ledger', { name: 'Ledger ZZOTHERZZ', targetDate: inDays(22) }, platform);
  fx.dependency(ledger, pay, inDays(21), 'Payment events');
  fx.resource('SRE ZZOTHERZZ', 5, [
    [pay, 3, inDays(5), inDays(5)],
    [ledger, 3, inDays(5), inDays(5)],
  ]);
  return { fx, pay, web };
}

describe('audience', () => {
  it('only a client-facing program has a client digest', () => {
    const fx = new DigestFixture();
    expect(isClientFacing(fx.program)).toBe(false);
    expect(variantRefusal(fx.program, 'client')).toEqual({
      kind: 'internal_program',
      programKey: 'checkout',
    });
    expect(variantRefusal(fx.program, 'team')).toBeUndefined();
    expect(variantRefusal(fx.program, 'leadership')).toBeUndefined();
    const client = new DigestFixture({ audience: 'external' }).program;
    expect(isClientFacing(client)).toBe(true);
    expect(variantRefusal(client, 'client')).toBeUndefined();
  });
});

describe('the client view model', () => {
  it('carries no internal text, no Slack user id, and names no other program’s work', () => {
    const json = JSON.stringify(buildDigest(world().fx.data({ variant: 'client' })));
    expect(json).not.toContain(MARK);
    expect(json).not.toContain('ZZOTHERZZ');
    expect(json).not.toContain('platform');
    expect(json).not.toMatch(/<@|U0[A-Z]+|UOWNER|ULEAD/);
  });

  it('counts an internal update’s health but leaves its words out, everywhere they would show', () => {
    const { fx } = world();
    const view = buildDigest(fx.data({ variant: 'client' }));
    expect(view.counts).toMatchObject({ offTrack: 1, atRisk: 1 });
    const red = view.attention.find((i): i is HealthAttention => i.kind === 'off_track')!;
    expect(red.workstream.key).toBe('pay');
    expect(red.summary).toBeUndefined();
    const toRed = view.changes.healthTransitions.find((t) => t.workstream.key === 'pay')!;
    expect(toRed).toMatchObject({ from: 'on_track', to: 'off_track' });
    expect(toRed.reason).toBeUndefined();
    const line = (key: string) =>
      view.teams!.flatMap((t) => t.lines).find((l: WorkstreamLine) => l.workstream.key === key)!;
    expect(line('pay')).toMatchObject({ mark: 'off_track', trend: ['on_track', 'off_track'] });
    expect(line('pay').summary).toBeUndefined();
    expect(line('pay').nextSteps).toBeUndefined();
    // A client-visible update's words show, its mentions as plain names.
    expect(line('web').summary).toBe('Waiting on @bob for copy');
  });

  it('shows an internal blocker without its text, and a client-visible or older one with it', () => {
    const view = buildDigest(world().fx.data({ variant: 'client' }));
    const red = view.attention.find((i): i is HealthAttention => i.kind === 'off_track')!;
    expect(red.blockers).toEqual([
      { id: expect.any(String), ageDays: 2 },
      { id: expect.any(String), text: 'Vendor sandbox down, see @someone', ageDays: 1 },
    ]);
    expect(JSON.stringify(view.changes.newBlockers)).toContain('Copy review pending');
    expect(view.openBlockers).toBeUndefined();
  });

  it('leaves internal milestones out altogether', () => {
    const view = buildDigest(world().fx.data({ variant: 'client' }));
    expect(view.milestones.map((m) => m.name)).toEqual(['Beta launch']);
  });

  it('names other programs’ work as nobody’s, and drops knock-on and capacity items', () => {
    const view = buildDigest(world().fx.data({ variant: 'client' }));
    const chain = view.attention.find((i): i is ChainAttention => i.kind === 'chain')!;
    expect(chain.workstream.key).toBe('web');
    expect(chain.chain[0]?.provider).toEqual({
      key: '',
      programKey: '',
      name: '',
      external: true,
      anonymous: true,
    });
    expect(view.attention.map((i) => i.kind)).not.toContain('knock_on');
    expect(view.attention.map((i) => i.kind)).not.toContain('capacity');
  });

  it('strips mentions from the program’s name and objective and leaves its owner out', () => {
    const { header } = buildDigest(world().fx.data({ variant: 'client' }));
    expect(header).toMatchObject({ programName: 'Checkout for @nina', objective: 'Ship it with @someone' });
    expect(header.ownerId).toBeUndefined();
  });

  it('keeps everything in the team variant', () => {
    const view = buildDigest(world().fx.data({ variant: 'team' }));
    const json = JSON.stringify(view);
    expect(json).toContain(`${MARK} vendor is failing, ask <@U0LEAD>`);
    expect(json).toContain(`${MARK} budget freeze`);
    expect(json).toContain(`${MARK} board review`);
    expect(json).toContain(`${MARK} next`);
    expect(json).toContain('Auth ZZOTHERZZ');
    expect(view.attention.map((i) => i.kind)).toEqual(expect.arrayContaining(['knock_on', 'capacity']));
  });
});

describe('the client digest’s blocks', () => {
  const blocksOf = (m: { main: { blocks: KnownBlock[] }; thread: Array<{ blocks: KnownBlock[] }> }) => [
    ...m.main.blocks,
    ...m.thread.flatMap((t) => t.blocks),
  ];

  it('have no buttons, no Slack mention, no internal text, no other program’s name', () => {
    const messages = digestMessages(buildDigest(world().fx.data({ variant: 'client' })), {
      appHomeUrl: 'slack://app?team=T0001&id=A0001&tab=home',
    });
    const json = JSON.stringify(messages);
    expect(json).not.toContain(MARK);
    expect(json).not.toContain('<@');
    expect(json).not.toContain('ZZOTHERZZ');
    expect(blocksOf(messages).filter((b) => b.type === 'actions')).toEqual([]);
    expect(messages.thread.map((t) => t.text)).not.toContainEqual(expect.stringContaining('open blockers'));
    expect(json).toContain('_an internal blocker_');
    expect(json).toContain('_work in another program_');
    expect(json).toContain('client digest');
  });

  it('keep Post an update, Nudge, and the thread’s Resolve and Escalate in the team digest', () => {
    const messages = digestMessages(buildDigest(world().fx.data({ variant: 'team' })), {});
    const json = JSON.stringify(messages);
    for (const id of [ACTION.digestPostUpdate, ACTION.blockerResolve, ACTION.blockerEscalate])
      expect(json).toContain(id);
    expect(json).toContain(MARK);
  });
});
