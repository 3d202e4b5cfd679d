/**
 * A scheduled digest sent to each of its program's followers by DM (SPEC §9), exactly once per
 * follower per run (a schedule's slot), however many replicas run the scheduler:
 *
 * - The replica that posted the run to its channel marks it as owing DMs (a global open marker)
 *   before recording it as posted, then goes through the followers. For each, it first inserts the
 *   follower's DM, unique per run and follower: the insert is the claim, and only its winner sends.
 * - The DM (conversations.open, then the main message and its thread, no charts) carries the run id
 *   in its metadata, like the channel's digest: before sending again after a failure or a crash, the
 *   DM is searched for it, and a DM found there is recorded (its thread completed), not sent again.
 *   Slack's own failures are repeated within the send (postDigest: 5xx, timeouts, Retry-After).
 * - A DM whose claimant died (claimed longer than a stale claim may be), or that failed for a reason
 *   that may pass, is taken over by one replica (a unique claim per attempt) when the scheduler's
 *   tick finds the run's marker stale; a run still being posted is left to the run's own takeover,
 *   which goes through the followers again once it has found or posted the digest. After
 *   `maxAttempts` passes, or once every DM is sent or refused for good, the marker is deleted.
 *
 * So a follower's DM is sent at most once per run in the ordinary course and on any crash that the
 * search of the DM can see; it may be missing after `maxAttempts` failures (recorded, with Slack's
 * error), and it is sent to whoever follows the program when the run's followers are gone through.
 */
import type { DigestRun, FollowerDigest, Program } from '../domain/entities.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../services.js';
import {
  completeThread,
  findPostedDigest,
  isPermanentSlackError,
  postDigest,
  TakenOverError,
  type DigestToPost,
} from '../slack/digest-poster.js';
import type { SlackPacer } from '../slack/pacing.js';
import type { ClientFor } from '../slack/workspace-client.js';
import { monotonicMs } from '../clock.js';
import { followerDigest } from '../views/follower-views.js';
import { FOLLOW_FETCH_LIMIT } from './followers.js';

export interface FollowerDigestDeps {
  stores: Stores;
  slackFor: ClientFor;
  log: Logger;
  pacer?: SlackPacer | undefined;
}

export interface FollowerDigestOptions {
  replicaId: string;
  /** A DM claimed longer ago than this, and not sent, is taken to be abandoned by a dead replica. */
  staleClaimMs: number;
  /** Attempts per follower's DM, and passes through a run's followers, before giving up. */
  maxAttempts: number;
}

export interface FollowerPass {
  /** DMs this pass sent (or found sent and recorded). */
  sent: number;
  /** Whether some DM may still be sent by a later pass: one failed for now, or another holds it. */
  pending: boolean;
}

/** Errors from a DM that no retry fixes (on top of those of a channel: isPermanentSlackError). */
const DM_REFUSED = ['user_not_found', 'user_disabled', 'cannot_dm_bot', 'not_allowed_token_type'];

/** Whether a run's digest goes to followers: the runs of a program's schedules (not on demand, not portfolios). */
export const reachesFollowers = (run: Pick<DigestRun, 'programId' | 'scheduleKey'>): boolean =>
  run.programId !== undefined && !run.scheduleKey.startsWith('on-demand');

/**
 * Who follows the run's program now; when anyone does, marks the run as owing them DMs (before it is
 * recorded as posted, so that a replica that dies in between leaves a mark the tick finds).
 */
export async function followersOwed(stores: Stores, run: DigestRun, now: Date): Promise<string[]> {
  if (!reachesFollowers(run)) return [];
  const followers = await stores.followers.ofProgram(run.teamId, run.programId!, FOLLOW_FETCH_LIMIT);
  if (followers.length > 0) await stores.followerDigests.open(run.teamId, run._id, now);
  return followers;
}

/**
 * One pass through a posted run's followers: claims and sends each follower's DM that nobody has
 * claimed, and takes over (one replica per attempt) those abandoned or failed for a reason that may
 * pass. Never throws for one follower: each failure is recorded on that follower's DM. Closes the
 * run's marker when nothing is left to send.
 */
export async function sendToFollowers(
  deps: FollowerDigestDeps,
  target: { run: DigestRun; program: Program; messages: DigestToPost; followers: readonly string[] },
  options: FollowerDigestOptions,
  clock: () => Date,
): Promise<FollowerPass> {
  const { stores } = deps;
  const { run, program, followers } = target;
  const messages = followerDigest(target.messages, program, run.channelId);
  const known = new Map(
    (await stores.followerDigests.forRun(run.teamId, run._id)).map((d) => [d.userId, d] as const),
  );
  const pass: FollowerPass = { sent: 0, pending: false };
  for (const userId of followers) {
    const now = clock();
    let delivery = known.get(userId);
    if (delivery?.state === 'sent') continue;
    if (!delivery) {
      delivery = await stores.followerDigests.claim({
        teamId: run.teamId,
        runId: run._id,
        programId: program._id,
        userId,
        claimedBy: options.replicaId,
        claimedAt: now,
      });
      // Claimed by another replica meanwhile: theirs to send, or to be taken over if they die.
      if (!delivery) {
        pass.pending = true;
        continue;
      }
    } else {
      const taken = await takeOver(deps, delivery, options, now);
      if (taken === 'held') pass.pending = true;
      if (!taken || taken === 'held') continue;
      delivery = taken;
    }
    const outcome = await send(deps, run, delivery, messages, options, clock);
    if (outcome === 'sent') pass.sent++;
    if (outcome === 'retry' || outcome === 'taken') pass.pending = true;
  }
  if (!pass.pending) await stores.followerDigests.close(run._id);
  return pass;
}

/**
 * A DM of an earlier pass, taken over when it may still be sent: claimed by a replica that died, or
 * failed with a retry to come. `held`: its claimant may still be at it; `undefined`: never again.
 */
async function takeOver(
  deps: FollowerDigestDeps,
  delivery: FollowerDigest,
  options: FollowerDigestOptions,
  now: Date,
): Promise<FollowerDigest | 'held' | undefined> {
  const { stores } = deps;
  if (delivery.attempts >= options.maxAttempts) return undefined;
  if (delivery.state === 'claimed') {
    if (now.getTime() - new Date(delivery.claimedAt).getTime() < options.staleClaimMs) return 'held';
  } else if (!delivery.retryAt) return undefined;
  // One replica per attempt: conditional updates are not atomic everywhere, a unique insert is.
  const key = `follower-digest:${delivery._id.toHexString()}:${delivery.attempts}`;
  if (!(await stores.claims.once(delivery.teamId, key, options.replicaId, now))) return 'held';
  return (
    (await stores.followerDigests.takeOver(
      delivery.teamId,
      delivery._id,
      delivery.attempts,
      options.replicaId,
      now,
    )) ?? 'held'
  );
}

/** Sends one claimed DM (or finds it sent before a crash) and records what happened. */
async function send(
  deps: FollowerDigestDeps,
  run: DigestRun,
  delivery: FollowerDigest,
  messages: DigestToPost,
  options: FollowerDigestOptions,
  clock: () => Date,
): Promise<'sent' | 'retry' | 'failed' | 'taken'> {
  const { stores, log } = deps;
  const runId = run._id.toHexString();
  const stillOurs = async () => {
    const current = await stores.followerDigests.findById(delivery.teamId, delivery._id);
    return (
      current?.state === 'claimed' &&
      current.claimedBy === delivery.claimedBy &&
      current.attempts === delivery.attempts
    );
  };
  try {
    // Opening a DM twice is harmless: this client repeats by itself; the posting one must not.
    const dm = (await (await deps.slackFor(run.teamId)).conversations.open({ users: delivery.userId }))
      .channel?.id;
    if (!dm) throw new Error('Slack opened no DM with the follower');
    const client = await deps.slackFor(run.teamId, { retries: false });
    const pace = deps.pacer?.forChannel(run.teamId, dm);
    // The DM is younger than the slot; a later attempt looks for it before sending it again.
    if (delivery.attempts > 1) {
      const ts = await findPostedDigest(client, dm, runId, run.slot);
      if (ts) {
        await completeThread(client, dm, ts, messages.thread, {
          deadline: monotonicMs() + 5 * 60_000,
          maxAttempts: 4,
          stillOurs,
          log,
          pace,
        });
        await stores.followerDigests.markSent(delivery.teamId, delivery._id, { channelId: dm, ts });
        log.info({ run: runId, user: delivery.userId }, 'follower DM had been sent before; recorded it');
        return 'sent';
      }
    }
    const posted = await postDigest(client, dm, messages, runId, {
      since: run.slot,
      stillOurs,
      log,
      ...(pace ? { pace } : {}),
    });
    await stores.followerDigests.markSent(delivery.teamId, delivery._id, { channelId: dm, ts: posted.ts });
    return 'sent';
  } catch (error) {
    if (error instanceof TakenOverError) return 'taken';
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { data?: { error?: string } }).data?.error ?? '';
    const retry =
      !isPermanentSlackError(error) && !DM_REFUSED.includes(code) && delivery.attempts < options.maxAttempts;
    await stores.followerDigests
      .markFailed(delivery.teamId, delivery._id, message, retry ? clock() : undefined)
      .catch(() => undefined);
    log.warn(
      { err: error, run: runId, user: delivery.userId, attempts: delivery.attempts, willRetry: retry },
      'could not send a digest to a follower',
    );
    return retry ? 'retry' : 'failed';
  }
}
