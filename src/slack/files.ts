/**
 * Uploads a file into a channel (or a thread, or a DM) through Slack's external upload flow (scope
 * `files:write`), streamed, so a large file is never held in memory:
 * 1. files.getUploadURLExternal with the file's name and length (its size on disk, or the Buffer's);
 * 2. a POST of the raw bytes to the upload URL it answers (`Content-Type: application/octet-stream`,
 *    `Content-Length` set; the method's docs: "Files can be sent as raw bytes or can be multipart form
 *    encoded. Slack will return HTTP 200 if the upload is successful"): a file on disk is read as it
 *    is sent (a read stream, 64 KB at a time, with backpressure), a Buffer is sent as it is, by the
 *    same code; anything but HTTP 200 is a failure;
 * 3. files.completeUploadExternal, which shares it with its title, in the thread and with the message
 *    given.
 * (@slack/web-api's `filesUploadV2` does the same three steps but reads the file into a Buffer, copies
 * it and wraps it in a multipart Blob: about five times the file in memory; BENCHMARKS.md, issue 11.)
 * Every failure comes back as a result a caller can word, never an exception.
 *
 * Repeats, bounded: the two Web API calls repeat per the client's own retry settings (see
 * workspace-client.ts). The POST is tried at most twice (POST_ATTEMPTS): once more, after a pause,
 * when the upload URL answered 5xx, could not be reached, or stalled (nothing moved for
 * STALL_TIMEOUT_MS); never after any other answer. Each attempt asks for a fresh upload URL and
 * re-reads the file from its start, so it does not depend on whether Slack takes a second POST to the
 * same URL; the file id of a failed attempt is never completed, so never shared. Past that, the caller
 * decides whether the file is worth another try.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, type WebClient } from '@slack/web-api';

export interface FileToUpload {
  /** The bytes, or the path of a file on disk (read as it is sent, never whole). */
  content: Buffer | { path: string };
  /** The file's name in Slack, with its extension (`checkout-updates.csv`, `health.png`). */
  filename: string;
  title: string;
  /** For screen readers (images). */
  altText?: string;
  /** A channel id (`C…`, `G…`, or a DM's `D…`). */
  channelId: string;
  /** The ts of the message whose thread the file goes in (never a reply's own ts). */
  threadTs?: string;
  /** The text of the message that shares the file (mrkdwn). */
  initialComment?: string;
}

export type UploadResult =
  | { ok: true; fileId: string }
  | {
      ok: false;
      /** Slack's error code (`file_not_found`, `not_in_channel`…) or `http_<status>`, `request_failed`, `bad_file`. */
      error: string;
      /** What went wrong, in words, for the log and for a message to the user. */
      message: string;
    };

/** How the POST of the bytes behaves; the defaults are production's, tests shorten them. */
export interface UploadPostSettings {
  /** Attempts of the POST, each with a fresh upload URL (5xx, unreachable or stalled only). */
  attempts?: number;
  /** The pause before another attempt. */
  retryDelayMs?: number;
  /** An attempt fails when no byte has moved either way for this long. */
  stallTimeoutMs?: number;
}

export const POST_ATTEMPTS = 2;
const RETRY_DELAY_MS = 2_000;
export const STALL_TIMEOUT_MS = 30_000;

type Failure = Extract<UploadResult, { ok: false }>;

/** The bytes to send: their length, and a fresh stream of them for each attempt. */
interface Source {
  length: number;
  open: () => Readable;
}

/** What one POST to the upload URL came to. */
type Posted =
  | { kind: 'answered'; status: number }
  | { kind: 'unreached'; message: string }
  | { kind: 'unreadable'; message: string };

export async function uploadFile(
  client: WebClient,
  file: FileToUpload,
  settings: UploadPostSettings = {},
): Promise<UploadResult> {
  const source = await sourceOf(file.content);
  if ('ok' in source) return source;
  const attempts = Math.max(1, settings.attempts ?? POST_ATTEMPTS);
  const stallMs = settings.stallTimeoutMs ?? STALL_TIMEOUT_MS;
  try {
    let fileId: string | undefined;
    for (let attempt = 1; fileId === undefined; attempt++) {
      const target = await client.files.getUploadURLExternal({
        filename: file.filename,
        length: source.length,
        // Slack's docs name it `alt_txt` (@slack/web-api's type says `alt_text`; this call is ours).
        ...(file.altText === undefined ? {} : ({ alt_txt: file.altText } as { alt_text?: string })),
      });
      if (!target.upload_url || !target.file_id) {
        return { ok: false, error: 'no_upload_url', message: 'Slack gave no upload URL' };
      }
      const posted = await post(target.upload_url, source, stallMs);
      if (posted.kind === 'answered' && posted.status === 200) {
        fileId = target.file_id;
      } else if (attempt < attempts && worthAnotherTry(posted)) {
        await sleep(settings.retryDelayMs ?? RETRY_DELAY_MS);
      } else {
        return postFailure(posted);
      }
    }
    const destination =
      file.threadTs === undefined
        ? { channel_id: file.channelId }
        : { channel_id: file.channelId, thread_ts: file.threadTs };
    const completed = await client.files.completeUploadExternal({
      files: [{ id: fileId, title: file.title }],
      ...destination,
      ...(file.initialComment === undefined ? {} : { initial_comment: file.initialComment }),
    });
    const id = completed.files?.[0]?.id;
    return typeof id === 'string' && id !== ''
      ? { ok: true, fileId: id }
      : { ok: false, error: 'no_file', message: 'Slack completed the upload but named no file' };
  } catch (error) {
    return failure(error);
  }
}

/** A Buffer as it is; a file on disk by its size now, read afresh by each attempt. */
async function sourceOf(content: FileToUpload['content']): Promise<Source | Failure> {
  let source: Source;
  if (Buffer.isBuffer(content)) {
    source = { length: content.length, open: () => Readable.from([content]) };
  } else {
    const { path } = content;
    try {
      const info = await stat(path);
      if (!info.isFile()) return badFile(`${path} is not a file`);
      source = { length: info.size, open: () => createReadStream(path) };
    } catch (error) {
      return badFile((error as Error).message);
    }
  }
  // Slack's getUploadURLExternal refuses a length of 0 (`missing_argument`).
  return source.length > 0 ? source : badFile('the file is empty');
}

/**
 * One POST of the bytes to the upload URL, streamed with backpressure (a read stream's 64 KB at a
 * time); settles on the answer's status (its body, Slack's `OK - <bytes>`, is drained, not kept), on
 * a failure to send, or once nothing has moved for `stallMs`.
 */
function post(url: string, source: Source, stallMs: number): Promise<Posted> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ kind: 'unreached', message: `the upload URL is not a URL: ${url}` });
      return;
    }
    const request =
      target.protocol === 'https:' ? https.request : target.protocol === 'http:' ? http.request : undefined;
    if (!request) {
      resolve({ kind: 'unreached', message: `the upload URL is not http(s): ${target.protocol}` });
      return;
    }
    const body = source.open();
    let unreadable: Error | undefined;
    body.once('error', (error) => (unreadable = error));
    const req = request(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(source.length) },
      timeout: stallMs,
    });
    req.once('timeout', () =>
      req.destroy(new Error(`the upload stalled: nothing moved for ${stallMs / 1000} s`)),
    );
    req.once('response', (res) => {
      res.on('error', () => undefined);
      res.resume();
      // Refused: stop reading the file (the request and its socket go with it).
      if (res.statusCode !== 200) body.destroy();
      resolve({ kind: 'answered', status: res.statusCode ?? 0 });
    });
    // The request fails while the bytes are sent (the pipeline), or after (waiting for the answer).
    const failed = (error: Error) =>
      resolve(
        unreadable
          ? { kind: 'unreadable', message: unreadable.message }
          : { kind: 'unreached', message: error.message },
      );
    req.once('error', failed);
    req.once('close', () => failed(new Error('the connection closed without an answer')));
    pipeline(body, req).catch(failed);
  });
}

function worthAnotherTry(posted: Posted): boolean {
  return posted.kind === 'unreached' || (posted.kind === 'answered' && posted.status >= 500);
}

function postFailure(posted: Posted): Failure {
  switch (posted.kind) {
    case 'answered':
      return {
        ok: false,
        error: `http_${posted.status}`,
        message: `Slack answered HTTP ${posted.status} to the upload`,
      };
    case 'unreadable':
      return badFile(posted.message);
    case 'unreached':
      return {
        ok: false,
        error: 'request_failed',
        message: `The upload did not reach Slack: ${posted.message}`,
      };
  }
}

function badFile(reason: string): Failure {
  return { ok: false, error: 'bad_file', message: `The file could not be read: ${reason}` };
}

/** A Web API call's failure (getUploadURLExternal, completeUploadExternal), as @slack/web-api throws it. */
function failure(error: unknown): Failure {
  const e = error as {
    code?: string;
    data?: { error?: unknown };
    statusCode?: number;
    retryAfter?: number;
    message?: string;
  };
  switch (e.code) {
    case ErrorCode.PlatformError: {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      return { ok: false, error: code, message: `Slack refused the upload: ${code}` };
    }
    case ErrorCode.HTTPError:
      return {
        ok: false,
        error: `http_${e.statusCode ?? 0}`,
        message: `Slack answered HTTP ${e.statusCode ?? '?'} to the upload`,
      };
    case ErrorCode.RateLimitedError:
      return {
        ok: false,
        error: 'ratelimited',
        message: `Slack rate-limited the upload (retry after ${e.retryAfter ?? '?'} s)`,
      };
    default:
      return {
        ok: false,
        error: 'request_failed',
        message: `The upload did not reach Slack: ${e.message ?? String(error)}`,
      };
  }
}
