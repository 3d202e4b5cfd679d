import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Answer } from '../src/views/answer.js';

/**
 * Says something to one user alone, without touching the message they acted on: through the
 * response URL where Slack gave one, else by DM (a click on the Home tab comes with none).
 */
export async function replyAlone(
  respond: RespondFn | undefined,
  client: WebClient,
  userId: string,
  answer: Answer,
): Promise<void> {
  if (respond) await respond({ ...answer, response_type: 'ephemeral', replace_original: false });
  else await client.chat.postMessage({ channel: userId, text: answer.text, blocks: answer.blocks });
}
