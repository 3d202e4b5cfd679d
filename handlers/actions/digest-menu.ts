/**
 * The menu beside each workstream line of a team digest (SPEC §4): Update… · Still on track (green
 * work) or No change (amber and red work) · Details, doing what the same buttons do on reminders,
 * cards and the Home tab. Still on track and No change change the data the digest shows, so the
 * message clicked on (the main message or a thread reply) is drawn again from current data, for
 * everyone in the channel; the clicker is also told what was recorded. A Still on track chosen on
 * work that is no longer on track (the message is older than its latest update; menus posted before
 * No change existed offer Still on track on any work) records nothing and tells the clicker why.
 */
import type { BlockAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { storedId } from '../../src/data/ids.js';
import type { Id } from '../../src/domain/entities.js';
import { redrawDigestMessage } from '../../src/use-cases/redraw-digest.js';
import { LINE_CHOICE, readLineChoice } from '../../src/views/item-actions.js';
import { updateRecordedView } from '../../src/views/update-views.js';
import type { OverflowListener } from '../types.js';
import { refuse, tell, type Clicked } from './click.js';
import { openUpdateFor } from './update-buttons.js';
import { carryForwardOnce, showDetails } from './workstream-buttons.js';

export const digestLineChosen: OverflowListener = async (args) => {
  const { ack, action, context } = args;
  await ack();
  const chosen = readLineChoice(action.selected_option?.value);
  if (!chosen) return refuse(args, { kind: 'missing', what: 'workstream' });
  const workstreamId = storedId(chosen.workstreamId);
  switch (chosen.choice) {
    case LINE_CHOICE.update:
      return openUpdateFor(args, workstreamId);
    case LINE_CHOICE.details:
      return showDetails(args, workstreamId, true);
    case LINE_CHOICE.stillOnTrack:
    case LINE_CHOICE.noChange: {
      const answer = chosen.choice === LINE_CHOICE.noChange ? 'no_change' : 'still_on_track';
      const now = context.services.now();
      const carried = await carryForwardOnce(args, workstreamId, now, answer);
      if (!carried?.recorded) return;
      const { actor, recorded } = carried;
      await tell(args, updateRecordedView(recorded, now, answer));
      await redrawClicked(args, actor.teamId, recorded.workstream.programId, now);
    }
  }
};

/**
 * chat.update of the digest message clicked on, drawn from current data. The update is recorded and
 * the clicker told already, so a message that cannot be drawn again stays as it was, and is logged.
 */
async function redrawClicked(args: Clicked, teamId: string, programId: Id, now: Date): Promise<void> {
  const { body, client, context } = args;
  const where = clickedMessage(body);
  if (!where) return;
  try {
    const redrawn = await redrawDigestMessage(context.services.stores, teamId, { programId, ...where }, now);
    if (!redrawn) return;
    await client.chat.update({
      channel: where.channelId,
      ts: where.ts,
      text: redrawn.text,
      blocks: redrawn.blocks,
    });
  } catch (error) {
    context.services.log.warn(
      { err: error, channel: where.channelId, ts: where.ts },
      'could not draw the digest again after a click on it',
    );
  }
}

/** The channel message the click came from, as Slack sent it; none for an ephemeral message (a preview). */
function clickedMessage(body: BlockAction) {
  const container = body.container as {
    type?: string;
    message_ts?: string;
    channel_id?: string;
    thread_ts?: string;
    is_ephemeral?: boolean;
  };
  const message = body.message as { text?: string; blocks?: KnownBlock[]; thread_ts?: string } | undefined;
  if (container.type !== 'message' || container.is_ephemeral || !message) return undefined;
  if (!container.message_ts || !container.channel_id) return undefined;
  const ts = container.message_ts;
  // A main message with replies carries its own ts as its thread's.
  const threadTs = container.thread_ts ?? message.thread_ts;
  return {
    channelId: container.channel_id,
    ts,
    ...(threadTs && threadTs !== ts ? { threadTs } : {}),
    text: message.text ?? '',
    blocks: message.blocks ?? [],
  };
}
