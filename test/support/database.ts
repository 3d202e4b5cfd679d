import { randomBytes } from 'node:crypto';
import mongoose, { type Collection, type Connection } from 'mongoose';
import {
  layoutSetting,
  partitionCollection,
  resolveLayout,
  type LayoutSetting,
} from '../../src/data/partitions.js';
import { inject } from 'vitest';

/** The URI of the run's server (see test/global-setup.ts). */
export function testDatabaseUri(): string {
  return inject('mongodbUri');
}

/** A fresh database of its own on the run's server; `drop()` removes it. */
export async function testDatabase(
  label: string,
): Promise<{ connection: Connection; name: string; drop(): Promise<void> }> {
  const name = `t_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 40)}_${randomBytes(4).toString('hex')}`;
  const connection = await mongoose
    .createConnection(testDatabaseUri(), {
      dbName: name,
      serverSelectionTimeoutMS: 5_000,
      bufferCommands: false,
    })
    .asPromise();
  return {
    connection,
    name,
    async drop() {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}

/** The layout the tests ask for (DATABASE_LAYOUT, as Cairn reads it), else what the server suits. */
export const testLayout = (): LayoutSetting => layoutSetting(process.env.DATABASE_LAYOUT);

/**
 * The raw collection where Cairn keeps a workspace's documents of `base` (and a program's, for
 * updates): tests that look under the stores read and write exactly where the stores do.
 */
export async function tenantCollection(
  connection: Connection,
  base: string,
  ...key: string[]
): Promise<Collection> {
  const layout = await resolveLayout(connection, testLayout());
  return connection.collection(partitionCollection(layout, base, key));
}

/** Every stored document of `base` matching `filter`, whatever workspace or program it belongs to. */
export async function everyDocument(
  connection: Connection,
  base: string,
  filter: Record<string, unknown> = {},
): Promise<Array<Record<string, unknown>>> {
  const names = (await connection.db!.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => name === base || name.startsWith(`${base}.`));
  const found = await Promise.all(names.map((name) => connection.collection(name).find(filter).toArray()));
  return found.flat();
}
