/**
 * What a workstream's state asks of people (SPEC §8), in one place so that the digest, the reminders,
 * the escalations, the Home tab and the portfolio all agree.
 */
import type { WorkstreamState } from './types.js';

/** Work still to deliver: counted in the program's health and in dependency chains. */
export const isOpen = (state: WorkstreamState): boolean => state !== 'done' && state !== 'cancelled';

/**
 * Work that expects updates: reminded, listed as missing when silent, and in needs attention.
 * Paused work waits (it still weighs on what depends on it), done and cancelled work is over.
 */
export const expectsUpdates = (state: WorkstreamState): boolean =>
  state === 'not_started' || state === 'active';
