/**
 * Property (issue 9, item 6): user text is content, never formatting. Random user strings (any
 * unicode, emoji ZWJ sequences and flags, entities, `<!channel>`, `<@U…>`, `*`, `_`, `~`,
 * backticks, ```, line breaks, up to 5,000 characters) are put in every user-text field of one
 * program (its name and objective, workstream names, a team, a summary, next steps, a blocker, a
 * deliverable, a milestone, a shared resource, words typed into a command or a form) and rendered
 * through every view of src/views/ that shows user text. Then, for every text of every payload:
 *
 * - Slack's limits hold (src/slack-peer/block-kit-limits.ts, as the Slack peer checks them), and every
 *   mrkdwn text object is `verbatim: true`;
 * - no entity is cut (every `&` starts `&amp;`, `&lt;` or `&gt;`) and no `<…>` other than Cairn's
 *   own `<@U…>` / `<#C…>` survives: no `<!channel>`, `<!here>`, `<!everyone>`, no link;
 * - Cairn's formatting stays balanced and no formatting character of the user's survives: the
 *   same world is rendered again with every `*`, `_`, `~` and backtick of the user strings replaced
 *   by `x` (same lengths, so the same cuts and the same blocks), and each mrkdwn text has the same
 *   formatting characters, line by line, as its twin; in the twin, whose formatting is all Cairn's,
 *   backticks pair up, and outside code `*`, `_` and `~` come in pairs on each line;
 * - what was cut says so, and no grapheme is cut: each user string starts with a marker `§n§`;
 *   wherever a marker is shown (entities decoded), the text after it is the whole user string in
 *   one of the forms it may take (as typed, on one line, quoted, with mentions reduced to `<@U…>`
 *   or, in a client digest, written out as `@name`, with formatting characters as look-alikes), or
 *   a part of it followed by `…`, cut where a grapheme of that form ends, the `…` a grapheme of its
 *   own.
 */
import fc from 'fast-check';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/domain/digest.js';
import { withoutMentions } from '../../src/domain/digest/context.js';
import { failureAnswer, noticeAnswer, problemAnswer } from '../../src/views/answer.js';
import { digestMessages } from '../../src/views/digest-blocks.js';
import { quietDigestMessages } from '../../src/views/quiet-digest.js';
import { blockerEscalationMessage, dependencyAtRiskMessage } from '../../src/views/escalation-views.js';
import { neutraliseFormatting, oneLine, quoteInput, userText } from '../../src/text/escape.js';
import { programHelp, statusHelp } from '../../src/views/help.js';
import { homeView } from '../../src/views/home-view.js';
import { SCHEDULE_FIELD } from '../../src/views/ids.js';
import { interruptedAnswer } from '../../src/views/interrupted.js';
import { problemPlainText } from '../../src/views/problems.js';
import { previewBlocks, previewModal } from '../../src/views/preview.js';
import {
  allocatedView,
  blockerAddedView,
  dependencyAddedView,
  milestoneAddedView,
  programArchivedView,
  programCreatedView,
  programListView,
  programOverviewView,
  resourceSetView,
  workstreamAddedView,
} from '../../src/views/program-views.js';
import { reminderMessage } from '../../src/views/reminder-views.js';
import {
  readScheduleForm,
  scheduleCreatedView,
  scheduleListView,
  scheduleModal,
} from '../../src/views/schedule-views.js';
import { updateModal, updateRecordedView } from '../../src/views/update-views.js';
import { workstreamCardView } from '../../src/views/workstream-card.js';
import { isMessageTextTooLong, validateMessageBlocks, validateView } from '../support/block-kit-limits.js';
import { daysAgo, DigestFixture, inDays, NOW, otherProgram, TODAY } from '../support/digest-fixtures.js';

// ---------------------------------------------------------------------------
// The world: one program whose every user-text field is a generated string
// ---------------------------------------------------------------------------

const FIELDS = [
  'program',
  'objective',
  'payName',
  'webName',
  'authName',
  'team',
  'summary',
  'nextSteps',
  'blocker',
  'deliverable',
  'milestone',
  'resource',
  'typed',
] as const;
type Field = (typeof FIELDS)[number];
type Texts = Record<Field, string>;

const marker = (i: number) => `§${i}§`;

/** A payload as Slack receives it: a message (or answer), a view, or a modal's field error. */
type Payload =
  | { kind: 'message'; name: string; message: { text?: string; blocks: unknown[] } }
  | { kind: 'view'; name: string; view: unknown }
  | { kind: 'error'; name: string; text: string };

type Schedule = Parameters<typeof scheduleCreatedView>[1];
type Card = Parameters<typeof workstreamCardView>[0];
type Home = Parameters<typeof homeView>[0];

/** Every view that shows user text, rendered for one world. */
function render(t: Texts): Payload[] {
  const fx = new DigestFixture({ name: t.program, objective: t.objective });
  const p = fx.program;
  const pay = fx.workstream('pay', { name: t.payName, team: t.team, targetDate: inDays(20) });
  const web = fx.workstream('web', { name: t.webName, team: 'Web', targetDate: inDays(-3) });
  fx.update(pay, { health: 'on_track', ago: 10 });
  const latest = fx.update(pay, {
    health: 'at_risk',
    ago: 1,
    summary: t.summary,
    nextSteps: t.nextSteps,
    progress: 40,
    forecastDate: inDays(30),
  });
  fx.update(web, { health: 'off_track', ago: 2, summary: t.summary, nextSteps: t.nextSteps });
  const blocker = fx.blocker(pay, t.blocker, { ago: 9 });
  fx.blocker(web, t.blocker, { ago: 12, resolvedAgo: 1 });
  const platform = otherProgram('platform', 'Platform');
  const auth = fx.workstream(
    'auth',
    { name: t.authName, team: t.team, health: 'off_track', state: 'active' },
    platform,
  );
  const needs = fx.dependency(pay, auth, inDays(5), t.deliverable);
  const owes = fx.dependency(web, pay, inDays(-2), t.deliverable);
  fx.milestone(t.milestone, inDays(10), [pay, web]);
  fx.previous(7, [
    [pay, { health: 'on_track', targetDate: inDays(20), forecastDate: inDays(20) }],
    [web, { health: 'on_track', targetDate: inDays(-3) }],
  ]);

  const out: Payload[] = [];
  const message = (name: string, m: { text?: string; blocks: unknown[] }) =>
    out.push({ kind: 'message', name, message: m });
  const view = (name: string, v: unknown) => out.push({ kind: 'view', name, view: v });

  for (const variant of ['team', 'leadership', 'client'] as const) {
    const digest = digestMessages(buildDigest(fx.data({ variant })), {
      appHomeUrl: 'slack://app?team=T0001&id=A0001&tab=home',
    });
    message(`digest ${variant}`, digest.main);
    digest.thread.forEach((m, i) => message(`digest ${variant} thread ${i}`, m));
    message(`preview ${variant}`, {
      blocks: previewBlocks(
        digest.main.blocks,
        digest.thread.map((m) => m.blocks),
      ),
    });
    view(`preview modal ${variant}`, previewModal(digest));
  }

  const card: Card = {
    workstream: pay,
    program: p,
    updates: fx.updates.filter((u) => u.workstreamId.toHexString() === pay._id.toHexString()).reverse(),
    blockers: [blocker],
    needs: [{ dependency: needs, other: auth }],
    owes: [{ dependency: owes, other: web }],
    chains: fx.chainsOf(pay),
  };
  message('workstream card', workstreamCardView(card, NOW));
  message(
    'workstream card at risk',
    workstreamCardView(
      {
        ...card,
        workstream: web,
        needs: [{ dependency: owes, other: pay }],
        owes: [],
        chains: fx.chainsOf(web),
      },
      NOW,
    ),
  );

  const home: Home = {
    userId: pay.leadId,
    workstreams: [pay, web],
    programs: [
      {
        program: p,
        role: 'owner',
        counts: {
          workstreams: 2,
          byHealth: { on_track: 0, at_risk: 1, off_track: 1 },
          withoutUpdate: 0,
          atRiskThroughDependencies: 0,
          openBlockers: 1,
        },
      },
    ],
    blockers: [{ blocker, workstream: pay }],
    owes: [{ dependency: owes, provider: pay, consumer: web }],
    truncated: { workstreams: false, programs: false, blockers: false, owes: false },
    chains: new Map([
      [pay._id.toHexString(), fx.chainsOf(pay)],
      [web._id.toHexString(), fx.chainsOf(web)],
    ]),
  };
  view('home', homeView(home, NOW));

  message(
    'update recorded',
    updateRecordedView({ update: latest, workstream: pay, openedBlocker: blocker, duplicate: false }, NOW),
  );
  view('update modal', updateModal({ workstreams: [pay, web, auth], selected: pay, metadata: {} }));
  view(
    'update modal, editing',
    updateModal({ workstreams: [pay], selected: pay, editing: latest, metadata: {} }),
  );

  message('program created', programCreatedView(p));
  message('program list', programListView([p, platform], true));
  message('program archived', programArchivedView(p));
  message(
    'program overview',
    programOverviewView(
      {
        program: p,
        workstreams: [pay, web],
        blockers: fx.openBlockers,
        dependencies: fx.dependencies,
        otherWorkstreams: [auth],
        milestones: fx.milestones,
      },
      NOW,
    ),
  );
  message('workstream added', workstreamAddedView(p, pay, NOW));
  message('dependency added', dependencyAddedView(pay, auth, t.deliverable, inDays(5), NOW));
  message('blocker added', blockerAddedView(pay, t.blocker, true));
  message('milestone added', milestoneAddedView(p, t.milestone, inDays(10), [pay, web], NOW));
  message('resource set', resourceSetView(t.resource, 10, true));
  message('allocated', allocatedView(t.resource, pay, 4, inDays(1), inDays(20), NOW));

  const schedule: Schedule = {
    _id: new Types.ObjectId(),
    teamId: p.teamId,
    programId: p._id,
    programKey: p.key,
    channelId: 'C0001',
    days: ['mon', 'thu'],
    time: '09:00',
    timezone: 'Europe/London',
    variant: 'team',
    reminderLeadMinutes: 120,
    quiet: true,
    paused: false,
    createdBy: p.ownerId,
    createdAt: daysAgo(3),
    lastSlotAt: daysAgo(1),
    nextSlotAt: new Date('2026-11-26T09:00:00Z'),
  };
  view('schedule modal', scheduleModal(p, 'Europe/London'));
  message('schedule created', scheduleCreatedView(p, schedule));
  message('schedule list', scheduleListView(p, [schedule]));
  message('schedule list, empty', scheduleListView(p, []));
  const quietDigest = quietDigestMessages({
    programKey: p.key,
    programName: t.program,
    since: '2026-11-18',
    today: '2026-11-25',
    counts: buildDigest(fx.data()).counts,
    blocked: 1,
  });
  message('quiet digest', quietDigest.main);
  const form = readScheduleForm(
    {
      [SCHEDULE_FIELD.channel]: { value: { selected_conversation: 'C0001' } },
      [SCHEDULE_FIELD.days]: { value: { selected_options: [{ value: 'mon' }] } },
      [SCHEDULE_FIELD.time]: { value: { selected_time: '09:00' } },
      [SCHEDULE_FIELD.timezone]: { value: { value: t.typed } },
      [SCHEDULE_FIELD.variant]: { value: { selected_option: { value: 'team' } } },
      [SCHEDULE_FIELD.reminder]: { value: { selected_option: { value: '120' } } },
      [SCHEDULE_FIELD.quiet]: { value: { selected_option: { value: 'yes' } } },
    },
    JSON.stringify({ programKey: p.key }),
    () => false,
  );
  if (!form.ok)
    for (const [field, text] of Object.entries(form.errors))
      out.push({ kind: 'error', name: `schedule form ${field}`, text });

  const since = daysAgo(7);
  message(
    'reminder',
    reminderMessage(
      pay.leadId,
      { programName: t.program, since, when: 'Mon 30 Nov, 09:00 GMT' },
      [pay, web],
      NOW,
    ),
  );
  message(
    'nudge',
    reminderMessage(pay.leadId, { programName: t.program, since, when: undefined }, [pay, web], NOW),
  );
  message('blocker escalation', blockerEscalationMessage(p, pay, blocker, 9));
  message(
    'dependency at risk',
    dependencyAtRiskMessage(needs, pay, auth, fx.riskOf(needs), fx.named(), TODAY),
  );

  // Problems quote what the user typed with quoteInput, as the parsers and use cases do.
  const typed = quoteInput(t.typed);
  message('program help', programHelp(`I don't know the subcommand ${typed}.`));
  message('status help', statusHelp(`${typed} isn't a health word; use green, amber or red.`));
  message('problem', problemAnswer(`There is no workstream ${typed} here.`, '`/status pay green Shipped`'));
  message('notice', noticeAnswer(`Posted the digest of *${userText(t.program, 200)}* to <#C0001>.`));
  message('failure', failureAnswer('record your update', t.typed));
  message('interrupted', interruptedAnswer([], t.typed));
  out.push({
    kind: 'error',
    name: 'modal error',
    text: problemPlainText(
      { kind: 'not_program_admin', change: 'schedules', programKey: t.typed, ownerId: p.ownerId },
      new Map([[p.ownerId, 'Ada']]),
    ),
  });
  return out;
}

// ---------------------------------------------------------------------------
// The texts of a payload, and what is checked of them
// ---------------------------------------------------------------------------

interface Shown {
  where: string;
  kind: 'mrkdwn' | 'plain';
  text: string;
}

/** Every text of a payload, in order, with whether Slack reads it as mrkdwn or plain text. */
function textsOf(payload: Payload, problems: string[]): Shown[] {
  const out: Shown[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`));
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') {
      out.push({ where, kind: o.type === 'mrkdwn' ? 'mrkdwn' : 'plain', text: o.text });
      if (o.type === 'mrkdwn' && o.verbatim !== true)
        problems.push(`${where}: a mrkdwn text without verbatim: true`);
      return;
    }
    for (const [key, value] of Object.entries(o)) walk(value, `${where}/${key}`);
  };
  switch (payload.kind) {
    case 'message':
      // The notification text of a message is mrkdwn too.
      if (payload.message.text !== undefined)
        out.push({ where: 'text', kind: 'mrkdwn', text: payload.message.text });
      walk(payload.message.blocks, 'blocks');
      break;
    case 'view':
      walk(payload.view, 'view');
      break;
    case 'error':
      out.push({ where: 'error', kind: 'plain', text: payload.text });
  }
  return out;
}

function limitProblems(payload: Payload): string[] {
  switch (payload.kind) {
    case 'message':
      return [
        ...validateMessageBlocks(payload.message.blocks),
        ...(isMessageTextTooLong(payload.message.text) ? ['message text too long'] : []),
      ];
    case 'view':
      return validateView(payload.view);
    case 'error':
      // A field error shows on one input: keep it within what an input's hint may say.
      return [...payload.text].length > 2000 ? ['field error longer than 2,000 characters'] : [];
  }
}

const decode = (text: string) =>
  text.replace(/&(amp|lt|gt);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>' })[e]!);
const MENTION = /<@([UW][A-Z0-9]{2,20})(?:\|[^<>&]*)?>/g;
const quoted = (text: string) => text.replace(/\r\n|[\r\n\u2028\u2029]/g, '\n> ');

/** The forms a user string may be shown in (before any cut): see the file's comment. */
function formsOf(text: string): string[] {
  const forms = new Set<string>();
  for (const lines of [text, oneLine(text), quoted(text)]) {
    // Mentions kept (reduced to `<@U…>`), or, in a client digest, written out as `@name`.
    for (const mentions of [lines, lines.replace(MENTION, '<@$1>'), withoutMentions(lines)]) {
      forms.add(mentions);
      forms.add(neutraliseFormatting(mentions));
      forms.add(mentions.replace(/`/g, 'ˋ'));
    }
  }
  return [...forms];
}

/** Code blocks, then code spans, taken out: what is left is formatted text. */
const withoutCode = (text: string) =>
  text
    .replace(/```[\s\S]*?```/g, '')
    .split('\n')
    .map((line) => line.replace(/`[^`\n]*`/g, ''))
    .join('\n');
const only = (chars: string) => (text: string) => text.replace(new RegExp(`[^${chars}\\n]`, 'g'), '');
const ticks = only('`');
const marks = only('*_~');

/** What is wrong with one text shown (`twin`: the same text rendered with formatting characters replaced). */
function textProblems(
  shown: Shown,
  twin: Shown | undefined,
  forms: ReadonlyArray<readonly string[]>,
): string[] {
  const problems: string[] = [];
  const { text } = shown;
  const say = (what: string) =>
    problems.push(`${shown.where} (${shown.kind}): ${what}\n    ${JSON.stringify(text.slice(0, 300))}`);
  if (!twin || twin.where !== shown.where || twin.kind !== shown.kind) {
    say('its twin, rendered with formatting characters replaced, has another shape');
    return problems;
  }
  let readable = text;
  if (shown.kind === 'mrkdwn') {
    if (/&(?!amp;|lt;|gt;)/.test(text)) say('an `&` that starts no entity: a cut or unescaped entity');
    for (const m of text.matchAll(/</g)) {
      if (!/^<(@[UW][A-Z0-9]{2,20}|#[CG][A-Z0-9]{2,20})>/.test(text.slice(m.index)))
        say(`a live \`<…>\` at ${m.index}: ${text.slice(m.index, m.index + 20)}`);
    }
    if (ticks(text) !== ticks(twin.text)) say('a backtick of the user survives');
    else if (marks(withoutCode(text)) !== marks(withoutCode(twin.text)))
      say('a `*`, `_` or `~` of the user survives');
    const cairns = withoutCode(twin.text);
    if (cairns.includes('`')) say("Cairn's backticks do not pair up");
    cairns.split('\n').forEach((line, i) => {
      for (const c of '*_~')
        if (line.split(c).length % 2 === 0) say(`line ${i} has an odd number of Cairn's \`${c}\``);
    });
    readable = decode(text);
  }
  FIELDS.forEach((field, i) => {
    const mark = marker(i);
    for (let at = readable.indexOf(mark); at >= 0; at = readable.indexOf(mark, at + 1)) {
      const verdicts = forms[i]!.map((form) => shownFrom(readable, at, form));
      if (verdicts.includes('whole') || verdicts.includes('cut well')) continue;
      const rest = JSON.stringify(readable.slice(at, at + 80));
      if (verdicts.includes('cut inside a grapheme')) say(`${field} is cut inside a grapheme: ${rest}`);
      else say(`${field} is cut without a "…": ${rest}`);
    }
  });
  return problems;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const startsGrapheme = (text: string, at: number) =>
  at === text.length || segmenter.segment(text).containing(at)?.index === at;

/**
 * How `form` (a form of a user string) is shown at `at` of `text`: whole; or cut well (a part of it,
 * then `…`, the cut where a grapheme of the form ends and the `…` a grapheme of the output); or
 * cut inside a grapheme; or not at all.
 */
function shownFrom(
  text: string,
  at: number,
  form: string,
): 'whole' | 'cut well' | 'cut inside a grapheme' | 'no' {
  if (text.startsWith(form, at)) return 'whole';
  // The longest common prefix, by bisection (startsWith is native, a loop per character is not).
  let lo = 0;
  let hi = form.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (text.startsWith(form.slice(0, mid), at)) lo = mid;
    else hi = mid - 1;
  }
  // The cut mark: right where text and form part, or (when the form has a `…` there) an earlier one.
  const cut = text[at + lo] === '…' ? lo : text.lastIndexOf('…', at + lo - 1) - at;
  if (cut < 0) return 'no';
  return startsGrapheme(form, cut) && startsGrapheme(text, at + cut) ? 'cut well' : 'cut inside a grapheme';
}

function check(texts: Texts): string[] {
  const twinTexts = Object.fromEntries(FIELDS.map((f) => [f, texts[f].replace(/[*_~`]/g, 'x')])) as Texts;
  const forms = FIELDS.map((f) => formsOf(texts[f]));
  const payloads = render(texts);
  const twins = render(twinTexts);
  const problems: string[] = [];
  payloads.forEach((payload, i) => {
    const found: string[] = [];
    found.push(...limitProblems(payload));
    const shown = textsOf(payload, found);
    const twin = textsOf(twins[i]!, []);
    if (shown.length !== twin.length) found.push(`${shown.length} texts, but its twin has ${twin.length}`);
    shown.forEach((s, j) => found.push(...textProblems(s, twin[j], forms)));
    problems.push(...found.map((f) => `${payload.name}: ${f}`));
  });
  return problems;
}

// ---------------------------------------------------------------------------
// User strings
// ---------------------------------------------------------------------------

const SPECIALS = [
  '*',
  '_',
  '~',
  '`',
  '```',
  '```js\n',
  '&',
  '&amp;',
  '&lt;',
  '&gt;',
  '&#39;',
  '<',
  '>',
  '> ',
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S123|@sre>',
  '<@U123>',
  '<@U0DANA|dana_*x*>',
  '<@W0ENT>',
  '<#C123|general>',
  '<https://evil.example|click here>',
  'https://x.example/a_b_c',
  '#general',
  '@here',
  '\n',
  '\r\n',
  '\n\n',
  ' ',
  '\t',
  '👩‍👩‍👧‍👦',
  '👩🏽‍💻',
  '🇫🇷',
  '🇩🇪🇬🇧',
  '🏳️‍🌈',
  '*️⃣',
  'e\u0301',
  '\u0301',
  '\u200D',
  '\u200B',
  '\u0600',
  '\uD83D',
  '…',
  'Tier*1 rollout',
  '*bold*',
  '_italic_',
  '~struck~',
  '`code`',
  ':smile:',
  'مرحبا',
  '漢字',
  'R&D',
];
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);
/** Up to 5,000 characters: mostly short, some long runs of one piece (a summary of `&`s, of emoji…). */
const body = fc.oneof(
  { weight: 3, arbitrary: fc.array(piece, { maxLength: 25 }).map((p) => p.join('')) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.integer({ min: 50, max: 5000 }))
      .map(([pieces, size]) => {
        const unit = pieces.join('') || 'x';
        return [...unit.repeat(Math.ceil(size / [...unit].length))].slice(0, size).join('');
      }),
  },
);
/**
 * A user string: its marker, then the body. A string whose last grapheme would join the character
 * Cairn writes after it (a prepended concatenation mark, say) ends with a full stop, so that such a
 * join is not taken for a cut.
 */
const userString = (i: number) =>
  body.map((b) => {
    const s = `${marker(i)}${b}`;
    const joins = [' ', '*', '”', ')', '`', '…', '.', ':', '\n', '_'].some(
      (next) => !startsGrapheme(`${s}${next}`, s.length),
    );
    return joins ? `${s}.` : s;
  });
const worlds = fc.record(
  Object.fromEntries(FIELDS.map((f, i) => [f, userString(i)])) as Record<Field, fc.Arbitrary<string>>,
);

describe('user text is content, never formatting', () => {
  it('holds for hand-picked strings', () => {
    const nasty = 'Tier*1 rollout _now_ ~x~ ```js\nx``` &amp; & <!channel> <@U0DANA|dana> 👩‍👩‍👧‍👦🇫🇷';
    const long = (unit: string) => unit.repeat(Math.ceil(5000 / [...unit].length));
    for (const body of [
      nasty,
      long('&'),
      long('👩‍👩‍👧‍👦'),
      long('*'),
      long('`'),
      long('<!here>'),
      long('a\n'),
      long('🇫🇷'),
    ]) {
      const texts = Object.fromEntries(FIELDS.map((f, i) => [f, `${marker(i)}${body}`])) as Texts;
      expect(check(texts).slice(0, 10)).toEqual([]);
    }
  });

  it('holds for random strings in every field of every view', () => {
    fc.assert(
      fc.property(worlds, (texts) => {
        const problems = check(texts);
        if (problems.length > 0)
          throw new Error(`${problems.length} problems:\n${problems.slice(0, 8).join('\n')}`);
      }),
      { numRuns: 40 },
    );
  });
});
