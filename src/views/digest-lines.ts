/**
 * One mrkdwn line per item of the digest's view model. All user text goes through escape.ts's
 * userText here, on one line and cut to its budget: names and deliverables as inert text; summaries,
 * next steps and blocker texts keeping user mentions (the client variant's model has no mentions
 * left to keep). Keys are slugs.
 */
import type {
  AttentionItem,
  BlockerItem,
  Bottleneck,
  ChainLink,
  DigestChanges,
  DigestCounts,
  LineMark,
  MilestoneItem,
  MilestoneMove,
  OpenBlocker,
  Outlook,
  Recommendation,
  Signal,
  WorkstreamLabel,
  WorkstreamLine,
} from '../domain/digest.js';
import type { CalendarDate, Health } from '../domain/types.js';
import { userText as inertText } from '../text/escape.js';
import { formatDate, HEALTH_EMOJI, NO_UPDATE, NOT_STARTED, STATE_LABEL } from './format.js';
import { plural } from './plural.js';

export const DONE = '✅';
const MARK: Record<LineMark, string> = {
  ...HEALTH_EMOJI,
  not_started: NOT_STARTED,
  no_update: NO_UPDATE,
  done: DONE,
};
const BLOCKERS_PER_LINE = 3;
/** Other programs' waiting workstreams named on a knock-on line; the rest are counted. */
const KNOCK_ON_SHOWN = 3;

/** Formats calendar dates relative to the digest's own today (for the year shown or not). */
export class LineFormat {
  private readonly todayAt: Date;
  constructor(today: CalendarDate) {
    this.todayAt = new Date(`${today}T12:00:00Z`);
  }

  date(date: CalendarDate): string {
    return formatDate(date, this.todayAt);
  }

  counts(c: DigestCounts): string {
    const since =
      'previousDigest' in c.noUpdateSince
        ? `since the last digest (${this.date(c.noUpdateSince.previousDigest)})`
        : `for over ${days(c.noUpdateSince.staleAfterDays)}`;
    const parts = [
      `${HEALTH_EMOJI.on_track} *${c.onTrack}* on track`,
      `${HEALTH_EMOJI.at_risk} *${c.atRisk}* at risk${c.atRiskThroughDependencies > 0 ? ` (${c.atRiskThroughDependencies} through dependencies)` : ''}`,
      `${HEALTH_EMOJI.off_track} *${c.offTrack}* off track`,
      `${NOT_STARTED} *${c.notStarted}* not started`,
      `${NO_UPDATE} *${c.noUpdate}* no update ${since}`,
    ];
    if (c.done > 0) parts.push(`${DONE} *${c.done}* done`);
    return parts.join(' · ');
  }

  /**
   * What changed, most telling first (the main message shows the top CHANGES_IN_MAIN): milestones
   * moved later and milestone forecasts slipped, health transitions, milestones moved earlier, then
   * workstreams' slips, blockers and completed work.
   */
  changes(c: DigestChanges): string[] {
    const slip = (what: string) => (s: DigestChanges['targetSlips'][number]) =>
      `📅 ${ref(s.workstream)} ${what} moved ${this.date(s.from)} → ${this.date(s.to)} (+${days(s.days)})`;
    const milestone = (how: string) => (m: MilestoneMove) =>
      `📅 Milestone *${inertText(m.milestone, 80)}* ${how} ${this.date(m.from)} → ${this.date(m.to)} (${m.days > 0 ? '+' : '-'}${days(Math.abs(m.days))})`;
    return [
      ...c.milestoneMoves.filter((m) => m.days > 0).map(milestone('moved')),
      ...c.milestoneSlips.map(milestone('forecast slipped')),
      ...c.healthTransitions.map(
        (t) =>
          `${t.from ? HEALTH_EMOJI[t.from] : NOT_STARTED}→${HEALTH_EMOJI[t.to]} ${ref(t.workstream)}${t.reason ? ` — ${userText(t.reason, 160)}` : ''}`,
      ),
      ...c.milestoneMoves.filter((m) => m.days < 0).map(milestone('moved earlier')),
      ...c.targetSlips.map(slip('target date')),
      ...c.forecastSlips.map(slip('forecast')),
      ...c.newBlockers.map((b) => `🚧 New blocker on ${refOrGone(b.workstream)}: ${blockerText(b.blocker)}`),
      ...c.resolvedBlockers.map(
        (b) => `☑️ Blocker resolved on ${refOrGone(b.workstream)}: ${blockerText(b.blocker)}`,
      ),
      ...c.completed.map((w) => `🏁 ${ref(w)} is done`),
    ];
  }

  attention(item: AttentionItem): string {
    switch (item.kind) {
      case 'off_track':
      case 'at_risk': {
        const summary = item.summary ? ` — ${userText(item.summary, 160)}` : '';
        return `${HEALTH_EMOJI[item.kind]} ${ref(item.workstream)}${lead(item.workstream)}${summary}${blockersBelow(item.blockers)}`;
      }
      case 'chain': {
        const mark = HEALTH_EMOJI[item.health === 'off_track' ? 'off_track' : 'at_risk'];
        const more =
          item.otherReasons > 0
            ? ` (and ${plural(item.otherReasons, 'other dependency', 'other dependencies')})`
            : '';
        const cycle = item.cycle
          ? ` — cycle: ${[...item.cycle, item.cycle[0]].map(refOrGone).join(' → ')}`
          : '';
        const slip = item.forecast
          ? `; its forecast moves to ${this.date(item.forecast)} (+${days(item.slipDays)})`
          : '';
        const summary = item.summary ? `\n      ${userText(item.summary, 160)}` : '';
        return `${mark}🔗 ${ref(item.workstream)}${lead(item.workstream)} — at risk: ${this.chain(item.chain)}${more}${cycle}${slip}${summary}${blockersBelow(item.blockers)}`;
      }
      case 'knock_on': {
        const shown = item.waiting.slice(0, KNOCK_ON_SHOWN).map(ref);
        if (item.waiting.length > shown.length) shown.push(`${item.waiting.length - shown.length} more`);
        const forecast = item.forecast ? ` (forecast ${this.date(item.forecast)})` : '';
        const waits = item.waiting.length === 1 ? 'waits' : 'wait';
        return `⛓️ ${ref(item.workstream)}${lead(item.workstream)}${forecast} — ${plural(item.waiting.length, 'at-risk workstream')} in other programs ${waits} on it: ${shown.join(', ')}`;
      }
      case 'capacity':
        return `${this.capacity(item)}${item.ours.length > 0 ? ` (here: ${item.ours.map((w) => `\`${w.key}\` ${w.units}`).join(', ')})` : ''}`;
      case 'missing_update': {
        if (item.leadAwayUntil)
          return `🌴 ${ref(item.workstream)}${lead(item.workstream)} — lead away until ${this.date(item.leadAwayUntil)}`;
        const last = item.lastUpdate
          ? `no update since ${this.date(item.lastUpdate)} (${days(item.daysSinceUpdate ?? 0)})`
          : 'no update yet';
        return `${NO_UPDATE} ${ref(item.workstream)}${lead(item.workstream)} — ${last}`;
      }
      case 'unanswered_request':
        return `⏳ ${refOrGone(item.provider)}${item.provider ? lead(item.provider) : ''} has not answered ${refOrGone(item.consumer)}'s request for _${inertText(item.deliverable, 80)}_ (needed ${this.date(item.neededBy)}): asked ${this.date(item.requestedOn)}, ${plural(item.workingDays, 'working day')} ago`;
      case 'signals':
        return `${HEALTH_EMOJI[item.health]}❓ ${ref(item.workstream)}${lead(item.workstream)} says ${item.health === 'on_track' ? 'on track' : 'at risk'}, but ${item.signals.map((s) => this.signal(s)).join('; ')}`;
    }
  }

  /** A chain from the at-risk work to its root cause, in words (SPEC §6). */
  chain(links: readonly ChainLink[]): string {
    return links.map((l) => this.link(l)).join(' ← ');
  }

  private link(l: ChainLink): string {
    const provider = refOrGone(l.provider);
    const needed = `needed ${this.date(l.neededBy)}${this.commitment(l)}`;
    if (l.kind === 'broken' && l.commitment === 'declined')
      return `waits on ${provider} for _${inertText(l.deliverable, 80)}_, declined by its lead (${needed})`;
    switch (l.kind) {
      case 'late':
      case 'upstream':
        return `waits on ${provider} (${l.providerForecast ? `forecast ${this.date(l.providerForecast)}, ` : ''}${needed})`;
      case 'overdue':
        return `waits on ${provider} (${needed}, ${days(l.days ?? 0)} overdue)`;
      case 'broken':
        return `waits on ${provider} for _${inertText(l.deliverable, 80)}_, flagged broken (${needed})`;
      case 'provider_cancelled':
        return `waits on ${provider}, which is cancelled (${needed})`;
      case 'cycle':
        return `waits on ${provider} in a cycle of dependencies`;
    }
  }

  /**
   * Issue 15: what the provider answered, after the date needed: `, committed Fri 11 Dec (proposed)`,
   * or `, not committed yet` while the request waits (the date needed is then the consumer's alone).
   * A dependency from before requests existed says nothing (it stands as committed on its date).
   */
  private commitment(l: ChainLink): string {
    if (l.commitment === 'committed' && l.committed)
      return `, committed ${this.date(l.committed)}${l.proposed ? ' (proposed)' : ''}`;
    return l.commitment === 'requested' ? ', not committed yet' : '';
  }

  /** `📦 *SRE on-call*: 7/5 units in week 51 (from Mon 14 Dec) — checkout 4, payments 3`. */
  capacity(c: {
    resource: string;
    total: number;
    capacity: number;
    week: number;
    monday: CalendarDate;
    byProgram: ReadonlyArray<{ programKey: string; units: number }>;
  }): string {
    return `📦 *${inertText(c.resource, 60)}*: ${c.total}/${c.capacity} units in week ${c.week} (from ${this.date(c.monday)}) — ${c.byProgram.map((p) => `${p.programKey} ${p.units}`).join(', ')}`;
  }

  /** The leadership digest's outlook: critical path, bottlenecks and recommendations, as lines. */
  outlook(o: Outlook): { path: string[]; bottlenecks: string[]; recommendations: string[] } {
    return {
      path: o.criticalPath
        ? [`Finishes ${this.date(o.criticalPath.finish)}: ${o.criticalPath.steps.map(refOrGone).join(' → ')}`]
        : [],
      bottlenecks: o.bottlenecks.map(bottleneck),
      recommendations: o.recommendations.map((r) => `💡 ${this.recommendation(r)}`),
    };
  }

  private recommendation(r: Recommendation): string {
    switch (r.kind) {
      case 'bottleneck':
        return `Review ${ref(r.workstream)}'s plan with the teams that wait on it: ${waitOn(r.waiting)}.`;
      case 'resource_overbooked':
        return `Add capacity to *${inertText(r.resource, 60)}* or re-plan its bookings: over capacity in ${r.weeks} weeks (worst ${r.worstTotal}/${r.capacity} units in week ${r.worstWeek}).`;
      case 'forecast_keeps_moving':
        return `Re-plan ${ref(r.workstream)}: its forecast moved later ${r.forecasts.length - 1} weeks running (${r.forecasts.map((d) => this.date(d)).join(' → ')}).`;
      case 'dependency_replanned':
        return `Ask ${refOrGone(r.provider)} to commit to a date for _${inertText(r.deliverable, 80)}_ (for ${refOrGone(r.consumer)}): re-planned ${plural(r.replans, 'time')}, now needed ${this.date(r.neededBy)}.`;
      case 'blockers_recur':
        return `Look at what keeps blocking team *${inertText(r.team, 60)}*: ${plural(r.blockers, 'blocker')} opened in the last ${r.weeks} weeks.`;
      case 'updates_missing':
        return `Agree an update rhythm with team *${inertText(r.team, 60)}*: ${r.missed} of ${r.expected} weekly updates missing over the last ${r.weeks} weeks.`;
    }
  }

  private signal(s: Signal): string {
    switch (s.kind) {
      case 'past_target':
        return `it is ${days(s.daysOverdue)} past its target date (${this.date(s.targetDate)})`;
      case 'forecast_past_target':
        return `its forecast ${this.date(s.forecast)} is ${days(s.daysLate)} past its target (${this.date(s.targetDate)})`;
      case 'old_blocker':
        return `a blocker has been open ${days(s.blocker.ageDays)} (${blockerText(s.blocker)})`;
      case 'provider_off_track':
        return `it waits on ${refOrGone(s.provider)}, which is off track (needed ${this.date(s.neededBy)})`;
      case 'stale':
        return `no update for ${days(s.daysSinceUpdate)}`;
    }
  }

  workstream(l: WorkstreamLine): string {
    const parts = [`${MARK[l.mark]} ${ref(l.workstream)}`];
    if (l.workstream.leadId) parts.push(`<@${l.workstream.leadId}>`);
    if (l.progress !== undefined) parts.push(`${l.progress}%`);
    if (l.targetDate) parts.push(`due ${this.date(l.targetDate)}`);
    if (l.trend.length > 0) parts.push(l.trend.map((h: Health) => HEALTH_EMOJI[h]).join(''));
    if (l.state === 'paused' || l.state === 'done') parts.push(STATE_LABEL[l.state]);
    if (l.openBlockers > 0) parts.push(`🚧 ${l.openBlockers}`);
    if (l.waitsOnLate) parts.push(`🔗 waits on late ${ref(l.waitsOnLate)}`);
    let line = parts.join(' · ');
    if (l.summary) line += ` — ${userText(l.summary, 160)}`;
    if (l.nextSteps) line += ` _Next:_ ${userText(l.nextSteps, 100)}`;
    return line;
  }

  milestone(m: MilestoneItem): string {
    const when = m.daysAway === 0 ? 'today' : `in ${days(m.daysAway)}`;
    const needs =
      m.needs.length > 0
        ? ` — needs ${m.needs.map((n) => `${n.state === 'done' ? DONE : n.health ? HEALTH_EMOJI[n.health] : NOT_STARTED} ${n.workstream.anonymous ? '_other work_' : `\`${n.workstream.key}\``}`).join(', ')}`
        : '';
    const late =
      m.forecast && m.daysLate > 0 ? `, forecast ${this.date(m.forecast)} (${days(m.daysLate)} late)` : '';
    return `${m.atRisk ? '⚠️' : '🏁'} ${this.date(m.date)} *${inertText(m.name, 80)}* (${when})${needs}${m.atRisk ? ` — *at risk*${late}` : ''}`;
  }

  /** A blocker to act on from the thread: where it is, what it says, its age and owner. */
  openBlocker(o: OpenBlocker): string {
    const owner = o.blocker.ownerId ? `, owner <@${o.blocker.ownerId}>` : '';
    return `🚧 ${ref(o.workstream)} ${blockerWithAge(o.blocker)}${owner}`;
  }
}

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);
const userText = (text: string, max: number) => inertText(text, max, { mentions: true });

/**
 * `*Payments API* \`payments\``, with the program key when it is another program's; in a client
 * digest, another program's work is not named.
 */
export function ref(w: WorkstreamLabel): string {
  if (w.anonymous) return '_work in another program_';
  return `*${inertText(w.name, 60)}* \`${w.external ? `${w.programKey}/${w.key}` : w.key}\``;
}
const refOrGone = (w: WorkstreamLabel | undefined) => (w ? ref(w) : '_a removed workstream_');
const lead = (w: WorkstreamLabel) => (w.leadId ? ` <@${w.leadId}>` : '');

function blockerText(b: BlockerItem): string {
  return b.text === undefined ? '_an internal blocker_' : `“${userText(b.text, 120)}”`;
}

function blockersBelow(blockers: readonly BlockerItem[]): string {
  const shown = blockers.slice(0, BLOCKERS_PER_LINE).map(blockerWithAge);
  const more = blockers.length - shown.length;
  if (more > 0) shown.push(`and ${more} more`);
  return shown.length > 0 ? `\n      🚧 ${shown.join(' · ')}` : '';
}

const waitOn = (n: number) => `${plural(n, 'at-risk workstream')} ${n === 1 ? 'waits' : 'wait'} on it`;

function bottleneck(b: Bottleneck): string {
  switch (b.kind) {
    case 'workstream':
      return `${ref(b.workstream)}: ${waitOn(b.waiting)}`;
    case 'team':
      return `team *${inertText(b.name, 60)}*: ${waitOn(b.waiting)}`;
    case 'resource':
      return `📦 *${inertText(b.name, 60)}*: ${waitOn(b.waiting)}`;
  }
}

function blockerWithAge(b: BlockerItem): string {
  return `${blockerText(b)} open ${b.ageDays === 0 ? 'since today' : days(b.ageDays)}`;
}
