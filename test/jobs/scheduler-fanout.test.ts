/**
 * The scheduler's fan-out (issue 12): a tick posts many channels at once through its bounded pool,
 * one post at a time in each channel, paced by the process's SlackPacer to about one message per
 * second per channel (thread replies included), and a 429's Retry-After holds the whole workspace.
 * Against the fake Slack with its real per-channel rate limit on, and real time (the pacer's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackPacer } from '../../src/slack/pacing.js';
import { BOT_TOKEN, eventually } from '../support/cairn-harness.js';
import { testDatabase } from '../support/database.js';
import { programWithSchedule, schedulerDeps, TEAM, tick } from '../support/digest-world.js';
import { FakeSlack, type RecordedCall } from '../support/fake-slack.js';

let db: Awaited<ReturnType<typeof testDatabase>>;
let slack: FakeSlack;
let deps: ReturnType<typeof schedulerDeps>;
const pacer = new SlackPacer(1_000);

beforeAll(async () => {
  db = await testDatabase('scheduler-fanout');
  slack = await FakeSlack.start({ botToken: BOT_TOKEN, teamId: TEAM, rateLimit: true });
  deps = { ...schedulerDeps(db.connection, slack), pacer };
});
afterAll(async () => {
  await slack?.stop();
  await db?.drop();
});

/** Programs due at `time` on 2026-12-07 (a Monday), each in its own channel, with 30 workstreams so each digest has replies. */
async function programsDue(prefix: string, count: number, time: string) {
  const channels: string[] = [];
  for (let i = 0; i < count; i++) {
    const channelId = `C${prefix}${String(i).padStart(2, '0')}`;
    await programWithSchedule(deps.stores, {
      key: `${prefix.toLowerCase()}-${i}`,
      channelId,
      days: ['mon'],
      time,
      timezone: 'UTC',
      createdAt: new Date('2026-12-01T00:00:00Z'),
      workstreams: 2,
    });
    channels.push(channelId);
  }
  return channels;
}

const postsIn = (channel: string): RecordedCall[] =>
  slack.calls('chat.postMessage').filter((c) => c.args.channel === channel && c.status === 200);

describe('the scheduler fan-out', () => {
  it('posts many channels at once, one post at a time and about a second apart in each, with no 429', async () => {
    const channels = await programsDue('FAN', 10, '09:00');
    // How many channels the pacer held at once (watched, since idle ones are let go within a second or so).
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, pacer.channelCount)), 5);
    const report = await tick(deps, new Date('2026-12-07T09:00:20Z')).finally(() => clearInterval(watch));
    expect(report.posted).toBe(10);
    // Paced, Slack never had to refuse a post: each is named if it did.
    expect(
      slack
        .calls('chat.postMessage')
        .filter((c) => c.status === 429)
        .map((c) => [c.args.channel, c.args.thread_ts ?? 'main']),
    ).toEqual([]);

    const starts = channels.map((c) => postsIn(c).map((p) => p.at));
    for (const [i, times] of starts.entries()) {
      expect(times.length, channels[i]).toBeGreaterThanOrEqual(2);
      // The fake records a call when it answers it; the pacer starts the next a second after that answer.
      for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBeGreaterThanOrEqual(900);
    }
    // Many channels at once: several main messages went out before any channel's first reply.
    const firstReply = Math.min(...starts.map((t) => t[1]!));
    expect(starts.filter((t) => t[0]! < firstReply).length).toBeGreaterThanOrEqual(2);
    // Idle channels are let go, so the pacer does not grow with every channel ever posted to.
    expect(most).toBeGreaterThan(1);
    await eventually(async () => pacer.channelCount === 0, 5_000);
  }, 60_000);

  it('holds the whole workspace for a Retry-After given to any of its posts', async () => {
    const channels = await programsDue('HOLD', 4, '10:00');
    slack.injectError('chat.postMessage', { status: 429, retryAfter: 2 });
    const report = await tick(deps, new Date('2026-12-07T10:00:20Z'));
    expect(report.posted).toBe(4);
    const calls = slack.calls('chat.postMessage').filter((c) => channels.includes(String(c.args.channel)));
    const limited = calls.find((c) => c.status === 429)!;
    expect(limited).toBeDefined();
    // Posts that started after the 429 was answered waited out its 2 seconds, whatever their channel.
    const after = calls.filter((c) => c.status === 200 && c.at > limited.at + 100);
    expect(after.length).toBeGreaterThan(0);
    for (const call of after) expect(call.at - limited.at).toBeGreaterThanOrEqual(1_900);
    // Every channel got its digest once.
    for (const channel of channels) expect(postsIn(channel).filter((c) => !c.args.thread_ts)).toHaveLength(1);
  }, 60_000);
});
