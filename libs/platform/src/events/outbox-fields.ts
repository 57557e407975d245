import { Schema, type SchemaDefinitionProperty } from 'mongoose';
import type { EventEnvelope } from '@ledgerline/contracts';

/**
 * Transactional outbox held in the written document itself: the write and its events land in one
 * single-document write, and a relay publishes them until Kafka acknowledges. On FerretDB writers
 * of an existing document hold its aggregate lock (see locks.ts, aggregate.ts), and so does the
 * relay when it removes published events. Publishing is at-least-once; consumers deduplicate.
 */
export interface OutboxFields {
  _outbox: EventEnvelope[];
  _outbox_pending: boolean;
}

export const outboxSchemaFields = {
  // stored as plain sub-documents; mongoose's typings cannot express "array of Mixed as T[]"
  _outbox: { type: [Schema.Types.Mixed], default: [] } as unknown as SchemaDefinitionProperty<
    EventEnvelope[]
  >,
  _outbox_pending: { type: Boolean, default: false, index: true },
};

/** Fields for a new document that is born with events. */
export function outboxOnInsert(events: EventEnvelope[]): OutboxFields {
  return { _outbox: events, _outbox_pending: events.length > 0 };
}

/** Update operators appending events to an existing document's outbox. */
export function outboxOnUpdate(events: EventEnvelope[]): {
  $push: { _outbox: { $each: EventEnvelope[] } };
  $set: { _outbox_pending: true };
} {
  return { $push: { _outbox: { $each: events } }, $set: { _outbox_pending: true } };
}
