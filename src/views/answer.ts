import type { KnownBlock } from '@slack/types';
import { section } from './blocks.js';
import { codeBlockText } from '../text/escape.js';

/** An answer to a slash command or a click, shown to the user alone unless it says otherwise. */
export interface Answer {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks: KnownBlock[];
  replace_original?: boolean;
}

/** A problem, worded for the user, with an example of what would work. */
export function problemAnswer(problem: string, example?: string): Answer {
  const text = example ? `${problem}\nFor example: ${example}` : problem;
  return { response_type: 'ephemeral', text: problem, blocks: [section(`:warning: ${text}`)] };
}

export function noticeAnswer(text: string): Answer {
  return { response_type: 'ephemeral', text, blocks: [section(text)] };
}

/**
 * When the database or Slack failed us: say so, and hand back what the user wrote so nothing is lost.
 */
export function failureAnswer(what: string, userText?: string): Answer {
  const lines = [
    `:x: Sorry, I couldn't ${what}: something on my side failed, so it may not have been saved. Please try again in a minute.`,
  ];
  if (userText?.trim())
    lines.push(`Here is what you wrote, to copy:\n\`\`\`${codeBlockText(userText, 2500)}\`\`\``);
  return { response_type: 'ephemeral', text: lines[0]!, blocks: lines.map((l) => section(l)) };
}

/**
 * When Cairn has more work in hand than it takes on (issue 12): the command was not run; what the
 * user typed comes back whole, to send again.
 */
export function busyAnswer(command: string, text: string): Answer {
  const lines = [
    `:hourglass: I'm busy right now and did not run that, so nothing was saved. Please send it again in a moment.`,
  ];
  if (text.trim())
    lines.push(`Here is what you sent, to copy:\n\`\`\`${codeBlockText(`${command} ${text}`, 2500)}\`\`\``);
  return { response_type: 'ephemeral', text: lines[0]!, blocks: lines.map((l) => section(l)) };
}
