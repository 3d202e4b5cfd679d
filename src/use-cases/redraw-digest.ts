import type { KnownBlock } from '@slack/types';
import { buildDigest } from '../domain/digest.js';
import type { Id } from '../domain/entities.js';
import type { Stores } from '../services.js';
import { digestMessages, redrawnReply } from '../views/digest-blocks.js';
import type { SlackMessage } from '../views/message.js';
import { loadDigestData } from './digest-data.js';
import { runAudience } from './scheduler.js';

/** A message of a posted digest, as the click on it came with it. */
export interface ClickedDigestMessage {
  /** The program whose workstream line was clicked. */
  programId: Id;
  channelId: string;
  ts: string;
  /** The main message's ts when the click was on a thread reply. */
  threadTs?: string;
  text: string;
  blocks: KnownBlock[];
}

/**
 * A message of a posted team digest drawn again from current data, for chat.update after a click on
 * it changed something (SPEC §4: everyone in the channel sees the new state): the main message whole,
 * a thread reply line by line (redrawnReply). "What changed" is measured against the same previous
 * digest as when it was posted, and the header keeps its date, saying when it was brought up to date.
 *
 * Undefined when there is nothing to draw: the message is not a digest Cairn posted to that channel
 * (a preview, another app's message), its schedule now draws another variant than the team's (whose
 * lines alone carry menus), or the reply would no longer fit Slack's limits.
 */
export async function redrawDigestMessage(
  stores: Stores,
  teamId: string,
  clicked: ClickedDigestMessage,
  now: Date,
): Promise<SlackMessage | undefined> {
  const mainTs = clicked.threadTs ?? clicked.ts;
  const [run, [program]] = await Promise.all([
    stores.runs.postedWithTs(teamId, clicked.programId, mainTs),
    stores.programs.findByIds(teamId, [clicked.programId]),
  ]);
  if (!run?.postedAt || run.channelId !== clicked.channelId || !program) return undefined;
  const { variant, timezone } = await runAudience(stores, run);
  if (variant !== 'team') return undefined;
  const data = await loadDigestData(stores, program, {
    scheduleKey: run.scheduleKey,
    variant,
    timezone,
    now,
    previousBefore: new Date(run.postedAt),
  });
  const view = buildDigest({ ...data, postedAt: new Date(run.postedAt) });
  const messages = digestMessages(view);
  return clicked.ts === mainTs ? messages.main : redrawnReply(clicked, messages, view);
}
