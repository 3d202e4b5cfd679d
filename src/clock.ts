/**
 * The one place Cairn reads the time. Everything else takes a `Now` (injected through
 * `Services.now`, defaulting to `systemNow`) so tests can pin the calendar, and real-time
 * budgets (a retry that actually sleeps) measure elapsed time with a monotonic `stopwatch()`,
 * which a pinned wall clock cannot freeze. ESLint forbids `new Date()` and `Date.now()` elsewhere.
 */
import { performance } from 'node:perf_hooks';

/** The current wall-clock time. */
export type Now = () => Date;

/** A clock object, for code that prefers one to a bare function. */
export interface Clock {
  now: Now;
}

/** The machine's wall clock. */
export const systemNow: Now = () => new Date();

export const systemClock: Clock = { now: systemNow };

/** Monotonic milliseconds since an arbitrary origin; unaffected by wall-clock changes. */
export function monotonicMs(): number {
  return performance.now();
}

/** Starts a stopwatch; the returned function gives the milliseconds elapsed since, monotonically. */
export function stopwatch(): () => number {
  const start = performance.now();
  return () => performance.now() - start;
}

/** A clock that starts at `start` and runs at real speed (monotonically) from the moment it is made. */
export function clockFrom(start: Date | string | number): Now {
  const origin = new Date(start).getTime();
  const elapsed = stopwatch();
  return () => new Date(origin + Math.floor(elapsed()));
}

/** A clock pinned to one instant (tests, tools); `advance` moves it forward by `ms`. */
export function fixedClock(
  at: Date | string | number,
): Clock & { advance(ms: number): void; set(to: Date): void } {
  let current = new Date(at).getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    set(to: Date) {
      current = to.getTime();
    },
  };
}
