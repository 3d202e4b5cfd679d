/**
 * For the flow tests of dependency requests (issue 15): `/program depend` as the program's manager,
 * resolving the request DM Cairn sends the providing lead, and the stored dependency and audit
 * events read back by name.
 */
import type { Connection } from 'mongoose';
import { expect } from 'vitest';
import type { RunningCairn } from './cairn-harness.js';
import { TEAM_ID } from './cairn-harness.js';
import { markCalls, nextCall, postedMessage, type ShownMessage } from './clicks.js';
import { ask } from './conversation.js';
import { tenantCollection } from './database.js';

/** `/program depend <text>` by `manager`; resolves the request DM sent to `lead`. */
export async function depend(
  running: RunningCairn,
  manager: string,
  text: string,
  lead: string,
): Promise<ShownMessage> {
  const mark = markCalls(running);
  expect((await ask(running, '/program', `depend ${text}`, { userId: manager })).all).toContain('needs *');
  return postedMessage(await nextCall(running, mark, 'chat.postMessage', (c) => c.args.channel === lead));
}

/** The stored dependency of that deliverable (the test workspace's). */
export async function dependencyNamed(connection: Connection, deliverable: string | RegExp) {
  return (await tenantCollection(connection, 'dependencies', TEAM_ID)).findOne({ deliverable });
}

/** The test workspace's audit events of `action`. */
export async function auditsOf(connection: Connection, action: string) {
  return (await tenantCollection(connection, 'audit_events', TEAM_ID)).find({ action }).toArray();
}
