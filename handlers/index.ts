import type { App } from '@slack/bolt';
import type { Services } from '../src/services.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import * as events from './events/index.js';
import * as middleware from './middleware/index.js';
import * as views from './views/index.js';

/** Every Bolt listener Cairn has, grouped by Slack surface; the middleware first, so each listener runs inside it. */
export function registerHandlers(app: App, services: Services): void {
  middleware.register(app, services);
  commands.register(app);
  actions.register(app);
  views.register(app);
  events.register(app);
}
