/**
 * Slack's per-workspace, per-method tiers: a workspace's calls of a Tier 3 method past 50 in a
 * minute wait for the next minute, other workspaces and other methods do not wait with them, and a
 * budgeted client's every Web API call goes through the budget.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MethodBudget, METHOD_TIER, TIER_PER_MINUTE } from '../../src/slack/method-budget.js';
import { singleWorkspaceClients } from '../../src/slack/workspace-client.js';
import { FakeSlack } from '../support/fake-slack.js';

/** Starts `count` takes and says how many have been let through after the microtasks ran. */
async function through(budget: MethodBudget, teamId: string, method: string, count: number) {
  let done = 0;
  const all = Array.from({ length: count }, () => budget.take(teamId, method).then(() => done++));
  await vi.advanceTimersByTimeAsync(0);
  return { done: () => done, all: Promise.all(all) };
}

describe('the method budget', () => {
  beforeAll(() => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z') });
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it('lets a Tier 3 method through 50 times a minute per workspace, then holds the rest for the next minute', async () => {
    const budget = new MethodBudget();
    const t1 = await through(budget, 'T1', 'conversations.history', 60);
    expect(t1.done()).toBe(TIER_PER_MINUTE[3]);

    // Another workspace, and another method of the same one, are not held by T1's full minute.
    const t2 = await through(budget, 'T2', 'conversations.history', 5);
    expect(t2.done()).toBe(5);
    const other = await through(budget, 'T1', 'users.info', 5);
    expect(other.done()).toBe(5);

    await vi.advanceTimersByTimeAsync(59_000);
    expect(t1.done()).toBe(50);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(t1.done()).toBe(60);
    await t1.all;
  });

  it('gives Tier 4 methods 100 a minute and never holds methods it has no tier for', async () => {
    const budget = new MethodBudget();
    const views = await through(budget, 'T1', 'views.publish', 101);
    expect(views.done()).toBe(100);
    const posts = await through(budget, 'T1', 'chat.postMessage', 500);
    expect(posts.done()).toBe(500);
    await vi.advanceTimersByTimeAsync(61_000);
    await views.all;
  });

  it('lets idle workspaces go', async () => {
    const budget = new MethodBudget(1_000);
    await (
      await through(budget, 'T1', 'conversations.open', 3)
    ).all;
    expect(budget.size).toBe(1);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(budget.size).toBe(0);
  });
});

describe('a budgeted client', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setUser({ id: 'U1', tz: 'UTC' });
  });
  afterAll(async () => {
    await slack.stop();
  });
  afterEach(() => vi.restoreAllMocks());

  it('takes every call from its workspace’s budget, with and without retries', async () => {
    const budget = new MethodBudget();
    const taken: string[] = [];
    vi.spyOn(budget, 'take').mockImplementation(async (teamId, method) => {
      taken.push(`${teamId} ${method}`);
    });
    const clientFor = singleWorkspaceClients('xoxb-test-token', { slackApiUrl: slack.apiUrl }, budget);
    await (await clientFor('T1')).users.info({ user: 'U1' });
    await (await clientFor('T1', { retries: false })).conversations.open({ users: 'U1' });
    await (await clientFor('T2')).chat.postMessage({ channel: 'C1', text: 'hi' });
    expect(taken).toEqual(['T1 users.info', 'T1 conversations.open', 'T2 chat.postMessage']);
    expect(slack.calls().map((c) => c.method)).toEqual([
      'users.info',
      'conversations.open',
      'chat.postMessage',
    ]);
  });

  it('knows the tier of every method Cairn calls from its jobs', () => {
    for (const method of ['conversations.history', 'conversations.open', 'users.info', 'views.publish'])
      expect(METHOD_TIER[method]).toBeDefined();
  });
});
