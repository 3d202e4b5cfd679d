import type { Portfolio, Program } from './entities.js';

/** A digest schedule's timing, as program managers set it: local days and time in an IANA zone. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export type DigestVariant = 'team' | 'leadership' | 'client';

export interface ScheduleTiming {
  days: readonly Weekday[];
  /** Local time of day, `HH:MM` (24-hour). */
  time: string;
  /** IANA timezone, e.g. `America/New_York`. */
  timezone: string;
}

/** What a program manager sets in the schedule modal. */
export interface ScheduleInput {
  channelId: string;
  days: Weekday[];
  /** Local `HH:MM` in `timezone`. */
  time: string;
  timezone: string;
  variant: DigestVariant;
  /** Reminders go to leads this long before each slot. */
  reminderLeadMinutes: number;
  /**
   * One line ("No change since Mon 7 Dec — 12 on track, 2 at risk") instead of the digest when nothing
   * changed since the schedule's previous digest (src/domain/digest/quiet.ts). Absent means off.
   */
  quiet?: boolean;
}

/** What a schedule is asked for by: a program's key, or a portfolio's. */
export type ScheduleSubjectRef = { programKey: string } | { portfolioKey: string };

/** What a schedule posts the digest of: a program (any variant) or a portfolio (its leadership digest). */
export type ScheduleSubject =
  { kind: 'program'; program: Program } | { kind: 'portfolio'; portfolio: Portfolio };
