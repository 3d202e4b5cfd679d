import type { Connection } from 'mongoose';
import type { Logger } from './logger.js';
import { workspaceStore, type WorkspaceStore } from './data/workspaces.js';

/** What handlers and jobs may use: the core's stores and capabilities, never raw queries. */
export interface Services {
  log: Logger;
  now: () => Date;
  workspaces: WorkspaceStore;
}

export function createServices(
  connection: Connection,
  log: Logger,
  now: () => Date = () => new Date(),
): Services {
  return { log, now, workspaces: workspaceStore(connection) };
}
