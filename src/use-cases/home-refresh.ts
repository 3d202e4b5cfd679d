/**
 * App Home refreshes off the hot path (issue 12): an update or a click asks for its user's Home tab
 * to be redrawn and goes on; the redraws are coalesced per user — at most one publish per user per
 * `intervalMs`, and the latest state wins, since the Home is loaded when it is published, not when it
 * was asked for. Each pending redraw is tracked (the process's in-flight set), so shutdown waits for
 * it; `flush()` lets the waiting ones go at once.
 */
import type { WebClient } from '@slack/web-api';
import { monotonicMs } from '../clock.js';

export type PublishHome = (client: WebClient, teamId: string, userId: string) => Promise<void>;

interface Pending {
  /** The client of the latest request: its token is the freshest. */
  client: WebClient;
  /** Lets the wait before the publish end now (shutdown). */
  wake: () => void;
}

export class HomeRefresher {
  /** User → when (monotonic ms) their last publish started. */
  private readonly lastStart = new Map<string, number>();
  /** User → the publish waiting for its turn. */
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly publish: PublishHome,
    private readonly track: <T>(work: () => Promise<T>) => Promise<T>,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = monotonicMs,
  ) {}

  /** Asks for the user's Home tab to be redrawn; never throws (`publish` logs its own failures). */
  request(client: WebClient, teamId: string, userId: string): void {
    const key = `${teamId}:${userId}`;
    const waiting = this.pending.get(key);
    if (waiting) {
      waiting.client = client;
      return;
    }
    const delay = Math.max(0, (this.lastStart.get(key) ?? -Infinity) + this.intervalMs - this.now());
    const entry: Pending = { client, wake: () => undefined };
    this.pending.set(key, entry);
    void this.track(async () => {
      if (delay > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          entry.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      // From here a new request waits for the next turn: it may concern what this one loads now.
      this.pending.delete(key);
      this.lastStart.set(key, this.now());
      try {
        await this.publish(entry.client, teamId, userId);
      } finally {
        this.forgetLater(key);
      }
    }).catch(() => undefined);
  }

  /** Publishes every waiting redraw now (shutdown: nothing asked for is dropped). */
  flush(): void {
    for (const entry of this.pending.values()) entry.wake();
  }

  /** How many users are remembered (for tests: a quiet user is forgotten once their interval is over). */
  get size(): number {
    return this.lastStart.size;
  }

  private forgetLater(key: string): void {
    const started = this.lastStart.get(key);
    setTimeout(() => {
      if (!this.pending.has(key) && this.lastStart.get(key) === started) this.lastStart.delete(key);
    }, this.intervalMs).unref();
  }
}
