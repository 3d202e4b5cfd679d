import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
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
