import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/db/connection.js';
import {
  startDatabaseServer,
  type DatabaseServer,
  type ServerPreference,
} from '../src/db/database-server.js';
import { createLogger } from '../src/logger.js';
import { eventually, startCairn, type RunningCairn } from './support/cairn-harness.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

// This file runs its own database server so it can stop and restart it under a running Cairn.
const log = createLogger('silent');
let dataDir: string;
let server: DatabaseServer;
// Cairn reaches the server through a proxy that keeps its port while the server is restarted.
let proxy: TcpProxy;
let connection: Connection;
let running: RunningCairn;

async function health(): Promise<{ status: number; body: { status: string; database: { state: string } } }> {
  const response = await fetch(`${running.url}/healthz`);
  return { status: response.status, body: (await response.json()) as never };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-health-'));
  const prefer = (process.env.CAIRN_EMBEDDED_DB ?? 'auto') as ServerPreference;
  server = await startDatabaseServer({ dataDir, prefer, log });
  proxy = await startTcpProxy(server.port);
  connection = await connectDatabase(`mongodb://127.0.0.1:${proxy.port}/`, { log, dbName: 'health' });
  running = await startCairn(connection);
});

afterAll(async () => {
  await running?.stop();
  await connection?.close();
  await server?.stop();
  await proxy?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('GET /healthz', () => {
  it('answers 200 with the database state while the database is up', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.database.state).toBe('up');
  });

  it('turns 503 when the database stops and back to 200 when it returns, without a restart of Cairn', async () => {
    await connection.collection('probe').insertOne({ note: 'written before the outage' });

    proxy.setUpstream(undefined);
    await server.stop();
    const downAfter = await eventually(async () => (await health()).status === 503, 15_000);
    const down = await health();
    expect(down.body.database.state).toBe('down');

    // The same data on a new port: the proxy keeps the address Cairn knows.
    server = await startDatabaseServer({ dataDir, prefer: server.kind, log });
    proxy.setUpstream(server.port);
    const upAfter = await eventually(async () => (await health()).status === 200, 30_000);
    expect((await health()).body.database.state).toBe('up');
    // The same connection object serves again, and what was written before the outage is still there.
    expect(
      await connection.collection('probe').findOne({ note: 'written before the outage' }),
    ).not.toBeNull();
    console.log(`healthz: 503 after ${downAfter} ms down, 200 after ${upAfter} ms back`);
  }, 60_000);
});
