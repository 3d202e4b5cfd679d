import type { Id, UpdateRef } from '../domain/entities.js';
import { Types } from 'mongoose';

/**
 * The id a button or a modal carries, read back: an ObjectId when it has that shape, else undefined.
 * A value from Slack is never trusted beyond its shape; what it names is looked up in the clicker's
 * workspace.
 */
export function storedId(value: unknown): Id | undefined {
  return typeof value === 'string' && /^[0-9a-f]{24}$/.test(value) ? new Types.ObjectId(value) : undefined;
}

/** An update reference read back from a button or a modal; undefined unless it has that shape. */
export function storedUpdateRef(value: unknown): UpdateRef | undefined {
  if (typeof value !== 'string') return undefined;
  const [program, update, ...rest] = value.split('/');
  const programId = storedId(program);
  const updateId = storedId(update);
  return programId && updateId && rest.length === 0 ? { programId, updateId } : undefined;
}
