/** Who may change a program (SPEC §2): its owner, its admins, and the workspace's admins. */
export interface Actor {
  teamId: string;
  userId: string;
  isWorkspaceAdmin: boolean;
  timezone: string;
}

export function mayAdministerProgram(
  program: { ownerId: string; adminIds: readonly string[] },
  actor: Actor,
): boolean {
  return (
    actor.isWorkspaceAdmin || program.ownerId === actor.userId || program.adminIds.includes(actor.userId)
  );
}
