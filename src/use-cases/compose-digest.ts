import { variantRefusal } from '../domain/audience.js';
import type { Program } from '../domain/entities.js';
import {
  healthHistoryChart,
  HEALTH_HISTORY_LENGTH,
  milestoneRows,
  milestoneTimelineChart,
  pointsFromSnapshots,
  type ChartImage,
} from '../charts/index.js';
import { buildDigest, milestoneForecastsOf, snapshotOf } from '../domain/digest.js';
import type { DigestData } from '../domain/digest-data.js';
import type { DigestSnapshot } from '../domain/digest-data.js';
import type { DigestVariant } from '../domain/schedule.js';
import type { Stores } from '../services.js';
import type { SlackMessage } from '../views/message.js';
import { digestMessages, type DigestMessages } from '../views/digest-blocks.js';
import { quietDigestOf } from '../domain/digest/quiet.js';
import { quietDigestMessages } from '../views/quiet-digest.js';
import { loadDigestData } from './digest-data.js';

export interface ComposedDigest {
  main: SlackMessage;
  thread: SlackMessage[];
  /** Posted instead of the main message if Slack refuses it all the same (digest-poster.ts). */
  fallback: { text: string };
  snapshot: DigestSnapshot;
  /** Charts for its thread, when asked for: health over the last digests, the milestone timeline. */
  charts: DigestChart[];
  /** The one-line digest of a quiet schedule with nothing changed (no thread, no charts). */
  quiet: boolean;
}

export interface DigestChart extends ChartImage {
  filename: string;
  title: string;
}

/** data → view model → blocks, for one program and audience. */
export async function composeDigest(
  stores: Stores,
  program: Program,
  options: {
    scheduleKey?: string;
    variant: DigestVariant;
    timezone: string;
    now: Date;
    appHomeUrl?: string;
    /** Draw the charts (posting does; a preview does not). */
    charts?: boolean;
    /** The schedule's `quiet` option: one line instead of the digest when nothing changed. */
    quiet?: boolean;
  },
): Promise<ComposedDigest> {
  // Callers refuse (or skip) a client digest of an internal program first; this is the last guard.
  const refused = variantRefusal(program, options.variant);
  if (refused) throw new Error(`a client digest of the internal program ${program.key} was asked for`);
  const data = await loadDigestData(stores, program, options);
  const view = buildDigest(data);
  const drawn = messagesOf(data, view, options);
  // The snapshot is kept either way: the next digest measures "what changed" from this one.
  const snapshot = snapshotOf(data);
  const charts =
    options.charts && !drawn.quiet
      ? await chartsOf(stores, program, data, snapshot, view.header.today, options)
      : [];
  return { ...drawn.messages, snapshot, charts, quiet: drawn.quiet };
}

/**
 * The digest's messages, or with `quiet` on and nothing changed since the previous digest
 * (src/domain/digest/quiet.ts), the one line that says so instead (src/views/quiet-digest.ts).
 */
export function messagesOf(
  data: DigestData,
  view: ReturnType<typeof buildDigest>,
  options: { quiet?: boolean; appHomeUrl?: string },
): { messages: DigestMessages; quiet: boolean } {
  const quiet = options.quiet ? quietDigestOf(data, view) : undefined;
  return quiet
    ? { messages: quietDigestMessages(quiet), quiet: true }
    : { messages: digestMessages(view, { appHomeUrl: options.appHomeUrl }), quiet: false };
}

/** The digest's charts (SPEC §7): the history is this schedule's own posted digests, then this one. */
async function chartsOf(
  stores: Stores,
  program: Program,
  data: DigestData,
  snapshot: DigestSnapshot,
  today: string,
  options: { scheduleKey?: string; timezone: string },
): Promise<DigestChart[]> {
  const earlier = options.scheduleKey
    ? await stores.runs.recentSnapshots(program.teamId, options.scheduleKey, HEALTH_HISTORY_LENGTH - 1)
    : [];
  const labels = { program: program.name };
  const health = healthHistoryChart(pointsFromSnapshots([...earlier, snapshot], options.timezone), labels);
  const timeline = milestoneTimelineChart(
    milestoneRows(data.milestones, milestoneForecastsOf(data)),
    today,
    labels,
  );
  return [
    ...(health
      ? [
          {
            ...health,
            filename: `${program.key}-health.png`,
            title: `${program.name}: health over the last digests`,
          },
        ]
      : []),
    ...(timeline
      ? [
          {
            ...timeline,
            filename: `${program.key}-milestones.png`,
            title: `${program.name}: milestones, target and forecast`,
          },
        ]
      : []),
  ];
}
