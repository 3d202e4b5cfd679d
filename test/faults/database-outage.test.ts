/**
 * The database stopped for 10 seconds under a stream of commands: every command is acknowledged
 * within Slack's 3 s, users get a clear "try again" while it is down, nothing crashes, Cairn
 * recovers by itself, and no update it said was recorded is lost.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, pingDatabase } from '../../src/db/connection.js';
import {
  startDatabaseServer,
  type DatabaseServer,
  type ServerPreference,
} from '../../src/db/database-server.js';
import { createLogger } from '../../src/logger.js';
import { eventually, startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { everyDocument } from '../support/database.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

// Cairn's warnings and errors are kept, so that a failure can say what Cairn saw.
const logLines: string[] = [];
const log = createLogger(process.env.OUTAGE_LOG ?? 'warn', 'outage', {
  write: (line: string) => void logLines.push(line),
});
let dataDir: string;
let server: DatabaseServer;
// Cairn reaches the server through a proxy that keeps its port while the server is restarted.
let proxy: TcpProxy;
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
  proxy = await startTcpProxy(server.port);
  connection = await connectDatabase(`mongodb://127.0.0.1:${proxy.port}/`, {
    log,
    dbName: 'outage',
    serverSelectionTimeoutMS: 2_000,
  });
  running = await startCairn(connection, { jobs: () => [], log });
  running.slack.setRateLimiting(false);
  await ask(running, '/program', 'new checkout "Checkout"', { userId: 'U0PM' });
  await ask(running, '/program', 'add checkout web "Web" team:web lead:<@U0PM>', { userId: 'U0PM' });
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await running?.stop();
  await connection?.close();
  await server?.stop();
  await proxy?.close();
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
    proxy.setUpstream(undefined);
    await server.stop();
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 10_000));
    // The same data on a new port: the proxy keeps the address Cairn knows.
    server = await startDatabaseServer({ dataDir, prefer: server.kind, log });
    proxy.setUpstream(server.port);
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
      const direct = await pingThroughNewConnection(server.uri);
      throw new Error(
        `${(error as Error).message}, ${Math.round((Date.now() - upAt) / 1000)} s after the database came back ` +
          `(${results.length} commands, ${n - results.length} awaiting an answer); the last ones:\n${seen.join('\n')}\n` +
          `Cairn's ping: ${JSON.stringify(await pingDatabase(connection))}; a new connection's, straight to the server: ${direct}\n` +
          `Cairn's last log lines:\n${logLines.slice(-8).join('')}`,
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

/** Tells a server that does not answer from a client that no longer reaches it. */
async function pingThroughNewConnection(uri: string): Promise<string> {
  try {
    const fresh = await connectDatabase(uri, { log, dbName: 'outage', attempts: 1 });
    const state = await pingDatabase(fresh);
    await fresh.close();
    return JSON.stringify(state);
  } catch (error) {
    return (error as Error).message;
  }
}
