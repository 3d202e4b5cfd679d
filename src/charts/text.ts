/**
 * User text (program and milestone names) and dates as the charts show them.
 *
 * A name may hold anything. The chart library escapes `&`, `<`, `>`, `"` and `'` in the SVG text it
 * writes (zrender's encodeHTML), but not the characters XML forbids outright (C0 controls, lone
 * surrogates, U+FFFE/U+FFFF), with which resvg refuses the whole SVG: `chartText` removes those, joins
 * lines, drops bidi controls (which would reverse what follows them), writes a Slack user mention
 * `<@U…>` as `@user`, so no image or alt text carries a user id, and keeps a name such as `__proto__`
 * from corrupting the chart library's caches. Names are then cut between grapheme
 * clusters, by the width they will be drawn at (`fitWidth`) or by length (`shorten`, for alt text),
 * ending with `…`.
 */
import type { CalendarDate } from '../domain/types.js';
import { ELLIPSIS, graphemes } from '../text/escape.js';
import { textWidth } from './fonts.js';

// Not allowed in XML 1.0 (C0 controls but tab, lone surrogates, U+FFFE/U+FFFF), or not shown but
// harmful (C1 controls, bidi embeddings, overrides and isolates).
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MENTION = /<@[UW][A-Z0-9]{2,20}(?:\|[^<>]*)?>/g;

/** User text made safe to draw and to say: one line, no forbidden characters, no user ids. */
export function chartText(text: string): string {
  const shown = text
    .replace(MENTION, '@user')
    .replace(/[\t\r\n\u2028\u2029]+/g, ' ')
    .replace(FORBIDDEN, '')
    .replace(/\s+/g, ' ')
    .trim();
  // zrender caches text widths in plain objects keyed by the text (zrender/lib/core/LRU.js): a text
  // named like a member of Object.prototype reads that member as a cache entry, and `__proto__` then
  // writes `prev` and `next` onto Object.prototype, for the whole process. A zero-width space after it
  // (drawn as nothing) makes it an ordinary key.
  return shown in Object.prototype ? `${shown}\u200b` : shown;
}

/** `text` cut between graphemes, with `…`, so that it is drawn at most `maxWidth` pixels wide. */
export function fitWidth(text: string, maxWidth: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= maxWidth) return text;
  const budget = maxWidth - textWidth(ELLIPSIS, size, bold);
  let kept = '';
  let width = 0;
  for (const g of graphemes(text)) {
    const w = textWidth(g, size, bold);
    if (width + w > budget) break;
    kept += g;
    width += w;
  }
  return `${kept.trimEnd()}${ELLIPSIS}`;
}

/** `text` cut to at most `max` graphemes, the last one `…` when cut. */
export function shorten(text: string, max: number): string {
  const parts = graphemes(text);
  return parts.length <= max
    ? text
    : `${parts
        .slice(0, max - 1)
        .join('')
        .trimEnd()}${ELLIPSIS}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-11-25` → `25 Nov` (with `withYear`, `25 Nov 2026`). Pure string work: no timezone. */
export function dayLabel(date: CalendarDate, withYear = false): string {
  const day = Number(date.slice(8, 10));
  const month = MONTHS[Number(date.slice(5, 7)) - 1] ?? '?';
  return withYear ? `${day} ${month} ${date.slice(0, 4)}` : `${day} ${month}`;
}

/**
 * Adds `items` to `head` while the whole stays within `max` characters, then says how many were left
 * out: alt text stays short however many items there are.
 */
export function boundedList(head: string, items: readonly string[], max: number, separator = '; '): string {
  let text = head;
  for (let i = 0; i < items.length; i++) {
    const rest = items.length - i - 1;
    const more = rest > 0 ? `${separator}and ${rest} more.` : '.';
    const next = `${text}${i === 0 ? '' : separator}${items[i]}`;
    // Room for this item and, if any follow, for saying how many.
    if (next.length + more.length > max) {
      return `${text}${i === 0 ? '' : separator}and ${items.length - i} more.`;
    }
    text = next;
  }
  return `${text}.`;
}
