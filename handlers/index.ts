import type { App } from '@slack/bolt';
import type { Services } from '../src/services.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import * as events from './events/index.js';
import * as recordWorkspace from './middleware/record-workspace.js';
import * as views from './views/index.js';

/** Every Bolt listener Cairn has, grouped by Slack surface. */
export function registerHandlers(app: App, services: Services): void {
  recordWorkspace.register(app, services);
  commands.register(app, services);
  actions.register(app, services);
  views.register(app, services);
  events.register(app, services);
}
