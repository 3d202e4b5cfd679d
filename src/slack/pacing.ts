/**
 * Slack's pace for posting (docs.slack.dev/apis/web-api/rate-limits: chat.postMessage "generally
 * allows posting one message per second per channel", with a workspace-wide limit above that): one
 * process-wide pacer that every digest post goes through. A channel takes one message at a time,
 * `perChannelMs` after Slack answered the previous one (measured from the answer, since Slack
 * measures from when it stored the message), thread replies included; a 429 given to any call of a
 * workspace holds that workspace's further posts for its Retry-After. The queues are p-queue's.
 */
import { ErrorCode } from '@slack/web-api';
import PQueue from 'p-queue';
import { monotonicMs } from '../clock.js';

/** Runs a call to Slack in its turn: `pace(call)` resolves or rejects as the call does. */
export type Pace = <T>(call: () => Promise<T>) => Promise<T>;

export class SlackPacer {
  private readonly channels = new Map<string, PQueue>();
  /** Channel → when (monotonic ms) it may take its next message. */
  private readonly nextAt = new Map<string, number>();
  /** Workspace → when (monotonic ms) its Retry-After runs out. */
  private readonly heldUntil = new Map<string, number>();

  constructor(private readonly perChannelMs = 1_000) {}

  /** The pace of one channel of one workspace. */
  forChannel(teamId: string, channelId: string): Pace {
    return (call) => this.post(teamId, channelId, call);
  }

  async post<T>(teamId: string, channelId: string, call: () => Promise<T>): Promise<T> {
    const key = `${teamId}:${channelId}`;
    const queue = this.queueOf(key);
    return queue.add(async () => {
      const wait = Math.max(this.heldUntil.get(teamId) ?? 0, this.nextAt.get(key) ?? 0) - monotonicMs();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        return await call();
      } catch (error) {
        const e = error as { code?: string; retryAfter?: number };
        if (e.code === ErrorCode.RateLimitedError) this.hold(teamId, (e.retryAfter ?? 1) * 1000);
        throw error;
      } finally {
        this.nextAt.set(key, monotonicMs() + this.perChannelMs);
      }
    });
  }

  /** How many channels have a queue (for tests: idle ones are let go). */
  get channelCount(): number {
    return this.channels.size;
  }

  private hold(teamId: string, ms: number): void {
    const until = monotonicMs() + ms;
    if (until > (this.heldUntil.get(teamId) ?? 0)) this.heldUntil.set(teamId, until);
  }

  private queueOf(key: string): PQueue {
    let queue = this.channels.get(key);
    if (queue) return queue;
    queue = new PQueue({ concurrency: 1 });
    const created = queue;
    // An idle channel's queue is let go once its interval has passed, so the map stays small.
    created.on('idle', () => {
      setTimeout(() => {
        if (created.size === 0 && created.pending === 0 && this.channels.get(key) === created) {
          this.channels.delete(key);
          this.nextAt.delete(key);
        }
      }, this.perChannelMs + 100).unref();
    });
    this.channels.set(key, created);
    return created;
  }
}
