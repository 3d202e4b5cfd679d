/**
 * Gives the test run a real MongoDB-wire server: MONGODB_URI when set, else an ephemeral one from
 * the same module `npm start` uses (mongod via mongodb-memory-server where it can be obtained,
 * FerretDB otherwise). Each test file then works in a database of its own (test/support/database.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import type { TestProject } from 'vitest/node';
import { describeServer } from '../src/db/connection.js';
import {
  startDatabaseServer,
  type DatabaseServer,
  type ServerPreference,
} from '../src/db/database-server.js';
import { createLogger } from '../src/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

export default async function setup(project: TestProject) {
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', 'test-database');
  let server: DatabaseServer | undefined;
  let dataDir: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-test-db-'));
    const prefer = (process.env.CAIRN_EMBEDDED_DB ?? 'auto') as ServerPreference;
    server = await startDatabaseServer({ dataDir, prefer, log });
    uri = server.uri;
  }
  const probe = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  const description = await describeServer(probe);
  await probe.close();
  console.log(
    `tests run against ${description} at ${uri.replace(/\/\/[^@/]*@/, '//***@')}${server ? ` (${server.kind}, started for this run)` : ' (MONGODB_URI)'}`,
  );
  project.provide('mongodbUri', uri);

  return async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
