/**
 * Slack's mrkdwn treats `<`, `>` and `&` as control characters: `<!channel>` pings everyone and
 * `<https://x|y>` makes a link. Escaping these three, as Slack documents, makes user text inert.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes user text but keeps user mentions (`<@U123>`) working: mentioning a person is what a
 * summary may legitimately do, while `<!channel>`, `<!here>` and links stay inert.
 */
export function escapeKeepingMentions(text: string): string {
  return escapeMrkdwn(text).replace(/&lt;@([UW][A-Z0-9]{2,20})(?:\|[^&]*)?&gt;/g, '<@$1>');
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
