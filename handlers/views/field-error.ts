import type { WebClient } from '@slack/web-api';
import type { Problem } from '../../src/domain/problems.js';
import { peopleIn, problemPlainText } from '../../src/views/problems.js';
import type { CairnContext } from '../types.js';

/** A use case's problem as a modal field error: plain text, with the people it names as Slack shows them. */
export async function fieldError(
  context: CairnContext,
  client: WebClient,
  problem: Problem,
): Promise<string> {
  const ids = peopleIn(problem);
  const names =
    ids.length > 0 && context.workspaceId
      ? await context.services.users.names(client, context.workspaceId, ids)
      : undefined;
  return problemPlainText(problem, names);
}
