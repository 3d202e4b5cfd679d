import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/permissions.js';
import { createStores } from '../../src/services.js';
import { addWorkstream, createProgram } from '../../src/use-cases/programs.js';
import { recordUpdate } from '../../src/use-cases/status.js';
import { everyDocument, testDatabaseUri, testLayout } from '../support/database.js';

const ACTOR: Actor = { teamId: 'T0001', userId: 'U0PM', timezone: 'UTC', isWorkspaceAdmin: false };
const NOW = new Date('2026-11-25T12:00:00Z');
let connection: Connection;

beforeAll(async () => {
  connection = await mongoose
    .createConnection(testDatabaseUri(), { dbName: `t_record_update_${Date.now()}` })
    .asPromise();
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

describe('recording an update again under the same request key', () => {
  it('brings the workstream up to date when the first attempt stored the update and stopped there', async () => {
    const stores = createStores(connection, testLayout());
    const program = await createProgram(stores, ACTOR, { programKey: 'p', name: 'P', channelId: 'C1' }, NOW);
    if (!program.ok) throw new Error(JSON.stringify(program.problem));
    await addWorkstream(
      stores,
      ACTOR,
      { programKey: 'p', workstreamKey: 'api', name: 'API', team: 't', leadUserId: 'U1' },
      NOW,
    );
    const [workstream] = await stores.workstreams.findByKey(ACTOR.teamId, 'api', 'p');
    if (!workstream) throw new Error('no workstream');
    // The first attempt: its update is stored, then it dies before the workstream is written.
    await stores.updates.record({
      teamId: ACTOR.teamId,
      programId: workstream.programId,
      workstreamId: workstream._id,
      authorId: ACTOR.userId,
      source: 'command',
      createdAt: NOW,
      requestKey: 'click-1',
      health: 'off_track',
      blocked: false,
      summary: 'late',
    });
    expect((await stores.workstreams.findById(ACTOR.teamId, workstream._id))?.lastUpdateAt).toBeUndefined();

    const later = new Date(NOW.getTime() + 5_000);
    const again = await recordUpdate(
      stores,
      ACTOR,
      {
        workstream: workstream._id,
        content: { health: 'on_track', blocked: false, summary: 'other text' },
        source: 'command',
        requestKey: 'click-1',
      },
      later,
    );
    expect(again.ok && again.value.duplicate).toBe(true);
    const stored = (await stores.workstreams.findById(ACTOR.teamId, workstream._id))!;
    // The workstream shows the update that was stored, at its own time, not the repeat's.
    expect(stored.health).toBe('off_track');
    expect(stored.lastUpdateAt?.toISOString()).toBe(NOW.toISOString());
    expect((await everyDocument(connection, 'updates')).length).toBe(1);
  });
});
