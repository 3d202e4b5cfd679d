import { restoreFormatting } from '../text/escape.js';

/**
 * A modal's field errors are plain text: mrkdwn marks show as typed and `<@U123>` shows raw. So a
 * problem worded in mrkdwn is turned into what a person reads — code marks dropped, entities
 * decoded, users named as Slack shows them (`@Ada`) when their names are known, else `@U123`, and
 * the `*`, `_`, `~` and backticks of quoted user text, which escape.ts shows as look-alikes in
 * mrkdwn, given back as typed.
 */
export function modalError(problem: string, names: ReadonlyMap<string, string> = new Map()): string {
  return problem
    .replace(
      /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g,
      (_, id: string, label?: string) => `@${names.get(id) ?? label ?? id}`,
    )
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `#${label ?? id}`)
    .replace(/`/g, '')
    .replace(/[∗ˍ∼ˋ]+/g, restoreFormatting)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The user ids a problem mentions, to look their names up before wording a modal error. */
export function mentionedUsers(problem: string): string[] {
  return [...new Set([...problem.matchAll(/<@([UW][A-Z0-9]+)/g)].map((m) => m[1]!))];
}
