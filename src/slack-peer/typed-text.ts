/**
 * What Slack sends as a slash command's `text` for what a person typed, with `should_escape` on (as
 * Cairn's manifest asks): `&`, `<` and `>` become `&amp;`, `&lt;`, `&gt;`; `@handle` of a known person
 * becomes `<@U…|handle>` and `#name` of a known channel `<#C…|name>`. Pure, for the playground's box.
 */

export interface Known {
  /** People by handle (what follows `@`, matched without regard to case). */
  people: ReadonlyArray<{ id: string; handle: string }>;
  channels: ReadonlyArray<{ id: string; name: string }>;
}

const escapeSlack = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A handle or channel name ends where a character that cannot be in one begins. */
const NAME = /[@#]([a-z0-9][a-z0-9._-]*)/gi;

export function slackCommandText(typed: string, known: Known): string {
  return escapeSlack(typed).replace(NAME, (whole, name: string, offset: number, all: string) => {
    // An address like "a@b" or an anchor inside a word is not a mention.
    if (offset > 0 && /[\w&;]/.test(all[offset - 1]!)) return whole;
    const wanted = name.replace(/[._-]+$/, '');
    const rest = name.slice(wanted.length);
    const lower = wanted.toLowerCase();
    if (whole.startsWith('@')) {
      const person = known.people.find((p) => p.handle.toLowerCase() === lower);
      return person ? `<@${person.id}|${person.handle}>${rest}` : whole;
    }
    const channel = known.channels.find((c) => c.name.toLowerCase() === lower);
    return channel ? `<#${channel.id}|${channel.name}>${rest}` : whole;
  });
}
