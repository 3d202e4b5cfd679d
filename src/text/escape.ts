/**
 * User text is content, never formatting. Everything a user typed (names, summaries, next steps,
 * blockers, deliverables, teams, objectives) reaches a Slack mrkdwn text through this module:
 *
 * 1. **Cut first, on grapheme boundaries.** Text is shortened before it is escaped, so a cut never
 *    lands inside `&amp;`; it is cut between grapheme clusters (`Intl.Segmenter`), so a family emoji
 *    `👩‍👩‍👧`, a flag or a letter with its accents is kept whole or left out whole; and a cut text
 *    ends with `…`, so nothing is lost silently. Budgets count the code points of the *escaped*
 *    text (what Slack counts against its limits), so `userText(s, 300)` is never longer than 300.
 * 2. **Escape `&`, `<` and `>`**, as Slack documents (docs.slack.dev, "Formatting message text",
 *    Escaping text): `<!channel>` pings everyone and `<https://x|y>` makes a link; escaped, they are
 *    inert. Only user mentions `<@U…>` may be kept, where a text may mention people (summaries,
 *    next steps, blockers).
 * 3. **Neutralise `*`, `_`, `~` and backticks** by replacing them with look-alikes: `∗` (U+2217
 *    asterisk operator), `ˍ` (U+02CD modifier letter low macron), `∼` (U+223C tilde operator) and
 *    `ˋ` (U+02CB modifier letter grave accent). Slack documents no escape for these: a backslash
 *    shows as a backslash (slackhq/slack-api-docs#93), and Slack's answer there (#34) is to put the
 *    text in backticks, which would be formatting too. Which neighbours make a delimiter count is
 *    undocumented, and the zero-width characters some insert to stop one are what others insert to
 *    *make* one count (a U+200B before a closing `*` completes a bold, NousResearch/hermes-agent
 *    #35132): next to a user's `*`, a zero-width space or word joiner may as well turn it into a
 *    delimiter. A look-alike is not `*`, `_`, `~` or `` ` `` at all, so it can never
 *    open or close Cairn's bold, italics, strike-through or code wherever it sits, and ``` can never
 *    open a code block. It reads the same; the price is that copied text carries the look-alike
 *    (a URL with `_` no longer works when copied; Slack would not have linked it anyway, see 4).
 *    Inside Cairn's code spans and code blocks (quoteInput's `…`, failureAnswer's "here is what
 *    you wrote") Slack formats nothing, so there only backticks, which would end the code early,
 *    are replaced, and the user's `*`, `_` and `~` are shown as typed: `check_out` isn't a valid
 *    key must name the `_` the user typed.
 * 4. The section and context builders (blocks.ts) mark every mrkdwn text `verbatim: true`: Slack
 *    then does not auto-link URLs, channel names or @-words typed as plain text, while it still
 *    renders the mrkdwn and the `<@U…>`, `<#C…>` strings Cairn writes itself (text object reference,
 *    `verbatim`).
 */

export const ELLIPSIS = '…';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The grapheme clusters of a text, as a reader sees its characters. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Code points: how Slack (and its SDKs' validators) count a text's length. */
export function charCount(text: string): number {
  // UTF-16 length, less one for each surrogate pair (each pair is one code point).
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

const LOOK_ALIKE: Record<string, string> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };

/** `*`, `_`, `~` and backticks as look-alikes that no mrkdwn parser takes for formatting. */
export function neutraliseFormatting(text: string): string {
  return text.replace(/[*_~`]/g, (c) => LOOK_ALIKE[c] ?? c);
}

const TYPED = Object.fromEntries(Object.entries(LOOK_ALIKE).map(([typed, shown]) => [shown, typed]));

/** The reverse of neutraliseFormatting, for plain text (which shows `*`, `_`, `~` and `` ` `` as they are). */
export function restoreFormatting(text: string): string {
  return text.replace(/[∗ˍ∼ˋ]/g, (c) => TYPED[c] ?? c);
}

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const escapeControl = (text: string) => text.replace(/[&<>]/g, (c) => ENTITY[c] ?? c);

/**
 * User text made inert in mrkdwn: `&`, `<`, `>` escaped, formatting characters neutralised. Does not
 * shorten; prefer userText, which does both in the right order.
 */
export function escapeMrkdwn(text: string): string {
  return escapeControl(neutraliseFormatting(text));
}

/** A user mention as Slack sends it, `<@U123>` or `<@U123|name>`; the label never survives. */
const MENTION = /<@([UW][A-Z0-9]{2,20})(?:\|[^<>&]*)?>/g;

/**
 * Like escapeMrkdwn, but keeps user mentions (`<@U123>`) working: mentioning a person is what a
 * summary may legitimately do, while `<!channel>`, `<!here>` and links stay inert.
 */
export function escapeKeepingMentions(text: string): string {
  return escapeMrkdwn(text).replace(/&lt;@([UW][A-Z0-9]{2,20})(?:\|[^&]*)?&gt;/g, '<@$1>');
}

/** `…\n…` on one line: line breaks (and the spaces around them) become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
}

/** Shortens plain text to at most `max` code points, cut between graphemes, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (charCount(text) <= max) return text;
  return cut(
    units(text, false, (g) => g, max),
    max,
  );
}

export interface UserTextOptions {
  /** Keep user mentions `<@U…>` working (summaries, next steps, blockers). Default false. */
  mentions?: boolean;
  /**
   * `one` (default): line breaks become spaces, for text inside a line of Cairn's own; `keep`: line
   * breaks kept; `quote`: each line after the first starts with `> `, for text after Cairn's `> `.
   */
  lines?: 'one' | 'keep' | 'quote';
}

/**
 * User text for a mrkdwn text: cut to at most `max` code points once escaped (on grapheme
 * boundaries, ending with `…` when cut), formatting characters neutralised, `&`, `<`, `>` escaped.
 */
export function userText(text: string, max: number, options: UserTextOptions = {}): string {
  const lines = options.lines ?? 'one';
  const mentions = options.mentions ?? false;
  const source = lines === 'one' ? oneLine(text) : text;
  const quote = (shown: string) => (lines === 'quote' ? shown.replace(LINE_BREAK, '\n> ') : shown);
  // Most texts fit: then the whole text, escaped at once, is the answer, and nothing is segmented.
  const whole = quote(mentions ? escapeKeepingMentions(source) : escapeMrkdwn(source));
  if (charCount(whole) <= max) return whole;
  return cut(
    units(source, mentions, (g) => quote(escapeMrkdwn(g)), max),
    max,
  );
}

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * Words a user typed, quoted back safely in a code span: on one line, short, escaped, and with no
 * backtick to end the span (`*`, `_` and `~` are shown as typed: a code span formats nothing).
 */
export function quoteInput(text: string, max = 80): string {
  return `\`${escapeControl(withoutBackticks(truncate(oneLine(text), max)))}\``;
}

const withoutBackticks = (text: string) => text.replace(/`/g, LOOK_ALIKE['`']!);

/**
 * User text inside Cairn's ``` code block, handed back to copy: cut to `max` once escaped, `&`, `<`,
 * `>` escaped and backticks replaced (so ``` cannot end the block early), but `*`, `_` and `~`
 * kept as typed, since a code block shows them as they are.
 */
export function codeBlockText(text: string, max: number): string {
  const shown = (t: string) => escapeControl(withoutBackticks(t));
  const whole = shown(text);
  return charCount(whole) <= max ? whole : cut(units(text, false, shown, max), max);
}

/**
 * Cairn's own mrkdwn, cut to `max` code points as a last resort (views budget their texts to fit):
 * whole lines when that keeps most of it, else between graphemes but never inside an entity or a
 * `<…>` mention or link; either way ending with `…`.
 */
export function cutMrkdwn(text: string, max: number): string {
  if (charCount(text) <= max) return text;
  const lines = text.split('\n');
  let keptLines = 0;
  let keptSize = -1; // the kept lines joined by line breaks: their sizes plus one each, less one
  for (const line of lines) {
    const n = charCount(line) + 1;
    if (keptSize + n + 2 > max) break;
    keptSize += n;
    keptLines++;
  }
  if (keptLines > 0 && keptSize >= max / 2) return `${lines.slice(0, keptLines).join('\n')}\n${ELLIPSIS}`;
  const kept: Array<{ grapheme: string; safe: boolean }> = [];
  let size = 0;
  let inToken: '<' | '&' | undefined;
  for (const { segment: g } of segmenter.segment(text)) {
    const n = charCount(g);
    if (size + n + 1 > max) break;
    size += n;
    if (inToken === '<' && g.includes('>')) inToken = undefined;
    else if (inToken === '&' && g.includes(';')) inToken = undefined;
    else if (!inToken && g.startsWith('<')) inToken = g.includes('>') ? undefined : '<';
    else if (!inToken && g.startsWith('&')) inToken = '&';
    kept.push({ grapheme: g, safe: !inToken });
  }
  let end = kept.length;
  const unsafe = (k: { grapheme: string; safe: boolean }) =>
    !k.safe || /^\s+$/.test(k.grapheme) || joinsWithEllipsis(k.grapheme);
  while (end > 0 && unsafe(kept[end - 1]!)) end--;
  return `${kept
    .slice(0, end)
    .map((k) => k.grapheme)
    .join('')}${ELLIPSIS}`;
}

interface Unit {
  /** What the user typed. */
  raw: string;
  /** How it goes into mrkdwn. */
  shown: string;
  /** Code points of `shown`. */
  cost: number;
}

/**
 * The text's graphemes (and whole mentions, when kept), each with how it is shown, for a cut to
 * `max`. Segmenting is slow, so only what a cut may keep is segmented: each grapheme is shown in
 * at least as many code points as it has, so no more than `max` code points of text between
 * mentions are kept, and the first `max + 1` of them are segmented. Grapheme boundaries depend
 * only on what comes before them and the next character, so the boundaries within that part are
 * the text's own; the last grapheme may be incomplete, but its code points take the part past
 * `max`, so the cut never keeps it.
 */
function* units(
  text: string,
  keepMentions: boolean,
  show: (grapheme: string) => string,
  max: number,
): Generator<Unit> {
  function* plain(part: string): Generator<Unit> {
    for (const { segment } of segmenter.segment(firstCodePoints(part, max + 1))) {
      const shown = show(segment);
      yield { raw: segment, shown, cost: charCount(shown) };
    }
  }
  if (!keepMentions) return yield* plain(text);
  let at = 0;
  for (const m of text.matchAll(MENTION)) {
    yield* plain(text.slice(at, m.index));
    const shown = `<@${m[1]}>`;
    yield { raw: m[0], shown, cost: shown.length };
    at = m.index + m[0].length;
  }
  yield* plain(text.slice(at));
}

/**
 * For a text that does not fit in `max` code points: as many of its units as fit before a `…`,
 * trailing spaces dropped, and never a last grapheme that would join with the `…`.
 */
function cut(all: Iterable<Unit>, max: number): string {
  if (max < 1) return '';
  const kept: Unit[] = [];
  let size = 0;
  for (const u of all) {
    if (size + u.cost + 1 > max) break;
    kept.push(u);
    size += u.cost;
  }
  let n = kept.length;
  while (n > 0 && (/^\s+$/.test(kept[n - 1]!.raw) || joinsWithEllipsis(kept[n - 1]!.raw))) n--;
  return `${kept
    .slice(0, n)
    .map((u) => u.shown)
    .join('')}${ELLIPSIS}`;
}

/** The first `n` code points of a text. */
function firstCodePoints(text: string, n: number): string {
  if (text.length <= n) return text;
  let end = 0;
  for (let i = 0; i < n && end < text.length; i++) end += text.codePointAt(end)! > 0xffff ? 2 : 1;
  return text.slice(0, end);
}

/** Whether `…` after this grapheme would become part of it (a prepended concatenation mark, say). */
function joinsWithEllipsis(grapheme: string): boolean {
  return graphemes(`${grapheme}${ELLIPSIS}`).length !== 2;
}
