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

/** A new schedule as the modal gives it. */
export interface ScheduleInput {
  channelId: string;
  days: Weekday[];
  time: string;
  timezone: string;
  variant: DigestVariant;
  reminderLeadMinutes: number;
}
