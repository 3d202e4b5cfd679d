/** Who may change a program (SPEC §2): its owner, its admins, and the workspace's admins. */
export interface Actor {
  teamId: string;
  userId: string;
  isWorkspaceAdmin: boolean;
  timezone: string;
}

/**
 * Who may read a program — its overview, history, risks, an export of its updates: anyone in its
 * workspace (SPEC §2). The one place to narrow it, should programs become private.
 */
export function mayReadProgram(program: { teamId: string }, actor: Actor): boolean {
  return program.teamId === actor.teamId;
}

export function mayAdministerProgram(
  program: { ownerId: string; adminIds: readonly string[] },
  actor: Actor,
): boolean {
  return (
    actor.isWorkspaceAdmin || program.ownerId === actor.userId || program.adminIds.includes(actor.userId)
  );
}
