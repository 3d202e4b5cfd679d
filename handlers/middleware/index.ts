import type { App } from '@slack/bolt';
import type { Services } from '../../src/services.js';
import { cairnContext } from './cairn-context.js';
import { recordWorkspace } from './record-workspace.js';
import type { CairnContext } from '../types.js';

/** Global middleware, outermost first: every listener runs inside both. */
export function register(app: App, services: Services): void {
  app.use<CairnContext>(cairnContext(services));
  app.use<CairnContext>(recordWorkspace);
}
