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
  /**
   * Events a document was inserted with and that its writer publishes itself, before it
   * acknowledges the durable work that made the document (a Kafka command or batch whose offset is
   * committed only afterwards): see `publishedByWriter`. Kept so that a redelivered command which
   * finds the document already made publishes the very same events (same ids, so consumers drop
   * the copies); the relay never reads them, so nothing has to clear them.
   */
  _published_on_insert?: EventEnvelope[];
}

export const outboxSchemaFields = {
  // stored as plain sub-documents; mongoose's typings cannot express "array of Mixed as T[]"
  _outbox: { type: [Schema.Types.Mixed], default: [] } as unknown as SchemaDefinitionProperty<
    EventEnvelope[]
  >,
  _outbox_pending: { type: Boolean, default: false, index: true },
  // absent unless the writer publishes its events itself (`publishedByWriter`)
  _published_on_insert: {
    type: [Schema.Types.Mixed],
    default: undefined,
  } as unknown as SchemaDefinitionProperty<EventEnvelope[] | undefined>,
};

/** Fields for a new document that is born with events. */
export function outboxOnInsert(events: EventEnvelope[]): OutboxFields {
  return { _outbox: events, _outbox_pending: events.length > 0 };
}

/**
 * Fields for a new document whose events its writer publishes itself (`_published_on_insert`):
 * no outbox to clear after publishing. Only for writers redone until they have published: a
 * consumer's handler (the offset is committed after it returns) or a resumable job; any other
 * writer uses `outboxOnInsert`, or an event could be lost with the process.
 */
export function publishedByWriter(events: EventEnvelope[]): OutboxFields {
  return { _outbox: [], _outbox_pending: false, _published_on_insert: events };
}

/** Update operators appending events to an existing document's outbox. */
export function outboxOnUpdate(events: EventEnvelope[]): {
  $push: { _outbox: { $each: EventEnvelope[] } };
  $set: { _outbox_pending: true };
} {
  return { $push: { _outbox: { $each: events } }, $set: { _outbox_pending: true } };
}
