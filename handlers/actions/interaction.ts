import type { BlockAction, RespondFn } from '@slack/bolt';
import { Types } from 'mongoose';
import type { Actor } from '../../src/domain/permissions.js';
import { workspaceOf } from '../../src/slack/actor.js';
import { problemAnswer, type Answer } from '../../src/views/answer.js';

/** What every button handler needs to know of a click, with the button's value checked for shape. */
export interface Click {
  actor: Actor;
  id: Types.ObjectId | undefined;
  /** Where the button was: a message (its ts and blocks), the Home tab, or a modal. */
  surface: 'message' | 'home' | 'modal';
  messageTs?: string;
  messageBlocks: Array<{ block_id?: string }>;
}

export function readClick(
  body: BlockAction,
  value: string | undefined,
  context: { teamId?: string; enterpriseId?: string },
): Click | undefined {
  const teamId = workspaceOf(context);
  if (!teamId) return undefined;
  const container = body.container as { type?: string; message_ts?: string } | undefined;
  const surface = container?.type === 'message' ? 'message' : body.view?.type === 'home' ? 'home' : 'modal';
  return {
    // Admin rights are looked up where an action needs them; most don't.
    actor: { teamId, userId: body.user.id, timezone: 'UTC', isWorkspaceAdmin: false },
    id: value && /^[0-9a-f]{24}$/.test(value) ? new Types.ObjectId(value) : undefined,
    surface,
    messageTs: container?.message_ts,
    messageBlocks: ((body as { message?: { blocks?: Array<{ block_id?: string }> } }).message?.blocks ??
      []) as Array<{ block_id?: string }>,
  };
}

/** Says something to the clicker alone, without touching the message the button was on. */
export async function tell(respond: RespondFn, answer: Answer): Promise<void> {
  await respond({ ...answer, response_type: 'ephemeral', replace_original: false }).catch(() => undefined);
}

export const refuse = (respond: RespondFn, text: string) => tell(respond, problemAnswer(text));
