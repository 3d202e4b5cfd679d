import { failureAnswer, problemAnswer, type Answer } from './answer.js';

/**
 * What a user is told when their click or command failed on Cairn's side after Slack had its answer:
 * what was saved before the failure (in the listener's words), that nothing else was, and — for a
 * command — what they typed, so nothing is lost.
 */
export function interruptedAnswer(saved: readonly string[], typed?: string): Answer {
  if (saved.length === 0) return failureAnswer('do that', typed);
  return problemAnswer(
    `${saved.join('; ')} — that is saved. Something on my side failed after that, so nothing else changed and what you see may be out of date; there is no need to do it again.`,
  );
}

/** The request carried no workspace, so Cairn cannot tell whose data it is about. */
export const noWorkspaceAnswer = (): Answer =>
  problemAnswer('I could not tell which workspace this came from, so I did nothing.');
