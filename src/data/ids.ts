import type { Id } from '../domain/entities.js';
import { Types } from 'mongoose';

/**
 * The id a button or a modal carries, read back: an ObjectId when it has that shape, else undefined.
 * A value from Slack is never trusted beyond its shape; what it names is looked up in the clicker's
 * workspace.
 */
export function storedId(value: unknown): Id | undefined {
  return typeof value === 'string' && /^[0-9a-f]{24}$/.test(value) ? new Types.ObjectId(value) : undefined;
}
