import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, connectDatabase, pingDatabase } from '../src/db/connection.js';
import { freePort, startDatabaseServer, type ServerPreference } from '../src/db/database-server.js';
import { createLogger } from '../src/logger.js';
import { testDatabaseUri } from './support/database.js';

const log = createLogger('silent');

describe('connecting to the database', () => {
  it('retries with backoff until a server that starts late is there', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-late-'));
    const port = await freePort();
    const prefer = (process.env.CAIRN_EMBEDDED_DB ?? 'auto') as ServerPreference;
    const late = new Promise((r) => setTimeout(r, 1_500)).then(() =>
      startDatabaseServer({ dataDir, port, prefer, log }),
    );
    const connection = await connectDatabase(`mongodb://127.0.0.1:${port}/`, {
      log,
      dbName: 'late',
      attempts: 8,
      firstDelayMs: 300,
      serverSelectionTimeoutMS: 500,
    });
    const server = await late;
    try {
      expect((await pingDatabase(connection)).state).toBe('up');
    } finally {
      await connection.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('gives up after the bounded number of attempts with a clear error naming the server', async () => {
    const port = await freePort();
    await expect(
      connectDatabase(`mongodb://user:secret@127.0.0.1:${port}/`, {
        log,
        attempts: 3,
        firstDelayMs: 50,
        serverSelectionTimeoutMS: 300,
      }),
    ).rejects.toThrow(
      new RegExp(
        `could not connect to the database at mongodb://\\*\\*\\*@127\\.0\\.0\\.1:${port}/ after 3 attempts`,
      ),
    );
  });

  it('reports a live round trip to a running server', async () => {
    const connection = await connectDatabase(testDatabaseUri(), { log, dbName: 'ping' });
    const state = await pingDatabase(connection);
    await connection.close();
    // Up, with the round trip's time in whole milliseconds and no error.
    expect(state).toEqual({ state: 'up', latencyMs: expect.any(Number) });
    expect(Number.isInteger(state.latencyMs)).toBe(true);
  });
});

describe('closing the connection at shutdown', () => {
  it('logs no "disconnected" warning, since nothing was lost', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const capture = createLogger('warn', 'test', {
      write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }),
    });
    const connection = await connectDatabase(testDatabaseUri(), { log: capture, dbName: 'closing' });
    await closeDatabase(connection);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toEqual([]);
  });
});
