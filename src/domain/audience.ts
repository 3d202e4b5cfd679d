/**
 * Audiences (SPEC §7): a program is internal (the default) or client-facing, and only a client-facing
 * program has a client digest, whether previewed, posted on demand or scheduled.
 */
import type { AudienceKind, Program } from './entities.js';
import type { Problem } from './problems.js';
import type { DigestVariant } from './schedule.js';

export const isClientFacing = (program: Pick<Program, 'audience'>): boolean =>
  program.audience === 'external';

/** Why this program's digest may not be rendered in this variant, or undefined when it may. */
export function variantRefusal(
  program: Pick<Program, 'audience' | 'key'>,
  variant: DigestVariant,
): Problem | undefined {
  return variant === 'client' && !isClientFacing(program)
    ? { kind: 'internal_program', programKey: program.key }
    : undefined;
}

/** How a program's audience is named in commands and answers: `internal` or `client`. */
export const audienceWord = (audience: AudienceKind): 'internal' | 'client' =>
  audience === 'external' ? 'client' : 'internal';
