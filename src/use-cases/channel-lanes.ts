import PQueue from 'p-queue';

/**
 * A bounded pool over channels: work added for a channel runs after the channel's earlier work
 * (one post at a time per channel), each workspace has at most `perWorkspace` channels in progress
 * and the replica at most `concurrency`. A failure is the work's own business (post records it); one
 * that escapes is logged by the caller's tick, never left unhandled.
 */
export class ChannelLanes {
  private readonly pool: PQueue;
  private readonly workspaces = new Map<string, PQueue>();
  private readonly channels = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();
  private readonly errors: unknown[] = [];

  constructor(
    concurrency: number,
    private readonly perWorkspace: number,
  ) {
    this.pool = new PQueue({ concurrency });
  }

  add(teamId: string, channelId: string, work: () => Promise<void>): void {
    const key = `${teamId}:${channelId}`;
    const workspace = this.workspaceQueue(teamId);
    const previous = this.channels.get(key) ?? Promise.resolve();
    // The workspace's share is taken before a slot of the pool, so a waiting workspace holds no slot.
    const next = previous.then(() => workspace.add(() => this.pool.add(work)));
    const settled = next.then(
      () => undefined,
      (error: unknown) => void this.errors.push(error),
    );
    this.channels.set(key, settled);
    this.pending.add(settled);
    void settled.finally(() => {
      this.pending.delete(settled);
      if (this.channels.get(key) === settled) this.channels.delete(key);
    });
  }

  /** Resolves when everything added so far has run; throws the first failure that escaped its work. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    const [error] = this.errors.splice(0);
    if (error !== undefined) throw error;
  }

  private workspaceQueue(teamId: string): PQueue {
    let queue = this.workspaces.get(teamId);
    if (!queue) {
      queue = new PQueue({ concurrency: this.perWorkspace });
      this.workspaces.set(teamId, queue);
    }
    return queue;
  }
}
