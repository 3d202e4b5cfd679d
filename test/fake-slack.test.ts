/**
 * Tests of the Slack test peer itself: the Block Kit limits, the fake Web API
 * (driven by a real @slack/web-api WebClient) and the signed-request driver
 * (checked by an independent verifier, then against a real Bolt receiver).
 */
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App, HTTPReceiver, LogLevel as BoltLogLevel } from '@slack/bolt';
import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import {
  LIMITS,
  isMessageTextTooLong,
  validateMessageBlocks,
  validateView,
} from './support/block-kit-limits.js';
import { FakeSlack } from './support/fake-slack.js';
import { SlackDriver } from './support/slack-driver.js';
import { silentSlackLogger } from './support/silent-slack-logger.js';

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function clientFor(
  fake: FakeSlack,
  options: WebClientOptions = {},
  token: string = fake.botToken,
): WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentSlackLogger,
    ...options,
  });
}

/** The rejection of a WebClient call, for assertions on its code and data. */
async function rejection(
  p: Promise<unknown>,
): Promise<{ code?: string; data?: Record<string, unknown>; statusCode?: number; retryAfter?: number }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; data?: Record<string, unknown>; statusCode?: number; retryAfter?: number };
  }
  throw new Error('expected the call to fail');
}

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const x = (n: number) => 'x'.repeat(n);
const button = (i: number, over: Record<string, unknown> = {}) => ({
  type: 'button',
  text: plain('Go'),
  action_id: `a${i}`,
  ...over,
});
const option = (i: number, over: Record<string, unknown> = {}) => ({
  text: plain(`o${i}`),
  value: `v${i}`,
  ...over,
});
const section = (over: Record<string, unknown>) => ({ type: 'section', ...over });
/** A line with an overflow menu beside it. */
const overflowLine = (options: unknown[], actionId = 'menu') =>
  section({ text: mrkdwn('line'), accessory: { type: 'overflow', action_id: actionId, options } });
const modal = (over: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: plain('Cairn'),
  blocks: [],
  ...over,
});

// ---------------------------------------------------------------------------
// Block Kit limits
// ---------------------------------------------------------------------------

interface LimitRow {
  name: string;
  limit: number;
  /** Builds a payload with `n` of the limited thing. */
  build: (n: number) => unknown;
  validate: (payload: unknown) => string[];
  /** The single error expected one past the limit. */
  error: string;
}

const messageRows: LimitRow[] = [
  {
    name: 'message blocks',
    limit: 50,
    build: (n) => Array.from({ length: n }, () => ({ type: 'divider' })),
    validate: validateMessageBlocks,
    error: '[ERROR] no more than 50 items allowed [json-pointer:/blocks]',
  },
  {
    name: 'section text',
    limit: 3000,
    build: (n) => [section({ text: mrkdwn(x(n)) })],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
  },
  {
    name: 'section fields count',
    limit: 10,
    build: (n) => [section({ fields: Array.from({ length: n }, () => mrkdwn('f')) })],
    validate: validateMessageBlocks,
    error: '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/fields]',
  },
  {
    name: 'section field text',
    limit: 2000,
    build: (n) => [section({ fields: [mrkdwn(x(n))] })],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
  },
  {
    name: 'header text',
    limit: 150,
    build: (n) => [{ type: 'header', text: plain(x(n)) }],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]',
  },
  {
    name: 'button text',
    limit: 75,
    build: (n) => [{ type: 'actions', elements: [button(0, { text: plain(x(n)) })] }],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
  },
  {
    name: 'action_id',
    limit: 255,
    build: (n) => [{ type: 'actions', elements: [button(0, { action_id: x(n) })] }],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
  },
  {
    name: 'button value',
    limit: 2000,
    build: (n) => [{ type: 'actions', elements: [button(0, { value: x(n) })] }],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
  },
  {
    name: 'block_id',
    limit: 255,
    build: (n) => [{ type: 'divider', block_id: x(n) }],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/block_id]',
  },
  {
    name: 'actions block elements',
    limit: 25,
    build: (n) => [{ type: 'actions', elements: Array.from({ length: n }, (_, i) => button(i)) }],
    validate: validateMessageBlocks,
    error: '[ERROR] no more than 25 items allowed [json-pointer:/blocks/0/elements]',
  },
  {
    name: 'context block elements',
    limit: 10,
    build: (n) => [{ type: 'context', elements: Array.from({ length: n }, () => mrkdwn('c')) }],
    validate: validateMessageBlocks,
    error: '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/elements]',
  },
  {
    name: 'option text',
    limit: 75,
    build: (n) => [
      section({
        text: mrkdwn('pick'),
        accessory: { type: 'static_select', action_id: 's', options: [option(0, { text: plain(x(n)) })] },
      }),
    ],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/accessory/options/0/text/text]',
  },
  {
    name: 'option value',
    limit: 150,
    build: (n) => [
      section({
        text: mrkdwn('pick'),
        accessory: { type: 'static_select', action_id: 's', options: [option(0, { value: x(n) })] },
      }),
    ],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/accessory/options/0/value]',
  },
  {
    name: 'static_select options',
    limit: 100,
    build: (n) => [
      section({
        text: mrkdwn('pick'),
        accessory: {
          type: 'static_select',
          action_id: 's',
          options: Array.from({ length: n }, (_, i) => option(i)),
        },
      }),
    ],
    validate: validateMessageBlocks,
    error: '[ERROR] no more than 100 items allowed [json-pointer:/blocks/0/accessory/options]',
  },
  {
    name: 'overflow options',
    limit: 5,
    build: (n) => [overflowLine(Array.from({ length: n }, (_, i) => option(i)))],
    validate: validateMessageBlocks,
    error: '[ERROR] no more than 5 items allowed [json-pointer:/blocks/0/accessory/options]',
  },
  {
    name: 'overflow option text',
    limit: 75,
    build: (n) => [overflowLine([option(0, { text: plain(x(n)) }), option(1)])],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/accessory/options/0/text/text]',
  },
  {
    name: 'overflow option value',
    limit: 150,
    build: (n) => [overflowLine([option(0), option(1, { value: x(n) })])],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/accessory/options/1/value]',
  },
  {
    name: 'overflow action_id',
    limit: 255,
    build: (n) => [overflowLine([option(0), option(1)], x(n))],
    validate: validateMessageBlocks,
    error: '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/accessory/action_id]',
  },
];

const input = (over: Record<string, unknown> = {}) => ({
  type: 'input',
  label: plain('Name'),
  element: { type: 'plain_text_input', action_id: 'name' },
  ...over,
});

const viewRows: LimitRow[] = [
  {
    name: 'modal blocks',
    limit: 100,
    build: (n) => modal({ blocks: Array.from({ length: n }, () => ({ type: 'divider' })) }),
    validate: validateView,
    error: '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]',
  },
  {
    name: 'home tab blocks',
    limit: 100,
    build: (n) => ({ type: 'home', blocks: Array.from({ length: n }, () => ({ type: 'divider' })) }),
    validate: validateView,
    error: '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]',
  },
  {
    name: 'modal title',
    limit: 24,
    build: (n) => modal({ title: plain(x(n)) }),
    validate: validateView,
    error: '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
  },
  {
    name: 'modal submit',
    limit: 24,
    build: (n) => modal({ submit: plain(x(n)) }),
    validate: validateView,
    error: '[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]',
  },
  {
    name: 'modal close',
    limit: 24,
    build: (n) => modal({ close: plain(x(n)) }),
    validate: validateView,
    error: '[ERROR] must be less than 25 characters [json-pointer:/view/close/text]',
  },
  {
    name: 'input label',
    limit: 2000,
    build: (n) => modal({ submit: plain('Save'), blocks: [input({ label: plain(x(n)) })] }),
    validate: validateView,
    error: '[ERROR] must be less than 2001 characters [json-pointer:/view/blocks/0/label/text]',
  },
  {
    name: 'plain_text_input max_length',
    limit: 3000,
    build: (n) =>
      modal({
        submit: plain('Save'),
        blocks: [input({ element: { type: 'plain_text_input', action_id: 'a', max_length: n } })],
      }),
    validate: validateView,
    error: '[ERROR] must be less than or equal to 3000 [json-pointer:/view/blocks/0/element/max_length]',
  },
];

describe('block-kit-limits', () => {
  it.each([...messageRows, ...viewRows])('$name: accepted at $limit, refused one past it', (row) => {
    expect(row.validate(row.build(row.limit))).toEqual([]);
    expect(row.validate(row.build(row.limit + 1))).toEqual([row.error]);
  });

  it('exposes the limits it enforces', () => {
    expect(LIMITS).toMatchObject({
      messageBlocks: 50,
      viewBlocks: 100,
      sectionText: 3000,
      headerText: 150,
      modalTitle: 24,
    });
  });

  it('refuses message text past 40,000 characters, counting an emoji as one character', () => {
    expect(isMessageTextTooLong(x(40_000))).toBe(false);
    expect(isMessageTextTooLong(x(40_001))).toBe(true);
    expect(isMessageTextTooLong('🪨'.repeat(40_000))).toBe(false);
  });

  it('requires block_id to be unique within the payload', () => {
    const blocks = [
      { type: 'divider', block_id: 'same' },
      { type: 'divider', block_id: 'same' },
    ];
    expect(validateMessageBlocks(blocks)).toEqual([
      '[ERROR] duplicate block_id: same [json-pointer:/blocks/1/block_id]',
    ]);
    expect(validateMessageBlocks([blocks[0], { type: 'divider', block_id: 'other' }])).toEqual([]);
  });

  it('refuses an overflow menu of fewer than 2 options, or with an option in mrkdwn or without a value', () => {
    expect(validateMessageBlocks([overflowLine([option(0)])])).toEqual([
      '[ERROR] must provide at least 2 items [json-pointer:/blocks/0/accessory/options]',
    ]);
    expect(validateMessageBlocks([overflowLine([option(0), option(1)])])).toEqual([]);
    expect(validateMessageBlocks([overflowLine([option(0, { text: mrkdwn('*o*') }), option(1)])])).toEqual([
      '[ERROR] unsupported type: mrkdwn; expected one of: plain_text [json-pointer:/blocks/0/accessory/options/0/text/type]',
    ]);
    expect(validateMessageBlocks([overflowLine([option(0), { text: plain('o1') }])])).toEqual([
      '[ERROR] missing required field: value [json-pointer:/blocks/0/accessory/options/1]',
    ]);
    expect(validateMessageBlocks([overflowLine([option(0), option(1, { url: x(3001) })])])).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/accessory/options/1/url]',
    ]);
  });

  it('refuses a modal with an input block but no submit button', () => {
    expect(validateView(modal({ blocks: [input()] }))).toEqual([
      '[ERROR] must define `submit` to use an `input` block in modals [json-pointer:/view/submit]',
    ]);
    expect(validateView(modal({ blocks: [input()], submit: plain('Save') }))).toEqual([]);
  });

  it('refuses empty text, unknown block types and a header in mrkdwn', () => {
    expect(validateMessageBlocks([section({ text: mrkdwn('') })])).toEqual([
      '[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(validateMessageBlocks([{ type: 'sectoin' }])).toEqual([
      '[ERROR] unsupported type: sectoin [json-pointer:/blocks/0/type]',
    ]);
    expect(validateMessageBlocks([{ type: 'header', text: mrkdwn('*x*') }])).toHaveLength(1);
    expect(validateView({ type: 'dialog' })).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// The fake Web API, driven by a real WebClient
// ---------------------------------------------------------------------------

describe('FakeSlack with a real WebClient', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    client = clientFor(fake);
  });
  afterAll(async () => fake.stop());
  beforeEach(() => {
    fake.reset();
    fake.setRateLimiting(true);
  });

  it('serves on loopback with a slackApiUrl-shaped address', () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('answers auth.test for the bot token', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, team_id: 'T0001', user_id: 'UBOT', bot_id: 'B0001' });
  });

  it('records chat.postMessage with its blocks and metadata parsed from the form body', async () => {
    const blocks = [section({ text: mrkdwn('*Status*: green') })];
    const metadata = { event_type: 'cairn_status', event_payload: { program: 'P1' } };
    const res = await client.chat.postMessage({ channel: 'C1', text: 'Status: green', blocks, metadata });

    expect(res.ok).toBe(true);
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    const [call] = fake.calls('chat.postMessage');
    expect(call?.token).toBe('xoxb-test-token');
    expect(call?.args['blocks']).toEqual(blocks);
    expect(call?.args['metadata']).toEqual(metadata);
    expect(call?.status).toBe(200);
    expect(fake.messages('C1')).toEqual([
      { ts: res.ts, text: 'Status: green', blocks, metadata, user: 'UBOT' },
    ]);
  });

  it('gives unique, increasing ts values', async () => {
    fake.setRateLimiting(false);
    const tss: string[] = [];
    for (let i = 0; i < 5; i++)
      tss.push(String((await client.chat.postMessage({ channel: 'C1', text: `m${i}` })).ts));
    expect(new Set(tss).size).toBe(5);
    expect([...tss].sort()).toEqual(tss);
  });

  it('rate limits a second post to the same channel within a second: HTTP 429 with Retry-After', async () => {
    const strict = clientFor(fake, { rejectRateLimitedCalls: true });
    await strict.chat.postMessage({ channel: 'C1', text: 'one' });
    const err = await rejection(strict.chat.postMessage({ channel: 'C1', text: 'two' }));
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(1);
    expect(fake.calls('chat.postMessage').map((c) => [c.status, c.response['error']])).toEqual([
      [200, undefined],
      [429, 'ratelimited'],
    ]);
    // another channel has its own allowance
    await expect(strict.chat.postMessage({ channel: 'C2', text: 'elsewhere' })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.messages('C1')).toHaveLength(1);
  });

  it('sends the Retry-After header itself (seen without WebClient)', async () => {
    const post = () =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${fake.botToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ channel: 'C9', text: 'hi' }),
      });
    expect((await post()).status).toBe(200);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('does not rate limit when rate limiting is off', async () => {
    fake.setRateLimiting(false);
    await client.chat.postMessage({ channel: 'C1', text: 'one' });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'two' })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['one', 'two']);
  });

  it('lets a retrying WebClient through after Retry-After', async () => {
    await client.chat.postMessage({ channel: 'C1', text: 'first' });
    const retrying = clientFor(fake, { retryConfig: { retries: 2 } });
    const res = await retrying.chat.postMessage({ channel: 'C1', text: 'second' });
    expect(res.ok).toBe(true);
    // The fake answers 429 until a second has passed since the last post: the 200 proves the wait.
    const second = fake.calls('chat.postMessage').slice(1);
    expect(second.map((c) => c.status)).toEqual([429, 200]);
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['first', 'second']);
  }, 15_000);

  it('fails an injected HTTP 500 once, then succeeds for a client that retries', async () => {
    fake.injectError('chat.postMessage', { status: 500 });
    const retrying = clientFor(fake, { retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 10 } });
    await expect(retrying.chat.postMessage({ channel: 'C1', text: 'hi' })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([500, 200]);
  });

  it('surfaces an injected HTTP 500 as an HTTP error to a client that does not retry', async () => {
    fake.injectError('users.info', { status: 500, times: 2 });
    fake.setUser({ id: 'U1' });
    expect(await rejection(client.users.info({ user: 'U1' }))).toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 500,
    });
    expect(await rejection(client.users.info({ user: 'U1' }))).toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 500,
    });
    await expect(client.users.info({ user: 'U1' })).resolves.toMatchObject({ ok: true });
  });

  it('surfaces an injected {error} as the platform error, once', async () => {
    fake.injectError('chat.postMessage', { error: 'channel_not_found' });
    const err = await rejection(client.chat.postMessage({ channel: 'C1', text: 'hi' }));
    expect(err.code).toBe(ErrorCode.PlatformError);
    expect(err.data?.['error']).toBe('channel_not_found');
    expect(fake.calls('chat.postMessage')[0]?.status).toBe(200);
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).resolves.toMatchObject({ ok: true });
  });

  it('injects a 429 with the Retry-After asked for', async () => {
    fake.injectError('views.publish', { status: 429, retryAfter: 7 });
    const strict = clientFor(fake, { rejectRateLimitedCalls: true });
    const err = await rejection(strict.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } }));
    expect(err).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
  });

  it('refuses bad tokens: invalid_auth, and not_authed without one', async () => {
    const wrong = clientFor(fake, {}, 'xoxb-wrong');
    expect((await rejection(wrong.auth.test())).data?.['error']).toBe('invalid_auth');
    const none = new WebClient(undefined, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: silentSlackLogger,
    });
    expect((await rejection(none.auth.test())).data?.['error']).toBe('not_authed');
    expect(fake.calls('auth.test').map((c) => c.token)).toEqual(['xoxb-wrong', undefined]);
  });

  it('answers unknown_method for a method it does not implement', async () => {
    expect((await rejection(client.apiCall('reactions.add', { channel: 'C1' }))).data?.['error']).toBe(
      'unknown_method',
    );
    expect(fake.calls('reactions.add')).toHaveLength(1);
  });

  it('refuses blocks past the limits with invalid_blocks and Slack-style messages', async () => {
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const err = await rejection(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: tooMany }));
    expect(err.data).toMatchObject({
      error: 'invalid_blocks',
      errors: ['no more than 50 items allowed [json-pointer:/blocks]'],
      response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] },
    });
    expect(fake.messages('C1')).toEqual([]);
  });

  it('answers msg_too_long, no_text and invalid_blocks_format as chat.postMessage documents', async () => {
    fake.setRateLimiting(false);
    expect(
      (await rejection(client.chat.postMessage({ channel: 'C1', text: x(40_001) }))).data?.['error'],
    ).toBe('msg_too_long');
    expect((await rejection(client.apiCall('chat.postMessage', { channel: 'C1' }))).data?.['error']).toBe(
      'no_text',
    );
    expect(
      (await rejection(client.apiCall('chat.postMessage', { channel: 'C1', blocks: '[not json' }))).data?.[
        'error'
      ],
    ).toBe('invalid_blocks_format');
    await expect(client.chat.postMessage({ channel: 'C1', text: x(40_000) })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('updates and deletes stored messages, and refuses unknown ones', async () => {
    fake.setRateLimiting(false);
    const { ts } = await client.chat.postMessage({
      channel: 'C1',
      text: 'draft',
      blocks: [section({ text: mrkdwn('v1') })],
    });
    await client.chat.update({ channel: 'C1', ts: String(ts), text: 'final' });
    expect(fake.messages('C1')[0]).toMatchObject({
      text: 'final',
      blocks: [section({ text: mrkdwn('v1') })],
    });
    expect(
      (await rejection(client.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }))).data?.['error'],
    ).toBe('message_not_found');
    const tooLong = [section({ text: mrkdwn(x(3001)) })];
    expect(
      (await rejection(client.chat.update({ channel: 'C1', ts: String(ts), text: 'x', blocks: tooLong })))
        .data?.['error'],
    ).toBe('invalid_blocks');
    await client.chat.delete({ channel: 'C1', ts: String(ts) });
    expect(fake.messages('C1')).toEqual([]);
  });

  it('stores ephemeral messages apart from history', async () => {
    const res = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.ephemeralMessages('C1')).toMatchObject([{ user: 'U1', text: 'only you' }]);
    expect((await client.conversations.history({ channel: 'C1' })).messages).toEqual([]);
  });

  it('returns history newest first, with metadata only when include_all_metadata is set', async () => {
    fake.setRateLimiting(false);
    const metadata = { event_type: 'cairn_digest', event_payload: { week: 47 } };
    const first = await client.chat.postMessage({ channel: 'C1', text: 'one', metadata });
    const second = await client.chat.postMessage({ channel: 'C1', text: 'two' });
    await client.chat.postMessage({ channel: 'C1', text: 'reply', thread_ts: String(first.ts) });

    const plainHistory = await client.conversations.history({ channel: 'C1' });
    expect(plainHistory.messages?.map((m) => m.text)).toEqual(['two', 'one']);
    expect(plainHistory.messages?.[1]).not.toHaveProperty('metadata');
    expect(plainHistory.messages?.[1]).toMatchObject({ reply_count: 1, thread_ts: first.ts });

    const withMetadata = await client.conversations.history({ channel: 'C1', include_all_metadata: true });
    expect(withMetadata.messages?.[1]?.metadata).toEqual(metadata);

    const newer = await client.conversations.history({ channel: 'C1', oldest: String(first.ts) });
    expect(newer.messages?.map((m) => m.ts)).toEqual([second.ts]);
    const page = await client.conversations.history({ channel: 'C1', limit: 1 });
    expect(page).toMatchObject({ has_more: true, messages: [{ text: 'two' }] });
    const rest = await client.conversations.history({
      channel: 'C1',
      limit: 1,
      cursor: page.response_metadata?.next_cursor,
    });
    expect(rest).toMatchObject({ has_more: false, messages: [{ text: 'one' }] });
  });

  it('returns a thread with conversations.replies and a permalink for a message', async () => {
    fake.setRateLimiting(false);
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'parent' });
    await client.chat.postMessage({ channel: 'C1', text: 'child', thread_ts: String(parent.ts) });
    const thread = await client.conversations.replies({ channel: 'C1', ts: String(parent.ts) });
    expect(thread.messages?.map((m) => m.text)).toEqual(['parent', 'child']);
    const link = await client.chat.getPermalink({ channel: 'C1', message_ts: String(parent.ts) });
    expect(link.permalink).toBe(
      `https://cairn-test.slack.com/archives/C1/p${String(parent.ts).replace('.', '')}`,
    );
    expect(
      (await rejection(client.chat.getPermalink({ channel: 'C1', message_ts: '1.000001' }))).data?.['error'],
    ).toBe('message_not_found');
  });

  it('reads seeded messages from people, which the app may not edit', async () => {
    const ts = fake.seedMessage('C1', { user: 'U1', text: 'status: red' });
    const history = await client.conversations.history({ channel: 'C1' });
    expect(history.messages).toMatchObject([{ user: 'U1', text: 'status: red', ts }]);
    expect(history.messages?.[0]).not.toHaveProperty('bot_id');
    expect((await rejection(client.chat.update({ channel: 'C1', ts, text: 'green' }))).data?.['error']).toBe(
      'cant_update_message',
    );
  });

  it('opens a DM channel that is stable per user, and posts to a user id land there', async () => {
    const a = await client.conversations.open({ users: 'U1' });
    const b = await client.conversations.open({ users: 'U1' });
    const other = await client.conversations.open({ users: 'U2' });
    expect(a.channel?.id).toMatch(/^D/);
    expect(b.channel?.id).toBe(a.channel?.id);
    expect(other.channel?.id).not.toBe(a.channel?.id);
    const posted = await client.chat.postMessage({ channel: 'U1', text: 'hello' });
    expect(posted.channel).toBe(a.channel?.id);
    expect(fake.messages(String(a.channel?.id))).toMatchObject([{ text: 'hello' }]);
  });

  it('answers users.info from setUser, else user_not_found', async () => {
    fake.setUser({ id: 'U1', tz: 'Asia/Kolkata', is_admin: true, name: 'asha' });
    const res = await client.users.info({ user: 'U1' });
    expect(res.user).toMatchObject({
      id: 'U1',
      tz: 'Asia/Kolkata',
      tz_offset: 19_800,
      is_admin: true,
      is_owner: false,
      name: 'asha',
      team_id: 'T0001',
    });
    expect((await rejection(client.users.info({ user: 'U404' }))).data?.['error']).toBe('user_not_found');
  });

  it('opens a modal for a fresh trigger once; a reused or unknown trigger is refused', async () => {
    const trigger = fake.issueTriggerId();
    expect(trigger).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    const res = await client.views.open({
      trigger_id: trigger,
      view: modal({ callback_id: 'new_program' }) as never,
    });
    expect(res.view).toMatchObject({ type: 'modal', callback_id: 'new_program', root_view_id: res.view?.id });
    expect(res.view?.id).toMatch(/^V/);
    expect(
      (await rejection(client.views.open({ trigger_id: trigger, view: modal() as never }))).data?.['error'],
    ).toBe('exchanged_trigger_id');
    expect(
      (await rejection(client.views.open({ trigger_id: '1.2.abc', view: modal() as never }))).data?.['error'],
    ).toBe('invalid_trigger_id');
  });

  it('refuses an invalid view with invalid_arguments and the Block Kit messages', async () => {
    const err = await rejection(
      client.views.open({ trigger_id: fake.issueTriggerId(), view: modal({ title: plain(x(25)) }) as never }),
    );
    expect(err.data).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
      },
    });
  });

  it('pushes onto the modal the trigger came from, at most 3 views deep', async () => {
    const root = await client.views.open({ trigger_id: fake.issueTriggerId(), view: modal() as never });
    const rootId = String(root.view?.id);
    const second = await client.views.push({
      trigger_id: fake.issueTriggerId({ viewId: rootId }),
      view: modal() as never,
    });
    expect(second.view).toMatchObject({ root_view_id: rootId, previous_view_id: rootId });
    await client.views.push({ trigger_id: fake.issueTriggerId({ viewId: rootId }), view: modal() as never });
    const err = await rejection(
      client.views.push({ trigger_id: fake.issueTriggerId({ viewId: rootId }), view: modal() as never }),
    );
    expect(err.data?.['error']).toBe('push_limit_reached');
  });

  it('follows a modal as the person sees it: the trigger that opened it, and what each answer to a submission does', async () => {
    const trigger = fake.issueTriggerId();
    const root = String((await client.views.open({ trigger_id: trigger, view: modal() as never })).view?.id);
    expect(fake.viewOpenedWith(trigger)).toBe(root);
    expect(fake.viewOpenedWith(fake.issueTriggerId())).toBeUndefined();
    expect(fake.shownModal(root)?.['id']).toBe(root);
    // errors: stays, with the errors
    expect(fake.answerSubmission(root, { response_action: 'errors', errors: { b1: 'Wrong' } })).toEqual({
      errors: { b1: 'Wrong' },
    });
    expect(fake.shownModal(root)?.['id']).toBe(root);
    // update: the same view, drawn anew; a view over Block Kit's limits is refused and changes nothing
    fake.answerSubmission(root, { response_action: 'update', view: modal({ title: plain('Again') }) });
    expect(fake.shownModal(root)).toMatchObject({ id: root, title: { text: 'Again' } });
    expect(
      fake.answerSubmission(root, { response_action: 'update', view: modal({ title: plain(x(25)) }) }),
    ).toEqual({
      problem: 'invalid_arguments',
    });
    // push: a second view on top; an empty answer closes only it, and the first shows again
    fake.answerSubmission(root, { response_action: 'push', view: modal({ title: plain('Second') }) });
    const second = String(fake.shownModal(root)?.['id']);
    expect(second).not.toBe(root);
    expect(fake.shownModal(root)?.['previous_view_id']).toBe(root);
    expect(fake.answerSubmission(second, undefined)).toEqual({});
    expect(fake.shownModal(root)?.['id']).toBe(root);
    // clear: the whole stack goes
    fake.answerSubmission(root, { response_action: 'push', view: modal() });
    fake.answerSubmission(String(fake.shownModal(root)?.['id']), { response_action: 'clear' });
    expect(fake.shownModal(root)).toBeUndefined();
    // the Close button: the top view leaves
    const other = String(
      (await client.views.open({ trigger_id: fake.issueTriggerId(), view: modal() as never })).view?.id,
    );
    fake.closeModal(other);
    expect(fake.shownModal(other)).toBeUndefined();
  });

  it('replaces or deletes the clicked message when its response_url says so, and only that message', async () => {
    const ts = fake.seedMessage('C0X', { user: fake.botUserId, text: 'before' });
    const other = { ts: fake.seedMessage('C0X', { user: fake.botUserId, text: 'other' }) };
    const post = (url: string, body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post(fake.responseUrl({ channel: 'C0X', ts }), { replace_original: true, text: 'after' });
    expect(fake.messages('C0X').map((m) => m.text)).toEqual(['after', 'other']);
    await post(fake.responseUrl(), { replace_original: true, text: 'nowhere' });
    expect(fake.messages('C0X').map((m) => m.text)).toEqual(['after', 'other']);
    await post(fake.responseUrl({ channel: 'C0X', ts }), { delete_original: true });
    expect(fake.messages('C0X').map((m) => m.ts)).toEqual([other.ts]);
  });

  it('updates a view, refusing a stale hash', async () => {
    const opened = await client.views.open({ trigger_id: fake.issueTriggerId(), view: modal() as never });
    const id = String(opened.view?.id);
    const updated = await client.views.update({
      view_id: id,
      hash: opened.view?.hash,
      view: modal({ title: plain('Saved') }) as never,
    });
    expect(updated.view).toMatchObject({ id, title: { text: 'Saved' } });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    const stale = await rejection(
      client.views.update({ view_id: id, hash: opened.view?.hash, view: modal() as never }),
    );
    expect(stale.data?.['error']).toBe('hash_conflict');
    expect(
      (await rejection(client.views.update({ view_id: 'V404', view: modal() as never }))).data?.['error'],
    ).toBe('not_found');
  });

  it('publishes a Home tab per user and refuses a modal there', async () => {
    const home = { type: 'home' as const, blocks: [section({ text: mrkdwn('*Programs*') })] };
    await client.views.publish({ user_id: 'U1', view: home as never });
    expect(fake.homeView('U1')).toMatchObject(home);
    const err = await rejection(client.views.publish({ user_id: 'U1', view: modal() as never }));
    expect(err.data?.['error']).toBe('invalid_arguments');
  });

  it('accepts JSON bodies and never crashes on malformed ones', async () => {
    const post = (contentType: string, body: string, auth = true) =>
      fetch(`${fake.apiUrl}auth.test`, {
        method: 'POST',
        headers: {
          'Content-Type': contentType,
          ...(auth ? { Authorization: `Bearer ${fake.botToken}` } : {}),
        },
        body,
      }).then(async (r) => [r.status, await r.json()]);
    expect(await post('application/json', '{"ok":')).toEqual([200, { ok: false, error: 'invalid_json' }]);
    expect(await post('application/json', '[1,2]')).toEqual([200, { ok: false, error: 'invalid_json' }]);
    expect(await post('application/x-www-form-urlencoded', 'a=%E0%A4%A')).toEqual([
      200,
      { ok: false, error: 'invalid_form_data' },
    ]);
    expect(await post('application/x-www-form-urlencoded', `token=${fake.botToken}`, false)).toEqual([
      200,
      expect.objectContaining({ ok: true }),
    ]);
    expect(fake.calls('auth.test').map((c) => c.response['error'])).toEqual([
      'invalid_json',
      'invalid_json',
      'invalid_form_data',
      undefined,
    ]);
    expect(fake.calls('auth.test')[3]?.args).toEqual({});
  });

  it('records JSON posted to a response_url; an unknown one is 404, and a sixth use is refused', async () => {
    const url = fake.responseUrl();
    const post = (u: string, body: unknown) =>
      fetch(u, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const waiting = fake.waitForResponse((r) => r.body['text'] === 'done');
    expect((await post(url, { text: 'done', response_type: 'ephemeral' })).status).toBe(200);
    expect((await waiting).body).toEqual({ text: 'done', response_type: 'ephemeral' });
    expect((await post(`${url}x`, { text: 'lost' })).status).toBe(404);
    expect((await post(url, { text: x(10), blocks: [section({ text: mrkdwn(x(3001)) })] })).status).toBe(400);
    for (let i = 0; i < 4; i++) expect((await post(url, { text: `again ${i}` })).status).toBe(200);
    expect((await post(url, { text: 'sixth' })).status).toBe(404);
    expect(fake.responses()).toHaveLength(5);
  });

  it('waits for a call still to come, and times out with what it saw', async () => {
    const waiting = fake.waitForCall('chat.postMessage', (c) => c.args['channel'] === 'C7');
    setTimeout(() => void client.chat.postMessage({ channel: 'C7', text: 'later' }), 20);
    expect((await waiting).args['text']).toBe('later');
    await expect(fake.waitForCall('views.open', undefined, 50)).rejects.toThrow(
      /timed out after 50 ms waiting for a views.open call; calls so far: \[chat.postMessage→ok\]/,
    );
  });

  it('forgets calls, messages and injected errors on reset', async () => {
    fake.injectError('auth.test', { error: 'account_inactive' });
    await client.chat.postMessage({ channel: 'C1', text: 'x' });
    fake.reset();
    expect(fake.calls()).toEqual([]);
    expect(fake.messages('C1')).toEqual([]);
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'y' })).resolves.toMatchObject({ ok: true }); // rate limit memory too
  });
});

describe('FakeSlack on a test clock', () => {
  let clock = 1_700_000_000_000;
  let fake: FakeSlack;
  let client: WebClient;

  beforeAll(async () => {
    fake = await FakeSlack.start({ now: () => clock });
    client = clientFor(fake);
  });
  afterAll(async () => fake.stop());

  it('expires a trigger_id 3 seconds after it was issued', async () => {
    const fresh = fake.issueTriggerId();
    clock += 2999;
    await expect(client.views.open({ trigger_id: fresh, view: modal() as never })).resolves.toMatchObject({
      ok: true,
    });
    const old = fake.issueTriggerId();
    clock += 3000;
    expect(
      (await rejection(client.views.open({ trigger_id: old, view: modal() as never }))).data?.['error'],
    ).toBe('expired_trigger_id');
  });

  it('rate limits by the clock: a post a second later is allowed', async () => {
    const strict = clientFor(fake, { rejectRateLimitedCalls: true });
    await client.chat.postMessage({ channel: 'C1', text: 'one' });
    clock += 999;
    expect((await rejection(strict.chat.postMessage({ channel: 'C1', text: 'two' }))).code).toBe(
      ErrorCode.RateLimitedError,
    );
    clock += 1;
    const res = await client.chat.postMessage({ channel: 'C1', text: 'two' });
    expect(res.ts?.startsWith(String(Math.floor(clock / 1000)))).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// OAuth installs and several workspaces
// ---------------------------------------------------------------------------

describe('FakeSlack OAuth installs and workspaces', () => {
  const APP = {
    clientId: '1111.2222',
    clientSecret: 'c0ffee0123456789',
    redirectUrl: 'http://app.test/back',
  };
  let clock = 1_700_000_000_000;
  let fake: FakeSlack;

  beforeAll(async () => {
    fake = await FakeSlack.start({ now: () => clock });
    fake.setOAuthApp(APP);
    fake.addWorkspace({ teamId: 'TAAA', teamName: 'Acme' });
    fake.addWorkspace({ teamId: 'TBBB', teamName: 'Globex', botUserId: 'UBOTB', botId: 'BBBB' });
  });
  afterAll(async () => fake.stop());

  /** As Bolt's installer calls oauth.v2.access: with no token, the client's credentials in the form. */
  const noToken = () =>
    new WebClient(undefined, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: silentSlackLogger,
    });

  /** The browser at the authorize URL: where Slack sends it back, and with what. */
  async function approve(
    teamId: string,
    query: Record<string, string> = {},
  ): Promise<{ status: number; location: URL | undefined; text: string }> {
    fake.signIn({ teamId, userId: `U${teamId}` });
    const url = new URL('../oauth/v2/authorize', fake.apiUrl);
    url.search = new URLSearchParams({
      client_id: APP.clientId,
      scope: 'commands,chat:write',
      state: 'st4te',
      ...query,
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    return { status: res.status, location: location ? new URL(location) : undefined, text: await res.text() };
  }

  async function codeFor(teamId: string): Promise<string> {
    const back = await approve(teamId);
    return back.location!.searchParams.get('code')!;
  }

  const exchange = (code: string, over: Record<string, string> = {}) =>
    noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code, ...over });

  it('approves at the authorize URL: back to the registered redirect URL with a code and the state', async () => {
    const back = await approve('TAAA');
    expect(back.status).toBe(302);
    expect(back.location?.origin + back.location!.pathname).toBe(APP.redirectUrl);
    expect(back.location?.searchParams.get('state')).toBe('st4te');
    expect(back.location?.searchParams.get('code')).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
    expect(fake.authorizations().at(-1)).toMatchObject({
      clientId: APP.clientId,
      scopes: ['commands', 'chat:write'],
      state: 'st4te',
      teamId: 'TAAA',
      userId: 'UTAAA',
    });
    const elsewhere = await approve('TAAA', { redirect_uri: 'http://app.test/other' });
    expect(elsewhere.location?.href).toMatch(/^http:\/\/app\.test\/other\?code=/);
    expect((await approve('TAAA', { client_id: '9.9' })).status).toBe(400);
  });

  it('exchanges a code once for the workspace bot token, in oauth.v2.access shape', async () => {
    const code = await codeFor('TBBB');
    const res = await exchange(code);
    expect(res).toMatchObject({
      ok: true,
      token_type: 'bot',
      scope: 'commands,chat:write',
      bot_user_id: 'UBOTB',
      app_id: 'A0001',
      team: { id: 'TBBB', name: 'Globex' },
      enterprise: null,
      authed_user: { id: 'UTBBB' },
      is_enterprise_install: false,
    });
    expect(res.access_token).toMatch(/^xoxb-TBBB-/);
    expect(res.access_token).toBe(fake.tokenOf('TBBB'));
    expect((await rejection(exchange(code))).data?.['error']).toBe('invalid_code');
    expect((await rejection(exchange('1.2.nope'))).data?.['error']).toBe('invalid_code');
  });

  it('takes the client credentials by HTTP Basic authentication, and refuses wrong ones', async () => {
    const call = (authorization: string, code: string) =>
      fetch(new URL('oauth.v2.access', fake.apiUrl), {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ code }).toString(),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    expect(await call(basic(APP.clientId, 'wrong'), await codeFor('TAAA'))).toEqual({
      ok: false,
      error: 'bad_client_secret',
    });
    expect(await call(basic('9.9', APP.clientSecret), await codeFor('TAAA'))).toEqual({
      ok: false,
      error: 'invalid_client_id',
    });
    expect(await call(basic(APP.clientId, APP.clientSecret), await codeFor('TAAA'))).toMatchObject({
      ok: true,
      team: { id: 'TAAA' },
    });
  });

  it('lets a code expire after ten minutes, and holds it to the redirect_uri it was issued for', async () => {
    const code = await codeFor('TAAA');
    clock += 10 * 60 * 1000 + 1;
    expect((await rejection(exchange(code))).data?.['error']).toBe('invalid_code');
    const back = await approve('TAAA', { redirect_uri: 'http://app.test/other' });
    const bound = back.location!.searchParams.get('code')!;
    expect((await rejection(exchange(bound))).data?.['error']).toBe('bad_redirect_uri');
  });

  it('answers auth.test and records each call per token, and keeps workspaces apart', async () => {
    const a = (await exchange(await codeFor('TAAA'))).access_token!;
    const b = (await exchange(await codeFor('TBBB'))).access_token!;
    expect(a).not.toBe(b);
    expect(await clientFor(fake, {}, a).auth.test()).toMatchObject({
      team_id: 'TAAA',
      team: 'Acme',
      user_id: 'UBOTTAAA',
      bot_id: 'BTAAA',
    });
    expect(await clientFor(fake, {}, b).auth.test()).toMatchObject({ team_id: 'TBBB', user_id: 'UBOTB' });
    // The default workspace is still there, with its own token.
    expect(await clientFor(fake).auth.test()).toMatchObject({ team_id: 'T0001', user_id: 'UBOT' });
    expect(
      fake
        .calls('auth.test')
        .slice(-3)
        .map((c) => c.teamId),
    ).toEqual(['TAAA', 'TBBB', 'T0001']);
    expect(fake.teamOfToken(a)).toBe('TAAA');
    // A second install of a workspace whose token still holds gives the same token.
    expect((await exchange(await codeFor('TAAA'))).access_token).toBe(a);
  });

  it('answers token_revoked once a workspace revokes its tokens, and a new install gets a new token', async () => {
    const old = fake.tokenOf('TAAA') ?? (await exchange(await codeFor('TAAA'))).access_token!;
    fake.revokeTokens('TAAA');
    expect(fake.tokenOf('TAAA')).toBeUndefined();
    expect(
      (await rejection(clientFor(fake, {}, old).chat.postMessage({ channel: 'C1', text: 'x' }))).data?.[
        'error'
      ],
    ).toBe('token_revoked');
    expect(fake.calls('chat.postMessage').at(-1)).toMatchObject({ token: old, teamId: 'TAAA' });
    const fresh = (await exchange(await codeFor('TAAA'))).access_token!;
    expect(fresh).not.toBe(old);
    await expect(clientFor(fake, {}, fresh).auth.test()).resolves.toMatchObject({ team_id: 'TAAA' });
    // Another workspace's token is untouched.
    await expect(clientFor(fake, {}, fake.tokenOf('TBBB')!).auth.test()).resolves.toMatchObject({ ok: true });
    expect((await rejection(clientFor(fake, {}, 'xoxb-never-issued').auth.test())).data?.['error']).toBe(
      'invalid_auth',
    );
  });
});

// ---------------------------------------------------------------------------
// The driver, checked by an independent verifier
// ---------------------------------------------------------------------------

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  verified: boolean;
  body: Record<string, unknown>;
}

const SECRET = 'test-signing-secret-0123456789ab';

/** Slack's verification recipe, written out independently of the driver. */
function verify(secret: string, headers: http.IncomingHttpHeaders, raw: string): boolean {
  const ts = headers['x-slack-request-timestamp'];
  const sig = headers['x-slack-signature'];
  if (typeof ts !== 'string' || typeof sig !== 'string') return false;
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 60 * 5) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${ts}:${raw}`).digest('hex')}`);
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseReceived(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (contentType === 'application/json') return JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}

describe('SlackDriver', () => {
  let server: http.Server;
  let received: Received[] = [];
  let fake: FakeSlack;
  let driver: SlackDriver;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const verified = verify(SECRET, req.headers, raw);
        received.push({
          headers: req.headers,
          raw,
          verified,
          body: parseReceived(req.headers['content-type'], raw),
        });
        res.writeHead(verified ? 200 : 401, { 'Content-Type': 'application/json' });
        res.end(verified ? '{"received":true}' : '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    driver = new SlackDriver({ appUrl: `http://127.0.0.1:${port}`, signingSecret: SECRET, fakeSlack: fake });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fake.stop();
  });
  beforeEach(() => {
    received = [];
    fake.reset();
  });

  it('sends a slash command form-encoded, exactly as Slack does, with every field', async () => {
    const res = await driver.slashCommand({
      command: '/cairn',
      text: 'status P1',
      userId: 'U1',
      channelId: 'C1',
    });
    expect(res).toMatchObject({ status: 200, json: { received: true } });
    expect(Number.isFinite(res.elapsedMs)).toBe(true);
    const [got] = received;
    expect(got?.verified).toBe(true);
    expect(got?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.keys(got?.body ?? {}).sort()).toEqual(
      [
        'api_app_id',
        'channel_id',
        'channel_name',
        'command',
        'is_enterprise_install',
        'response_url',
        'team_domain',
        'team_id',
        'text',
        'token',
        'trigger_id',
        'user_id',
        'user_name',
      ].sort(),
    );
    expect(got?.body).toMatchObject({
      command: '/cairn',
      text: 'status P1',
      user_id: 'U1',
      channel_id: 'C1',
      team_id: 'T0001',
    });
    expect(String(got?.body['response_url'])).toMatch(
      new RegExp(`^${fake.apiUrl.replace('/api/', '')}/response/`),
    );
    expect(res.sent).toEqual(got?.body);
  });

  it('hands out a trigger_id and response_url the fake honours', async () => {
    await driver.slashCommand({ command: '/cairn' });
    const body = received[0]?.body ?? {};
    const client = clientFor(fake);
    await expect(
      client.views.open({ trigger_id: String(body['trigger_id']), view: modal() as never }),
    ).resolves.toMatchObject({ ok: true });
    const r = await fetch(String(body['response_url']), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"text":"ok"}',
    });
    expect(r.status).toBe(200);
  });

  it('adds enterprise fields only for an enterprise', async () => {
    await driver.slashCommand({ command: '/cairn', enterpriseId: 'E1' });
    expect(received[0]?.body).toMatchObject({ enterprise_id: 'E1' });
    await driver.slashCommand({ command: '/cairn' });
    expect(received[1]?.body).not.toHaveProperty('enterprise_id');
  });

  it('sends a block action as a single form field `payload` holding JSON', async () => {
    const actions = [{ type: 'button', action_id: 'approve', block_id: 'b1', value: 'P1', action_ts: '1.2' }];
    await driver.blockAction({ actions });
    const got = received[0];
    expect(got?.verified).toBe(true);
    expect(got?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.keys(got?.body ?? {})).toEqual(['payload']);
    const payload = JSON.parse(String(got?.body['payload'])) as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: 'block_actions',
      actions,
      team: { id: 'T0001' },
      user: { id: 'U0PM' },
      container: { type: 'message' },
    });
    expect(String(payload['response_url'])).toContain('/response/');
    expect(String(payload['trigger_id'])).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
  });

  it('sends a block action from a modal without channel or response_url', async () => {
    await driver.blockAction({ view: { id: 'V1', type: 'modal' }, actions: [] });
    const payload = JSON.parse(String(received[0]?.body['payload'])) as Record<string, unknown>;
    expect(payload).toMatchObject({ container: { type: 'view', view_id: 'V1' }, view: { id: 'V1' } });
    expect(payload).not.toHaveProperty('response_url');
    expect(payload).not.toHaveProperty('channel');
  });

  it('sends a view submission with the given view over a default modal', async () => {
    await driver.viewSubmission({
      view: {
        callback_id: 'new_program',
        state: { values: { b: { a: { type: 'plain_text_input', value: 'Apollo' } } } },
      },
    });
    const payload = JSON.parse(String(received[0]?.body['payload'])) as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: 'view_submission',
      view: {
        type: 'modal',
        callback_id: 'new_program',
        state: { values: { b: { a: { value: 'Apollo' } } } },
      },
      response_urls: [],
    });
  });

  it('sends an event callback as JSON, with redelivery headers when asked', async () => {
    await driver.event(
      { type: 'app_home_opened', user: 'U1', tab: 'home' },
      { retryNum: 1, retryReason: 'http_timeout' },
    );
    const got = received[0];
    expect(got?.verified).toBe(true);
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.headers['x-slack-retry-num']).toBe('1');
    expect(got?.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(got?.body).toMatchObject({
      type: 'event_callback',
      team_id: 'T0001',
      event: { type: 'app_home_opened', user: 'U1' },
    });
    expect(String(got?.body['event_id'])).toMatch(/^Ev/);
  });

  it('raw: a wrong signature, no signature and a stale timestamp are all refused by the verifier', async () => {
    const body = '{"type":"url_verification","challenge":"c"}';
    expect((await driver.raw(body, { contentType: 'application/json' })).status).toBe(200);
    expect((await driver.raw(body, { contentType: 'application/json', signature: 'wrong' })).status).toBe(
      401,
    );
    expect((await driver.raw(body, { contentType: 'application/json', signature: 'none' })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await driver.raw(body, { contentType: 'application/json', timestamp: stale })).status).toBe(401);
    expect(received.map((r) => r.verified)).toEqual([true, false, false, false]);
    expect(received[1]?.headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(received[2]?.headers).not.toHaveProperty('x-slack-signature');
    expect(received[2]?.headers).not.toHaveProperty('x-slack-request-timestamp');
    expect(received[3]?.headers['x-slack-request-timestamp']).toBe(String(stale));
  });
});

// ---------------------------------------------------------------------------
// End to end: a real Bolt receiver between the driver and the fake
// ---------------------------------------------------------------------------

describe('SlackDriver → Bolt HTTPReceiver → FakeSlack', () => {
  let fake: FakeSlack;
  let server: http.Server;
  let driver: SlackDriver;
  const handlerErrors: unknown[] = [];

  beforeAll(async () => {
    fake = await FakeSlack.start();
    const receiver = new HTTPReceiver({ signingSecret: SECRET, logLevel: BoltLogLevel.ERROR });
    const app = new App({
      receiver,
      token: fake.botToken,
      logger: silentSlackLogger,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/cairn', async ({ ack, body, client, respond }) => {
      await ack();
      try {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: modal({ callback_id: 'cairn_status' }) as never,
        });
        await respond({ text: `opened for ${body.user_id}` });
        await client.chat.postMessage({ channel: body.channel_id, text: body.text });
      } catch (e) {
        handlerErrors.push(e);
      }
    });
    app.action('approve', async ({ ack, respond }) => {
      await ack();
      await respond({ text: 'approved', replace_original: true });
    });
    server = http.createServer(receiver.requestListener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    driver = new SlackDriver({ appUrl: `http://127.0.0.1:${port}`, signingSecret: SECRET, fakeSlack: fake });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await fake.stop();
  });
  afterEach(() => expect(handlerErrors).toEqual([]));

  it('a slash command reaches the handler, which opens a modal, responds and posts', async () => {
    const res = await driver.slashCommand({
      command: '/cairn',
      text: 'status P1',
      userId: 'U1',
      channelId: 'C1',
    });
    expect(res.status).toBe(200);
    const opened = await fake.waitForCall('views.open');
    expect(opened.response).toMatchObject({ ok: true, view: { callback_id: 'cairn_status' } });
    expect((await fake.waitForResponse()).body).toEqual({ text: 'opened for U1' });
    const posted = await fake.waitForCall('chat.postMessage');
    expect(posted.response['ok']).toBe(true);
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['status P1']);
  });

  it('a block action reaches its handler and respond() lands at the fake', async () => {
    await driver.blockAction({
      actions: [{ type: 'button', action_id: 'approve', block_id: 'b', value: 'v', action_ts: '1.1' }],
    });
    expect((await fake.waitForResponse((r) => r.body['text'] === 'approved')).body).toMatchObject({
      replace_original: true,
    });
  });

  it('Bolt refuses what the driver signs wrongly or leaves unsigned', async () => {
    const body = new URLSearchParams({ command: '/cairn', text: 'x' }).toString();
    expect(
      (await driver.raw(body, { contentType: 'application/x-www-form-urlencoded', signature: 'wrong' }))
        .status,
    ).toBe(401);
    expect(
      (await driver.raw(body, { contentType: 'application/x-www-form-urlencoded', signature: 'none' }))
        .status,
    ).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    expect(
      (await driver.raw(body, { contentType: 'application/x-www-form-urlencoded', timestamp: stale })).status,
    ).toBe(401);
  });
});
