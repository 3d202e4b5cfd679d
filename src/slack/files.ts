/**
 * Uploads a file into a channel (or a thread, or a DM) through Slack's external upload flow:
 * files.getUploadURLExternal → POST of the bytes to the URL it answers → files.completeUploadExternal
 * (scope `files:write`). @slack/web-api's `filesUploadV2` does all three steps; this module gives it
 * Cairn's arguments and turns its failures into a result a caller can word, never an exception.
 *
 * The client's own retry settings apply to each step (bounded; see workspace-client.ts). An upload
 * is not repeated here: a caller whose upload failed decides whether the file is worth another try.
 */
import { ErrorCode, type WebClient } from '@slack/web-api';

export interface FileToUpload {
  /** The bytes, or the path of a file on disk (read by @slack/web-api when it uploads). */
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

export async function uploadFile(client: WebClient, file: FileToUpload): Promise<UploadResult> {
  try {
    const destination =
      file.threadTs === undefined
        ? { channel_id: file.channelId }
        : { channel_id: file.channelId, thread_ts: file.threadTs };
    const result = await client.filesUploadV2({
      file: Buffer.isBuffer(file.content) ? file.content : file.content.path,
      filename: file.filename,
      title: file.title,
      ...destination,
      ...(file.altText === undefined ? {} : { alt_text: file.altText }),
      ...(file.initialComment === undefined ? {} : { initial_comment: file.initialComment }),
    });
    const fileId = completedFileId(result);
    return fileId
      ? { ok: true, fileId }
      : { ok: false, error: 'no_file', message: 'Slack completed the upload but named no file' };
  } catch (error) {
    return failure(error);
  }
}

/** filesUploadV2 answers `{ files: [completeUploadExternal's answer, …] }`; one file, one answer. */
function completedFileId(result: unknown): string | undefined {
  const completions = (result as { files?: Array<{ files?: Array<{ id?: unknown }> }> }).files ?? [];
  const id = completions[0]?.files?.[0]?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function failure(error: unknown): Extract<UploadResult, { ok: false }> {
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
    case ErrorCode.FileUploadInvalidArgumentsError:
    case ErrorCode.FileUploadReadFileDataError:
      return { ok: false, error: 'bad_file', message: `The file could not be read: ${e.message ?? ''}` };
    default:
      return {
        ok: false,
        error: 'request_failed',
        message: `The upload did not reach Slack: ${e.message ?? String(error)}`,
      };
  }
}
