import { variantRefusal } from '../domain/audience.js';
import type { Program } from '../domain/entities.js';
import { buildDigest, snapshotOf } from '../domain/digest.js';
import type { DigestSnapshot } from '../domain/digest-data.js';
import type { DigestVariant } from '../domain/schedule.js';
import type { Stores } from '../services.js';
import type { SlackMessage } from '../views/message.js';
import { digestMessages } from '../views/digest-blocks.js';
import { loadDigestData } from './digest-data.js';

export interface ComposedDigest {
  main: SlackMessage;
  thread: SlackMessage[];
  snapshot: DigestSnapshot;
}

/** data → view model → blocks, for one program and audience. */
export async function composeDigest(
  stores: Stores,
  program: Program,
  options: { scheduleKey?: string; variant: DigestVariant; timezone: string; now: Date; appHomeUrl?: string },
): Promise<ComposedDigest> {
  // Callers refuse (or skip) a client digest of an internal program first; this is the last guard.
  const refused = variantRefusal(program, options.variant);
  if (refused) throw new Error(`a client digest of the internal program ${program.key} was asked for`);
  const data = await loadDigestData(stores, program, options);
  const messages = digestMessages(buildDigest(data), { appHomeUrl: options.appHomeUrl });
  return { ...messages, snapshot: snapshotOf(data) };
}
