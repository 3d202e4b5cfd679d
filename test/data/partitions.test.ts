/**
 * Where documents live: one collection per workspace (and per program for updates) in the
 * partitioned layout, one per concept in the shared layout, with the same answers from the stores
 * either way; the move from the one to the other; and collection names that never collide.
 */
import fc from 'fast-check';
import mongoose, { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveToPartitions } from '../../src/data/move-to-partitions.js';
import { partitionCollection, partitions, type DatabaseLayout } from '../../src/data/partitions.js';
import type { Actor } from '../../src/domain/permissions.js';
import { createStores, type Stores } from '../../src/services.js';
import { addWorkstream, createProgram } from '../../src/use-cases/programs.js';
import { recordUpdate } from '../../src/use-cases/status.js';
import { testDatabase, testLayout } from '../support/database.js';

/** The layout the run asks for, or `fallback` when it leaves the choice to the server. */
const testLayoutOr = (fallback: DatabaseLayout): DatabaseLayout => {
  const wanted = testLayout();
  return wanted === 'auto' ? fallback : wanted;
};

const NOW = new Date('2026-11-25T12:00:00Z');
const DAY = 86_400_000;
const actor = (teamId: string): Actor => ({
  teamId,
  userId: 'U0PM',
  timezone: 'UTC',
  isWorkspaceAdmin: false,
});

type Db = Awaited<ReturnType<typeof testDatabase>>;
const opened: Db[] = [];
const database = async (label: string) => {
  const db = await testDatabase(label);
  opened.push(db);
  return db;
};
afterAll(async () => {
  await Promise.all(opened.map((db) => db.drop()));
});

/** Two workspaces, each a program of two workstreams with an update on each and a blocker. */
async function twoWorkspaces(stores: Stores) {
  for (const teamId of ['T0A', 'T0B']) {
    const who = actor(teamId);
    const program = await createProgram(
      stores,
      who,
      { programKey: 'core', name: 'Core', channelId: 'C1' },
      NOW,
    );
    if (!program.ok) throw new Error(JSON.stringify(program.problem));
    for (const key of ['api', 'web']) {
      await addWorkstream(
        stores,
        who,
        { programKey: 'core', workstreamKey: key, name: key, team: 't', leadUserId: 'U1' },
        NOW,
      );
      const recorded = await recordUpdate(
        stores,
        who,
        {
          workstream: { programKey: 'core', workstreamKey: key },
          content: { health: 'at_risk', blocked: key === 'api', summary: `${teamId} ${key}` },
          source: 'command',
        },
        new Date(NOW.getTime() - 3 * DAY),
      );
      if (!recorded.ok) throw new Error(JSON.stringify(recorded.problem));
    }
  }
}

async function collectionNames(db: Db): Promise<string[]> {
  return (await db.connection.db!.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .sort();
}

/** What the stores answer about both workspaces, in a form that does not depend on ids. */
async function answers(stores: Stores) {
  const seen: Record<string, unknown> = {};
  for (const teamId of ['T0A', 'T0B']) {
    const program = await stores.programs.findByKey(teamId, 'core');
    const workstreams = await stores.workstreams.listByProgram(teamId, program!._id);
    const updates = await stores.updates.forProgramSince(teamId, program!._id, new Date(0), 100);
    seen[teamId] = {
      workstreams: workstreams.map((w) => `${w.key}:${w.health}`).sort(),
      updates: updates.map((u) => u.summary).sort(),
      blockers: (await stores.blockers.openFor(teamId, { programId: program!._id })).length,
    };
  }
  seen.escalatable = (await stores.blockers.openSince(NOW, 10)).map((b) => b.teamId).sort();
  return seen;
}

describe.each<DatabaseLayout>(['partitioned', 'shared'])('the %s layout', (layout) => {
  let db: Db;
  let stores: Stores;
  beforeAll(async () => {
    db = await database(`layout_${layout}`);
    stores = createStores(db.connection, layout);
    await twoWorkspaces(stores);
  });

  it('keeps each workspace apart, and answers the same as the other layout', async () => {
    expect(await answers(stores)).toEqual({
      T0A: { workstreams: ['api:at_risk', 'web:at_risk'], updates: ['T0A api', 'T0A web'], blockers: 1 },
      T0B: { workstreams: ['api:at_risk', 'web:at_risk'], updates: ['T0B api', 'T0B web'], blockers: 1 },
      escalatable: ['T0A', 'T0B'],
    });
    const names = await collectionNames(db);
    const programA = await stores.programs.findByKey('T0A', 'core');
    if (layout === 'partitioned') {
      expect(names).toEqual(expect.arrayContaining(['programs.T0A', 'programs.T0B', 'workstreams.T0A']));
      expect(names).toContain(`updates.T0A.${programA!._id.toHexString()}`);
      expect(names).not.toContain('programs');
      expect(names).not.toContain('updates');
    } else {
      expect(names).toEqual(expect.arrayContaining(['programs', 'workstreams', 'updates']));
      expect(names.filter((n) => n.includes('.'))).toEqual([]);
    }
  });

  it('creates nothing for a workspace that is only read (a new table costs SQLite a re-read of its schema)', async () => {
    const before = await collectionNames(db);
    expect(await stores.programs.findByKey('T0READER', 'core')).toBeNull();
    expect(await stores.updates.latest('T0READER', new Types.ObjectId(), new Types.ObjectId(), 5)).toEqual(
      [],
    );
    expect(await stores.blockers.openFor('T0READER', { programId: new Types.ObjectId() })).toEqual([]);
    expect(await collectionNames(db)).toEqual(before);
  });

  it('holds a unique key from the first insert into a workspace never seen before', async () => {
    const teamId = `T0NEW${layout.length}`;
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        stores.runs.claim({
          teamId,
          programId: new Types.ObjectId(),
          scheduleKey: 'fresh',
          slot: NOW,
          channelId: 'C1',
          claimedBy: `replica-${i}`,
          claimedAt: NOW,
        }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('finds stalled runs in every workspace', async () => {
    for (const teamId of ['T0A', 'T0B'])
      await stores.runs.claim({
        teamId,
        programId: new Types.ObjectId(),
        scheduleKey: `stalls-${teamId}`,
        slot: NOW,
        channelId: 'C1',
        claimedBy: 'gone',
        claimedAt: new Date(NOW.getTime() - DAY),
      });
    const stalled = await stores.runs.stalled(new Date(NOW.getTime() - 60_000), NOW, 5, 10);
    expect(stalled.map((r) => r.teamId).sort()).toEqual(['T0A', 'T0B']);
  });
});

describe('moving a shared database into partitions', () => {
  it('moves every document to its workspace (and program), keeps copies already there, and is idempotent', async () => {
    const db = await database('move');
    await twoWorkspaces(createStores(db.connection, 'shared'));
    const before = await answers(createStores(db.connection, 'shared'));
    // An earlier move that stopped between copying and deleting left one copy behind.
    const program = await db.connection.collection('programs').findOne({ teamId: 'T0A' });
    await db.connection
      .collection(partitionCollection('partitioned', 'programs', ['T0A']))
      .insertOne(program!);

    const target = partitions(db.connection, 'partitioned');
    const moved = await moveToPartitions(db.connection, target);
    expect(moved).toMatchObject({ programs: 2, workstreams: 4, updates: 4, blockers: 2 });
    const names = await collectionNames(db);
    for (const base of ['programs', 'workstreams', 'updates', 'blockers', 'audit_events'])
      expect(names).not.toContain(base);
    expect(await answers(createStores(db.connection, 'partitioned'))).toEqual(before);
    expect(await moveToPartitions(db.connection, target)).toEqual({});
  });

  it('does nothing in the shared layout', async () => {
    const db = await database('move_shared');
    await twoWorkspaces(createStores(db.connection, 'shared'));
    expect(await moveToPartitions(db.connection, partitions(db.connection, 'shared'))).toEqual({});
    expect(await collectionNames(db)).toContain('updates');
  });
});

describe('partition collection names', () => {
  it('never give two keys the same collection, and use only safe characters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 0, maxLength: 12 }), { minLength: 1, maxLength: 2 }),
        fc.array(fc.string({ minLength: 0, maxLength: 12 }), { minLength: 1, maxLength: 2 }),
        (a, b) => {
          const x = partitionCollection('partitioned', 'updates', a);
          const y = partitionCollection('partitioned', 'updates', b);
          expect(x).toMatch(/^updates(\.[A-Za-z0-9_~-]+)+$/);
          if (a.length === b.length && a.every((part, i) => part === b[i])) expect(x).toBe(y);
          else expect(x).not.toBe(y);
        },
      ),
    );
  });

  it('keep Slack team ids and ObjectIds as they are', () => {
    const id = new Types.ObjectId().toHexString();
    expect(partitionCollection('partitioned', 'updates', ['T01ABCDEF', id])).toBe(`updates.T01ABCDEF.${id}`);
    expect(partitionCollection('shared', 'updates', ['T01ABCDEF', id])).toBe('updates');
  });
});

describe('finding stalled runs', () => {
  const claimOf = (stores: Stores, teamId: string, scheduleKey: string, claimedAt: Date) =>
    stores.runs.claim({
      teamId,
      programId: new Types.ObjectId(),
      scheduleKey,
      slot: claimedAt,
      channelId: 'C1',
      claimedBy: 'replica-a',
      claimedAt,
    });

  it('reads only the runs still open, never a workspace’s run history', async () => {
    const db = await database('stalled_reads');
    const stores = createStores(db.connection, 'partitioned');
    for (const teamId of ['T0H1', 'T0H2', 'T0H3']) {
      const run = await claimOf(stores, teamId, 'history', new Date(NOW.getTime() - DAY));
      await stores.runs.markPosted(teamId, run!._id, {
        ts: '1.1',
        postedAt: NOW,
        snapshot: { postedAt: NOW, workstreams: {} },
      });
    }
    const open = await claimOf(stores, 'T0H2', 'open', new Date(NOW.getTime() - DAY));
    // The posted runs' markers go at the first look; from then on only the open run is read.
    await stores.runs.stalled(new Date(NOW.getTime() - 60_000), NOW, 3, 10);
    const reads: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => reads.push(`${collection}.${method}`));
    try {
      const stalled = await stores.runs.stalled(new Date(NOW.getTime() - 60_000), NOW, 3, 10);
      expect(stalled.map((r) => r._id.toHexString())).toEqual([open!._id.toHexString()]);
    } finally {
      mongoose.set('debug', false);
    }
    expect(reads.sort()).toEqual(['digest_runs.T0H2.findOne', 'digest_runs_open.find']);
  });

  it('keeps a run open while it may be retried, and lets it go at the next look once settled', async () => {
    const db = await database('stalled_markers');
    const stores = createStores(db.connection, testLayoutOr('partitioned'));
    const markers = () => db.connection.collection('digest_runs_open').countDocuments();
    const staleBefore = new Date(NOW.getTime() - 60_000);

    const posted = await claimOf(stores, 'T0M', 'posted', NOW);
    expect(await markers()).toBe(1);
    expect(await stores.runs.stalled(staleBefore, NOW, 3, 10)).toEqual([]); // claimed just now: not stale
    await stores.runs.markPosted('T0M', posted!._id, {
      ts: '1.2',
      postedAt: NOW,
      snapshot: { postedAt: NOW, workstreams: {} },
    });
    expect(await markers()).toBe(1); // posting writes nothing more: the next look lets it go
    expect(await stores.runs.stalled(staleBefore, NOW, 3, 10)).toEqual([]);
    expect(await markers()).toBe(0);

    const failing = await claimOf(stores, 'T0M', 'failing', NOW);
    await stores.runs.markFailed('T0M', failing!._id, 'ratelimited', new Date(NOW.getTime() + 60_000));
    expect(await stores.runs.stalled(staleBefore, NOW, 3, 10)).toEqual([]); // its retry is not due yet
    const later = new Date(NOW.getTime() + 120_000);
    expect((await stores.runs.stalled(staleBefore, later, 3, 10)).map((r) => r.scheduleKey)).toEqual([
      'failing',
    ]);
    await stores.runs.markFailed('T0M', failing!._id, 'channel_not_found', undefined);
    expect(await stores.runs.stalled(staleBefore, later, 3, 10)).toEqual([]); // failed for good
    expect(await markers()).toBe(0);

    // The slot was someone else's: no marker stays behind the refused claim.
    expect(await claimOf(stores, 'T0M', 'posted', NOW)).toBeUndefined();
    expect(await markers()).toBe(0);
  });

  it('lets go of a marker whose run never came, once it is older than a claim can take', async () => {
    const db = await database('stalled_orphans');
    const stores = createStores(db.connection, testLayoutOr('partitioned'));
    const open = db.connection.collection('digest_runs_open');
    await open.insertMany([
      { _id: new Types.ObjectId(), teamId: 'T0O', since: new Date(NOW.getTime() - DAY) },
      { _id: new Types.ObjectId(), teamId: 'T0O', since: NOW },
    ]);
    expect(await stores.runs.stalled(new Date(NOW.getTime() - 60_000), NOW, 3, 10)).toEqual([]);
    expect((await open.find({}).toArray()).map((m) => (m.since as Date).toISOString())).toEqual([
      NOW.toISOString(),
    ]);
  });
});
