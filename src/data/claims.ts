import { Schema } from 'mongoose';
import { isDuplicateKey } from './programs.js';
import { family, type Partitions } from './partitions.js';

/**
 * Once-only claims, by key. Conditional single-document updates are not atomic on every
 * MongoDB-compatible server (FerretDB 1.x over SQLite lets concurrent `updateOne({…, state: 'open'})`
 * all succeed — measured), but a unique index is enforced everywhere. So "exactly one replica does
 * this" is always an insert of a unique key.
 */
interface Claim {
  _id: string;
  teamId: string;
  by: string;
  at: Date;
}

const claimSchema = new Schema<Claim>(
  {
    _id: { type: String, required: true },
    teamId: { type: String, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'claims', versionKey: false },
);

const CLAIMS = family('Claim', claimSchema);

export interface ClaimStore {
  /** True for the one caller that claims `key` in the workspace first; false for every other. */
  once(teamId: string, key: string, by: string, at: Date): Promise<boolean>;
}

export function claimStore(db: Partitions): ClaimStore {
  return {
    async once(teamId, key, by, at) {
      try {
        await (await db.writable(CLAIMS, teamId)).create({ _id: `${teamId}:${key}`, teamId, by, at });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
  };
}
