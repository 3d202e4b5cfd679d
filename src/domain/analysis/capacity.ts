/**
 * Capacity conflicts over shared resources (SPEC §6): a resource's allocations summed per ISO week
 * across every program of the workspace; a week where they exceed the resource's weekly capacity is a
 * conflict, reported with the programs and workstreams involved and the excess. Pure: the data is
 * an argument, there is no I/O and no clock (the caller passes `from`, usually the user's today).
 *
 * What counts, and why:
 *
 * - **A partial week counts whole.** An allocation is a rate, `units` per week, from `from` to `to`
 *   inclusive. It counts in full in every ISO week (Monday to Sunday) it touches, even by one day.
 *   A unit of a shared resource is booked by the week (an on-call rotation, a week of test-lab time),
 *   not by the day; prorating a Thursday start to 4/7 of a unit would hide an over-booking that the
 *   people on that rota will live through, and would turn whole units into fractions no one plans with.
 *   Erring this way shows a program manager a conflict they can dismiss rather than hiding one they
 *   can't see. So `from:mon to:in 3 weeks` (a Monday to the Monday three weeks on) touches four weeks.
 * - **ISO weeks, ISO week-years.** Weeks are luxon's ISO weeks, named by their week-year: Mon 28 Dec
 *   2026 – Sun 3 Jan 2027 is week 53 of 2026 (2026 starts on a Thursday, so it has 53 weeks), and
 *   Mon 30 Dec 2024 starts week 1 of 2025. A week is also given by its Monday, which is unambiguous.
 * - **Live work only.** Allocations of workstreams that are done or cancelled no longer draw on the
 *   resource (the work is over; the booking is stale), so they are not counted. Not-started and
 *   paused work still holds its booking (it is planned, and a pause usually ends) and is counted.
 *   Allocations of workstreams in archived programs are not counted either (an archived program
 *   takes no updates and is out of play), when `programs` says which are archived. An allocation
 *   whose workstream is not among `workstreams` is not counted: it names work that no longer exists.
 * - **Malformed data is skipped, not thrown on.** An allocation with an unreadable date, an end
 *   before its start, or units that are not a positive number covers nothing. The parser refuses all
 *   three; only older data or direct writes could hold them.
 * - **From a week on.** With `from`, weeks that end before `from`'s ISO week are not reported (the
 *   week `from` falls in is); with `to`, weeks that start after `to`'s week are not.
 *
 * Output order is deterministic whatever the input order: conflicts by week, then resource name
 * (case-insensitively, then exactly, then id); within a conflict, programs and workstreams by units
 * (most first), then key. Sums are taken in that output order, so they do not depend on input order.
 */
import { DateTime } from 'luxon';
import type { Allocation, Id, Program, SharedResource, Workstream } from '../entities.js';
import type { CalendarDate, WorkstreamState } from '../types.js';

export type CapacityWorkstream = Pick<Workstream, '_id' | 'programKey' | 'key' | 'name' | 'state'>;

export type CapacityAllocation = Pick<Allocation, 'workstreamId' | 'units' | 'from' | 'to'>;

export type CapacityResource = Pick<SharedResource, '_id' | 'name' | 'capacityPerWeek'> & {
  allocations: readonly CapacityAllocation[];
};

export interface CapacityInput {
  /** Every shared resource of the workspace, with its allocations (as stored on the resource). */
  resources: readonly CapacityResource[];
  /** The workstreams the allocations name, whatever their program. */
  workstreams: readonly CapacityWorkstream[];
  /** Programs whose state is known; allocations of workstreams in archived ones are not counted. */
  programs?: readonly Pick<Program, 'key' | 'state'>[];
  /** Report only the week this date falls in and later weeks. */
  from?: CalendarDate;
  /** Report only weeks up to the one this date falls in. */
  to?: CalendarDate;
}

/** An ISO week: its week-year (which may differ from its Monday's year), its number, its Monday. */
export interface IsoWeek {
  year: number;
  week: number;
  monday: CalendarDate;
}

export interface ConflictResource {
  id: Id;
  name: string;
  /** Units per week. */
  capacity: number;
}

export interface ConflictWorkstream {
  id: Id;
  key: string;
  name: string;
  units: number;
}

export interface ConflictProgram {
  programKey: string;
  units: number;
  workstreams: ConflictWorkstream[];
}

export interface CapacityConflict {
  /** `<resource id>/<week-year>-W<week>`: the same conflict has the same key on every run (a claim key). */
  key: string;
  resource: ConflictResource;
  isoWeek: IsoWeek;
  /** Units allocated that week, the sum of `byProgram`'s units. */
  total: number;
  /** `total − capacity`, always more than 0. */
  excess: number;
  /** Programs by units (most first), then key; each with its workstreams in the same order. */
  byProgram: ConflictProgram[];
}

export interface ResourceBottleneck {
  resource: ConflictResource;
  /** How many weeks are over capacity. */
  weeks: number;
  /** The excess summed over those weeks. */
  totalExcess: number;
  /** The week with the largest excess (the earliest of equals). */
  worst: { isoWeek: IsoWeek; total: number; excess: number };
  /** Every program with work in a conflicting week, sorted. */
  programKeys: string[];
}

/** The workstream states whose allocations count against a resource's capacity. */
export const COUNTED_STATES: ReadonlySet<WorkstreamState> = new Set<WorkstreamState>([
  'not_started',
  'active',
  'paused',
]);

const DAY_MS = 86_400_000;
/** Days from 1970-01-01 (a Thursday) to the first Monday, 1970-01-05. */
const FIRST_MONDAY = 4;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; undefined when it is not a real date. */
function dayNumber(date: unknown): number | undefined {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const value = DateTime.fromISO(date, { zone: 'utc' });
  return value.isValid ? Math.round(value.toMillis() / DAY_MS) : undefined;
}

/** Weeks since the week of 1970-01-05, Monday-based: the index of the ISO week a day falls in. */
const weekIndexOf = (day: number) => Math.floor((day - FIRST_MONDAY) / 7);

function isoWeekOf(index: number): IsoWeek {
  const monday = DateTime.fromMillis((index * 7 + FIRST_MONDAY) * DAY_MS, { zone: 'utc' });
  return { year: monday.weekYear, week: monday.weekNumber, monday: monday.toFormat('yyyy-MM-dd') };
}

/** The ISO week a calendar date falls in; undefined when it is not a real date. */
export function isoWeekOfDate(date: CalendarDate): IsoWeek | undefined {
  const day = dayNumber(date);
  return day === undefined ? undefined : isoWeekOf(weekIndexOf(day));
}

const compareCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** A locale-free order for names: case-insensitively, then exactly. */
const compareName = (a: string, b: string) =>
  compareCode(a.toLowerCase(), b.toLowerCase()) || compareCode(a, b);
const hex = (id: Id) => id.toHexString();

/** One allocation that counts, as the range of week indices it touches. */
interface Booking {
  workstream: CapacityWorkstream;
  units: number;
  first: number;
  last: number;
}

function bookingsOf(
  resource: CapacityResource,
  workstreams: ReadonlyMap<string, CapacityWorkstream>,
  archived: ReadonlySet<string>,
): Booking[] {
  const bookings: Booking[] = [];
  for (const allocation of resource.allocations) {
    const workstream = workstreams.get(hex(allocation.workstreamId));
    if (!workstream || !COUNTED_STATES.has(workstream.state) || archived.has(workstream.programKey)) continue;
    const { units } = allocation;
    if (typeof units !== 'number' || !Number.isFinite(units) || units <= 0) continue;
    const from = dayNumber(allocation.from);
    const to = dayNumber(allocation.to);
    if (from === undefined || to === undefined || to < from) continue;
    bookings.push({ workstream, units, first: weekIndexOf(from), last: weekIndexOf(to) });
  }
  return bookings;
}

/** Who draws on the resource in one week, grouped by program, in output order, with the sums. */
function breakdown(active: readonly Booking[]): { total: number; byProgram: ConflictProgram[] } {
  const programs = new Map<string, Map<string, ConflictWorkstream>>();
  // Sum each workstream's bookings in a fixed order, so the sums do not depend on the input's order.
  const ordered = [...active].sort(
    (a, b) =>
      compareCode(hex(a.workstream._id), hex(b.workstream._id)) ||
      a.first - b.first ||
      a.last - b.last ||
      a.units - b.units,
  );
  for (const booking of ordered) {
    const { workstream } = booking;
    let entries = programs.get(workstream.programKey);
    if (!entries) programs.set(workstream.programKey, (entries = new Map()));
    const id = hex(workstream._id);
    const entry = entries.get(id);
    if (entry) entry.units += booking.units;
    else
      entries.set(id, {
        id: workstream._id,
        key: workstream.key,
        name: workstream.name,
        units: booking.units,
      });
  }
  const byProgram: ConflictProgram[] = [...programs].map(([programKey, entries]) => {
    const workstreams = [...entries.values()].sort(
      (a, b) => b.units - a.units || compareCode(a.key, b.key) || compareCode(hex(a.id), hex(b.id)),
    );
    return { programKey, units: workstreams.reduce((sum, w) => sum + w.units, 0), workstreams };
  });
  byProgram.sort((a, b) => b.units - a.units || compareCode(a.programKey, b.programKey));
  return { total: byProgram.reduce((sum, p) => sum + p.units, 0), byProgram };
}

/**
 * Every (resource, ISO week) whose counted allocations exceed the resource's capacity, ordered by
 * week, then resource name. See the module comment for what counts.
 */
export function capacityConflicts(input: CapacityInput): CapacityConflict[] {
  const workstreams = new Map(input.workstreams.map((w) => [hex(w._id), w]));
  const archived = new Set((input.programs ?? []).filter((p) => p.state === 'archived').map((p) => p.key));
  const fromDay = input.from === undefined ? undefined : dayNumber(input.from);
  const toDay = input.to === undefined ? undefined : dayNumber(input.to);
  const firstWeek = fromDay === undefined ? -Infinity : weekIndexOf(fromDay);
  const lastWeek = toDay === undefined ? Infinity : weekIndexOf(toDay);

  const found: Array<{ index: number; conflict: CapacityConflict }> = [];
  for (const resource of input.resources) {
    const capacity = resource.capacityPerWeek;
    const bookings = bookingsOf(resource, workstreams, archived);
    // A sweep over the weeks where the set of bookings changes: between two such boundaries every
    // week has the same bookings, so long allocations cost no more than short ones to check.
    const boundaries = [...new Set(bookings.flatMap((b) => [b.first, b.last + 1]))].sort((a, b) => a - b);
    for (let i = 0; i + 1 < boundaries.length; i++) {
      const start = Math.max(boundaries[i] as number, firstWeek);
      const end = Math.min((boundaries[i + 1] as number) - 1, lastWeek);
      if (start > end) continue;
      const active = bookings.filter((b) => b.first <= start && b.last >= start);
      if (active.length === 0) continue;
      const { total } = breakdown(active);
      if (!(total > capacity)) continue;
      for (let index = start; index <= end; index++) {
        const isoWeek = isoWeekOf(index);
        const { byProgram } = breakdown(active);
        found.push({
          index,
          conflict: {
            key: `${hex(resource._id)}/${isoWeek.year}-W${String(isoWeek.week).padStart(2, '0')}`,
            resource: { id: resource._id, name: resource.name, capacity },
            isoWeek,
            total,
            excess: total - capacity,
            byProgram,
          },
        });
      }
    }
  }
  found.sort(
    (a, b) =>
      a.index - b.index ||
      compareName(a.conflict.resource.name, b.conflict.resource.name) ||
      compareCode(hex(a.conflict.resource.id), hex(b.conflict.resource.id)),
  );
  return found.map((f) => f.conflict);
}

/**
 * The shared resources that are over-committed, most conflicting weeks first, then most total
 * excess, then by name: which resource the program's work is fighting over.
 */
export function resourceBottlenecks(conflicts: readonly CapacityConflict[]): ResourceBottleneck[] {
  const byResource = new Map<string, { bottleneck: ResourceBottleneck; programs: Set<string> }>();
  for (const conflict of conflicts) {
    const id = hex(conflict.resource.id);
    let entry = byResource.get(id);
    if (!entry) {
      entry = {
        bottleneck: {
          resource: conflict.resource,
          weeks: 0,
          totalExcess: 0,
          worst: { isoWeek: conflict.isoWeek, total: conflict.total, excess: conflict.excess },
          programKeys: [],
        },
        programs: new Set(),
      };
      byResource.set(id, entry);
    }
    const { bottleneck } = entry;
    bottleneck.weeks += 1;
    bottleneck.totalExcess += conflict.excess;
    const worst = bottleneck.worst;
    if (
      conflict.excess > worst.excess ||
      (conflict.excess === worst.excess && conflict.isoWeek.monday < worst.isoWeek.monday)
    ) {
      bottleneck.worst = { isoWeek: conflict.isoWeek, total: conflict.total, excess: conflict.excess };
    }
    for (const program of conflict.byProgram) entry.programs.add(program.programKey);
  }
  const ranked = [...byResource.values()].map(({ bottleneck, programs }) => ({
    ...bottleneck,
    programKeys: [...programs].sort(compareCode),
  }));
  return ranked.sort(
    (a, b) =>
      b.weeks - a.weeks ||
      b.totalExcess - a.totalExcess ||
      compareName(a.resource.name, b.resource.name) ||
      compareCode(hex(a.resource.id), hex(b.resource.id)),
  );
}
