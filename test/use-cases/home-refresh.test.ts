/**
 * Home tab redraws coalesced per user (issue 12): at most one publish per user per interval, the
 * latest request's client used, nothing asked for dropped, each tracked, and flush() lets the waiting
 * ones go at once. Real timers with a short interval; the publish is a recorder.
 */
import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { HomeRefresher } from '../../src/use-cases/home-refresh.js';
import { InFlight } from '../../src/in-flight.js';

const client = (name: string) => ({ name }) as unknown as WebClient;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recorder(interval: number) {
  const published: Array<{ user: string; client: string; at: number }> = [];
  const inFlight = new InFlight();
  const started = performance.now();
  const homes = new HomeRefresher(
    async (c, _team, user) => {
      published.push({
        user,
        client: (c as unknown as { name: string }).name,
        at: performance.now() - started,
      });
    },
    (work) => inFlight.track(work),
    interval,
  );
  return { homes, published, inFlight };
}

describe('HomeRefresher', () => {
  it('publishes the first request at once, then at most once per interval per user, with the latest client', async () => {
    const { homes, published, inFlight } = recorder(300);
    homes.request(client('a1'), 'T1', 'U1');
    homes.request(client('b1'), 'T1', 'U2');
    await sleep(20);
    expect(published.map((p) => [p.user, p.client])).toEqual([
      ['U1', 'a1'],
      ['U2', 'b1'],
    ]);
    // Five more for U1 within the interval: one trailing publish, with the latest client.
    for (let i = 2; i <= 6; i++) homes.request(client(`a${i}`), 'T1', 'U1');
    expect(inFlight.size).toBe(1);
    await inFlight.drained(2_000);
    const u1 = published.filter((p) => p.user === 'U1');
    expect(u1.map((p) => p.client)).toEqual(['a1', 'a6']);
    expect(u1[1]!.at - u1[0]!.at).toBeGreaterThanOrEqual(290);
  });

  it('publishes again for a request made while a publish is loading, since it may concern newer state', async () => {
    const published: string[] = [];
    let release!: () => void;
    const inFlight = new InFlight();
    const homes = new HomeRefresher(
      async (c) => {
        published.push((c as unknown as { name: string }).name);
        if (published.length === 1) await new Promise<void>((r) => (release = r));
      },
      (work) => inFlight.track(work),
      50,
    );
    homes.request(client('first'), 'T1', 'U1');
    await sleep(10);
    homes.request(client('during'), 'T1', 'U1');
    release();
    await inFlight.drained(2_000);
    expect(published).toEqual(['first', 'during']);
  });

  it('lets waiting publishes go at once on flush, and forgets quiet users', async () => {
    const { homes, published, inFlight } = recorder(5_000);
    homes.request(client('x1'), 'T1', 'U1');
    homes.request(client('x2'), 'T1', 'U1');
    await sleep(20);
    expect(published).toHaveLength(1);
    homes.flush();
    expect(await inFlight.drained(1_000)).toBe(true);
    expect(published.map((p) => p.client)).toEqual(['x1', 'x2']);

    const quiet = recorder(50);
    quiet.homes.request(client('q'), 'T1', 'U9');
    await quiet.inFlight.drained(1_000);
    expect(quiet.homes.size).toBe(1);
    await sleep(150);
    expect(quiet.homes.size).toBe(0);
  });
});
