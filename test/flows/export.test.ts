/**
 * `/program export <program> [since:<date>] [as:client]` through the receiver: the command answers
 * "Preparing…" at once, then uploads a CSV to the user's DM and says so. The CSV, parsed back with a
 * strict parser, is the program's updates row for row (times in the user's timezone and in UTC);
 * `since:` is read in the user's timezone; `as:client` leaves internal updates and every Slack user
 * id out; a cell that would run as a formula is neutralised; an unknown program, another workspace's
 * program and a failed upload are answered clearly.
 */
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Types } from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCairn, TEAM_ID, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { tenantCollection, testDatabase } from '../support/database.js';

const PM = 'U0PM';
const DANA = 'U0DANA';
/** Not known to Slack (users.info answers user_not_found): `someone` in a client export. */
const GONE = 'U0GONE';
const OTHER_TEAM = 'TBBBB';
const OTHER_PM = 'U0OTHER';

let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;

interface Seed {
  at: string;
  ws: 'payments' | 'web';
  author: string;
  source: 'command' | 'modal' | 'button' | 'carried_forward';
  health: 'on_track' | 'at_risk' | 'off_track';
  blocked?: boolean;
  progress?: number;
  forecastDate?: string;
  summary: string;
  internal?: boolean;
  edited?: boolean;
}

/** Checkout's updates, oldest first; what each row must say is spelled out in EXPECTED below. */
const SEEDS: Seed[] = [
  {
    at: '2026-10-30T14:00:00Z',
    ws: 'payments',
    author: DANA,
    source: 'command',
    health: 'on_track',
    progress: 10,
    forecastDate: '2026-12-15',
    summary: 'Started the "vault" work, step 1',
  },
  {
    at: '2026-11-10T15:30:00Z',
    ws: 'web',
    author: PM,
    source: 'modal',
    health: 'at_risk',
    summary: '=HYPERLINK("http://evil.example","click")',
  },
  {
    at: '2026-11-15T16:00:00Z',
    ws: 'payments',
    author: DANA,
    source: 'button',
    health: 'off_track',
    blocked: true,
    summary: '+1 for the new plan\nsecond line',
  },
  {
    at: '2026-11-18T17:00:00Z',
    ws: 'web',
    author: GONE,
    source: 'carried_forward',
    health: 'on_track',
    summary: `-2 days behind; ask <@${DANA}> in <#C0WEB|web-team>`,
  },
  {
    at: '2026-11-20T04:30:00Z',
    ws: 'payments',
    author: PM,
    source: 'command',
    health: 'at_risk',
    summary: '@SUM(A1) pricing, internal only',
    internal: true,
  },
  {
    at: '2026-11-20T05:30:00Z',
    ws: 'web',
    author: DANA,
    source: 'command',
    health: 'on_track',
    progress: 80,
    summary: 'Checkout copy done 👍',
    edited: true,
  },
  {
    at: '2026-11-24T20:00:00Z',
    ws: 'payments',
    author: DANA,
    source: 'modal',
    health: 'at_risk',
    summary: 'secret pricing talk',
    internal: true,
  },
];

const TEAM_HEADER = [
  'time (America/New_York)',
  'time (UTC)',
  'program',
  'workstream',
  'team',
  'author',
  'author id',
  'health',
  'progress',
  'forecast',
  'summary',
  'source',
  'internal',
];

/** The team export's rows for SEEDS, by hand: New York is UTC-4 until 1 Nov 2026, UTC-5 after. */
const EXPECTED: string[][] = [
  [
    '2026-10-30 10:00',
    '2026-10-30T14:00:00Z',
    'checkout',
    'payments',
    'pay',
    'dana',
    DANA,
    'on track',
    '10',
    '2026-12-15',
    'Started the "vault" work, step 1',
    'command',
    'no',
  ],
  [
    '2026-11-10 10:30',
    '2026-11-10T15:30:00Z',
    'checkout',
    'web',
    'web',
    'Pat',
    PM,
    'at risk',
    '',
    '',
    `'=HYPERLINK("http://evil.example","click")`,
    'form',
    'no',
  ],
  [
    '2026-11-15 11:00',
    '2026-11-15T16:00:00Z',
    'checkout',
    'payments',
    'pay',
    'dana',
    DANA,
    'off track (blocked)',
    '',
    '',
    `'+1 for the new plan\nsecond line`,
    'button',
    'no',
  ],
  [
    '2026-11-18 12:00',
    '2026-11-18T17:00:00Z',
    'checkout',
    'web',
    'web',
    'someone',
    GONE,
    'on track',
    '',
    '',
    `'-2 days behind; ask <@${DANA}> in <#C0WEB|web-team>`,
    'carried forward',
    'no',
  ],
  [
    '2026-11-19 23:30',
    '2026-11-20T04:30:00Z',
    'checkout',
    'payments',
    'pay',
    'Pat',
    PM,
    'at risk',
    '',
    '',
    `'@SUM(A1) pricing, internal only`,
    'command',
    'yes',
  ],
  [
    '2026-11-20 00:30',
    '2026-11-20T05:30:00Z',
    'checkout',
    'web',
    'web',
    'dana',
    DANA,
    'on track',
    '80',
    '',
    'Checkout copy done 👍',
    'command (edited)',
    'no',
  ],
  [
    '2026-11-24 15:00',
    '2026-11-24T20:00:00Z',
    'checkout',
    'payments',
    'pay',
    'dana',
    DANA,
    'at risk',
    '',
    '',
    'secret pricing talk',
    'form',
    'yes',
  ],
];

/** The client export of a team row: no author id column, no Slack ids in the summary. */
function clientRow(row: string[]): string[] {
  const client = [...row.slice(0, 6), ...row.slice(7)];
  client[9] = client[9]!.replace(`<@${DANA}>`, '@dana').replace('<#C0WEB|web-team>', '#web-team');
  return client;
}

/**
 * A strict RFC 4180 reader: fields separated by commas, records by `\n` (csv-stringify's default)
 * or `\r\n`; a quoted field may hold commas, quotes doubled and line breaks; anything else (a quote
 * inside an unquoted field, text after a closing quote, an unclosed quote, ragged rows) throws.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const endRow = () => {
    rows.push(row);
    row = [];
  };
  if (text === '') return rows;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error(`unclosed quote at ${i}`);
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    } else {
      const end = /[,\n\r]/g;
      end.lastIndex = i;
      const found = end.exec(text);
      const stop = found ? found.index : text.length;
      field = text.slice(i, stop);
      if (field.includes('"')) throw new Error(`a quote inside an unquoted field: ${field}`);
      i = stop;
    }
    row.push(field);
    if (i >= text.length) {
      endRow();
      break;
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) i += 2;
    else if (text[i] === '\n') i += 1;
    else throw new Error(`unexpected ${JSON.stringify(text[i])} after a field at ${i}`);
    endRow();
    if (i >= text.length) break;
  }
  const width = rows[0]?.length;
  for (const r of rows) if (r.length !== width) throw new Error(`ragged row: ${JSON.stringify(r)}`);
  return rows;
}

async function seed(teamId: string, programKey: string, seeds: Seed[]): Promise<void> {
  const workstreams = await (
    await tenantCollection(db.connection, 'workstreams', teamId)
  )
    .find({ teamId, programKey })
    .toArray();
  const byKey = new Map(workstreams.map((w) => [w['key'] as string, w]));
  // One program's workstreams: its updates are kept with the program's.
  const programId = String(workstreams[0]?.['programId']);
  await (
    await tenantCollection(db.connection, 'updates', teamId, programId)
  ).insertMany(
    seeds.map((s, n) => {
      const w = byKey.get(s.ws)!;
      return {
        _id: new Types.ObjectId(),
        teamId,
        programId: w['programId'],
        workstreamId: w['_id'],
        authorId: s.author,
        source: s.source,
        createdAt: new Date(s.at),
        health: s.health,
        blocked: s.blocked ?? false,
        summary: s.summary,
        ...(s.progress === undefined ? {} : { progress: s.progress }),
        ...(s.forecastDate === undefined ? {} : { forecastDate: s.forecastDate }),
        // Written straight to the database, as an update marked internal is stored.
        ...(s.internal === undefined ? {} : { internal: s.internal }),
        revisions: s.edited
          ? [{ health: s.health, blocked: false, summary: 'earlier wording', replacedAt: new Date(s.at) }]
          : [],
        requestKey: `seed:${teamId}:${programKey}:${n}`,
      };
    }),
  );
}

interface Exported {
  /** The answers posted to the command's response_url, in order. */
  answers: string[];
  /** The CSV uploaded by this command, parsed, if any. */
  rows?: string[][];
  raw?: string;
  filename?: string;
  initialComment?: string;
}

/** Runs `/program <text>` and waits for its final answer (the second, or the only one when refused). */
async function exportAs(text: string, as: { userId: string; teamId?: string }): Promise<Exported> {
  const filesBefore = running.slack.uploadedFiles().length;
  const response = await running.driver.slashCommand({ command: '/program', text, ...as });
  expect(response.status).toBe(200);
  const id = new URL(String(response.sent.response_url)).pathname.split('/').pop();
  const first = await running.slack.waitForResponse((r) => r.id === id, 5_000);
  const texts = () =>
    running.slack
      .responses()
      .filter((r) => r.id === id)
      .map((r) => String(r.body['text']));
  if (String(first.body['text']).startsWith('⏳')) {
    await running.slack.waitForResponse((r) => r.id === id && r !== first, 20_000);
  } else {
    // A refusal is the only answer: give a wrong second one the chance to show up.
    await new Promise((r) => setTimeout(r, 300));
  }
  const file = running.slack.uploadedFiles().slice(filesBefore)[0];
  if (!file) return { answers: texts() };
  const raw = file.bytes.toString('utf8');
  return {
    answers: texts(),
    raw,
    rows: parseCsv(raw.replace(/^\uFEFF/, '')),
    filename: file.filename,
    ...(file.initialComment === undefined ? {} : { initialComment: file.initialComment }),
  };
}

async function exportDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('cairn-export-'));
}

beforeAll(async () => {
  db = await testDatabase('export');
  running = await startCairn(db.connection);
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'America/New_York', name: 'Pat' });
  running.slack.setUser({ id: DANA, tz: 'Europe/Berlin', name: 'dana' });
  for (const text of [
    'new checkout "Checkout revamp"',
    `add checkout payments "Payments API" team:pay lead:<@${DANA}>`,
    `add checkout web "Checkout web" team:web lead:<@${PM}>`,
    'new fraud "Fraud"',
    `add fraud web "Fraud web" team:risk lead:<@${PM}>`,
    'new quiet "Nothing yet"',
  ]) {
    expect((await ask(running, '/program', text, { userId: PM })).all).not.toContain(':warning:');
  }
  // Another workspace with a program of the same key and a workstream of the same key.
  for (const text of [
    'new checkout "Theirs"',
    `add checkout web "Their web" team:theirs lead:<@${OTHER_PM}>`,
  ]) {
    const answer = await ask(running, '/program', text, { userId: OTHER_PM, teamId: OTHER_TEAM });
    expect(answer.all).not.toContain(':warning:');
  }
  await seed(TEAM_ID, 'checkout', SEEDS);
  await seed(TEAM_ID, 'fraud', [
    {
      at: '2026-11-21T10:00:00Z',
      ws: 'web',
      author: PM,
      source: 'command',
      health: 'on_track',
      summary: 'fraud!',
    },
  ]);
  await seed(OTHER_TEAM, 'checkout', [
    {
      at: '2026-11-21T10:00:00Z',
      ws: 'web',
      author: OTHER_PM,
      source: 'command',
      health: 'off_track',
      summary: 'their workspace only',
    },
  ]);
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});
beforeEach(() => {
  running.slack.setRateLimiting(false);
});

describe('/program export', () => {
  it('answers at once, then DMs a CSV that parses back to the program’s updates, oldest first', async () => {
    const before = await exportDirs();
    const exported = await exportAs('export checkout', { userId: PM });
    expect(exported.answers).toEqual([
      "⏳ Preparing the export of *Checkout revamp* (`checkout`)… I'll send it to you in a direct message.",
      '📄 Sent you the export of *Checkout revamp* (`checkout`) in your direct messages with Cairn: 7 status updates, one row each, oldest first.',
    ]);
    expect(exported.rows).toEqual([TEAM_HEADER, ...EXPECTED]);
    expect(exported.filename).toBe('checkout-updates-2026-11-25.csv');
    expect(exported.initialComment).toBe('Here is the export of `checkout`: 7 status updates, oldest first.');
    // To the user's DM, opened with conversations.open.
    const [shared] = running.slack.uploadedFiles(PM);
    expect(shared?.channel).toBe(running.slack.dmChannelFor(PM));
    expect(running.slack.calls('conversations.open').at(-1)?.args).toMatchObject({ users: PM });
    // Nothing of another program or workspace; the temporary file is gone.
    expect(exported.raw).not.toContain('fraud!');
    expect(exported.raw).not.toContain('their workspace only');
    expect(await exportDirs()).toEqual(before);
    const audit = await (
      await tenantCollection(db.connection, 'audit_events', TEAM_ID)
    ).findOne({ action: 'program.exported' });
    expect(audit).toMatchObject({ teamId: TEAM_ID, actorId: PM, details: { rows: 7, audience: 'team' } });
  });

  it('neutralises every cell a spreadsheet would run as a formula', async () => {
    const { rows, raw } = await exportAs('export checkout', { userId: PM });
    const cells = rows!.slice(1).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells.filter((c) => c.startsWith("'")).map((c) => c.slice(0, 3))).toEqual([
      "'=H",
      "'+1",
      "'-2",
      "'@S",
    ]);
    expect(raw).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  });

  it('reads since: in the user’s timezone: from the start of that day there', async () => {
    // 04:30 UTC on the 20th is still the 19th in New York; 05:30 UTC is the 20th.
    const { rows, answers, filename } = await exportAs('export checkout since:2026-11-20', { userId: PM });
    expect(rows).toEqual([TEAM_HEADER, EXPECTED[5], EXPECTED[6]]);
    expect(filename).toBe('checkout-updates-since-2026-11-20-2026-11-25.csv');
    expect(answers[1]).toContain('*Checkout revamp* (`checkout`) since Fri 20 Nov in your direct messages');
    const later = await exportAs('export checkout since:nov 22 2026', { userId: PM });
    expect(later.rows).toEqual([TEAM_HEADER, EXPECTED[6]]);
    // Without a year, `nov 22` is the next one (as everywhere in Cairn): refused, with the past one to type.
    const next = await exportAs('export checkout since:nov 22', { userId: PM });
    expect(next.answers).toEqual([
      "`since:` reads as Mon 22 Nov 2027, which hasn't come yet; give a day on or before today (a date without a year means the next one; the last one is `since:2026-11-22`).",
    ]);
  });

  it('as:client leaves internal updates out and writes no Slack user id anywhere', async () => {
    const { rows, raw, answers, initialComment } = await exportAs('export checkout as:client', {
      userId: PM,
    });
    const header = TEAM_HEADER.filter((h) => h !== 'author id');
    expect(rows).toEqual([header, ...[0, 1, 2, 3, 5].map((i) => clientRow(EXPECTED[i]!))]);
    expect(raw).not.toMatch(/[UW]0[A-Z0-9]+|<@|<#|secret|internal only/);
    expect(answers[1]).toContain('client version (no internal updates, no Slack user ids)');
    expect(initialComment).toContain('Client version: internal updates and Slack user ids left out.');
    const since = await exportAs('export checkout since:2026-11-20 as:client', { userId: PM });
    expect(since.rows).toEqual([header, clientRow(EXPECTED[5]!)]);
  });

  it('answers an unknown program, another workspace’s program and an empty one clearly, sending nothing', async () => {
    const before = running.slack.uploadedFiles().length;
    const unknown = await exportAs('export nope', { userId: PM });
    expect(unknown.answers).toEqual(['There is no program `nope` here. `/program list` shows them.']);
    const fraudOfOthers = await exportAs('export fraud', { userId: OTHER_PM, teamId: OTHER_TEAM });
    expect(fraudOfOthers.answers).toEqual(['There is no program `fraud` here. `/program list` shows them.']);
    const empty = await exportAs('export quiet', { userId: PM });
    expect(empty.answers[1]).toBe(
      '*Nothing yet* (`quiet`) has no status updates to export, so nothing was sent.',
    );
    expect(running.slack.uploadedFiles().length).toBe(before);

    // The other workspace's own `checkout` is its own: one row, none of ours.
    const theirs = await exportAs('export checkout', { userId: OTHER_PM, teamId: OTHER_TEAM });
    expect(theirs.rows).toHaveLength(2);
    expect(theirs.rows![1]).toContain('their workspace only');
  });

  it('refuses bad options before doing anything', async () => {
    const future = await exportAs('export checkout since:2026-12-01', { userId: PM });
    expect(future.answers[0]).toContain(
      "`since:` reads as Tue 1 Dec 2026, which hasn't come yet; give a day on or before today.",
    );
    const variant = await exportAs('export checkout as:board', { userId: PM });
    expect(variant.answers[0]).toContain(
      'An export is for the team (the default) or `as:client`, not `as:board`.',
    );
    const extra = await exportAs('export checkout fraud', { userId: PM });
    expect(extra.answers[0]).toContain("I don't know what to do with `fraud`");
  });

  it('says so when Slack refuses the upload, and leaves no file behind', async () => {
    const before = await exportDirs();
    running.slack.injectError('files.completeUploadExternal', { error: 'not_in_channel' });
    const failed = await exportAs('export checkout', { userId: PM });
    expect(failed.answers[1]).toBe(
      "I couldn't send you the export of *Checkout revamp* (`checkout`): Slack said `not_in_channel`. Nothing was sent; please try again in a minute.",
    );
    expect(failed.rows).toBeUndefined();
    expect(await exportDirs()).toEqual(before);
  });
});
