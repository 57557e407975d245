import { Schema, type Connection } from 'mongoose';
import { allDuplicates, modelOf } from '@ledgerline/platform';
import type { DunningPolicy } from '../domain/dunning';

/**
 * Dunning's documents (issue 17):
 * - `dunning_policies`: one per tenant that set one (`_id` the tenant id);
 * - `dunning_queue`: one per issued invoice with a due date, `{next_at}` the moment its next step
 *   falls due. The sweep reads the queue, not the invoices (FerretDB scans a collection for any
 *   filter but `_id`, and open invoices with due dates are a small part of all invoices). The
 *   invoice is the truth: an entry whose invoice was paid or voided is removed when it comes up.
 */
export interface StoredDunningPolicy extends DunningPolicy {
  _id: string;
  updated_at: Date;
}

export interface DunningQueueEntry {
  _id: string;
  tenant_id: string;
  next_at: Date;
}

const policySchema = new Schema<StoredDunningPolicy>(
  {
    _id: String,
    reminder_offsets_days: [Number],
    final_action: String,
    final_action_after_days: { type: Number, default: null },
    updated_at: Date,
  },
  { collection: 'dunning_policies', versionKey: false },
);

const queueSchema = new Schema<DunningQueueEntry>(
  { _id: String, tenant_id: String, next_at: Date },
  { collection: 'dunning_queue', versionKey: false },
);
queueSchema.index({ tenant_id: 1 });

export function dunningStore(connection: Connection) {
  const policies = modelOf(connection, 'DunningPolicy', policySchema);
  const queue = modelOf(connection, 'DunningQueue', queueSchema);
  return {
    policy(tenantId: string): Promise<StoredDunningPolicy | null> {
      return policies.findById(tenantId).lean<StoredDunningPolicy>().exec();
    },
    async setPolicy(tenantId: string, policy: DunningPolicy): Promise<StoredDunningPolicy> {
      const doc = { ...policy, updated_at: new Date() };
      await policies.updateOne({ _id: tenantId }, { $set: doc }, { upsert: true });
      return { _id: tenantId, ...doc };
    },
    /** Entries not queued yet are added; one queued already keeps its time (events come twice). */
    async enqueue(entries: readonly DunningQueueEntry[]): Promise<void> {
      if (entries.length === 0) return;
      try {
        await queue.collection.insertMany(entries as never[], { ordered: false });
      } catch (err) {
        if (!allDuplicates(err)) throw err;
      }
    },
    due(now: Date, limit: number): Promise<DunningQueueEntry[]> {
      return queue
        .find({ next_at: { $lte: now } })
        .limit(limit)
        .lean<DunningQueueEntry[]>()
        .exec();
    },
    async reschedule(id: string, nextAt: Date | null): Promise<void> {
      if (nextAt === null) await queue.deleteOne({ _id: id });
      else await queue.updateOne({ _id: id }, { $set: { next_at: nextAt } });
    },
    /** A new policy applies to the tenant's open invoices at the next sweep. */
    async wakeTenant(tenantId: string, now: Date): Promise<void> {
      await queue.updateMany({ tenant_id: tenantId }, { $set: { next_at: now } });
    },
    async deleteTenant(tenantId: string): Promise<void> {
      await Promise.all([
        policies.deleteOne({ _id: tenantId }),
        queue.deleteMany({ tenant_id: tenantId }),
      ]);
    },
  };
}
export type DunningStore = ReturnType<typeof dunningStore>;
