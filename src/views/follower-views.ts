/** Following a program (`/program follow|unfollow`), and the digest a follower gets by DM. */
import type { Program } from '../domain/entities.js';
import type { Answer } from './answer.js';
import { context, MESSAGE_BLOCK_LIMIT, section } from './blocks.js';
import type { SlackMessage } from './message.js';
import { userText } from '../text/escape.js';

const say = (text: string): Answer => ({ response_type: 'ephemeral', text, blocks: [section(text)] });
const named = (p: Pick<Program, 'name' | 'key'>) => `*${userText(p.name, 200)}* (\`${p.key}\`)`;

/** `/program follow`: followed now, or already. `scheduled`: how many schedules it has running. */
export function followedView(p: Program, changed: boolean, scheduled: number): Answer {
  if (!changed)
    return say(
      `You already follow ${named(p)}; nothing changed. \`/program unfollow ${p.key}\` stops its digests by DM.`,
    );
  const when =
    scheduled > 0
      ? 'each of its scheduled digests comes to you by DM from Cairn when it is posted'
      : `it has no digest schedule running yet, so nothing comes until one is set (\`/program schedule ${p.key}\`); then each digest comes to you by DM from Cairn`;
  return say(`You now follow ${named(p)}: ${when}. \`/program unfollow ${p.key}\` stops them.`);
}

/** `/program unfollow`: stopped now, or was not following. */
export function unfollowedView(p: Program, changed: boolean): Answer {
  return changed
    ? say(`You no longer follow ${named(p)}: its digests stop coming to you by DM.`)
    : say(
        `You don't follow ${named(p)}; nothing changed. \`/program follow ${p.key}\` would send you its digests by DM.`,
      );
}

/** A digest as posted to a channel, or its plain fallback. */
export interface DigestMessagesForFollower {
  main: SlackMessage;
  thread: SlackMessage[];
  fallback?: { text: string };
}

/**
 * The digest a follower gets by DM: the channel's main message and thread as they are, the main
 * message ending with a line that says why it came and how to stop it (left out only when the main
 * message has no room for another block). The charts stay in the channel's thread.
 */
export function followerDigest(
  messages: DigestMessagesForFollower,
  program: Pick<Program, 'name' | 'key'>,
  channelId: string,
): DigestMessagesForFollower {
  const why = `You follow ${named(program)}; this digest was posted in <#${channelId}>. \`/program unfollow ${program.key}\` stops these DMs.`;
  const { main } = messages;
  return {
    main: {
      text: main.text,
      blocks: main.blocks.length < MESSAGE_BLOCK_LIMIT ? [...main.blocks, context(why)] : main.blocks,
    },
    thread: messages.thread,
    ...(messages.fallback ? { fallback: { text: `${messages.fallback.text}\n${why}` } } : {}),
  };
}
