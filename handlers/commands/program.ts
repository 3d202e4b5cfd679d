import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import { quoteInput } from '../../src/views/escape.js';
import { programHelp } from '../../src/views/help.js';

const SUBCOMMANDS = new Set([
  'new',
  'list',
  'show',
  'archive',
  'add',
  'schedule',
  'schedules',
  'digest',
  'preview',
  'depend',
  'blocker',
  'milestone',
  'resource',
  'allocate',
]);

export function register(app: App, _services: Services): void {
  app.command('/program', async ({ command, ack }) => {
    const text = command.text.trim();
    const [first = ''] = text.split(/\s+/, 1);
    const subcommand = first.toLowerCase();
    if (subcommand === '' || subcommand === 'help') return ack(programHelp());
    if (SUBCOMMANDS.has(subcommand)) {
      return ack(programHelp(`\`/program ${subcommand}\` is not available in this version of Cairn yet.`));
    }
    return ack(programHelp(`I don't know the subcommand ${quoteInput(first)}.`));
  });
}
