import { Schema } from 'mongoose';
import type { AuditEvent } from '../domain/entities.js';
import { family, type Partitions } from './partitions.js';

const auditSchema = new Schema<AuditEvent>(
  {
    teamId: { type: String, required: true },
    actorId: { type: String, required: true },
    action: { type: String, required: true },
    target: { kind: { type: String, required: true }, id: Schema.Types.ObjectId, key: String },
    details: Schema.Types.Mixed,
    at: { type: Date, required: true },
  },
  { collection: 'audit_events', versionKey: false },
);
auditSchema.index({ teamId: 1, at: -1 });
auditSchema.index({ teamId: 1, 'target.id': 1, at: -1 });

const EVENTS = family('AuditEvent', auditSchema);

export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
  recent(teamId: string, limit: number): Promise<AuditEvent[]>;
}

export function auditLog(db: Partitions): AuditLog {
  const Events = (teamId: string) => db.of(EVENTS, teamId);
  return {
    async record(event) {
      await (await db.writable(EVENTS, event.teamId)).create(event);
    },
    recent: async (teamId, limit) =>
      (await Events(teamId)).find({ teamId }).sort({ at: -1 }).limit(limit).lean<AuditEvent[]>().exec(),
  };
}
