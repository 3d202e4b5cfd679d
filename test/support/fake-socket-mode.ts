/**
 * Slack's side of a Socket Mode connection, on 127.0.0.1: the WebSocket an app opens at the URL
 * apps.connections.open gave it (point the fake Web API there with `FakeSlack.setSocketMode`).
 *
 * What it does follows api.slack.com/apis/socket-mode and api.slack.com/apis/connections/socket-implement:
 * - on connect Slack sends `hello`, with `num_connections`, `debug_info` and `connection_info.app_id`;
 * - each payload comes in an envelope `{envelope_id, type, payload, accepts_response_payload}`, type
 *   `slash_commands`, `interactive` or `events_api` (events also carry `retry_attempt`, `retry_reason`);
 * - the app acknowledges an envelope by sending back `{envelope_id}`, with a `payload` when it answers
 *   with one (only taken when the envelope said `accepts_response_payload`);
 * - Slack asks the app to reconnect with `{type: "disconnect", reason}`: `warning` ahead of a refresh,
 *   `refresh_requested` when the connection is due to close, `link_disabled` when Socket Mode was
 *   turned off for the app.
 * Not modelled: Slack's redelivery of unacknowledged envelopes, its pings (the client's own pings
 * are answered, as `ws` answers every ping), and the several connections an app may hold at once
 * beyond sending to the newest.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlack } from './fake-slack.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

/** What the app sent back for an envelope. */
export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/** An envelope as sent, and the app's acknowledgement of it. */
export interface Delivery {
  envelope: { envelope_id: string; type: EnvelopeType; payload: Record<string, unknown> };
  ack: Ack;
}

export interface FakeSocketModeOptions {
  /** Where response_url and trigger_id come from, and the team and app ids; without it they are dummies. */
  slack?: FakeSlack;
}

const DEFAULT_WAIT_MS = 5_000;

export class FakeSocketMode {
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly slack: FakeSlack | undefined;
  private baseUrl = '';
  private accepting = true;
  private open: WebSocket[] = [];
  private acks: Ack[] = [];
  private waiters = new Set<() => void>();
  /** Connections the app has made since the fake started, refused ones not counted. */
  connectionCount = 0;

  private constructor(opts: FakeSocketModeOptions) {
    this.slack = opts.slack;
    this.server = http.createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('a WebSocket upgrade is expected here');
    });
    this.server.on('upgrade', (req, socket: Socket, head) => this.onUpgrade(req, socket, head));
  }

  static async start(opts: FakeSocketModeOptions = {}): Promise<FakeSocketMode> {
    const fake = new FakeSocketMode(opts);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrl = `ws://127.0.0.1:${port}`;
    return fake;
  }

  /** What apps.connections.open hands out; Slack's carries a ticket, as this one does (unchecked). */
  get url(): string {
    return `${this.baseUrl}/link/?ticket=${randomUUID()}&app_id=${this.appId}`;
  }

  /** Connections open now. */
  get connections(): number {
    return this.open.length;
  }

  /** Resolves once at least `count` connections have been opened since the start (and said hello to). */
  waitForConnection(count = 1, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waitFor(
      () => (this.connectionCount >= count && this.open.length > 0 ? true : undefined),
      timeoutMs,
      `connection #${count}`,
    ).then(() => undefined);
  }

  /**
   * Sends an envelope on the newest connection and resolves with the app's acknowledgement.
   * Slack expects one within 3 seconds; a test may wait longer (`timeoutMs`), to tell slow from never.
   */
  async send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    opts: { acceptsResponsePayload?: boolean; timeoutMs?: number } = {},
  ): Promise<Delivery> {
    const socket = this.open[this.open.length - 1];
    if (!socket) throw new Error('FakeSocketMode: no open connection to send an envelope on');
    const envelopeId = randomUUID();
    const envelope = { envelope_id: envelopeId, type, payload };
    socket.send(
      JSON.stringify({
        ...envelope,
        accepts_response_payload: opts.acceptsResponsePayload ?? type !== 'events_api',
        ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
      }),
    );
    const ack = await this.waitFor(
      () => this.acks.find((a) => a.envelope_id === envelopeId),
      opts.timeoutMs ?? DEFAULT_WAIT_MS,
      `the ack of ${type} envelope ${envelopeId}`,
    );
    return { envelope, ack };
  }

  /** A slash command as Slack puts it in a `slash_commands` envelope: the same fields as over HTTP. */
  slashCommand(
    command: string,
    text = '',
    opts: { userId?: string; channelId?: string; timeoutMs?: number } = {},
  ): Promise<Delivery> {
    const payload = {
      token: 'verification-token',
      team_id: this.slack?.teamId ?? 'T0001',
      team_domain: this.slack?.teamDomain ?? 'cairn-test',
      channel_id: opts.channelId ?? 'C0CAIRN',
      channel_name: 'cairn-test',
      user_id: opts.userId ?? 'U0PM',
      user_name: 'pat.pm',
      command,
      text,
      api_app_id: this.appId,
      is_enterprise_install: 'false',
      response_url: this.slack?.responseUrl() ?? 'http://127.0.0.1:9/response/none',
      trigger_id: this.slack?.issueTriggerId() ?? '0.0.none',
    };
    return this.send('slash_commands', payload, { timeoutMs: opts.timeoutMs });
  }

  /** Asks every connection to reconnect, as Slack does before it closes one. */
  disconnect(reason: DisconnectReason = 'refresh_requested'): void {
    const message = JSON.stringify({
      type: 'disconnect',
      reason,
      debug_info: { host: 'applink-fake' },
    });
    for (const socket of this.open) socket.send(message);
  }

  /** Cuts every connection without a close handshake (a network failure, or Slack going away). */
  drop(): void {
    for (const socket of this.open) socket.terminate();
  }

  /** While off, connection attempts are refused with HTTP 503 (an unreachable Socket Mode endpoint). */
  setAccepting(on: boolean): void {
    this.accepting = on;
  }

  async stop(): Promise<void> {
    this.drop();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    this.wss.close();
    await closed;
  }

  private get appId(): string {
    return this.slack?.appId ?? 'A0001';
  }

  private onUpgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    if (!this.accepting || !(req.url ?? '').startsWith('/link/')) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
    this.open.push(ws);
    this.connectionCount += 1;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        const message = JSON.parse(data.toString()) as Partial<Ack>;
        if (typeof message.envelope_id === 'string') {
          this.acks.push({ envelope_id: message.envelope_id, payload: message.payload });
          this.notify();
        }
      } catch {
        // Slack ignores what it cannot read; so does the fake.
      }
    });
    ws.on('close', () => {
      this.open = this.open.filter((s) => s !== ws);
      this.notify();
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.length,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.notify();
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const found = find();
        if (found === undefined) return;
        this.waiters.delete(wake);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`FakeSocketMode: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(wake);
      wake();
    });
  }
}
