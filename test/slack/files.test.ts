/**
 * src/slack/files.ts against the fake Slack's external upload flow (files.getUploadURLExternal → POST
 * to the upload URL → files.completeUploadExternal), driven by a real @slack/web-api WebClient: the
 * bytes are kept, a PNG is checked, a thread and a DM are honoured, and every failure comes back as a
 * result that says what went wrong.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uploadFile } from '../../src/slack/files.js';
import { FakeSlack } from '../support/fake-slack.js';
import { silentSlackLogger } from '../support/silent-slack-logger.js';

let slack: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  slack = await FakeSlack.start({ rateLimit: false });
  // No retries: a refused step must come back at once, not after the production back-off.
  client = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentSlackLogger,
  });
});
afterAll(async () => {
  await slack?.stop();
});
beforeEach(() => slack.reset());

/** A small real PNG: `width`×`height`, a red square on white. */
function png(width = 4, height = 3): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    image.data.set(i === 0 ? [255, 0, 0, 255] : [255, 255, 255, 255], i * 4);
  }
  return PNG.sync.write(image);
}

describe('uploadFile', () => {
  it('takes the three steps, and the fake keeps the bytes, the title and the message that shares them', async () => {
    const bytes = Buffer.from('a,b\n1,"x, y"\n', 'utf8');
    const result = await uploadFile(client, {
      content: bytes,
      filename: 'numbers.csv',
      title: 'Numbers',
      channelId: 'C0FILES',
      initialComment: 'Here are the numbers',
    });
    expect(result).toEqual({ ok: true, fileId: expect.stringMatching(/^F/) });
    expect(slack.calls().map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    expect(slack.calls('files.getUploadURLExternal')[0]!.args).toMatchObject({
      filename: 'numbers.csv',
      length: String(bytes.length),
    });
    const complete = slack.calls('files.completeUploadExternal')[0]!;
    expect(complete.args).toMatchObject({
      files: [{ id: result.ok ? result.fileId : '', title: 'Numbers' }],
      channel_id: 'C0FILES',
      initial_comment: 'Here are the numbers',
    });
    expect(complete.response).toMatchObject({ ok: true, files: [{ title: 'Numbers', size: bytes.length }] });

    const [file] = slack.uploadedFiles('C0FILES');
    expect(file).toMatchObject({ filename: 'numbers.csv', title: 'Numbers', channel: 'C0FILES' });
    expect(file!.bytes.equals(bytes)).toBe(true);
    const [message] = slack.messages('C0FILES');
    expect(message).toMatchObject({
      text: 'Here are the numbers',
      files: [{ id: file!.id, title: 'Numbers' }],
    });
  });

  it('uploads a file from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-files-test-'));
    try {
      const path = join(dir, 'report.csv');
      await writeFile(path, 'when,what\n2026-11-25,done\n');
      const result = await uploadFile(client, {
        content: { path },
        filename: 'report.csv',
        title: 'Report',
        channelId: 'C0FILES',
      });
      expect(result.ok).toBe(true);
      expect(slack.uploadedFiles()[0]!.bytes.toString('utf8')).toBe('when,what\n2026-11-25,done\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uploads a PNG with its alt text into a thread, and the image decodes', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0DIGEST', text: 'The digest' });
    const result = await uploadFile(client, {
      content: png(4, 3),
      filename: 'health.png',
      title: 'Health over the last digests',
      altText: 'Stacked bars: 3 on track, 1 at risk',
      channelId: 'C0DIGEST',
      threadTs: parent.ts!,
    });
    expect(result.ok).toBe(true);
    expect(slack.calls('files.completeUploadExternal')[0]!.args).toMatchObject({ thread_ts: parent.ts });
    const [file] = slack.uploadedFiles('C0DIGEST');
    expect(file).toMatchObject({ threadTs: parent.ts, altText: 'Stacked bars: 3 on track, 1 at risk' });
    const image = PNG.sync.read(file!.bytes);
    expect([image.width, image.height]).toEqual([4, 3]);
    // In the thread, not in the channel's history.
    const replies = await client.conversations.replies({ channel: 'C0DIGEST', ts: parent.ts! });
    expect(replies.messages?.map((m) => m.ts)).toEqual([parent.ts, file!.messageTs]);
    const history = await client.conversations.history({ channel: 'C0DIGEST' });
    expect(history.messages?.map((m) => m.ts)).toEqual([parent.ts]);
  });

  it('shares into a DM opened with conversations.open', async () => {
    const dm = await client.conversations.open({ users: 'U0DANA' });
    const result = await uploadFile(client, {
      content: Buffer.from('x\n'),
      filename: 'x.csv',
      title: 'X',
      channelId: dm.channel!.id!,
    });
    expect(result.ok).toBe(true);
    expect(slack.uploadedFiles('U0DANA')).toHaveLength(1);
    expect(slack.uploadedFiles(slack.dmChannelFor('U0DANA'))).toHaveLength(1);
  });

  it('refuses a .png that is not a PNG at the upload step, and nothing is shared', async () => {
    const result = await uploadFile(client, {
      content: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      filename: 'chart.png',
      title: 'Chart',
      channelId: 'C0DIGEST',
    });
    expect(result).toEqual({
      ok: false,
      error: 'http_400',
      message: 'Slack answered HTTP 400 to the upload',
    });
    expect(slack.calls('files.completeUploadExternal')).toEqual([]);
    expect(slack.uploadedFiles()).toEqual([]);
    expect(slack.messages('C0DIGEST')).toEqual([]);
  });

  it('says so when files.completeUploadExternal fails, and nothing is shared', async () => {
    slack.injectError('files.completeUploadExternal', { error: 'not_in_channel' });
    const result = await uploadFile(client, {
      content: Buffer.from('x\n'),
      filename: 'x.csv',
      title: 'X',
      channelId: 'C0PRIVATE',
    });
    expect(result).toEqual({
      ok: false,
      error: 'not_in_channel',
      message: 'Slack refused the upload: not_in_channel',
    });
    expect(slack.uploadedFiles()).toEqual([]);
    expect(slack.messages('C0PRIVATE')).toEqual([]);
  });

  it('says so when Slack gives no upload URL, or cannot be reached', async () => {
    slack.injectError('files.getUploadURLExternal', { error: 'invalid_auth' });
    const refused = await uploadFile(client, {
      content: Buffer.from('x'),
      filename: 'x.csv',
      title: 'X',
      channelId: 'C1',
    });
    expect(refused).toMatchObject({ ok: false, error: 'invalid_auth' });

    const nowhere = new WebClient(slack.botToken, {
      slackApiUrl: 'http://127.0.0.1:9/api/',
      retryConfig: { retries: 0 },
      logger: silentSlackLogger,
    });
    const unreachable = await uploadFile(nowhere, {
      content: Buffer.from('x'),
      filename: 'x.csv',
      title: 'X',
      channelId: 'C1',
    });
    expect(unreachable).toMatchObject({ ok: false, error: 'request_failed' });
  });

  it('says so when a file on disk cannot be read', async () => {
    const result = await uploadFile(client, {
      content: { path: join(tmpdir(), 'cairn-no-such-file.csv') },
      filename: 'x.csv',
      title: 'X',
      channelId: 'C1',
    });
    expect(result).toMatchObject({ ok: false, error: 'bad_file' });
    expect(slack.calls()).toEqual([]);
  });
});

describe('the fake upload flow, step by step', () => {
  async function uploadUrl(filename: string, length: number) {
    const got = await client.files.getUploadURLExternal({ filename, length });
    return { url: got.upload_url!, id: got.file_id! };
  }

  it('takes raw bytes as well as multipart, and refuses a length other than the one announced', async () => {
    const short = await uploadUrl('a.txt', 5);
    const refused = await fetch(short.url, { method: 'POST', body: 'abc' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe('length mismatch: announced 5, got 3');

    const exact = await uploadUrl('b.txt', 3);
    const accepted = await fetch(exact.url, { method: 'POST', body: 'abc' });
    expect([accepted.status, await accepted.text()]).toEqual([200, 'OK - 3']);
    const again = await fetch(exact.url, { method: 'POST', body: 'abc' });
    expect(again.status).toBe(400);
  });

  it('answers file_not_found for an unknown id or one not uploaded yet, and completes a file once', async () => {
    const pending = await uploadUrl('c.txt', 2);
    const complete = (id: string) =>
      client.files
        .completeUploadExternal({ files: [{ id, title: 'C' }], channel_id: 'C1' })
        .then(() => 'ok')
        .catch((e: { data?: { error?: string } }) => e.data?.error);
    expect(await complete('F_NOPE')).toBe('file_not_found');
    expect(await complete(pending.id)).toBe('file_not_found');
    await fetch(pending.url, { method: 'POST', body: 'hi' });
    expect(await complete(pending.id)).toBe('ok');
    expect(await complete(pending.id)).toBe('file_not_found');
    expect(slack.uploadedFiles()).toHaveLength(1);
  });

  it('refuses a request without filename or length, and an unknown upload URL', async () => {
    const missing = await client
      .apiCall('files.getUploadURLExternal', { filename: 'x.csv' })
      .catch((e: { data?: { error?: string } }) => e.data?.error);
    expect(missing).toBe('invalid_arguments');
    const unknown = await fetch(`${slack.apiUrl.replace(/\/api\/$/, '')}/upload/v1/nope`, {
      method: 'POST',
      body: 'x',
    });
    expect(unknown.status).toBe(404);
  });

  it('keeps a completed file private when no channel is given', async () => {
    const { url, id } = await uploadUrl('d.txt', 1);
    await fetch(url, { method: 'POST', body: 'd' });
    await client.files.completeUploadExternal({ files: [{ id }] });
    expect(slack.uploadedFiles()).toMatchObject([{ id, title: 'd.txt' }]);
    expect(slack.uploadedFiles()[0]!.channel).toBeUndefined();
  });
});
