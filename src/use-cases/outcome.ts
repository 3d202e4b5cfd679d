import type { Problem } from '../domain/problems.js';

/** A use case's answer: a value, or why not as data (src/views/problems.ts words it). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const problem = (why: Problem): { ok: false; problem: Problem } => ({ ok: false, problem: why });
