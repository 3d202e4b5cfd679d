/** The Home tab's list of programs the user follows (issue 15, point 3): what it says, and its room. */
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { Blocker, Dependency, Program, Workstream } from '../../src/domain/entities.js';
import type { HomeData } from '../../src/domain/read-models.js';
import { HOME_BLOCK_LIMIT, homeView } from '../../src/views/home-view.js';
import { validateView } from '../support/block-kit-limits.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const TEAM = 'T0001';
const USER = 'U0USER';

const program = (i: number, over: Partial<Program> = {}): Program => ({
  _id: new Types.ObjectId(),
  teamId: TEAM,
  key: `p${i}`,
  name: `Program ${i}`,
  ownerId: 'U0OWNER',
  adminIds: [],
  audience: 'internal',
  state: 'active',
  createdAt: NOW,
  ...over,
});

const workstream = (i: number, name: string): Workstream => ({
  _id: new Types.ObjectId(),
  teamId: TEAM,
  programId: new Types.ObjectId(),
  programKey: 'checkout',
  key: `ws${i}`,
  name,
  team: 'web',
  leadId: USER,
  state: 'active',
  health: 'on_track',
  lastUpdateAt: NOW,
  createdAt: NOW,
});

function data(over: Partial<HomeData>): HomeData {
  return {
    userId: USER,
    workstreams: [],
    programs: [],
    blockers: [],
    owes: [],
    truncated: { workstreams: false, programs: false, blockers: false, owes: false },
    chains: new Map(),
    ...over,
  };
}

const textOf = (blocks: unknown[]) =>
  (blocks as Array<{ text?: { text?: string }; elements?: Array<{ text?: unknown }> }>)
    .flatMap((b) => [
      b.text?.text ?? '',
      ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : '')),
    ])
    .join('\n');

describe('programs you follow, on the Home tab', () => {
  it('lists them, an archived one marked, each with how to stop it, and is the only thing shown when it is all', () => {
    const view = homeView(
      data({
        following: [
          program(1, { key: 'checkout', name: 'Checkout *revamp* <!here>' }),
          program(2, { key: 'legacy', name: 'Legacy', state: 'archived' }),
        ],
      }),
      NOW,
    );
    const text = textOf(view.blocks);
    expect(text).not.toContain('Nothing here yet');
    expect(text).toContain('*Programs you follow* (2)');
    expect(text).toContain(
      '`checkout` · its digests come to you by DM · `/program unfollow checkout` stops them',
    );
    expect(text).toContain(
      '*Legacy* `legacy` · _archived: no digests_ · `/program unfollow legacy` stops them',
    );
    // User text never formats or pings.
    expect(text).not.toContain('<!here>');
    expect(text).not.toContain('*revamp*');
    expect(validateView(view)).toEqual([]);
  });

  it('says how to follow when there is nothing at all', () => {
    expect(textOf(homeView(data({ following: [] }), NOW).blocks)).toContain(
      '`/program follow &lt;program&gt;` sends you its digests by DM.',
    );
  });

  it('keeps a full Home tab within Slack’s 100 blocks, every list capped and counted', () => {
    const many = 500;
    const long = 'x'.repeat(5_000);
    const workstreams = Array.from({ length: many }, (_, i) => workstream(i, `${long}${i}`));
    const first = workstreams[0]!;
    const blocker = (w: Workstream): Blocker => ({
      _id: new Types.ObjectId(),
      teamId: TEAM,
      programId: w.programId,
      workstreamId: w._id,
      text: long,
      ownerId: USER,
      openedBy: USER,
      openedAt: NOW,
      internal: false,
    });
    const dependency = (w: Workstream): Dependency => ({
      _id: new Types.ObjectId(),
      teamId: TEAM,
      consumerId: first._id,
      consumerProgramId: first.programId,
      providerId: w._id,
      providerProgramId: w.programId,
      deliverable: long,
      neededBy: '2026-03-20',
      state: 'open',
      createdBy: USER,
      createdAt: NOW,
    });
    const counts = {
      workstreams: 1,
      byHealth: { on_track: 1, at_risk: 0, off_track: 0 },
      withoutUpdate: 0,
      atRiskThroughDependencies: 0,
      openBlockers: 0,
    };
    const view = homeView(
      data({
        workstreams,
        programs: Array.from({ length: many }, (_, i) => ({
          program: program(i, { name: long }),
          role: 'owner' as const,
          counts,
        })),
        blockers: workstreams.map((w) => ({ blocker: blocker(w), workstream: w })),
        owes: workstreams.map((w) => ({ dependency: dependency(w), provider: w, consumer: first })),
        following: Array.from({ length: many }, (_, i) => program(i, { name: long })),
        truncated: { workstreams: true, programs: true, blockers: true, owes: true, following: true },
      }),
      NOW,
    );
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_BLOCK_LIMIT);
    expect(validateView(view)).toEqual([]);
    const text = textOf(view.blocks);
    expect(text).toContain('…and 490+ more dependencies');
    expect(text).toContain('*Programs you follow* (500+)');
    expect(text).toContain('…and 495+ more programs, in the order you followed them.');
  });
});
