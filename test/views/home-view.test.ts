import type { HomeData, HomeProgram } from '../../src/domain/read-models.js';
import type { Blocker, Dependency, Program, Workstream } from '../../src/domain/entities.js';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { dependencyRequestMessage } from '../../src/views/commitment-views.js';
import { HOME_BLOCK_LIMIT, HOME_CAPS, homeView } from '../../src/views/home-view.js';
import { validateView } from '../support/block-kit-limits.js';
import { DigestFixture, inDays, NOW as FIXTURE_NOW, otherProgram } from '../support/digest-fixtures.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const TEAM = 'T0001';
const LEAD = 'U0LEAD';
const OWNER = 'U0OWNER';

const programId = new Types.ObjectId();

function workstream(over: Partial<Workstream> = {}): Workstream {
  return {
    _id: new Types.ObjectId(),
    teamId: TEAM,
    programId,
    programKey: 'checkout',
    key: 'web',
    name: 'Web checkout',
    team: 'web',
    leadId: LEAD,
    state: 'active',
    health: 'at_risk',
    lastUpdateAt: new Date(NOW.getTime() - 3 * DAY),
    createdAt: new Date(NOW.getTime() - 30 * DAY),
    ...over,
  };
}

function program(over: Partial<Program> = {}): Program {
  return {
    _id: programId,
    teamId: TEAM,
    key: 'checkout',
    name: 'Checkout revamp',
    ownerId: OWNER,
    adminIds: [],
    audience: 'internal',
    state: 'active',
    createdAt: new Date(NOW.getTime() - 60 * DAY),
    ...over,
  };
}

function blocker(w: Workstream, over: Partial<Blocker> = {}): Blocker {
  return {
    _id: new Types.ObjectId(),
    teamId: TEAM,
    programId: w.programId,
    workstreamId: w._id,
    text: 'Vendor contract unsigned',
    ownerId: LEAD,
    openedBy: LEAD,
    openedAt: new Date(NOW.getTime() - 5 * DAY),
    internal: false,
    ...over,
  };
}

function dependency(provider: Workstream, consumer: Workstream, over: Partial<Dependency> = {}): Dependency {
  return {
    _id: new Types.ObjectId(),
    teamId: TEAM,
    consumerId: consumer._id,
    consumerProgramId: consumer.programId,
    providerId: provider._id,
    providerProgramId: provider.programId,
    deliverable: 'Login API',
    neededBy: '2026-03-20',
    state: 'open',
    createdBy: OWNER,
    createdAt: new Date(NOW.getTime() - 10 * DAY),
    ...over,
  };
}

const counted = (p: Program): HomeProgram => ({
  program: p,
  role: 'owner',
  counts: {
    workstreams: 4,
    byHealth: { on_track: 2, at_risk: 1, off_track: 0 },
    withoutUpdate: 1,
    atRiskThroughDependencies: 0,
    openBlockers: 3,
  },
});

function data(over: Partial<HomeData> = {}): HomeData {
  return {
    userId: LEAD,
    workstreams: [],
    programs: [],
    blockers: [],
    owes: [],
    truncated: { workstreams: false, programs: false, blockers: false, owes: false },
    chains: new Map(),
    ...over,
  };
}

interface AnyBlock {
  type: string;
  text?: { text: string };
  elements?: Array<{ type: string; action_id?: string; value?: string; text?: { text: string } | string }>;
  accessory?: { action_id?: string; value?: string; text?: { text: string } };
}

/** Every text of the view, joined: what the user reads. */
function textOf(blocks: readonly AnyBlock[]): string {
  return blocks
    .flatMap((b) => [
      b.text?.text ?? '',
      ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))),
      b.accessory?.text?.text ?? '',
    ])
    .join('\n');
}

/** Every button of the view, as action id and value. */
function buttonsOf(
  blocks: readonly AnyBlock[],
): Array<{ action_id?: string; value?: string; label?: string }> {
  return blocks.flatMap((b) =>
    [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]
      .filter((e) => (e as { type?: string }).type === 'button')
      .map((e) => ({
        action_id: e.action_id,
        value: e.value,
        label: typeof e.text === 'string' ? e.text : e.text?.text,
      })),
  );
}

describe('homeView', () => {
  it('shows a lead their workstreams with quick-update buttons, their blockers and what they owe', () => {
    const web = workstream();
    const fresh = workstream({
      key: 'mobile',
      name: 'Mobile app',
      health: undefined,
      lastUpdateAt: undefined,
    });
    const api = workstream({ key: 'api', name: 'Checkout API', leadId: 'U0API' });
    const stuck = blocker(web, { openedAt: new Date(NOW.getTime() - 9 * DAY) });
    const owed = dependency(web, api);
    const view = homeView(
      data({
        workstreams: [web, fresh],
        blockers: [{ blocker: stuck, workstream: web }],
        owes: [{ dependency: owed, provider: web, consumer: api }],
      }),
      NOW,
    );
    expect(view.type).toBe('home');
    expect(validateView(view)).toEqual([]);
    const blocks = view.blocks as AnyBlock[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Cairn' } });
    const text = textOf(blocks);
    expect(text).toContain('*Your workstreams* (2)');
    expect(text).toContain('🟡 *Web checkout* `checkout/web` · updated 3d ago');
    expect(text).toContain('*Mobile app* `checkout/mobile` · no update yet');
    expect(text).toContain('*Blockers you own* (1)');
    expect(text).toContain('Vendor contract unsigned');
    expect(text).toContain('`checkout/web` · open 9d');
    expect(text).toContain('*Dependencies you owe* (1)');
    expect(text).toMatch(/\*Login API\* for `checkout\/api` \(<@U0API>\) by Fri 20 Mar/);
    expect(text).not.toContain('Programs you run');

    const buttons = buttonsOf(blocks);
    const id = web._id.toHexString();
    expect(buttons).toContainEqual({ action_id: 'status_open_modal', value: id, label: 'Update…' });
    // Web is at risk: No change, not Still on track.
    expect(buttons).toContainEqual({ action_id: 'status_no_change', value: id, label: 'No change' });
    expect(buttons.filter((b) => b.action_id === 'status_carry_forward')).toEqual([]);
    expect(buttons).toContainEqual({
      action_id: 'status_open_modal',
      value: fresh._id.toHexString(),
      label: 'Update…',
    });
    // Nothing to carry forward for a workstream that never had an update.
    expect(buttons.filter((b) => b.action_id === 'status_no_change')).toHaveLength(1);
    expect(buttons).toContainEqual({
      action_id: 'blocker_resolve',
      value: stuck._id.toHexString(),
      label: 'Resolve',
    });
    expect(buttons).toContainEqual({
      action_id: 'dependency_met',
      value: owed._id.toHexString(),
      label: 'Mark met',
    });
    expect(buttons).toContainEqual({
      action_id: 'dependency_broken',
      value: owed._id.toHexString(),
      label: 'Flag broken',
    });
  });

  it('marks a dependency past its date as overdue', () => {
    const web = workstream();
    const api = workstream({ key: 'api' });
    const view = homeView(
      data({
        owes: [
          { dependency: dependency(web, api, { neededBy: '2026-03-01' }), provider: web, consumer: api },
        ],
      }),
      NOW,
    );
    expect(textOf(view.blocks as AnyBlock[])).toContain('*overdue*');
  });

  it('shows an owner the programs they run, with counts, Preview and Post now', () => {
    const p = program();
    const view = homeView(data({ userId: OWNER, programs: [counted(p)] }), NOW);
    expect(validateView(view)).toEqual([]);
    const blocks = view.blocks as AnyBlock[];
    const text = textOf(blocks);
    expect(text).toContain('*Programs you run* (1)');
    expect(text).toContain(
      '*Checkout revamp* `checkout` · owner · 4 workstreams: 🟢 2 🟡 1 🔴 0 ⏸ 1 · 3 open blockers',
    );
    expect(text).not.toContain('Your workstreams');
    expect(text).not.toContain('Nothing here yet');
    const buttons = buttonsOf(blocks);
    expect(buttons).toContainEqual({ action_id: 'home_preview', value: 'checkout', label: 'Preview' });
    expect(buttons).toContainEqual({ action_id: 'home_post_digest', value: 'checkout', label: 'Post now' });
  });

  it('says how many of the at-risk workstreams are at risk only through what they wait on, as the digest does', () => {
    const p = counted(program());
    const through = { ...p, counts: { ...p.counts, atRiskThroughDependencies: 1 } };
    const text = textOf(homeView(data({ userId: OWNER, programs: [through] }), NOW).blocks as AnyBlock[]);
    expect(text).toContain('4 workstreams: 🟢 2 🟡 1 (1 through dependencies) 🔴 0 ⏸ 1');
  });

  it('says a program has no workstreams yet, and who administers it', () => {
    const view = homeView(
      data({
        userId: 'U0ADMIN',
        programs: [
          {
            program: program({ adminIds: ['U0ADMIN'] }),
            role: 'admin',
            counts: {
              workstreams: 0,
              byHealth: { on_track: 0, at_risk: 0, off_track: 0 },
              withoutUpdate: 0,
              atRiskThroughDependencies: 0,
              openBlockers: 0,
            },
          },
        ],
      }),
      NOW,
    );
    expect(textOf(view.blocks as AnyBlock[])).toContain(
      '`checkout` · admin · no workstreams yet · 0 open blockers',
    );
  });

  it('gives a user with nothing an empty state that points at /status and /program new', () => {
    const view = homeView(data({ userId: 'U0NOBODY' }), NOW);
    expect(validateView(view)).toEqual([]);
    const blocks = view.blocks as AnyBlock[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Cairn' } });
    const text = textOf(blocks);
    expect(text).toContain('Nothing here yet:');
    expect(text).toContain('`/status`');
    expect(text).toContain('`/program new');
    expect(buttonsOf(blocks)).toEqual([]);
  });

  it('escapes what users wrote, keeping mentions in blocker text', () => {
    const w = workstream({ name: 'Web <!channel> & <https://evil.example|click>' });
    const p = program({ name: 'Evil <!here> program' });
    const api = workstream({ key: 'api' });
    const view = homeView(
      data({
        workstreams: [w],
        programs: [counted(p)],
        blockers: [{ blocker: blocker(w, { text: 'Waiting on <@U0LEGAL> <!everyone>' }), workstream: w }],
        owes: [
          {
            dependency: dependency(w, api, { deliverable: 'Tokens <!channel>' }),
            provider: w,
            consumer: api,
          },
        ],
      }),
      NOW,
    );
    const text = textOf(view.blocks as AnyBlock[]);
    expect(text).not.toMatch(/<!channel>|<!here>|<!everyone>|<https:/);
    expect(text).toContain('Web &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(text).toContain('Evil &lt;!here&gt; program');
    expect(text).toContain('Waiting on <@U0LEGAL> &lt;!everyone&gt;');
    expect(text).toContain('Tokens &lt;!channel&gt;');
  });

  it('stays within 100 valid blocks with 500 of everything, saying how many more there are', () => {
    const many = 500;
    const long = 'x'.repeat(5_000);
    const workstreams = Array.from({ length: many }, (_, i) =>
      workstream({ key: `ws${i}`, name: `${long}${i}` }),
    );
    const first = workstreams[0]!;
    const view = homeView(
      data({
        workstreams,
        programs: Array.from({ length: many }, (_, i) =>
          counted(program({ _id: new Types.ObjectId(), key: `p${i}`, name: long })),
        ),
        blockers: workstreams.map((w) => ({ blocker: blocker(w, { text: long }), workstream: w })),
        owes: workstreams.map((w) => ({
          dependency: dependency(w, first, { deliverable: long }),
          provider: w,
          consumer: first,
        })),
        truncated: { workstreams: true, programs: false, blockers: true, owes: false },
      }),
      NOW,
    );
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_BLOCK_LIMIT);
    expect(validateView(view)).toEqual([]);
    for (const b of view.blocks as AnyBlock[]) {
      expect([...(b.text?.text ?? '')].length).toBeLessThanOrEqual(3000);
    }
    const text = textOf(view.blocks as AnyBlock[]);
    expect(text).toContain('*Your workstreams* (500+)');
    expect(text).toContain('…and 490+ more workstreams');
    expect(text).toContain('…and 492 more programs');
    expect(text).toContain('…and 490+ more blockers');
    expect(text).toContain('…and 490 more dependencies');
  });
});

describe('one-click answers on the Home tab (issue 15)', () => {
  it('offers Still on track on green work, No change on amber and red work, neither before a first update', () => {
    const cases = [
      ['on_track', 'Still on track', 'status_carry_forward'],
      ['at_risk', 'No change', 'status_no_change'],
      ['off_track', 'No change', 'status_no_change'],
      [undefined, undefined, undefined],
    ] as const;
    for (const [health, label, actionId] of cases) {
      const w = workstream({ health, ...(health ? {} : { lastUpdateAt: undefined }) });
      const buttons = buttonsOf(homeView(data({ workstreams: [w] }), NOW).blocks as AnyBlock[]).filter(
        (b) => b.value === w._id.toHexString(),
      );
      expect(
        buttons.map((b) => b.label),
        String(health),
      ).toEqual(label ? ['Update…', label, 'Details'] : ['Update…', 'Details']);
      if (actionId) expect(buttons[1]?.action_id).toBe(actionId);
    }
  });
});

describe('workstream states on the Home tab (SPEC §8)', () => {
  it('offers Still on track only on work that expects updates', () => {
    const at = new Date(FIXTURE_NOW.getTime() - 86_400_000);
    const states = ['active', 'paused', 'done'] as const;
    const workstreams = states.map((state) =>
      workstream({ key: state, state, lastUpdateAt: at, health: 'on_track' }),
    );
    const blocks = homeView(data({ workstreams }), FIXTURE_NOW).blocks as AnyBlock[];
    const carried = buttonsOf(blocks)
      .filter((b) => b.action_id === 'status_carry_forward')
      .map((b) => workstreams.find((w) => w._id.toHexString() === b.value)?.state);
    expect(carried).toEqual(['active']);
  });
});

describe('chains on the Home tab', () => {
  it('shows what my work waits on that will be late, and the at-risk work that waits on mine', () => {
    const fx = new DigestFixture();
    const other = otherProgram('payments', 'Payments');
    const ui = fx.workstream('ui', { name: 'Checkout UI', targetDate: inDays(30) });
    fx.update(ui, { health: 'on_track', ago: 1 });
    const api = fx.workstream('api', { name: 'Payments API', targetDate: inDays(14) }, other);
    fx.update(api, { health: 'at_risk', ago: 1, forecastDate: inDays(20) });
    const ledger = fx.workstream('ledger', { name: 'Ledger', targetDate: inDays(40) }, other);
    fx.dependency(ui, api, inDays(15), 'Payment intents');
    fx.dependency(ledger, ui, inDays(31), 'Order events');
    const view = homeView(
      {
        userId: ui.leadId,
        workstreams: [ui],
        programs: [],
        blockers: [],
        owes: [],
        truncated: { workstreams: false, programs: false, blockers: false, owes: false },
        chains: new Map([[ui._id.toHexString(), fx.chainsOf(ui)]]),
      },
      FIXTURE_NOW,
    );
    const text = textOf(view.blocks as AnyBlock[]);
    expect(text).toContain(
      '🟡🔗 At risk: waits on *Payments API* `payments/api` (forecast Tue 15 Dec, needed Thu 10 Dec)',
    );
    expect(text).toContain('⛓️ 1 at-risk workstream waits on it: *Ledger* `payments/ledger`');
    expect(validateView(view)).toEqual([]);
  });
});

describe('answering a dependency request on the Home tab (issue 15)', () => {
  const web = workstream();
  const api = workstream({ key: 'api', name: 'Checkout API', leadId: 'U0API' });
  const requested = (over: Partial<Dependency> = {}) =>
    dependency(web, api, { commitment: { state: 'requested', requestedAt: NOW }, ...over });
  const owedBlocks = (d: Dependency) =>
    homeView(data({ owes: [{ dependency: d, provider: web, consumer: api }] }), NOW).blocks as AnyBlock[];

  it('offers Commit · Propose another date · Decline, valued as the DM values them, beside Mark met · Flag broken', () => {
    const d = requested({ replans: 2 });
    const view = homeView(data({ owes: [{ dependency: d, provider: web, consumer: api }] }), NOW);
    expect(validateView(view)).toEqual([]);
    const blocks = view.blocks as AnyBlock[];
    const id = d._id.toHexString();
    expect(textOf(blocks)).toContain('· requested, not committed yet');
    // One item, two blocks: its section and one actions block with all five buttons.
    const actions = blocks.filter((b) => b.type === 'actions');
    expect(actions).toHaveLength(1);
    expect(buttonsOf(actions)).toEqual([
      { action_id: 'dependency_commit', value: `${id}:2`, label: 'Commit' },
      { action_id: 'dependency_propose', value: `${id}:2`, label: 'Propose another date' },
      { action_id: 'dependency_decline', value: `${id}:2`, label: 'Decline' },
      { action_id: 'dependency_met', value: id, label: 'Mark met' },
      { action_id: 'dependency_broken', value: id, label: 'Flag broken' },
    ]);
    // The same three buttons as the providing lead's DM.
    const dm = dependencyRequestMessage(d, api, web, NOW).blocks as AnyBlock[];
    expect(buttonsOf(actions).slice(0, 3)).toEqual(buttonsOf(dm));
    expect(actions[0]?.elements?.slice(0, 3)).toEqual(dm.find((b) => b.type === 'actions')?.elements);
  });

  it('offers none once answered (committed, proposed, declined) or for a dependency from before requests', () => {
    const answered = { requestedAt: NOW, answeredBy: 'U0WEB', answeredAt: NOW };
    const cases: Array<[string, Dependency]> = [
      ['committed', requested({ commitment: { ...answered, state: 'committed', date: '2026-03-20' } })],
      [
        'proposed',
        requested({ commitment: { ...answered, state: 'committed', date: '2026-03-27', proposed: true } }),
      ],
      ['declined', requested({ commitment: { ...answered, state: 'declined' } })],
      ['no commitment', dependency(web, api)],
    ];
    for (const [name, d] of cases) {
      const buttons = buttonsOf(owedBlocks(d));
      expect(
        buttons.map((b) => b.action_id),
        name,
      ).toEqual(['dependency_met', 'dependency_broken']);
    }
  });

  it('stays within 100 valid blocks with every list full and every owed request open', () => {
    const many = 500;
    const long = 'x'.repeat(5_000);
    const workstreams = Array.from({ length: many }, (_, i) =>
      workstream({ key: `ws${i}`, name: `${long}${i}` }),
    );
    const first = workstreams[0]!;
    const owes = workstreams.map((w, i) => ({
      dependency: dependency(w, first, {
        deliverable: long,
        replans: i,
        commitment: { state: 'requested' as const, requestedAt: NOW },
      }),
      provider: w,
      consumer: first,
    }));
    const view = homeView(
      data({
        workstreams,
        programs: Array.from({ length: many }, (_, i) =>
          counted(program({ _id: new Types.ObjectId(), key: `p${i}`, name: long })),
        ),
        blockers: workstreams.map((w) => ({ blocker: blocker(w, { text: long }), workstream: w })),
        owes,
        following: Array.from({ length: many }, (_, i) =>
          program({ _id: new Types.ObjectId(), key: `f${i}`, name: long }),
        ),
        truncated: { workstreams: true, programs: true, blockers: true, owes: true, following: true },
      }),
      NOW,
    );
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_BLOCK_LIMIT);
    expect(validateView(view)).toEqual([]);
    const blocks = view.blocks as AnyBlock[];
    // Nothing cut off the end: the last list's "…and N more" is there.
    expect(textOf(blocks)).toContain('…and 495+ more programs, in the order you followed them.');
    expect(textOf(blocks)).toContain('…and 490+ more dependencies');
    // The shown owed items, and only they, offer their answers.
    const commits = buttonsOf(blocks).filter((b) => b.action_id === 'dependency_commit');
    expect(commits.map((b) => b.value)).toEqual(
      owes.slice(0, HOME_CAPS.owes).map((o, i) => `${o.dependency._id.toHexString()}:${i}`),
    );
  });
});
