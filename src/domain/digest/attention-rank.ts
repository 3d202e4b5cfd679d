/**
 * Issue 15: what needs attention, ranked by severity, so that the top of the list (all the digest's
 * main message shows) is what matters most. Seven classes, most severe first:
 *
 * 1. `milestone_chain`: work at risk through what it waits on (a chain) that a milestone of the
 *    digest needs (the digest's milestones: from today to 30 days ahead; the client variant's are its
 *    client-visible ones);
 * 2. `broken_dependency`: any other chain with a broken dependency, a cancelled provider or a cycle
 *    on it (a link of kind `broken`, `provider_cancelled` or `cycle`);
 * 3. `off_track`: off-track work;
 * 4. `capacity`: capacity conflicts this program's work takes part in;
 * 5. `at_risk`: at-risk work, the other chains (their links all `late`, `overdue` or `upstream`) and
 *    knock-on items (this program's work that other programs' at-risk work waits on);
 * 6. `signals`: work whose facts disagree with its stated health, and dependency requests the
 *    provider has not answered within 3 working days (issue 15);
 * 7. `missing_update`: work without an update.
 *
 * A chain into a milestone whose dependency is also broken is in class 1 (the first class that
 * applies). Within a class the items keep the order needsAttention gave them (./attention.ts), so
 * in class 5 the late chains come first, then knock-on items, then at-risk work. Pure: the same items
 * and milestones give the same order.
 */
import type { RiskKind } from '../analysis/index.js';
import type { AttentionItem, MilestoneItem, WorkstreamLabel } from './model.js';

export const ATTENTION_CLASSES = [
  'milestone_chain',
  'broken_dependency',
  'off_track',
  'capacity',
  'at_risk',
  'signals',
  'missing_update',
] as const;

export type AttentionClass = (typeof ATTENTION_CLASSES)[number];

/** Link kinds that make a chain a broken dependency rather than late work. */
const BROKEN: ReadonlySet<RiskKind> = new Set<RiskKind>(['broken', 'provider_cancelled', 'cycle']);

/**
 * How the ranking names a workstream: its program key and key (labels carry no id in the client
 * variant); undefined for work the client variant leaves unnamed.
 */
const workOf = (w: WorkstreamLabel): string | undefined =>
  w.anonymous ? undefined : `${w.programKey}/${w.key}`;

/** The severity class of one item, given the workstreams (workOf) the milestones need. */
export function attentionClass(item: AttentionItem, neededByMilestone: ReadonlySet<string>): AttentionClass {
  switch (item.kind) {
    case 'chain': {
      const work = workOf(item.workstream);
      if (work !== undefined && neededByMilestone.has(work)) return 'milestone_chain';
      if (item.cycle || item.chain.some((l) => BROKEN.has(l.kind))) return 'broken_dependency';
      return 'at_risk';
    }
    case 'knock_on':
    case 'at_risk':
      return 'at_risk';
    case 'off_track':
      return 'off_track';
    case 'capacity':
      return 'capacity';
    case 'signals':
      return 'signals';
    case 'unanswered_request':
      // Issue 15: a date nobody has committed to is a signal to act on, not yet a slip: the analysis
      // already puts the consumer at risk when the provider's forecast passes the date needed.
      return 'signals';
    case 'missing_update':
      return 'missing_update';
  }
}

/** The items by class, most severe first; within a class, in the order given (a stable sort). */
export function rankAttention(
  items: readonly AttentionItem[],
  milestones: ReadonlyArray<Pick<MilestoneItem, 'needs'>>,
): AttentionItem[] {
  const needed = new Set(
    milestones.flatMap((m) => m.needs.map((n) => workOf(n.workstream))).filter((w) => w !== undefined),
  );
  const rank = (item: AttentionItem) => ATTENTION_CLASSES.indexOf(attentionClass(item, needed));
  return items
    .map((item, i) => ({ item, i, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ item }) => item);
}
