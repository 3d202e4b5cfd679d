import type { App } from '@slack/bolt';
import type { CairnContext, CommandListener } from '../types.js';
import { programCommand } from './program.js';
import { statusCommand } from './status.js';

/** The slash commands, as manifest.yml declares them. */
export const commandListeners: Record<'/program' | '/status', CommandListener> = {
  '/program': programCommand,
  '/status': statusCommand,
};

export function register(app: App): void {
  for (const [name, listener] of Object.entries(commandListeners)) app.command<CairnContext>(name, listener);
}
