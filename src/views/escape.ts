/**
 * Slack's mrkdwn treats `<`, `>` and `&` as control characters: `<!channel>` pings everyone and
 * `<https://x|y>` makes a link. Escaping these three, as Slack documents, makes user text inert.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens text to `max` characters (counting code points, so emoji are not split). */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Words a user typed, quoted back safely: escaped, on one line, and short enough to keep the message readable. */
export function quoteInput(text: string, max = 80): string {
  return `\`${escapeMrkdwn(truncate(text.replace(/[`\r\n]+/g, ' '), max))}\``;
}
