/**
 * The scheduler's pool over channels: one piece of work at a time per channel, in the order added;
 * at most `perWorkspace` channels of one workspace and `concurrency` in all at once; a failure that
 * escapes its work is thrown by idle() once everything has run.
 */
import { describe, expect, it } from 'vitest';
import { ChannelLanes } from '../../src/use-cases/channel-lanes.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

function recorder() {
  const running = new Map<string, number>();
  let peak = 0;
  const peaks = new Map<string, number>();
  const order: string[] = [];
  const work = (team: string, channel: string, name: string) => async () => {
    const key = `${team}:${channel}`;
    running.set(key, (running.get(key) ?? 0) + 1);
    const inTeam = [...running].filter(([k, n]) => k.startsWith(`${team}:`) && n > 0).length;
    peaks.set(team, Math.max(peaks.get(team) ?? 0, inTeam));
    peak = Math.max(peak, [...running.values()].filter((n) => n > 0).length);
    expect(running.get(key)).toBe(1);
    order.push(name);
    await tick();
    running.set(key, running.get(key)! - 1);
  };
  return { work, order, peaks, peak: () => peak };
}

describe('ChannelLanes', () => {
  it('runs a channel’s work one at a time in order, many channels at once, within both caps', async () => {
    const lanes = new ChannelLanes(5, 2);
    const r = recorder();
    for (let i = 0; i < 3; i++)
      for (const team of ['T1', 'T2', 'T3'])
        for (const channel of ['C1', 'C2', 'C3'])
          lanes.add(team, channel, r.work(team, channel, `${team}${channel}#${i}`));
    await lanes.idle();
    expect(r.order).toHaveLength(27);
    for (const team of ['T1', 'T2', 'T3'])
      for (const channel of ['C1', 'C2', 'C3']) {
        const mine = r.order.filter((n) => n.startsWith(`${team}${channel}#`));
        expect(mine).toEqual([0, 1, 2].map((i) => `${team}${channel}#${i}`));
      }
    expect(r.peak()).toBeGreaterThan(1);
    expect(r.peak()).toBeLessThanOrEqual(5);
    for (const team of ['T1', 'T2', 'T3']) expect(r.peaks.get(team)).toBeLessThanOrEqual(2);
  });

  it('goes on after a failure and throws it from idle() once the rest has run', async () => {
    const lanes = new ChannelLanes(2, 2);
    const done: string[] = [];
    lanes.add('T1', 'C1', async () => {
      throw new Error('boom');
    });
    lanes.add('T1', 'C1', async () => void done.push('after in the same channel'));
    lanes.add('T1', 'C2', async () => void done.push('other channel'));
    await expect(lanes.idle()).rejects.toThrow('boom');
    expect(done.sort()).toEqual(['after in the same channel', 'other channel']);
    await expect(lanes.idle()).resolves.toBeUndefined();
  });
});
