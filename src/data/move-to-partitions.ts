/**
 * Moves documents written in the shared layout into their partitions, for a database that was used
 * before it was partitioned (the embedded FerretDB of earlier versions). Safe to run at every start
 * and to interrupt: each batch is copied (a copy already there is kept) before it is deleted.
 */
import type { Connection } from 'mongoose';
import { declaredFamilies, type Partitions } from './partitions.js';

const BATCH = 500;

/** Resolves how many documents of each collection were moved (none in the shared layout). */
export async function moveToPartitions(
  connection: Connection,
  db: Partitions,
): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  if ((await db.layout()) !== 'partitioned') return moved;
  const raw = connection.db;
  if (!raw) throw new Error('the database connection is not open');
  const existing = new Set((await raw.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const fam of declaredFamilies()) {
    if (!existing.has(fam.collection)) continue;
    const source = raw.collection(fam.collection);
    for (;;) {
      const batch = await source.find({}).limit(BATCH).toArray();
      if (batch.length === 0) break;
      const byPartition = new Map<string, { key: string[]; docs: typeof batch }>();
      for (const doc of batch) {
        const key = fam.keyOf(doc);
        const entry = byPartition.get(key.join('\0')) ?? { key, docs: [] };
        entry.docs.push(doc);
        byPartition.set(key.join('\0'), entry);
      }
      for (const { key, docs } of byPartition.values()) {
        const target = await db.writable(fam, ...key);
        await target.collection.insertMany(docs, { ordered: false }).catch((error: unknown) => {
          if (!onlyDuplicates(error)) throw error;
        });
      }
      await source.deleteMany({ _id: { $in: batch.map((d) => d._id) } });
      moved[fam.collection] = (moved[fam.collection] ?? 0) + batch.length;
    }
    await source.drop().catch(() => undefined);
  }
  return moved;
}

/** An unordered insert whose only failures were copies already in place (an interrupted move). */
function onlyDuplicates(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: Array<{ code?: number }> | { code?: number } };
  if (e.code === 11000 && !e.writeErrors) return true;
  const errors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
  return errors.length > 0 && errors.every((w) => w.code === 11000);
}
