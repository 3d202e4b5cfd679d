import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import * as program from './program.js';
import * as status from './status.js';

export function register(app: App, services: Services): void {
  program.register(app, services);
  status.register(app, services);
}
