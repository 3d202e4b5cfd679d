/**
 * One mrkdwn line per item of the digest's view model. All user text goes through escape.ts's
 * userText here, on one line and cut to its budget: names and deliverables as inert text; summaries,
 * next steps and blocker texts keeping user mentions (the client variant's model has no mentions
 * left to keep). Keys are slugs.
 */
import type {
  AttentionItem,
  BlockerItem,
  DependencyRisk,
  DigestChanges,
  DigestCounts,
  LineMark,
  MilestoneItem,
  OpenBlocker,
  Signal,
  WorkstreamLabel,
  WorkstreamLine,
} from '../domain/digest.js';
import type { CalendarDate, Health } from '../domain/types.js';
import { userText as inertText } from '../text/escape.js';
import { formatDate, HEALTH_EMOJI, NO_UPDATE, NOT_STARTED, STATE_LABEL } from './format.js';

export const DONE = '✅';
const MARK: Record<LineMark, string> = {
  ...HEALTH_EMOJI,
  not_started: NOT_STARTED,
  no_update: NO_UPDATE,
  done: DONE,
};
const BLOCKERS_PER_LINE = 3;

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
      `${HEALTH_EMOJI.at_risk} *${c.atRisk}* at risk`,
      `${HEALTH_EMOJI.off_track} *${c.offTrack}* off track`,
      `${NOT_STARTED} *${c.notStarted}* not started`,
      `${NO_UPDATE} *${c.noUpdate}* no update ${since}`,
    ];
    if (c.done > 0) parts.push(`${DONE} *${c.done}* done`);
    return parts.join(' · ');
  }

  changes(c: DigestChanges): string[] {
    const slip = (what: string) => (s: DigestChanges['targetSlips'][number]) =>
      `📅 ${ref(s.workstream)} ${what} moved ${this.date(s.from)} → ${this.date(s.to)} (+${days(s.days)})`;
    return [
      ...c.healthTransitions.map(
        (t) =>
          `${t.from ? HEALTH_EMOJI[t.from] : NOT_STARTED}→${HEALTH_EMOJI[t.to]} ${ref(t.workstream)}${t.reason ? ` — ${userText(t.reason, 160)}` : ''}`,
      ),
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
        const shown = item.blockers.slice(0, BLOCKERS_PER_LINE).map(blockerWithAge);
        const more = item.blockers.length - shown.length;
        if (more > 0) shown.push(`and ${more} more`);
        const summary = item.summary ? ` — ${userText(item.summary, 160)}` : '';
        const blockers = shown.length > 0 ? `\n      🚧 ${shown.join(' · ')}` : '';
        return `${HEALTH_EMOJI[item.kind]} ${ref(item.workstream)}${lead(item.workstream)}${summary}${blockers}`;
      }
      case 'dependency': {
        const reasons = item.reasons.map((r) => this.risk(r)).join('; ');
        return `🔗 ${refOrGone(item.consumer)} needs *${inertText(item.deliverable, 120)}* from ${refOrGone(item.provider)}${item.provider ? lead(item.provider) : ''} by ${this.date(item.neededBy)} — ${reasons}`;
      }
      case 'missing_update': {
        const last = item.lastUpdate
          ? `no update since ${this.date(item.lastUpdate)} (${days(item.daysSinceUpdate ?? 0)})`
          : 'no update yet';
        return `${NO_UPDATE} ${ref(item.workstream)}${lead(item.workstream)} — ${last}`;
      }
      case 'signals':
        return `${HEALTH_EMOJI.on_track}❓ ${ref(item.workstream)}${lead(item.workstream)} says on track, but ${item.signals.map((s) => this.signal(s)).join('; ')}`;
    }
  }

  private risk(r: DependencyRisk): string {
    switch (r.kind) {
      case 'late':
        return `its ${r.basis === 'forecast' ? 'forecast' : 'target date'} is ${this.date(r.expected)}, ${days(r.daysLate)} late`;
      case 'provider_off_track':
        return 'the provider is off track';
      case 'provider_cancelled':
        return 'the provider was cancelled';
      case 'overdue':
        return `it was needed ${days(r.daysOverdue)} ago and is still open`;
    }
  }

  private signal(s: Signal): string {
    switch (s.kind) {
      case 'past_target':
        return `it is ${days(s.daysOverdue)} past its target date (${this.date(s.targetDate)})`;
      case 'old_blocker':
        return `a blocker has been open ${days(s.blocker.ageDays)} (${blockerText(s.blocker)})`;
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
    let line = parts.join(' · ');
    if (l.summary) line += ` — ${userText(l.summary, 160)}`;
    if (l.nextSteps) line += ` _Next:_ ${userText(l.nextSteps, 100)}`;
    return line;
  }

  milestone(m: MilestoneItem): string {
    const when = m.daysAway === 0 ? 'today' : `in ${days(m.daysAway)}`;
    const needs =
      m.needs.length > 0
        ? ` — needs ${m.needs.map((n) => `${n.state === 'done' ? DONE : n.health ? HEALTH_EMOJI[n.health] : NOT_STARTED} \`${n.workstream.key}\``).join(', ')}`
        : '';
    return `${m.atRisk ? '⚠️' : '🏁'} ${this.date(m.date)} *${inertText(m.name, 80)}* (${when})${needs}${m.atRisk ? ' — *at risk*' : ''}`;
  }

  /** A blocker to act on from the thread: where it is, what it says, its age and owner. */
  openBlocker(o: OpenBlocker): string {
    const owner = o.blocker.ownerId ? `, owner <@${o.blocker.ownerId}>` : '';
    return `🚧 ${ref(o.workstream)} ${blockerWithAge(o.blocker)}${owner}`;
  }
}

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);
const userText = (text: string, max: number) => inertText(text, max, { mentions: true });

/** `*Payments API* \`payments\``, with the program key when it is another program's. */
export function ref(w: WorkstreamLabel): string {
  return `*${inertText(w.name, 60)}* \`${w.external ? `${w.programKey}/${w.key}` : w.key}\``;
}
const refOrGone = (w: WorkstreamLabel | undefined) => (w ? ref(w) : '_a removed workstream_');
const lead = (w: WorkstreamLabel) => (w.leadId ? ` <@${w.leadId}>` : '');

function blockerText(b: BlockerItem): string {
  return b.text === undefined ? '_an internal blocker_' : `“${userText(b.text, 120)}”`;
}

function blockerWithAge(b: BlockerItem): string {
  return `${blockerText(b)} open ${b.ageDays === 0 ? 'since today' : days(b.ageDays)}`;
}
