/** What every part of the digest needs to know about each workstream, worked out once. */
import { type Blocker, type Id, type StatusUpdate, type Workstream, sameId } from '../entities.js';
import { DateTime } from 'luxon';
import { programIntelligence, type ProgramIntelligence } from '../analysis/intelligence.js';
import type { DigestData } from '../digest-data.js';
import type { CalendarDate, Health } from '../types.js';
import { expectsUpdates, isOpen } from '../workstream-state.js';
import type { BlockerItem, WorkstreamLabel } from './model.js';

export const DAY_MS = 86_400_000;

export interface WorkstreamFacts {
  w: Workstream;
  id: string;
  /** Its updates in the data, newest first. */
  updates: StatusUpdate[];
  latest?: StatusUpdate;
  /**
   * The latest update's summary as this variant may show it: absent in the client variant when that
   * update is internal (its health, progress and forecast still count; its words are left out).
   */
  summary?: string;
  /** Latest stated health: the latest update's, else the workstream's own record of it. */
  health?: Health;
  lastUpdateAt?: Date;
  forecastDate?: CalendarDate;
  /** Open blockers, oldest first. */
  blockers: Blocker[];
  /** Neither done nor cancelled. */
  open: boolean;
  /** Not started or active: expects updates and may need attention (paused work waits). */
  live: boolean;
  /** Live with no update since the cut-off, and older than it (see DigestCounts). */
  missing: boolean;
  label: WorkstreamLabel;
}

export interface DigestContext {
  data: DigestData;
  client: boolean;
  today: CalendarDate;
  /** Updates older than this are "no update since the last digest". */
  cutoff: Date;
  /** The program's workstreams, by team then key. */
  facts: WorkstreamFacts[];
  /** The dependency and capacity analysis (SPEC §6), worked out on first use. */
  readonly intelligence: ProgramIntelligence;
  byId: Map<string, WorkstreamFacts>;
  /** Any workstream the data names (this program's and others'), by id. */
  /** By id, or by its hex form as the analysis names workstreams. */
  labelOf(id: Id | string): WorkstreamLabel | undefined;
  workstreamOf(id: Id | string): Workstream | undefined;
  updatesOf(id: Id): StatusUpdate[];
  /** User text as this variant may show it. */
  text(text: string): string;
  blocker(b: Blocker): BlockerItem;
}

/** `YYYY-MM-DD` of an instant in a timezone (UTC when the zone is unknown). */
export function dateIn(at: Date, timezone: string): CalendarDate {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  return (local.isValid ? local.toISODate() : null) ?? at.toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export const wholeDays = (from: Date, to: Date): number =>
  Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));

/** `<@U123|ana>` → `@ana`, `<@U123>` → `@someone`: a client digest carries no Slack user ids. */
export function withoutMentions(text: string): string {
  return text.replace(/<@[UW][A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name: string | undefined) =>
    name ? `@${name}` : '@someone',
  );
}

const newestFirst = (a: StatusUpdate, b: StatusUpdate) =>
  b.createdAt.getTime() - a.createdAt.getTime() || b._id.toHexString().localeCompare(a._id.toHexString());

export function digestContext(data: DigestData): DigestContext {
  const client = data.variant === 'client';
  const cutoff = data.previous?.postedAt ?? new Date(data.now.getTime() - data.staleAfterDays * DAY_MS);
  const updatesById = groupBy(data.updates, (u) => u.workstreamId.toHexString());
  for (const list of updatesById.values()) list.sort(newestFirst);
  const blockersById = groupBy(data.openBlockers, (b) => b.workstreamId.toHexString());
  for (const list of blockersById.values()) list.sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime());

  const text = client ? withoutMentions : (t: string) => t;
  const labelFor = (w: Workstream): WorkstreamLabel => {
    const external = !sameId(w.programId, data.program._id);
    // A client sees this program's work only: another program may not be client-facing, or be another client's.
    if (client && external) return { ...ANONYMOUS };
    return {
      ...(client ? {} : { id: w._id.toHexString() }),
      key: w.key,
      programKey: w.programKey,
      name: text(w.name),
      ...(client ? {} : { leadId: w.leadId }),
      external,
    };
  };
  const all = new Map<string, Workstream>();
  for (const w of [...data.otherWorkstreams, ...data.workstreams]) all.set(w._id.toHexString(), w);

  const facts = [...data.workstreams]
    .sort((a, b) => a.team.localeCompare(b.team) || a.key.localeCompare(b.key))
    .map((w): WorkstreamFacts => {
      const id = w._id.toHexString();
      const updates = updatesById.get(id) ?? [];
      const latest = updates[0];
      const summary = latest?.summary && !(client && latest.internal) ? text(latest.summary) : undefined;
      const lastUpdateAt = latestOf(latest?.createdAt, w.lastUpdateAt);
      const live = expectsUpdates(w.state);
      return {
        w,
        id,
        updates,
        latest,
        ...(summary ? { summary } : {}),
        health: latest?.health ?? w.health,
        lastUpdateAt,
        forecastDate: latest?.forecastDate,
        blockers: blockersById.get(id) ?? [],
        open: isOpen(w.state),
        live,
        // Work added after the cut-off has not had its chance to be silent yet.
        missing: live && (lastUpdateAt ?? w.createdAt) < cutoff,
        label: labelFor(w),
      };
    });

  const today = dateIn(data.now, data.timezone);
  let intelligence: ProgramIntelligence | undefined;
  return {
    data,
    client,
    today,
    cutoff,
    facts,
    get intelligence() {
      intelligence ??= programIntelligence({
        program: data.program,
        today,
        workstreams: [...all.values()],
        dependencies: data.dependencies,
        milestones: data.milestones,
        resources: data.resources,
      });
      return intelligence;
    },
    byId: new Map(facts.map((f) => [f.id, f])),
    labelOf: (id) => {
      const w = all.get(hexOf(id));
      return w ? labelFor(w) : undefined;
    },
    workstreamOf: (id) => all.get(hexOf(id)),
    updatesOf: (id) => updatesById.get(id.toHexString()) ?? [],
    text,
    blocker: (b) => ({
      id: b._id.toHexString(),
      ...(client && b.internal ? {} : { text: text(b.text) }),
      ageDays: wholeDays(b.openedAt, data.now),
      ...(client ? {} : { ownerId: b.ownerId }),
    }),
  };
}

/** How the client variant names work in another program: not at all. */
const ANONYMOUS: WorkstreamLabel = { key: '', programKey: '', name: '', external: true, anonymous: true };

const hexOf = (id: Id | string) => (typeof id === 'string' ? id : id.toHexString());

function latestOf(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
