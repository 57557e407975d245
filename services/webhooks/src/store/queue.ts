import type { Connection } from 'mongoose';
import { insertNew, modelOf, storeSchema } from '@ledgerline/platform';

/**
 * The dispatcher's to-do list: one small entry per pending delivery (same `_id`), removed when
 * the delivery is done. FerretDB answers a filter on `due_at` by scanning the collection, so it
 * is kept to what is pending, not the whole log (webhook_deliveries).
 */
export interface QueueEntry {
  _id: string;
  tenant_id: string;
  endpoint_id: string;
  due_at: Date;
}

const queueSchema = storeSchema<QueueEntry>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    endpoint_id: { type: String, required: true },
    due_at: { type: Date, required: true },
  },
  { collection: 'webhook_queue' },
);
queueSchema.index({ due_at: 1 });

export function queueStore(connection: Connection) {
  const model = modelOf<QueueEntry>(connection, 'WebhookQueueEntry', queueSchema);
  return {
    model,

    /** Adds entries not there yet (an entry already queued keeps its due time). */
    async add(entries: QueueEntry[]): Promise<void> {
      await insertNew(model, entries);
    },

    /** Due now or earlier, soonest first, leaving out endpoints at their concurrency cap. */
    async due(
      now: Date,
      limit: number,
      skipEndpoints: readonly string[],
      skipIds: readonly string[],
    ) {
      const filter: Record<string, unknown> = { due_at: { $lte: now } };
      if (skipEndpoints.length > 0) filter.endpoint_id = { $nin: skipEndpoints };
      if (skipIds.length > 0) filter._id = { $nin: skipIds };
      return model
        .find(filter, { _id: 1, tenant_id: 1, endpoint_id: 1, due_at: 1 })
        .sort({ due_at: 1 })
        .limit(limit)
        .lean<QueueEntry[]>();
    },

    /** The soonest due time, to sleep until then. */
    async nextDue(): Promise<Date | null> {
      const first = await model.findOne({}, { due_at: 1 }).sort({ due_at: 1 }).lean<QueueEntry>();
      return first?.due_at ?? null;
    },

    async reschedule(id: string, dueAt: Date): Promise<void> {
      await model.updateOne({ _id: id }, { $set: { due_at: dueAt } }, { timestamps: false });
    },

    /** Due now (a replay): creates the entry when the delivery had left the queue. */
    async dueNow(entry: QueueEntry): Promise<void> {
      await model.updateOne(
        { _id: entry._id },
        {
          $set: { due_at: entry.due_at },
          $setOnInsert: { tenant_id: entry.tenant_id, endpoint_id: entry.endpoint_id },
        },
        { upsert: true, timestamps: false },
      );
    },

    /**
     * One by one: FerretDB answers `deleteMany({_id: {$in}})` by scanning the collection
     * (measured: 179 ms on 10,000 entries, against 1 ms for a deleteOne by `_id`).
     */
    async remove(id: string): Promise<void> {
      await model.deleteOne({ _id: id });
    },
  };
}

export type QueueStore = ReturnType<typeof queueStore>;
