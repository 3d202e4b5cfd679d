import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/permissions.js';
import { createStores } from '../../src/services.js';
import { addToPortfolio, createPortfolio, loadPortfolioDigest } from '../../src/use-cases/portfolios.js';
import { addDependency, addWorkstream, createProgram } from '../../src/use-cases/programs.js';
import { testDatabaseUri, testLayout } from '../support/database.js';

const ACTOR: Actor = { teamId: 'T0001', userId: 'U0PM', timezone: 'UTC', isWorkspaceAdmin: false };
const NOW = new Date('2026-11-25T12:00:00Z');
let connection: Connection;
const commands: string[] = [];

beforeAll(async () => {
  connection = await mongoose
    .createConnection(testDatabaseUri(), { dbName: `t_portfolio_${Date.now()}`, monitorCommands: true })
    .asPromise();
  connection.getClient().on('commandStarted', (event) => commands.push(event.commandName));
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

async function portfolioOf(stores: ReturnType<typeof createStores>, key: string, size: number) {
  const made = await createPortfolio(stores, ACTOR, { key, name: key }, NOW);
  if (!made.ok) throw new Error(JSON.stringify(made.problem));
  const keys: string[] = [];
  for (let p = 0; p < size; p++) {
    const programKey = `${key}-${p}`;
    keys.push(programKey);
    await createProgram(stores, ACTOR, { programKey, name: programKey, channelId: 'C1' }, NOW);
    for (let w = 0; w < 3; w++) {
      await addWorkstream(
        stores,
        ACTOR,
        { programKey, workstreamKey: `w${w}`, name: `W${w}`, team: `t${w}`, leadUserId: 'U1' },
        NOW,
      );
    }
    if (p > 0) {
      await addDependency(
        stores,
        ACTOR,
        {
          consumer: { programKey, workstreamKey: 'w0' },
          provider: { programKey: `${key}-${p - 1}`, workstreamKey: 'w1' },
          by: '2026-12-10',
          deliverable: 'Things',
        },
        NOW,
      );
    }
  }
  const added = await addToPortfolio(stores, ACTOR, { key, programKeys: keys }, NOW);
  if (!added.ok) throw new Error(JSON.stringify(added.problem));
}

describe('loading a portfolio digest', () => {
  it('takes the same number of database round trips for 3 and for 20 programs', async () => {
    const stores = createStores(connection, testLayout());
    await portfolioOf(stores, 'small', 3);
    await portfolioOf(stores, 'large', 20);
    const roundTrips = async (key: string) => {
      commands.length = 0;
      const loaded = await loadPortfolioDigest(stores, ACTOR, key, NOW);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
      return { names: [...commands].sort(), view: loaded.value.view };
    };
    // A workspace's collections get their indexes at first use, once per process: not counted.
    await roundTrips('small');
    const small = await roundTrips('small');
    const large = await roundTrips('large');
    expect(small.view.programs).toHaveLength(3);
    expect(large.view.programs).toHaveLength(20);
    expect(large.names).toEqual(small.names);
    expect(large.names).not.toContain('getMore');
    expect(large.names.length).toBeLessThanOrEqual(9);
  }, 120_000);
});
