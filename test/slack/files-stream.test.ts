/**
 * src/slack/files.ts uploading a file from disk as a stream (issue 11: a 100,000-row export must not
 * hold its CSV in memory to send it), through a real @slack/web-api WebClient against the fake Slack:
 * the bytes of a file of a few MB arrive identical, in one raw POST (`application/octet-stream`, its
 * length announced, not multipart); the thread and the alt text are kept; the upload URL's refusals,
 * outages and stalls, and a file that cannot be read, come back as results. The faults at the upload
 * URL are made by a small proxy in front of the fake, which hands out its own upload URLs.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uploadFile } from '../../src/slack/files.js';
import { FakeSlack } from '../support/fake-slack.js';
import { silentSlackLogger } from '../support/silent-slack-logger.js';

/** What the proxy does with the next POST to an upload URL. */
type Fault = 'pass' | 'answer 503' | 'drop the connection' | 'never answer';

interface SeenPost {
  headers: http.IncomingHttpHeaders;
  /** Bytes received before the proxy acted (all of them unless the connection was dropped). */
  received: number;
}

/**
 * Forwards the Web API to the fake Slack, rewriting the upload URLs of files.getUploadURLExternal to
 * its own, and applies `faults` (in order, then `pass`) to the POSTs to them.
 */
class UploadProxy {
  readonly faults: Fault[] = [];
  readonly posts: SeenPost[] = [];
  private base = '';
  private constructor(
    private readonly slack: FakeSlack,
    private readonly server: http.Server,
  ) {}

  static async start(slack: FakeSlack): Promise<UploadProxy> {
    const server = http.createServer();
    const proxy = new UploadProxy(slack, server);
    server.on('request', (req, res) => {
      proxy.onRequest(req, res).catch((error: unknown) => {
        res.writeHead(502).end(String(error));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    proxy.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return proxy;
  }

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    if (url.pathname === '/upload') return this.onUpload(req, res, url.searchParams.get('to')!);
    const body = await bytesOf(req);
    const forwarded = await fetch(new URL(url.pathname.slice('/api/'.length), this.slack.apiUrl), {
      method: req.method,
      headers: {
        authorization: req.headers.authorization ?? '',
        'content-type': req.headers['content-type'] ?? '',
      },
      ...(req.method === 'POST' ? { body } : {}),
    });
    const answer = (await forwarded.json()) as Record<string, unknown>;
    if (typeof answer['upload_url'] === 'string') {
      answer['upload_url'] = `${this.base}/upload?to=${encodeURIComponent(answer['upload_url'])}`;
    }
    res.writeHead(forwarded.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  private async onUpload(req: http.IncomingMessage, res: http.ServerResponse, to: string): Promise<void> {
    const fault = this.faults.shift() ?? 'pass';
    const seen: SeenPost = { headers: req.headers, received: 0 };
    this.posts.push(seen);
    if (fault === 'drop the connection') {
      req.once('data', (chunk: Buffer) => {
        seen.received = chunk.length;
        req.socket.destroy();
      });
      return;
    }
    const body = await bytesOf(req);
    seen.received = body.length;
    if (fault === 'never answer') return;
    if (fault === 'answer 503') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    const forwarded = await fetch(to, {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body,
    });
    res.writeHead(forwarded.status, { 'content-type': 'text/plain' }).end(await forwarded.text());
  }
}

function bytesOf(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A real PNG of noise (which does not compress): about 4.3 MB for 1200×900. */
function noisePng(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  randomBytes(width * height * 4).copy(image.data);
  return PNG.sync.write(image);
}

let slack: FakeSlack;
let proxy: UploadProxy;
/** Straight to the fake Slack. */
let client: WebClient;
/** Through the proxy. */
let proxied: WebClient;
let dir: string;

beforeAll(async () => {
  slack = await FakeSlack.start({ rateLimit: false });
  proxy = await UploadProxy.start(slack);
  // No retries of the Web API calls: the POST's own attempts are what is under test.
  const settings = { retryConfig: { retries: 0 }, logger: silentSlackLogger };
  client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, ...settings });
  proxied = new WebClient(slack.botToken, { slackApiUrl: proxy.apiUrl, ...settings });
  dir = await mkdtemp(join(tmpdir(), 'cairn-files-stream-'));
});
afterAll(async () => {
  await proxy?.stop();
  await slack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  slack.reset();
  proxy.faults.length = 0;
  proxy.posts.length = 0;
});

describe('uploadFile from a path', () => {
  it('sends a file of a few MB whole and unchanged, into the thread, with its alt text', async () => {
    const bytes = noisePng(1200, 900);
    expect(bytes.length).toBeGreaterThan(4_000_000);
    const path = join(dir, 'noise.png');
    await writeFile(path, bytes);
    const parent = await client.chat.postMessage({ channel: 'C0DIGEST', text: 'The digest' });

    const result = await uploadFile(client, {
      content: { path },
      filename: 'noise.png',
      title: 'Noise',
      altText: 'Grey noise, 1200 by 900',
      channelId: 'C0DIGEST',
      threadTs: parent.ts!,
      initialComment: 'Here it is',
    });

    expect(result).toEqual({ ok: true, fileId: expect.stringMatching(/^F/) });
    expect(slack.calls('files.getUploadURLExternal').map((c) => c.args)).toEqual([
      { filename: 'noise.png', length: String(bytes.length), alt_txt: 'Grey noise, 1200 by 900' },
    ]);
    const [file] = slack.uploadedFiles('C0DIGEST');
    expect(file).toMatchObject({
      id: result.ok ? result.fileId : '',
      filename: 'noise.png',
      title: 'Noise',
      altText: 'Grey noise, 1200 by 900',
      threadTs: parent.ts,
      initialComment: 'Here it is',
    });
    expect(file!.bytes.length).toBe(bytes.length);
    expect(file!.bytes.equals(bytes)).toBe(true);
    const replies = await client.conversations.replies({ channel: 'C0DIGEST', ts: parent.ts! });
    expect(replies.messages?.map((m) => m.ts)).toEqual([parent.ts, file!.messageTs]);
  });

  it('POSTs the raw bytes with their length, not multipart and not chunked', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const path = join(dir, 'raw.bin');
    await writeFile(path, bytes);
    const result = await uploadFile(proxied, {
      content: { path },
      filename: 'raw.bin',
      title: 'Raw',
      channelId: 'C1',
    });
    expect(result.ok).toBe(true);
    expect(proxy.posts).toHaveLength(1);
    expect(proxy.posts[0]!.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.length),
    });
    expect(proxy.posts[0]!.headers['transfer-encoding']).toBeUndefined();
    expect(slack.uploadedFiles('C1')[0]!.bytes.equals(bytes)).toBe(true);
  });

  it('sends a Buffer the same way', async () => {
    const bytes = Buffer.from('a,b\n1,2\n');
    const result = await uploadFile(proxied, {
      content: bytes,
      filename: 'b.csv',
      title: 'B',
      channelId: 'C1',
    });
    expect(result.ok).toBe(true);
    expect(proxy.posts[0]!.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.length),
    });
    expect(slack.uploadedFiles('C1')[0]!.bytes.equals(bytes)).toBe(true);
  });
});

describe('uploadFile from a path, when it goes wrong', () => {
  it('gives http_<status> when the upload URL refuses the bytes, tries once only, and shares nothing', async () => {
    const path = join(dir, 'fake.png');
    await writeFile(path, randomBytes(2 * 1024 * 1024)); // no PNG signature: the fake answers 400
    const result = await uploadFile(client, {
      content: { path },
      filename: 'fake.png',
      title: 'Fake',
      channelId: 'C0DIGEST',
    });
    expect(result).toEqual({
      ok: false,
      error: 'http_400',
      message: 'Slack answered HTTP 400 to the upload',
    });
    expect(slack.calls().map((c) => c.method)).toEqual(['files.getUploadURLExternal']);
    expect(slack.uploadedFiles()).toEqual([]);
    expect(slack.messages('C0DIGEST')).toEqual([]);
  });

  it('tries once more, with a fresh upload URL and the file read again from its start, after a 5xx or a dropped connection', async () => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const path = join(dir, 'retry.bin');
    await writeFile(path, bytes);
    for (const fault of ['answer 503', 'drop the connection'] as const) {
      slack.reset();
      proxy.posts.length = 0;
      proxy.faults.push(fault);
      const result = await uploadFile(
        proxied,
        { content: { path }, filename: 'retry.bin', title: 'Retry', channelId: 'C1' },
        { retryDelayMs: 0 },
      );
      expect(result, fault).toEqual({ ok: true, fileId: expect.stringMatching(/^F/) });
      expect(proxy.posts, fault).toHaveLength(2);
      const asked = slack.calls('files.getUploadURLExternal').map((c) => c.response['file_id']);
      expect(asked, fault).toHaveLength(2);
      expect(new Set(asked).size, fault).toBe(2);
      expect(slack.calls('files.completeUploadExternal')[0]!.args, fault).toMatchObject({
        files: [{ id: asked[1] }],
      });
      expect(
        slack.uploadedFiles('C1').map((f) => f.bytes.equals(bytes)),
        fault,
      ).toEqual([true]);
    }
  });

  it('gives up after two attempts: http_503, or request_failed when the connection drops', async () => {
    const path = join(dir, 'down.csv');
    await writeFile(path, 'a\n'.repeat(100_000));
    const file = { content: { path }, filename: 'down.csv', title: 'Down', channelId: 'C1' };

    proxy.faults.push('answer 503', 'answer 503', 'answer 503');
    const unavailable = await uploadFile(proxied, file, { retryDelayMs: 0 });
    expect(unavailable).toEqual({
      ok: false,
      error: 'http_503',
      message: 'Slack answered HTTP 503 to the upload',
    });
    expect(proxy.posts).toHaveLength(2);

    proxy.faults.length = 0;
    proxy.posts.length = 0;
    proxy.faults.push('drop the connection', 'drop the connection', 'drop the connection');
    const dropped = await uploadFile(proxied, file, { retryDelayMs: 0 });
    expect(dropped).toMatchObject({ ok: false, error: 'request_failed' });
    expect(proxy.posts).toHaveLength(2);
    expect(slack.calls('files.completeUploadExternal')).toEqual([]);
    expect(slack.uploadedFiles()).toEqual([]);
  });

  it('gives up on an upload URL that takes the bytes and never answers', async () => {
    const path = join(dir, 'stall.csv');
    await writeFile(path, 'x\n'.repeat(1000));
    proxy.faults.push('never answer');
    const result = await uploadFile(
      proxied,
      { content: { path }, filename: 'stall.csv', title: 'Stall', channelId: 'C1' },
      { attempts: 1, stallTimeoutMs: 200 },
    );
    expect(result).toEqual({
      ok: false,
      error: 'request_failed',
      message: 'The upload did not reach Slack: the upload stalled: nothing moved for 0.2 s',
    });
    expect(proxy.posts).toEqual([expect.objectContaining({ received: 2000 })]);
    expect(slack.calls('files.completeUploadExternal')).toEqual([]);
  });

  it('gives bad_file, asking Slack nothing, for a missing file, a folder or an empty file', async () => {
    const folder = join(dir, 'a-folder');
    await mkdir(folder, { recursive: true });
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    for (const path of [join(dir, 'no-such-file.csv'), folder, empty]) {
      const result = await uploadFile(client, {
        content: { path },
        filename: 'x.csv',
        title: 'X',
        channelId: 'C1',
      });
      expect(result, path).toMatchObject({ ok: false, error: 'bad_file' });
      expect(result.ok ? '' : result.message, path).toMatch(/^The file could not be read: /);
    }
    expect(slack.calls()).toEqual([]);
  });
});
