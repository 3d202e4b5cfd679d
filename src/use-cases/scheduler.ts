/**
 * The digest scheduler's work for one tick, with an injected clock. Correct with any number of
 * replicas: each slot is claimed by inserting its run (unique per schedule and slot), a claim left
 * by a replica that died is taken over atomically, and before posting again after a failure or a
 * crash the channel is searched for the run's id in message metadata. A scheduled program digest
 * then goes to the program's followers by DM, once per follower and run, and followers a replica
 * left unserved are taken over likewise (src/use-cases/follower-digests.ts).
 */
import { problem, success, type Outcome } from './outcome.js';
import { variantRefusal } from '../domain/audience.js';
import type { DigestSnapshot } from '../domain/digest-data.js';
import type {
  DigestRun,
  DigestSchedule,
  Id,
  Portfolio,
  PortfolioCounts,
  Program,
} from '../domain/entities.js';
import type { DigestVariant } from '../domain/schedule.js';
import { Types } from 'mongoose';
import { monotonicMs, stopwatch } from '../clock.js';
import type { Logger } from '../logger.js';
import { nextSlot, slotsBetween } from '../domain/schedule-slots.js';
import { settingsOf } from '../domain/settings.js';
import type { Stores } from '../services.js';
import {
  completeThread,
  findPostedDigest,
  isPermanentSlackError,
  type DigestToPost,
  postDigest,
  TakenOverError,
} from '../slack/digest-poster.js';
import type { SlackPacer } from '../slack/pacing.js';
import type { ClientFor } from '../slack/workspace-client.js';
import { uploadFile } from '../slack/files.js';
import { composeDigest, messagesOf, type DigestChart } from './compose-digest.js';
import { ChannelLanes } from './channel-lanes.js';
import { composePortfolioDigest } from './portfolios.js';
import { followersOwed, sendToFollowers, type FollowerDigestOptions } from './follower-digests.js';
import { FOLLOW_FETCH_LIMIT } from './followers.js';
import type { OpenFollowerRun } from '../data/follower-digests.js';
import { buildDigest } from '../domain/digest.js';
import { loadDigestData } from './digest-data.js';

export interface SchedulerDeps {
  stores: Stores;
  slackFor: ClientFor;
  log: Logger;
  /** Paces each channel's posts (Slack's ~1 message/s per channel, a workspace's Retry-After). */
  pacer?: SlackPacer | undefined;
}

export interface SchedulerOptions {
  /** Names this replica in the runs it claims. */
  replicaId: string;
  /** A slot missed by less than this is caught up; an older one is recorded as skipped. */
  graceMs: number;
  /** A claim older than this whose run is not posted is taken to be abandoned by a dead replica. */
  staleClaimMs?: number;
  /** Attempts per run before it is left failed. */
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Channels posted to at once by this replica (one post at a time in each channel). */
  concurrency?: number;
  /** Channels of one workspace posted to at once: its share of Slack's per-workspace method budget. */
  perWorkspace?: number;
}

export interface TickReport {
  claimed: number;
  posted: number;
  recovered: number;
  skipped: number;
  failed: number;
  /** Digests sent to followers by DM. */
  followerDms: number;
}

const DUE_BATCH = 500;
/** Due batches read per tick at most: a schedule that cannot advance must not keep the tick going. */
const MAX_DUE_BATCHES = 20;
const DEFAULT_CONCURRENCY = 32;
const DEFAULT_PER_WORKSPACE = 8;
const DEFAULT_STALE_CLAIM_MS = 2 * 60 * 1000;

/**
 * One tick: every due slot is claimed and posted, and every abandoned or failed run is taken over.
 * The work fans out over channels through a bounded pool (`concurrency` channels at once, at most
 * `perWorkspace` of one workspace's): a channel's work runs one post at a time, so Slack's pace of
 * about one message per second per channel holds with the thread replies after the main message.
 */
export async function runSchedulerTick(
  deps: SchedulerDeps,
  options: SchedulerOptions,
  now: Date,
): Promise<TickReport> {
  const report: TickReport = { claimed: 0, posted: 0, recovered: 0, skipped: 0, failed: 0, followerDms: 0 };
  const opts = {
    ...options,
    maxAttempts: options.maxAttempts ?? 3,
    staleClaimMs: options.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS,
  };
  // The tick's clock moves on while it posts: a claim is dated when it is made, not when the tick began.
  const elapsed = stopwatch();
  const clock = () => new Date(now.getTime() + Math.round(elapsed()));
  const lanes = new ChannelLanes(
    opts.concurrency ?? DEFAULT_CONCURRENCY,
    opts.perWorkspace ?? DEFAULT_PER_WORKSPACE,
  );

  const seen = new Set<string>();
  for (let batch = 0; batch < MAX_DUE_BATCHES; batch++) {
    // In an order of this replica's own: replicas walking one list in step would race for every
    // slot, and each lost race still costs the database writes.
    const due = shuffled(
      (await deps.stores.schedules.due(now, DUE_BATCH)).filter((s) => !seen.has(s._id.toHexString())),
    );
    for (const schedule of due) {
      seen.add(schedule._id.toHexString());
      lanes.add(schedule.teamId, schedule.channelId, () => postDueSlots(deps, schedule, opts, clock, report));
    }
    // Posting advances each schedule; wait for this batch before asking what else is due.
    await lanes.idle();
    if (due.length < DUE_BATCH) break;
  }
  for (const run of await deps.stores.runs.stalled(
    new Date(now.getTime() - opts.staleClaimMs),
    now,
    opts.maxAttempts,
    100,
  )) {
    lanes.add(run.teamId, run.channelId, async () => {
      // One replica per attempt: a unique claim, since conditional updates are not atomic everywhere.
      const key = `takeover:${run._id.toHexString()}:${run.attempts}`;
      if (!(await deps.stores.claims.once(run.teamId, key, options.replicaId, clock()))) return;
      const taken = await deps.stores.runs.takeOver(run.teamId, run._id, run, options.replicaId, clock());
      if (taken) await post(deps, taken, opts, clock(), report);
    });
  }
  // Followers a replica left without their DM (it died, or Slack failed for a while): one pass each.
  for (const open of await deps.stores.followerDigests.stalled(
    new Date(now.getTime() - opts.staleClaimMs),
    100,
  )) {
    lanes.add(open.teamId, `followers:${open._id.toHexString()}`, () =>
      resumeFollowers(deps, open, opts, clock, report),
    );
  }
  await lanes.idle();
  return report;
}

/**
 * Claims each due slot and posts it at once, before claiming the next: a claim is only ever old
 * when its replica died or its post hangs, which is what the takeover of stale claims assumes.
 */
async function postDueSlots(
  deps: SchedulerDeps,
  schedule: DigestSchedule,
  options: SchedulerOptions & { maxAttempts: number; staleClaimMs: number },
  clock: () => Date,
  report: TickReport,
): Promise<void> {
  const now = clock();
  const timing = { days: schedule.days, time: schedule.time, timezone: schedule.timezone };
  const slots = slotsBetween(timing, schedule.lastSlotAt, now);
  const ids = {
    teamId: schedule.teamId,
    ...(schedule.portfolioId ? { portfolioId: schedule.portfolioId } : { programId: schedule.programId }),
    scheduleKey: schedule._id.toHexString(),
    channelId: schedule.channelId,
  };
  // Whether this replica settled any slot: when every one was another replica's, that replica moves
  // the schedule on and this one writes nothing, unless the schedule has stayed due for longer than
  // a claim may take (its winner died or failed to move it: reminders need its next slot).
  let ours = slots.length === 0;
  for (const slot of slots) {
    if (now.getTime() - slot.getTime() > options.graceMs) {
      if (await deps.stores.runs.skip({ ...ids, slot }, 'missed by more than the catch-up grace period')) {
        ours = true;
        report.skipped++;
        deps.log.warn(
          { schedule: ids.scheduleKey, slot },
          'digest slot missed for too long; recorded as skipped',
        );
      }
      continue;
    }
    const claimedAt = clock();
    const run = await deps.stores.runs.claim({ ...ids, slot, claimedBy: options.replicaId, claimedAt });
    if (!run) continue;
    ours = true;
    report.claimed++;
    await post(deps, run, options, claimedAt, report);
  }
  const stuck = now.getTime() - (schedule.nextSlotAt?.getTime() ?? 0) > options.staleClaimMs;
  if (!ours && !stuck) return;
  await deps.stores.schedules.advance(
    schedule.teamId,
    schedule._id,
    slots.at(-1) ?? schedule.lastSlotAt,
    nextSlot(timing, now),
  );
}

/** What a claimed run is to do: post these messages (and charts), or be recorded as skipped or failed. */
type Prepared =
  | {
      kind: 'post';
      messages: DigestToPost;
      charts: DigestChart[];
      /** What the posted run keeps for the next digest. */
      keep: { snapshot: DigestSnapshot } | { portfolioCounts: PortfolioCounts };
      /** A program's digest (whose followers may get it by DM); none for a portfolio's. */
      program?: Program;
    }
  | { kind: 'skip'; reason: string }
  | { kind: 'fail'; reason: string };

/** Loads what the run posts: its program's digest in the schedule's variant, or its portfolio's. */
async function prepare(
  stores: Stores,
  run: DigestRun,
  log: Logger,
  now: Date,
  askedIn: string | undefined,
): Promise<Prepared> {
  const { variant, timezone, quiet } = await runAudience(stores, run, askedIn);
  if (run.portfolioId) {
    const composed = await composePortfolioDigest(
      stores,
      { teamId: run.teamId, timezone },
      { id: run.portfolioId },
      { now, charts: true },
    );
    if (!composed.ok)
      return {
        kind: 'fail',
        reason:
          composed.problem.kind === 'empty_portfolio'
            ? 'the portfolio holds no programs'
            : 'the portfolio is gone',
      };
    const { main, thread, fallback, charts, portfolioCounts } = composed.value;
    return { kind: 'post', messages: { main, thread, fallback }, charts, keep: { portfolioCounts } };
  }
  const [program] = run.programId ? await stores.programs.findByIds(run.teamId, [run.programId]) : [];
  if (!program || program.state === 'archived')
    return { kind: 'fail', reason: 'the program is archived or gone' };
  if (variantRefusal(program, variant)) {
    // A client digest of an internal program is never posted (SPEC §7); the slot is recorded, not retried.
    log.warn(
      { run: run._id.toHexString(), program: program.key },
      'client digest of an internal program; recorded as skipped without posting',
    );
    return { kind: 'skip', reason: INTERNAL_PROGRAM_SKIP };
  }
  const composed = await composeDigest(stores, program, {
    scheduleKey: run.scheduleKey,
    variant,
    timezone,
    now,
    charts: true,
    quiet,
  });
  if (composed.quiet)
    log.info({ run: run._id.toHexString() }, 'nothing changed since the last digest; posting one line');
  return {
    kind: 'post',
    messages: composed,
    charts: composed.charts,
    keep: { snapshot: composed.snapshot },
    program,
  };
}

async function post(
  deps: SchedulerDeps,
  run: DigestRun,
  options: SchedulerOptions & { maxAttempts: number },
  now: Date,
  report: TickReport,
  /** The timezone of whoever asked for an on-demand run (a scheduled run has its schedule's). */
  askedIn?: string,
): Promise<void> {
  const { stores, log } = deps;
  const runId = run._id.toHexString();
  // The followers' DMs are dated when they are claimed, after the post: `now` moves on with it.
  const elapsed = stopwatch();
  const clock = () => new Date(now.getTime() + Math.round(elapsed()));
  try {
    const prepared = await prepare(stores, run, log, now, askedIn);
    if (prepared.kind === 'fail') {
      await stores.runs.markFailed(run.teamId, run._id, prepared.reason, undefined);
      report.failed++;
      return;
    }
    if (prepared.kind === 'skip') {
      await stores.runs.markSkipped(run.teamId, run._id, prepared.reason);
      report.skipped++;
      return;
    }
    // Posting must happen once: no automatic repeats; postDigest checks what Slack has before retrying.
    const client = await deps.slackFor(run.teamId, { retries: false });
    // Still ours? A replica that took the run over meanwhile posts it; this one must not.
    const stillOurs = async () => {
      const current = await stores.runs.findById(run.teamId, run._id);
      return (
        current !== null &&
        current.claimedBy === run.claimedBy &&
        current.attempts === run.attempts &&
        current.state === 'claimed'
      );
    };
    if (!(await stillOurs())) return;
    const pace = deps.pacer?.forChannel(run.teamId, run.channelId);
    if (run.attempts > 1) {
      const ts = await findPostedDigest(client, run.channelId, runId, run.slot);
      if (ts) {
        // Posted before a crash or a lost answer: finish its thread, record it, post nothing new.
        await completeThread(client, run.channelId, ts, prepared.messages.thread, {
          deadline: monotonicMs() + 5 * 60_000,
          maxAttempts: 4,
          stillOurs,
          log,
          pace,
        });
        // Marked as owing its followers before it is recorded: a crash in between leaves the mark.
        const followers = await followersOwed(stores, run, clock());
        await stores.runs.markPosted(run.teamId, run._id, { ts, postedAt: now, ...prepared.keep });
        report.recovered++;
        log.info({ run: runId }, 'digest had been posted before a crash; recorded it without posting again');
        await toFollowers(deps, run, prepared, followers, options, clock, report);
        return;
      }
    }
    const posted = await postDigest(client, run.channelId, prepared.messages, runId, {
      since: run.slot,
      stillOurs,
      log,
      ...(pace ? { pace } : {}),
    });
    const followers = await followersOwed(stores, run, clock());
    await stores.runs.markPosted(run.teamId, run._id, { ts: posted.ts, postedAt: now, ...prepared.keep });
    report.posted++;
    // After the digest is recorded: a chart that fails to upload never blocks or repeats it.
    for (const chart of prepared.charts) {
      const uploaded = await uploadFile(client, {
        content: chart.png,
        filename: chart.filename,
        title: chart.title,
        altText: chart.altText,
        channelId: run.channelId,
        threadTs: posted.ts,
      });
      if (!uploaded.ok)
        log.warn(
          { run: runId, chart: chart.filename, error: uploaded.error },
          'could not upload a digest chart',
        );
    }
    await toFollowers(deps, run, prepared, followers, options, clock, report);
  } catch (error) {
    if (error instanceof TakenOverError) {
      log.info({ run: runId }, 'another replica took the run over; leaving it to them');
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const retry = !isPermanentSlackError(error) && run.attempts < options.maxAttempts;
    const retryAt = retry
      ? new Date(now.getTime() + (options.retryDelayMs ?? 60_000) * run.attempts)
      : undefined;
    await stores.runs.markFailed(run.teamId, run._id, message, retryAt).catch(() => undefined);
    report.failed++;
    log.error(
      { err: error, run: runId, attempts: run.attempts, willRetry: retry },
      'posting a digest failed',
    );
  }
}

/**
 * The digest just posted (or found posted) for the run, to each follower of its program by DM. After
 * the channel's digest is recorded, and never failing it: what is left undone stays marked for the
 * tick to take over.
 */
async function toFollowers(
  deps: SchedulerDeps,
  run: DigestRun,
  prepared: Extract<Prepared, { kind: 'post' }>,
  followers: readonly string[],
  options: SchedulerOptions & { maxAttempts: number },
  clock: () => Date,
  report: TickReport,
): Promise<void> {
  if (followers.length === 0 || !prepared.program) return;
  try {
    const pass = await sendToFollowers(
      deps,
      { run, program: prepared.program, messages: prepared.messages, followers },
      followerOptions(options),
      clock,
    );
    report.followerDms += pass.sent;
  } catch (error) {
    deps.log.warn(
      { err: error, run: run._id.toHexString() },
      "could not go through a digest's followers; the tick takes it up again",
    );
  }
}

function followerOptions(options: SchedulerOptions & { maxAttempts: number }): FollowerDigestOptions {
  return {
    replicaId: options.replicaId,
    staleClaimMs: options.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS,
    maxAttempts: options.maxAttempts,
  };
}

/**
 * Another pass through the followers of a posted run whose marker is stale: one replica per pass (a
 * unique claim), at most `maxAttempts` passes. The digest is drawn again from current data, "what
 * changed" measured against the same digest as the channel's was; a run not yet recorded as posted
 * is left to the run's own takeover, which goes through its followers itself.
 */
async function resumeFollowers(
  deps: SchedulerDeps,
  open: OpenFollowerRun,
  options: SchedulerOptions & { maxAttempts: number },
  clock: () => Date,
  report: TickReport,
): Promise<void> {
  const { stores, log } = deps;
  const runId = open._id.toHexString();
  try {
    const run = await stores.runs.findById(open.teamId, open._id);
    if (run && (run.state === 'claimed' || (run.state === 'failed' && run.retryAt))) return;
    const now = clock();
    if (!(await stores.claims.once(open.teamId, `followers:${runId}:${open.passes}`, options.replicaId, now)))
      return;
    if (!run || run.state !== 'posted' || !run.programId || open.passes >= options.maxAttempts) {
      if (run?.state === 'posted')
        log.warn(
          { run: runId, passes: open.passes },
          "gave up on a digest's followers after repeated failures",
        );
      await stores.followerDigests.close(open._id);
      return;
    }
    await stores.followerDigests.reopen(open._id, now, open.passes + 1);
    const [program] = await stores.programs.findByIds(run.teamId, [run.programId]);
    // Archived (or removed) since: no DMs for it.
    if (!program || program.state === 'archived') {
      await stores.followerDigests.close(open._id);
      return;
    }
    const { variant, timezone, quiet } = await runAudience(stores, run);
    if (variantRefusal(program, variant)) {
      await stores.followerDigests.close(open._id);
      return;
    }
    const data = await loadDigestData(stores, program, {
      scheduleKey: run.scheduleKey,
      variant,
      timezone,
      now,
      ...(run.postedAt ? { previousBefore: new Date(run.postedAt) } : {}),
    });
    // A quiet schedule's one line when nothing has changed still, as the channel's was.
    const { messages } = messagesOf(data, buildDigest(data), { quiet });
    const followers = await stores.followers.ofProgram(run.teamId, program._id, FOLLOW_FETCH_LIMIT);
    const pass = await sendToFollowers(
      deps,
      { run, program, messages, followers },
      followerOptions(options),
      clock,
    );
    report.followerDms += pass.sent;
  } catch (error) {
    log.warn({ err: error, run: runId }, "could not go through a digest's followers; tried again later");
  }
}

/** Why a scheduled run was skipped rather than posted: its schedule is for clients, its program internal. */
export const INTERNAL_PROGRAM_SKIP =
  'client digest of an internal program: not posted (set its audience with /program set <program> audience:client)';

/** An on-demand run's key: `on-demand:<program id>` for the team digest, with `:<variant>` for another. */
const onDemandKey = (programId: Id, variant: DigestVariant) =>
  `on-demand:${programId.toHexString()}${variant === 'team' ? '' : `:${variant}`}`;

function onDemandVariant(scheduleKey: string): DigestVariant {
  const variant = scheduleKey.split(':')[2];
  return variant === 'leadership' || variant === 'client' ? variant : 'team';
}

/**
 * The variant, timezone and quiet option a run's digest is drawn with: its schedule's, or on demand the asker's
 * timezone (when known) else the workspace's default. Posting and drawing a posted digest again agree.
 */
export async function runAudience(
  stores: Stores,
  run: Pick<DigestRun, 'teamId' | 'scheduleKey'>,
  askedIn?: string,
): Promise<{ variant: DigestVariant; timezone: string; quiet: boolean }> {
  const schedule = run.scheduleKey.startsWith('on-demand')
    ? null
    : await stores.schedules.findById(run.teamId, new Types.ObjectId(run.scheduleKey));
  return {
    variant: schedule?.variant ?? onDemandVariant(run.scheduleKey),
    // A digest asked for on demand is always drawn in full.
    quiet: schedule?.quiet === true,
    timezone:
      schedule?.timezone ?? askedIn ?? settingsOf(await stores.workspaces.find(run.teamId)).defaultTimezone,
  };
}

/**
 * `/program digest [as:…]`: posts the program's digest now to its home channel, as an on-demand run
 * (one per variant), so the next digest of that variant can say what changed since this one and a
 * double submission posts once. A client digest of an internal program is refused before anything.
 */
export async function postDigestNow(
  deps: SchedulerDeps,
  program: Pick<Program, '_id' | 'teamId' | 'channelId' | 'key' | 'audience'>,
  options: { replicaId: string; now: Date; variant?: DigestVariant },
): Promise<Outcome<{ channelId: string }>> {
  const variant = options.variant ?? 'team';
  const refused = variantRefusal(program, variant);
  if (refused) return problem(refused);
  if (!program.channelId) return problem({ kind: 'no_channel' });
  const { channelId } = program;
  const outcome = await postOnDemand(
    deps,
    {
      teamId: program.teamId,
      programId: program._id,
      scheduleKey: onDemandKey(program._id, variant),
      channelId,
    },
    options,
  );
  if (outcome.kind === 'posted' || outcome.kind === 'claimed_elsewhere') return success({ channelId });
  // Made internal between the check above and the post.
  if (outcome.kind === 'skipped') return problem({ kind: 'internal_program', programKey: program.key });
  return problem({ kind: 'post_failed', channelId, error: outcome.error });
}

/**
 * `/program portfolio digest`: posts the portfolio's leadership digest now to `channelId`, as an
 * on-demand run (the unique insert of its run is the claim: a double submission within the second
 * posts once), its dates in the asker's timezone; its counts feed the next digest's trend and the
 * portfolio's chart.
 */
export async function postPortfolioDigestNow(
  deps: SchedulerDeps,
  reader: { teamId: string; timezone: string },
  portfolio: Pick<Portfolio, '_id' | 'key'>,
  channelId: string,
  options: { replicaId: string; now: Date },
): Promise<Outcome<{ channelId: string }>> {
  const scheduleKey = `on-demand-portfolio:${portfolio._id.toHexString()}`;
  const outcome = await postOnDemand(
    deps,
    { teamId: reader.teamId, portfolioId: portfolio._id, scheduleKey, channelId },
    { ...options, timezone: reader.timezone },
  );
  return outcome.kind === 'failed'
    ? problem({ kind: 'post_failed', channelId, error: outcome.error })
    : success({ channelId });
}

/**
 * Claims and posts an on-demand run now. Runs on demand are keyed by the second, so a repeated click
 * or command within it posts once (`claimed_elsewhere`: the other one posts it).
 */
async function postOnDemand(
  deps: SchedulerDeps,
  target: Pick<DigestRun, 'teamId' | 'programId' | 'portfolioId' | 'scheduleKey' | 'channelId'>,
  options: { replicaId: string; now: Date; timezone?: string },
): Promise<
  { kind: 'posted' } | { kind: 'claimed_elsewhere' } | { kind: 'skipped' } | { kind: 'failed'; error: string }
> {
  const run = await deps.stores.runs.claim({
    ...target,
    slot: new Date(Math.floor(options.now.getTime() / 1000) * 1000),
    claimedBy: options.replicaId,
    claimedAt: options.now,
  });
  if (!run) return { kind: 'claimed_elsewhere' };
  const report: TickReport = { claimed: 1, posted: 0, recovered: 0, skipped: 0, failed: 0, followerDms: 0 };
  const postOptions = { replicaId: options.replicaId, graceMs: 0, maxAttempts: 3 };
  await post(deps, run, postOptions, options.now, report, options.timezone);
  if (report.posted === 1) return { kind: 'posted' };
  if (report.skipped === 1) return { kind: 'skipped' };
  const failed = await deps.stores.runs.findById(run.teamId, run._id);
  return { kind: 'failed', error: failed?.error ?? 'Slack refused it' };
}

/** A copy in random order (Fisher–Yates). */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
