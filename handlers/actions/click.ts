import type { BlockAction, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Id } from '../../src/domain/entities.js';
import { publishHome } from '../../src/use-cases/publish-home.js';
import { replyAlone } from '../reply.js';
import type { CairnContext } from '../types.js';
import { storedId } from '../../src/data/ids.js';
import type { Problem } from '../../src/domain/problems.js';
import type { Answer } from '../../src/views/answer.js';
import { problemView } from '../../src/views/problems.js';

/** Where a button was clicked, and the stored id its value names (checked for shape only). */
export interface Click {
  id: Id | undefined;
  /** A message (its ts and blocks), the Home tab, or a modal. */
  surface: 'message' | 'home' | 'modal';
  messageTs?: string;
  messageBlocks: Array<{ block_id?: string }>;
}

export function readClick(body: BlockButtonAction): Click {
  const container = body.container as { type?: string; message_ts?: string } | undefined;
  const surface = container?.type === 'message' ? 'message' : body.view?.type === 'home' ? 'home' : 'modal';
  const blocks = (body.message as { blocks?: Array<{ block_id?: string }> } | undefined)?.blocks;
  return {
    id: storedId(body.actions[0]?.value),
    surface,
    messageTs: container?.message_ts,
    messageBlocks: blocks ?? [],
  };
}

/** A click on any element (a button, an overflow menu's option): what answering it takes. */
interface Answerable {
  body: BlockAction;
  respond: RespondFn;
  client: WebClient;
}

export type Clicked = Answerable & { context: CairnContext };

/**
 * Says something to the clicker alone, without touching the message the button was on. A click on
 * the Home tab has no response URL, so the answer goes by DM.
 */
export function tell({ body, respond, client }: Answerable, answer: Answer): Promise<void> {
  return replyAlone(body.response_url ? respond : undefined, client, body.user.id, answer);
}

/**
 * Shows the clicker a change they made where they made it: the Home tab drawn afresh, the message
 * the button was on replaced by `answer`, or (in a modal) `answer` said to them alone.
 */
export async function showChange(args: Clicked, click: Click, answer: Answer): Promise<void> {
  const { services, workspaceId } = args.context;
  if (click.surface === 'home' && workspaceId)
    await publishHome(services, args.client, workspaceId, args.body.user.id);
  else if (click.surface === 'message') await args.respond({ ...answer, replace_original: true });
  else await tell(args, answer);
}

/** Says why not, as src/views/problems.ts words it. */
export const refuse = (args: Answerable, why: Problem) => tell(args, problemView(why));
