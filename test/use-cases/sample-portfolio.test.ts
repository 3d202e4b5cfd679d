/**
 * Issue 14's sample data shows what Cairn is for in its first digest: a chain slipping across programs
 * into a milestone, a capacity conflict and a missing update, all real data made through the use cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/domain/digest.js';
import { createStores } from '../../src/services.js';
import { loadDigestData } from '../../src/use-cases/digest-data.js';
import { loadHome } from '../../src/use-cases/home.js';
import {
  createSamplePortfolio,
  SAMPLE_PEOPLE,
  SAMPLE_PROGRAM_KEYS,
} from '../../src/use-cases/sample-portfolio.js';
import { testDatabase, testLayout } from '../support/database.js';

const TEAM = 'T0SAMPLE';
const now = new Date('2026-11-25T15:00:00Z');
const channelIds = { 'sample-checkout': 'C0CHK', 'sample-payments': 'C0PAY', 'sample-mobile': 'C0MOB' };

let db: Awaited<ReturnType<typeof testDatabase>>;
let stores: ReturnType<typeof createStores>;

beforeAll(async () => {
  db = await testDatabase('sample-portfolio');
  stores = createStores(db.connection, testLayout());
});
afterAll(async () => {
  await db?.drop();
});

async function digestOf(key: string) {
  const program = (await stores.programs.findByKey(TEAM, key))!;
  return buildDigest(await loadDigestData(stores, program, { variant: 'team', timezone: 'UTC', now }));
}

describe('the sample portfolio', () => {
  it('is made once, marked as a sample, owned by the sample PM', async () => {
    expect(await createSamplePortfolio(stores, { teamId: TEAM, channelIds, now })).toEqual({ created: true });
    expect(await createSamplePortfolio(stores, { teamId: TEAM, channelIds, now })).toEqual({
      created: false,
      reason: 'already_there',
    });
    const made = await stores.programs.findByKeys(TEAM, [...SAMPLE_PROGRAM_KEYS]);
    expect(made.map((p) => [p.key, p.ownerId, p.name.endsWith('(sample)')]).sort()).toEqual([
      ['sample-checkout', SAMPLE_PEOPLE.pm.id, true],
      ['sample-mobile', SAMPLE_PEOPLE.pm.id, true],
      ['sample-payments', SAMPLE_PEOPLE.pm.id, true],
    ]);
    expect(made.every((p) => p.objective?.includes('/program sample remove'))).toBe(true);
  });

  it('has weekday digests in each program’s channel, with reminders before them, from now on', async () => {
    const made = await stores.programs.findByKeys(TEAM, [...SAMPLE_PROGRAM_KEYS]);
    const schedules = await stores.schedules.forPrograms(
      TEAM,
      made.map((p) => p._id),
    );
    expect(
      schedules.map((s) => [s.programKey, s.channelId, s.days.length, s.reminderLeadMinutes]).sort(),
    ).toEqual(SAMPLE_PROGRAM_KEYS.map((key) => [key, channelIds[key], 5, 120]).sort());
    expect(schedules.every((s) => s.nextSlotAt! > now)).toBe(true);
  });

  it("shows in checkout's first digest the chain from the payments vault into the beta milestone", async () => {
    const digest = await digestOf('sample-checkout');
    const kinds = digest.attention.map((item) => item.kind);
    expect(kinds).toContain('chain');
    const chain = digest.attention.find((item) => item.kind === 'chain');
    expect(JSON.stringify(chain)).toContain('"programKey":"sample-payments"');
    expect(JSON.stringify(chain)).toContain('"key":"vault"');
    expect(JSON.stringify(digest.milestones)).toContain('Beta launch');
  });

  it('shows the SRE team booked past its capacity, and the lead who went quiet', async () => {
    const mobile = await digestOf('sample-mobile');
    expect(mobile.attention.some((item) => item.kind === 'capacity')).toBe(true);
    const payments = await digestOf('sample-payments');
    expect(payments.attention.some((item) => item.kind === 'capacity')).toBe(true);
    expect(payments.missingKeys).toEqual(['fraud']);
    expect(payments.attention.some((item) => item.kind === 'off_track' || item.kind === 'chain')).toBe(true);
  });

  it("counts each program on its owner's Home tab as its digest does, chains across programs included", async () => {
    const pm = { teamId: TEAM, userId: SAMPLE_PEOPLE.pm.id, isWorkspaceAdmin: false, timezone: 'UTC' };
    const home = await loadHome(stores, pm, now);
    expect(home.programs.map((p) => p.program.key).sort()).toEqual([...SAMPLE_PROGRAM_KEYS].sort());
    let through = 0;
    for (const { program, counts } of home.programs) {
      const digest = (await digestOf(program.key)).counts;
      expect([program.key, counts.byHealth, counts.atRiskThroughDependencies]).toEqual([
        program.key,
        { on_track: digest.onTrack, at_risk: digest.atRisk, off_track: digest.offTrack },
        digest.atRiskThroughDependencies,
      ]);
      through += counts.atRiskThroughDependencies;
    }
    // The sample's slipping chain puts work at risk that said it was on track.
    expect(through).toBeGreaterThan(0);
  });
});
