import type { WebClient } from '@slack/web-api';
import { mentionedUsers, modalError } from '../../src/views/modal-errors.js';
import type { CairnContext } from '../types.js';

/** A use case's problem as a modal field error: plain text, with the users it names as Slack shows them. */
export async function fieldError(context: CairnContext, client: WebClient, problem: string): Promise<string> {
  const ids = mentionedUsers(problem);
  const names =
    ids.length > 0 && context.workspaceId
      ? await context.services.users.names(client, context.workspaceId, ids)
      : undefined;
  return modalError(problem, names);
}
