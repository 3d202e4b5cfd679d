/**
 * SPEC §8's table of who may, as one pure decision: every act as the program's owner, one of its
 * admins, a workstream's lead, another member and a workspace admin. Each refusal names who may.
 */
import { describe, expect, it } from 'vitest';
import { refusal, type Act, type Actor } from '../../src/domain/permissions.js';
import { USERS, type Role } from '../support/roles.js';

const TEAM = 'T0001';
const program = { key: 'checkout', ownerId: 'U0OWNER', adminIds: ['U0ADMIN'] };
const roles = USERS;

const actor = (role: Role): Actor => ({
  teamId: TEAM,
  userId: roles[role],
  isWorkspaceAdmin: role === 'workspaceAdmin',
  timezone: 'UTC',
});

const resource = { name: 'SRE team', createdBy: 'U0LEAD' };
const ACTS: Array<[string, Act, readonly Role[]]> = [
  [
    'read a program',
    { kind: 'read_program', program: { teamId: TEAM } },
    ['owner', 'admin', 'lead', 'member', 'workspaceAdmin'],
  ],
  ['post an update', { kind: 'post_update' }, ['owner', 'admin', 'lead', 'member', 'workspaceAdmin']],
  [
    'change a program',
    { kind: 'change_program', program, change: 'change' },
    ['owner', 'admin', 'workspaceAdmin'],
  ],
  [
    'change a workstream',
    { kind: 'change_program', program, change: 'change_workstream' },
    ['owner', 'admin', 'workspaceAdmin'],
  ],
  [
    'change admins',
    { kind: 'change_program', program, change: 'admins' },
    ['owner', 'admin', 'workspaceAdmin'],
  ],
  ['hand a program over', { kind: 'hand_over_program', program }, ['owner', 'workspaceAdmin']],
  [
    'declare a dependency',
    { kind: 'declare_dependency', program, consumerLeadId: 'U0LEAD' },
    ['owner', 'admin', 'lead', 'workspaceAdmin'],
  ],
  ['edit an update', { kind: 'edit_update', authorId: 'U0LEAD' }, ['lead']],
  [
    'resolve a blocker',
    { kind: 'handle_blocker', blocker: { ownerId: 'U0LEAD' }, leadId: 'U0LEAD', program },
    ['owner', 'admin', 'lead', 'workspaceAdmin'],
  ],
  [
    'settle a dependency',
    { kind: 'settle_dependency', leadIds: ['U0LEAD', undefined], programs: [program] },
    ['owner', 'admin', 'lead', 'workspaceAdmin'],
  ],
  [
    "answer a dependency request (commit, propose another date, decline): the provider's lead, its program's owners",
    { kind: 'answer_dependency', providerLeadId: 'U0LEAD', program },
    ['owner', 'admin', 'lead', 'workspaceAdmin'],
  ],
  [
    'answer a dependency request whose provider is gone',
    { kind: 'answer_dependency', providerLeadId: undefined, program: undefined },
    ['workspaceAdmin'],
  ],
  ['change a resource', { kind: 'change_resource', resource }, ['lead', 'workspaceAdmin']],
  [
    'book a resource',
    { kind: 'allocate_resource', resource, program },
    ['owner', 'admin', 'lead', 'workspaceAdmin'],
  ],
  [
    'change a portfolio',
    { kind: 'change_portfolio', portfolio: { key: 'emea', ownerId: 'U0OWNER' } },
    ['owner', 'workspaceAdmin'],
  ],
  ['change workspace settings', { kind: 'change_settings' }, ['workspaceAdmin']],
  [
    'remove the sample portfolio',
    { kind: 'remove_sample', programs: [program, { ...program, key: 'sample-b' }] },
    ['owner', 'workspaceAdmin'],
  ],
  [
    'remove a sample portfolio whose programs have two owners',
    { kind: 'remove_sample', programs: [program, { ...program, key: 'sample-b', ownerId: 'U0LEAD' }] },
    ['workspaceAdmin'],
  ],
  [
    'create a program where anyone may',
    { kind: 'create_program', creation: { creators: 'anyone', creatorIds: [] } },
    ['owner', 'admin', 'lead', 'member', 'workspaceAdmin'],
  ],
  [
    'create a program where only listed people may',
    { kind: 'create_program', creation: { creators: 'listed', creatorIds: ['U0OWNER'] } },
    ['owner', 'workspaceAdmin'],
  ],
];

describe('who may (SPEC §8)', () => {
  const cases = ACTS.flatMap(([what, act, allowed]) =>
    (Object.keys(roles) as Role[]).map((role) => [what, role, act, allowed.includes(role)] as const),
  );
  it.each(cases)('%s as %s', (_what, role, act, allowed) => {
    const refused = refusal(act, actor(role));
    if (allowed) expect(refused).toBeUndefined();
    else expect(refused).toBeDefined();
  });

  it('names who may in every refusal that has someone to name', () => {
    const member = actor('member');
    expect(refusal({ kind: 'change_program', program, change: 'admins' }, member)).toEqual({
      kind: 'not_program_admin',
      change: 'admins',
      programKey: 'checkout',
      ownerId: 'U0OWNER',
    });
    expect(refusal({ kind: 'hand_over_program', program }, actor('admin'))).toEqual({
      kind: 'not_program_owner',
      programKey: 'checkout',
      ownerId: 'U0OWNER',
    });
    expect(refusal({ kind: 'change_resource', resource }, member)).toEqual({
      kind: 'not_resource_owner',
      name: 'SRE team',
      ownerId: 'U0LEAD',
    });
    expect(refusal({ kind: 'answer_dependency', providerLeadId: 'U0LEAD', program }, member)).toEqual({
      kind: 'not_provider',
      leadId: 'U0LEAD',
      ownerId: 'U0OWNER',
    });
    const samples = [
      program,
      { ...program, key: 'sample-b' },
      { ...program, key: 'sample-c', ownerId: 'U0LEAD' },
    ];
    expect(refusal({ kind: 'remove_sample', programs: samples }, actor('admin'))).toEqual({
      kind: 'not_sample_owner',
      ownerIds: ['U0OWNER', 'U0LEAD'],
    });
  });

  it('never lets another workspace read a program', () => {
    expect(
      refusal({ kind: 'read_program', program: { teamId: 'T0OTHER' } }, actor('workspaceAdmin')),
    ).toEqual({
      kind: 'missing',
      what: 'program',
    });
  });
});
