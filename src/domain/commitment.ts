/**
 * Issue 15: where a dependency stands with its provider, as every surface shows it and the analysis
 * uses it. Pure.
 */
import type { Dependency } from './entities.js';
import type { CalendarDate } from './types.js';

export type CommitmentState = 'requested' | 'committed' | 'declined';

export interface CommitmentView {
  state: CommitmentState;
  /** Committed: the date the provider delivers by. */
  date?: CalendarDate;
  /** Committed to a date other than the one needed. */
  proposed?: boolean;
}

/**
 * The dependency's commitment; one stored before commitments existed counts as committed on its
 * needed-by date (backward compatible: it analyses and shows as it always did).
 */
export function commitmentOf(d: Pick<Dependency, 'neededBy' | 'commitment'>): CommitmentView {
  const c = d.commitment;
  if (!c) return { state: 'committed', date: d.neededBy };
  if (c.state !== 'committed') return { state: c.state };
  return { state: 'committed', date: c.date ?? d.neededBy, ...(c.proposed ? { proposed: true } : {}) };
}
