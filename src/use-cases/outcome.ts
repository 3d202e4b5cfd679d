/** A use case's answer: a value, or a problem worded for the user (mrkdwn, user text already quoted). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: string };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const problem = (text: string): { ok: false; problem: string } => ({ ok: false, problem: text });
