/**
 * The database stopped for 10 seconds under a stream of commands: every command is acknowledged
 * within Slack's 3 s, users get a clear "try again" while it is down, nothing crashes, Cairn
 * recovers by itself, and no update it said was recorded is lost.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connection.js';
import {
  startDatabaseServer,
  type DatabaseServer,
  type ServerPreference,
} from '../../src/db/database-server.js';
import { createLogger } from '../../src/logger.js';
import { eventually, startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { everyDocument } from '../support/database.js';

const log = createLogger((process.env.OUTAGE_LOG as 'warn' | undefined) ?? 'silent');
let dataDir: string;
let server: DatabaseServer;
let connection: Connection;
let running: RunningCairn;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-outage-'));
  server = await startDatabaseServer({
    dataDir,
    prefer: (process.env.CAIRN_EMBEDDED_DB ?? 'auto') as ServerPreference,
    log,
  });
  // As in production: operations give up after a few seconds without a server.
  connection = await connectDatabase(server.uri, { log, dbName: 'outage', serverSelectionTimeoutMS: 2_000 });
  running = await startCairn(connection, { jobs: () => [] });
  running.slack.setRateLimiting(false);
  await ask(running, '/program', 'new checkout "Checkout"', { userId: 'U0PM' });
  await ask(running, '/program', 'add checkout web "Web" team:web lead:<@U0PM>', { userId: 'U0PM' });
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await running?.stop();
  await connection?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a database outage of 10 seconds', () => {
  it('answers every command in time, says "try again" while down, recovers, and loses no recorded update', async () => {
    const results: Array<{ n: number; ackMs: number; recorded: boolean; failed: boolean; text: string }> = [];
    let n = 0;
    let stop = false;
    const stream = (async () => {
      while (!stop) {
        const i = ++n;
        const started = Date.now();
        const response = await running.driver.slashCommand({
          command: '/status',
          text: `web green update number ${i}`,
          userId: 'U0PM',
        });
        const ackMs = Date.now() - started;
        const id = new URL(String(response.sent.response_url)).pathname.split('/').pop();
        // A command never answered is a failure of its own, named as such (the stream goes on).
        const answer = await running.slack
          .waitForResponse((r) => r.id === id, 20_000)
          .catch(() => ({ body: `no answer within 20 s (command ${i}, acknowledged in ${ackMs} ms)` }));
        const text = JSON.stringify(answer.body);
        results.push({
          n: i,
          ackMs,
          recorded: text.includes('Recorded for'),
          failed: text.includes('try again'),
          text,
        });
        await new Promise((r) => setTimeout(r, 150));
      }
    })();

    await new Promise((r) => setTimeout(r, 2_000));
    await server.stop();
    const downAt = Date.now();
    // Keep the port from other processes while the server is away (the suite's other files open
    // servers on free ports all the time): one taking it made the restarted server fail to listen.
    // A connection to it is dropped at once, as the stopped server's would be refused.
    const hold = createServer((socket) => socket.destroy()).listen(server.port, '127.0.0.1');
    await once(hold, 'listening');
    await new Promise((r) => setTimeout(r, 10_000));
    await new Promise((r) => hold.close(r));
    server = await startDatabaseServer({ dataDir, port: server.port, prefer: server.kind, log });
    const upAt = Date.now();
    // Recovers by itself: a command after the outage is recorded again.
    const recovered = async () =>
      results.some((r) => r.recorded && r.n > (results.findLast((x) => x.failed)?.n ?? Infinity));
    try {
      // A loaded machine may take a while to restart the server and reconnect: a minute is the bound.
      await eventually(recovered, 60_000, 250);
    } catch (error) {
      // Say what the stream saw, so a failure here can be told apart from a slow machine.
      const seen = results.slice(-12).map((r) => `#${r.n} ack ${r.ackMs} ms: ${r.text.slice(0, 160)}`);
      throw new Error(
        `${(error as Error).message}, ${Math.round((Date.now() - upAt) / 1000)} s after the database came back ` +
          `(${results.length} commands, ${n - results.length} awaiting an answer); the last ones:\n${seen.join('\n')}`,
      );
    } finally {
      stop = true;
      await stream;
    }

    expect(results.every((r) => r.ackMs < 3_000)).toBe(true);
    expect(results.filter((r) => !r.recorded && !r.failed).map((r) => r.text)).toEqual([]);
    const failures = results.filter((r) => r.failed);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]!.text).toContain("Sorry, I couldn't do that: something on my side failed");
    // The user gets back what they wrote, to copy.
    expect(failures[0]!.text).toContain(`update number ${failures[0]!.n}`);

    const recorded = results.filter((r) => r.recorded).map((r) => `update number ${r.n}`);
    const stored = new Set((await everyDocument(connection, 'updates')).map((u) => u.summary as string));
    expect(recorded.filter((summary) => !stored.has(summary))).toEqual([]);
    expect(unhandled).toEqual([]);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    console.log(
      `outage: ${results.length} commands, ${failures.length} answered "try again" during ${Math.round((upAt - downAt) / 1000)} s down, ${recorded.length} recorded and all kept`,
    );
  }, 150_000);
});
