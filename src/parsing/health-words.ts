import type { Health } from '../domain/types.js';

export interface HealthWord {
  word: string;
  health: Health;
  /** `blocked` is off track and also says there is a blocker. */
  blocked: boolean;
  /** Whether help text shows it; the rest are spellings and emoji people type anyway. */
  shown: boolean;
}

function word(word: string, health: Health, shown: boolean, blocked = false): HealthWord {
  return { word, health, blocked, shown };
}

/** Every health word `/status` accepts (SPEC §1), in the order help text lists them. */
export const HEALTH_WORDS: readonly HealthWord[] = [
  word('green', 'on_track', true),
  word('on-track', 'on_track', true),
  word('ontrack', 'on_track', false),
  word('🟢', 'on_track', false),
  word(':large_green_circle:', 'on_track', false),
  word('amber', 'at_risk', true),
  word('yellow', 'at_risk', true),
  word('at-risk', 'at_risk', true),
  word('atrisk', 'at_risk', false),
  word('🟡', 'at_risk', false),
  word(':large_yellow_circle:', 'at_risk', false),
  word('red', 'off_track', true),
  word('off-track', 'off_track', true),
  word('offtrack', 'off_track', false),
  word('🔴', 'off_track', false),
  word(':red_circle:', 'off_track', false),
  word('blocked', 'off_track', true, true),
];

const BY_WORD = new Map(HEALTH_WORDS.map((h) => [h.word, h]));

/** Reads one token as a health word, ignoring case and the emoji variation selector some keyboards add. */
export function parseHealth(token: string): { health: Health; blocked: boolean } | undefined {
  const found = BY_WORD.get(
    token
      .trim()
      .toLowerCase()
      .replace(/\uFE0F/g, ''),
  );
  return found && { health: found.health, blocked: found.blocked };
}

/** "`green`/`on-track`, `amber`/`yellow`/`at-risk`, `red`/`off-track` or `blocked`", for messages. */
export function describeHealthWords(): string {
  const groups: string[][] = [];
  let last: string | undefined;
  for (const h of HEALTH_WORDS.filter((w) => w.shown)) {
    const group = h.blocked ? 'blocked' : h.health;
    if (group !== last) groups.push([]);
    groups[groups.length - 1]?.push(`\`${h.word}\``);
    last = group;
  }
  const parts = groups.map((g) => g.join('/'));
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1] ?? ''}`;
}
