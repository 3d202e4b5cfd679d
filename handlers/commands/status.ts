import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import { statusHelp } from '../../src/views/help.js';

export function register(app: App, _services: Services): void {
  app.command('/status', async ({ command, ack }) => {
    const text = command.text.trim().toLowerCase();
    if (text === 'help') return ack(statusHelp());
    return ack(statusHelp('Status updates are not available in this version of Cairn yet.'));
  });
}
