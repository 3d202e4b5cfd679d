import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/permissions.js';
import { createStores } from '../../src/services.js';
import { buildDigest } from '../../src/domain/digest.js';
import { loadDigestData } from '../../src/use-cases/digest-data.js';
import { digestMessages } from '../../src/views/digest-blocks.js';
import { addWorkstream, createProgram } from '../../src/use-cases/programs.js';
import { recordUpdate } from '../../src/use-cases/status.js';
import { testDatabaseUri, testLayout } from '../support/database.js';

const ACTOR: Actor = { teamId: 'T0001', userId: 'U0PM', timezone: 'UTC', isWorkspaceAdmin: false };
const NOW = new Date('2026-11-25T12:00:00Z');
let connection: Connection;
const commands: string[] = [];

beforeAll(async () => {
  // Command monitoring counts every round trip the driver makes, getMore included.
  connection = await mongoose
    .createConnection(testDatabaseUri(), { dbName: `t_roundtrips_${Date.now()}`, monitorCommands: true })
    .asPromise();
  connection.getClient().on('commandStarted', (event) => commands.push(event.commandName));
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

async function programOf(stores: ReturnType<typeof createStores>, key: string, size: number) {
  const program = await createProgram(stores, ACTOR, { programKey: key, name: key, channelId: 'C1' }, NOW);
  if (!program.ok) throw new Error(JSON.stringify(program.problem));
  for (let i = 0; i < size; i++) {
    await addWorkstream(
      stores,
      ACTOR,
      { programKey: key, workstreamKey: `w${i}`, name: `W${i}`, team: `t${i % 5}`, leadUserId: 'U1' },
      NOW,
    );
    for (let u = 0; u < 3; u++) {
      await recordUpdate(
        stores,
        ACTOR,
        {
          workstream: { programKey: key, workstreamKey: `w${i}` },
          content: {
            health: 'on_track',
            blocked: false,
            summary: `u${u}`,
            blockers: u === 2 && i % 3 === 0 ? 'stuck' : undefined,
          },
          source: 'command',
        },
        new Date(NOW.getTime() - (3 - u) * 86_400_000),
      );
    }
  }
  return program.value;
}

describe('loading a digest', () => {
  it('takes the same number of database round trips for 10 and for 150 workstreams', async () => {
    const stores = createStores(connection, testLayout());
    const small = await programOf(stores, 'small', 10);
    const large = await programOf(stores, 'large', 150);

    const roundTrips = async (program: typeof small) => {
      commands.length = 0;
      const data = await loadDigestData(stores, program, { variant: 'team', timezone: 'UTC', now: NOW });
      return { count: commands.length, names: [...commands].sort(), data };
    };
    // A workspace's collections get their indexes at first use, once per process: not counted.
    await roundTrips(small);
    const a = await roundTrips(small);
    const b = await roundTrips(large);
    expect(a.data.workstreams).toHaveLength(10);
    expect(b.data.workstreams).toHaveLength(150);
    expect(b.data.updates).toHaveLength(450);
    expect(b.data.openBlockers).toHaveLength(50);
    expect(b.count).toBe(a.count);
    expect(b.names).toEqual(a.names);
    expect(b.names).not.toContain('getMore');
    expect(b.count).toBeLessThanOrEqual(9);
  }, 120_000);
});

describe('a program with more updates than a digest reads', () => {
  it('reads the newest ones and the digest says from when, never silently', async () => {
    const stores = createStores(connection, testLayout());
    const program = await programOf(stores, 'busy', 4);
    const options = { variant: 'team' as const, timezone: 'UTC', now: NOW };
    const all = await loadDigestData(stores, program, options);
    expect(all.updates).toHaveLength(12);
    expect(all.updatesFrom).toBeUndefined();
    expect(JSON.stringify(digestMessages(buildDigest(all)).main)).not.toContain('updates read from');

    const capped = await loadDigestData(stores, program, { ...options, updateLimit: 5 });
    expect(capped.updates).toHaveLength(5);
    expect(capped.updates.map((u) => u.createdAt)).toEqual(all.updates.slice(0, 5).map((u) => u.createdAt));
    expect(capped.updatesFrom).toEqual(all.updates[4]!.createdAt);
    const day = all.updates[4]!.createdAt.toISOString().slice(8, 10).replace(/^0/, '');
    expect(JSON.stringify(digestMessages(buildDigest(capped)).main)).toMatch(
      new RegExp(`updates read from \\w{3} ${day} \\w{3} \\(too many to read all\\)`),
    );
  });
});
