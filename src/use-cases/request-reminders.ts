/**
 * Issue 15: a dependency request its provider has not answered for 2 working days (Monday to Friday,
 * counted in the workspace's timezone as the 3 working days before it needs attention are) brings the
 * providing lead one reminder, from 09:00 there: the request again, with its buttons. Once per dependency and plan (a
 * re-plan asks anew, and may be reminded anew), claimed by a unique insert before it is sent, so any
 * number of replicas send it once. A lead who is away is passed by without a claim, and reminded once
 * back if the request is still unanswered; answered, re-planned, met or broken requests, requests
 * between workstreams that are over (done, cancelled, removed) or in an archived program, and
 * uninstalled workspaces are not reminded.
 */
import { DateTime } from 'luxon';
import { dateIn } from '../domain/digest/context.js';
import { sameId, type Dependency, type Id } from '../domain/entities.js';
import { settingsOf } from '../domain/settings.js';
import { REMIND_AFTER_WORKING_DAYS, workingDaysBetween } from '../domain/working-days.js';
import { isOpen } from '../domain/workstream-state.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../services.js';
import { postMessageOnce } from '../slack/digest-poster.js';
import type { ClientFor } from '../slack/workspace-client.js';
import { requestRef } from '../views/commitment-views.js';
import { dependencyRequestReminder } from '../views/request-reminder-views.js';
import { whoIsAway } from './time-away.js';

export interface RequestReminderDeps {
  stores: Stores;
  slackFor: ClientFor;
  log: Logger;
}

/**
 * Two working days are two date changes at least, so more than a day whatever the timezone: the read
 * skips requests asked less than this long ago (a margin for offset changes); the days are counted here.
 */
const ASKED_AT_LEAST_MS = 12 * 3_600_000;

/** The local hour (in the workspace's timezone) from which a due reminder is sent. */
const REMIND_FROM_HOUR = 9;

/**
 * The most unanswered requests one workspace's tick looks at, latest asked first: a reminded request
 * that stays unanswered stays in the read, so the latest are the ones still to remind.
 */
const REQUESTS_PER_WORKSPACE = 500;

export async function runRequestReminderTick(
  deps: RequestReminderDeps,
  now: Date,
): Promise<{ sent: number }> {
  let sent = 0;
  for (const teamId of await deps.stores.dependencies.teamsWithOpen()) {
    try {
      sent += await remindIn(deps, teamId, now);
    } catch (error) {
      // One workspace's failure (its database partition, its Slack) does not hold up the others.
      deps.log.warn({ err: error, teamId }, 'could not remind providers of dependency requests');
    }
  }
  return { sent };
}

/**
 * One workspace: the workspace and its requests waiting (two queries), then, if any is due, their
 * workstreams, programs and who is away (three more), and per reminder a claim and a fresh read.
 */
async function remindIn(deps: RequestReminderDeps, teamId: string, now: Date): Promise<number> {
  const { stores } = deps;
  const [workspace, waiting] = await Promise.all([
    stores.workspaces.find(teamId),
    stores.dependencies.awaitingAnswer(
      teamId,
      new Date(now.getTime() - ASKED_AT_LEAST_MS),
      REQUESTS_PER_WORKSPACE,
    ),
  ]);
  if (workspace?.uninstalledAt) return 0;
  const timezone = settingsOf(workspace).defaultTimezone;
  // In working hours: a reminder due at midnight waits for the morning.
  if (DateTime.fromJSDate(now, { zone: timezone }).hour < REMIND_FROM_HOUR) return 0;
  const today = dateIn(now, timezone);
  const askedOn = (d: Dependency) => dateIn(d.commitment!.requestedAt, timezone);
  const due = waiting.filter(
    (d) =>
      stillAsked(d, d.replans ?? 0) && workingDaysBetween(askedOn(d), today) >= REMIND_AFTER_WORKING_DAYS,
  );
  if (due.length === 0) return 0;

  const [workstreams, programs, away] = await Promise.all([
    stores.workstreams.findByIds(teamId, distinct(due.flatMap((d) => [d.consumerId, d.providerId]))),
    stores.programs.findByIds(
      teamId,
      distinct(due.flatMap((d) => [d.consumerProgramId, d.providerProgramId])),
    ),
    whoIsAway(stores, teamId, now),
  ]);
  const live = (id: Id) => {
    const w = workstreams.find((x) => sameId(x._id, id));
    const program = w && programs.find((p) => sameId(p._id, w.programId));
    return w && isOpen(w.state) && program && program.state !== 'archived' ? w : undefined;
  };

  let sent = 0;
  for (const d of due) {
    const consumer = live(d.consumerId);
    const provider = live(d.providerId);
    if (!consumer || !provider) continue;
    // Away: no claim, so the reminder goes once they are back, if the request still waits.
    if (away.has(provider.leadId)) continue;
    const key = `commit-reminder:${requestRef(d)}`;
    if (!(await stores.claims.once(teamId, key, 'request-reminder', now))) continue;
    // Answered or re-planned since it was read: this plan's reminder is over (a new plan has its own).
    const current = await stores.dependencies.findById(teamId, d._id);
    if (!current || !stillAsked(current, d.replans ?? 0)) continue;
    try {
      const client = await deps.slackFor(teamId, { retries: false });
      const message = dependencyRequestReminder(current, consumer, provider, askedOn(current), now);
      await postMessageOnce(client, provider.leadId, message, key, { since: now });
      sent++;
    } catch (error) {
      deps.log.warn(
        { err: error, dependency: d._id.toHexString() },
        'could not remind a provider of a dependency request',
      );
    }
  }
  return sent;
}

/** Open, asked at plan `replans`, and not answered. */
const stillAsked = (d: Dependency, replans: number): boolean =>
  d.state === 'open' && (d.replans ?? 0) === replans && d.commitment?.state === 'requested';

const distinct = (ids: readonly Id[]): Id[] => [...new Map(ids.map((id) => [id.toHexString(), id])).values()];
