/** A portfolio's leadership digest for 100 programs stays within Slack's limits and drops no program. */
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { Dependency, Milestone, Portfolio, Program, Workstream } from '../../src/domain/entities.js';
import { buildPortfolioDigest } from '../../src/domain/portfolio.js';
import type { Health } from '../../src/domain/types.js';
import { portfolioDigestMessages, PROGRAMS_IN_MAIN } from '../../src/views/portfolio-views.js';
import { validateMessageBlocks } from '../support/block-kit-limits.js';

const NOW = new Date('2026-11-25T15:00:00Z');
const TEAM = 'T0001';
const HEALTHS: Health[] = ['on_track', 'at_risk', 'off_track', 'on_track'];

function world(count: number) {
  const programs: Program[] = [];
  const workstreams: Workstream[] = [];
  const dependencies: Dependency[] = [];
  const milestones: Milestone[] = [];
  for (let p = 0; p < count; p++) {
    const program: Program = {
      _id: new Types.ObjectId(),
      teamId: TEAM,
      key: `prog-${String(p).padStart(3, '0')}`,
      name: `Program <!channel> ${p} ${'with a long name '.repeat(3)}`,
      ownerId: 'U0PM',
      adminIds: [],
      audience: 'internal',
      state: 'active',
      createdAt: NOW,
    };
    programs.push(program);
    for (let w = 0; w < 10; w++) {
      workstreams.push({
        _id: new Types.ObjectId(),
        teamId: TEAM,
        programId: program._id,
        programKey: program.key,
        key: `ws-${w}`,
        name: `Workstream *${w}* of ${p} ${'x'.repeat(40)}`,
        team: `team-${w % 4}`,
        leadId: `U${p}X${w}`,
        state: 'active',
        health: HEALTHS[(p + w) % 4]!,
        lastUpdateAt: new Date(NOW.getTime() - ((p + w) % 12) * 86_400_000),
        forecastDate: `2026-12-${String(10 + ((p + w) % 18)).padStart(2, '0')}`,
        targetDate: '2026-12-15',
        createdAt: NOW,
      });
    }
    milestones.push({
      _id: new Types.ObjectId(),
      teamId: TEAM,
      programId: program._id,
      name: `Milestone of ${p} ${'y'.repeat(60)}`,
      date: '2026-12-20',
      needs: workstreams.slice(-3).map((w) => w._id),
      createdBy: 'U0PM',
      createdAt: NOW,
    });
  }
  // Each program's first workstream waits on the next program's second.
  for (let p = 0; p + 1 < count; p++) {
    const consumer = workstreams[p * 10]!;
    const provider = workstreams[(p + 1) * 10 + 1]!;
    dependencies.push({
      _id: new Types.ObjectId(),
      teamId: TEAM,
      consumerId: consumer._id,
      consumerProgramId: consumer.programId,
      providerId: provider._id,
      providerProgramId: provider.programId,
      deliverable: `Deliverable ${p} ${'z'.repeat(100)}`,
      neededBy: '2026-12-12',
      state: 'open',
      createdBy: 'U0PM',
      createdAt: NOW,
    });
  }
  const portfolio: Portfolio = {
    _id: new Types.ObjectId(),
    teamId: TEAM,
    key: 'all',
    name: 'Everything',
    ownerId: 'U0PM',
    programIds: programs.map((p) => p._id),
    createdAt: NOW,
  };
  return buildPortfolioDigest({
    portfolio,
    programs,
    workstreams,
    otherWorkstreams: [],
    dependencies,
    resources: [],
    milestones,
    previous: [],
    now: NOW,
    timezone: 'UTC',
    staleAfterDays: 7,
  });
}

describe('a portfolio digest', () => {
  it('keeps 100 programs within Slack’s limits, each program once, the worst in the main message', () => {
    const view = world(100);
    const { main, thread } = portfolioDigestMessages(view);
    for (const message of [main, ...thread]) {
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(validateMessageBlocks(message.blocks)).toEqual([]);
      const text = message.blocks.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : '')).join('');
      expect(text.length).toBeLessThanOrEqual(11_000);
    }
    const all = [main, ...thread]
      .flatMap((m) => m.blocks)
      .map((b) => (b.type === 'section' ? (b.text?.text ?? '') : ''))
      .join('\n');
    for (let p = 0; p < 100; p++) {
      const key = `\`prog-${String(p).padStart(3, '0')}\` ·`;
      expect(all.split(key).length - 1, key).toBe(1);
    }
    expect(all).not.toContain('<!channel>');
    const worst = view.programs.slice(0, PROGRAMS_IN_MAIN).map((l) => l.counts.offTrack);
    const rest = view.programs.slice(PROGRAMS_IN_MAIN).map((l) => l.counts.offTrack);
    expect(Math.min(...worst)).toBeGreaterThanOrEqual(Math.max(...rest));
  });

  it('says the programs it could not show in the main message are in the thread', () => {
    const { main } = portfolioDigestMessages(world(30));
    const text = main.blocks.map((b) => (b.type === 'context' ? JSON.stringify(b) : '')).join('');
    expect(text).toContain(`🧵 ${30 - PROGRAMS_IN_MAIN} more programs in the thread.`);
  });
});
