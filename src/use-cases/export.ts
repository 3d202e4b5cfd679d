/**
 * `/program export <program> [since:<date>] [as:client]` (SPEC §7): a CSV of the program's status
 * updates, one row each, sent to the user by DM.
 *
 * Streamed end to end, so neither building nor sending it holds the program's history in memory: a
 * mongoose cursor reads the updates in small batches (EXPORT_BATCH_SIZE), csv-stringify's stream
 * writes the rows to a temporary file (under the OS's temporary folder, removed afterwards), and
 * src/slack/files.ts POSTs that file to Slack's upload URL as a stream, 64 KB at a time. 100,000
 * updates (a 21 MB CSV) export in under 100 MB of memory over idle with Node's default heap settings
 * (BENCHMARKS.md, issue 11).
 * Every query is scoped by the actor's workspace.
 *
 * A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) gets a leading `'`
 * (csv-stringify's `escape_formulas`), so a spreadsheet shows it as text instead of running it.
 * A client export (`as:client`) leaves internal updates out and writes no Slack user ids: authors by
 * their Slack name where users.info gives one (else `someone`), mentions in summaries likewise.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WebClient } from '@slack/web-api';
import { stringify } from 'csv-stringify';
import { DateTime, IANAZone } from 'luxon';
import type { Program, StatusUpdate, Workstream } from '../domain/entities.js';
import { mayReadProgram, type Actor } from '../domain/permissions.js';
import type { ExportSent } from '../domain/read-models.js';
import type { CalendarDate, Health, UpdateSource } from '../domain/types.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../services.js';
import { uploadFile } from '../slack/files.js';
import { problem, type Outcome } from './outcome.js';
import { resolveProgram } from './resolve.js';

export type ExportAudience = 'team' | 'client';

export interface ExportOptions {
  /** Updates from the start of this day, in `timezone`. */
  since?: CalendarDate;
  audience: ExportAudience;
  /** The reader's timezone: the first time column and `since` are read in it. */
  timezone: string;
  /**
   * A person's name as Slack shows it, or undefined when not known: the `author` column (the team's
   * export has the Slack user id beside it; a client's has none). Called once per person, for at most
   * MAX_NAMES people; without it, or past that, authors are `someone`.
   */
  nameOf?: (userId: string) => Promise<string | undefined>;
}

/**
 * Updates per cursor batch, smaller than streamForProgram's 1,000. Measured (BENCHMARKS.md): with
 * 1,000, building the CSV promoted ~1 MB to V8's old space at every young-generation collection
 * (`--trace-gc`; a batch, it seems, outlives two of them while its rows are built), and V8 let that
 * garbage grow the heap by ~130 MB before a full collection. With 50–500 the CSV of 100,000 updates
 * peaks at a 64–73 MB heap (+0 to +41 MB RSS over idle), in the same time.
 */
export const EXPORT_BATCH_SIZE = 200;

/** People looked up by name in one export; past this many, `someone`. */
export const MAX_NAMES = 200;
const SOMEONE = 'someone';

const HEALTH: Record<Health, string> = { on_track: 'on track', at_risk: 'at risk', off_track: 'off track' };
const SOURCE: Record<UpdateSource, string> = {
  command: 'command',
  modal: 'form',
  button: 'button',
  carried_forward: 'carried forward',
};

/** The program, if the actor may read it: anyone in its workspace (SPEC §2); another workspace's is not found. */
export async function programForExport(
  stores: Stores,
  actor: Actor,
  programKey: string,
): Promise<Outcome<Program>> {
  const found = await resolveProgram(stores, actor.teamId, programKey);
  if (!found.ok) return found;
  if (!mayReadProgram(found.value, actor)) return problem({ kind: 'no_program', key: programKey });
  return found;
}

/** The CSV's columns, in order. */
export function exportColumns(options: Pick<ExportOptions, 'audience' | 'timezone'>) {
  return [
    { key: 'local', header: `time (${zoneOf(options.timezone)})` },
    { key: 'utc', header: 'time (UTC)' },
    { key: 'program', header: 'program' },
    { key: 'workstream', header: 'workstream' },
    { key: 'team', header: 'team' },
    { key: 'author', header: 'author' },
    ...(options.audience === 'client' ? [] : [{ key: 'authorId', header: 'author id' }]),
    { key: 'health', header: 'health' },
    { key: 'progress', header: 'progress' },
    { key: 'forecast', header: 'forecast' },
    { key: 'summary', header: 'summary' },
    { key: 'source', header: 'source' },
    { key: 'internal', header: 'internal' },
  ];
}

/**
 * Writes the program's updates (oldest first) as CSV to `path`, streamed; resolves with the number
 * of rows. Two queries (the program's workstreams, then the update cursor) whatever its size.
 */
export async function writeUpdatesCsv(
  stores: Stores,
  program: Program,
  options: ExportOptions,
  path: string,
): Promise<number> {
  const zone = zoneOf(options.timezone);
  const workstreams = new Map(
    (await stores.workstreams.listByProgram(program.teamId, program._id)).map((w) => [
      w._id.toHexString(),
      w,
    ]),
  );
  const client = options.audience === 'client';
  const names = nameCache(options.nameOf);
  const updates = stores.updates.streamForProgram(program.teamId, program._id, {
    ...(options.since ? { since: startOfDay(options.since, zone) } : {}),
    clientVisibleOnly: client,
    batchSize: EXPORT_BATCH_SIZE,
  });
  let rows = 0;
  async function* records() {
    for await (const u of updates) {
      rows++;
      const workstream = workstreams.get(u.workstreamId.toHexString());
      yield await record(u, program, workstream, zone, names, client);
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({
      header: true,
      columns: exportColumns(options),
      // A spreadsheet opens UTF-8 correctly with a byte order mark; formulas are neutralised.
      bom: true,
      escape_formulas: true,
    }),
    createWriteStream(path),
  );
  return rows;
}

/**
 * Writes the CSV to a temporary file, uploads it to the actor's DM with Cairn, removes the file and
 * records the export in the audit log. Nothing to export, or a failed upload, is an answer, not an error.
 */
export async function exportProgram(
  deps: { stores: Stores; client: WebClient; log: Logger },
  actor: Actor,
  program: Program,
  options: ExportOptions,
  now: Date,
): Promise<ExportSent> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-export-'));
  try {
    const filename = exportFilename(program, options, now);
    const path = join(dir, filename);
    const rows = await writeUpdatesCsv(deps.stores, program, options, path);
    const base = {
      program,
      rows,
      audience: options.audience,
      ...(options.since && { since: options.since }),
    };
    if (rows === 0) return { ...base, delivery: { kind: 'empty' } };
    const dm = await deps.client.conversations.open({ users: actor.userId });
    const channelId = dm.channel?.id;
    if (!channelId) return { ...base, delivery: { kind: 'failed', error: 'no_dm_channel' } };
    const uploaded = await uploadFile(deps.client, {
      content: { path },
      filename,
      title: `${program.name}: status updates`,
      channelId,
      initialComment: initialComment(program, rows, options),
    });
    if (!uploaded.ok) {
      deps.log.warn({ teamId: actor.teamId, program: program.key, ...uploaded }, 'export upload failed');
      return { ...base, delivery: { kind: 'failed', error: uploaded.error } };
    }
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'program.exported',
      target: { kind: 'program', id: program._id, key: program.key },
      details: { rows, audience: options.audience, ...(options.since && { since: options.since }) },
      at: now,
    });
    return { ...base, delivery: { kind: 'sent', channelId, fileId: uploaded.fileId } };
  } finally {
    await rm(dir, { recursive: true, force: true }).catch((error: unknown) =>
      deps.log.warn({ err: error, dir }, 'could not remove an export’s temporary folder'),
    );
  }
}

export function exportFilename(program: Program, options: ExportOptions, now: Date): string {
  const today = DateTime.fromJSDate(now, { zone: zoneOf(options.timezone) }).toISODate();
  const since = options.since ? `-since-${options.since}` : '';
  const client = options.audience === 'client' ? '-client' : '';
  return `${program.key}-updates${since}${client}-${today}.csv`;
}

/** The DM's text (mrkdwn): the program's name is user text, so only its key is formatted. */
function initialComment(program: Program, rows: number, options: ExportOptions): string {
  const what = `${rows.toLocaleString('en-US')} status update${rows === 1 ? '' : 's'}`;
  const since = options.since ? ` since ${options.since}` : '';
  const client =
    options.audience === 'client' ? ' Client version: internal updates and Slack user ids left out.' : '';
  return `Here is the export of \`${program.key}\`: ${what}${since}, oldest first.${client}`;
}

type Row = Record<string, string | number | undefined>;

async function record(
  u: StatusUpdate,
  program: Program,
  workstream: Workstream | undefined,
  zone: string,
  names: (userId: string) => Promise<string>,
  client: boolean,
): Promise<Row> {
  const local = DateTime.fromJSDate(u.createdAt, { zone });
  const row: Row = {
    local: local.toFormat('yyyy-MM-dd HH:mm'),
    utc: u.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    program: program.key,
    workstream: workstream?.key ?? '',
    team: workstream?.team ?? '',
    health: `${HEALTH[u.health] ?? u.health}${u.blocked ? ' (blocked)' : ''}`,
    progress: u.progress ?? undefined,
    forecast: u.forecastDate ?? '',
    source: `${SOURCE[u.source] ?? u.source}${u.revisions?.length ? ' (edited)' : ''}`,
    internal: u.internal ? 'yes' : 'no',
  };
  row['author'] = await names(u.authorId);
  if (client) {
    row['summary'] = await withoutSlackIds(u.summary ?? '', names);
  } else {
    row['authorId'] = u.authorId;
    row['summary'] = u.summary ?? '';
  }
  return row;
}

/** `<@U1>` → `@Dana` (or `@someone`), `<#C1|general>` → `#general`, `<#C1>` → `#channel`. */
async function withoutSlackIds(text: string, names: (userId: string) => Promise<string>): Promise<string> {
  let out = text.replace(/<#[CG][A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name: string | undefined) =>
    name ? `#${name}` : '#channel',
  );
  for (const [mention, id] of out.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)) {
    out = out.replace(mention, `@${await names(id!)}`);
  }
  return out;
}

/** Names looked up once per person, for at most MAX_NAMES people; `someone` when not known. */
function nameCache(
  nameOf: ((userId: string) => Promise<string | undefined>) | undefined,
): (userId: string) => Promise<string> {
  const known = new Map<string, Promise<string>>();
  return (userId) => {
    let name = known.get(userId);
    if (!name) {
      name =
        nameOf && known.size < MAX_NAMES
          ? nameOf(userId).then(
              (n) => (n && n !== userId && !/[<>]|^[UW][A-Z0-9]{6,}$/.test(n) ? n : SOMEONE),
              () => SOMEONE,
            )
          : Promise.resolve(SOMEONE);
      known.set(userId, name);
    }
    return name;
  };
}

function zoneOf(timezone: string): string {
  return IANAZone.isValidZone(timezone) ? timezone : 'UTC';
}

/** The first instant of a calendar day in a timezone. */
function startOfDay(date: CalendarDate, zone: string): Date {
  return DateTime.fromISO(date, { zone }).startOf('day').toJSDate();
}
