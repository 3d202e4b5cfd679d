/**
 * The five roles SPEC §8's table is written for, as Slack users: a program's owner, one of its admins,
 * a workstream's lead, another member and a workspace admin. Shared by the permission tables.
 */
import type { FakeSlack } from './fake-slack.js';

export const USERS = {
  owner: 'U0OWNER',
  admin: 'U0ADMIN',
  lead: 'U0LEAD',
  member: 'U0MEMBER',
  workspaceAdmin: 'U0WSADMIN',
} as const;

export type Role = keyof typeof USERS;
export const ROLES = Object.keys(USERS) as Role[];
/** Who may change a program: its owner, its admins and workspace admins. */
export const PROGRAM_OWNERS: readonly Role[] = ['owner', 'admin', 'workspaceAdmin'];

/** Tells the fake Slack who each role is (the workspace admin as Slack's `is_admin`). */
export function introduceRoles(slack: FakeSlack): void {
  for (const [role, id] of Object.entries(USERS))
    slack.setUser({ id, ...(role === 'workspaceAdmin' ? { is_admin: true } : {}) });
}
