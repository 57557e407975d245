import { Schema, type Connection } from 'mongoose';
import { insertNew, insertPlain, isDuplicateKeyError, modelOf } from '@ledgerline/platform';

/**
 * Usage is a set of counted facts, one document per (tenant, metric, source event), each with a
 * +/- quantity. Counting twice is impossible (the id is unique, inserts are atomic on MongoDB and
 * FerretDB) and nothing is ever updated in place, so no lock is needed.
 */
interface UsageFact {
  _id: string;
  tenant_id: string;
  metric: string;
  quantity: number;
  source: string;
  occurred_at: Date;
}

const usageSchema = new Schema<UsageFact>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    metric: { type: String, required: true },
    quantity: { type: Number, required: true },
    source: { type: String, required: true },
    occurred_at: { type: Date, required: true },
  },
  { collection: 'usage_facts', versionKey: false },
);
usageSchema.index({ tenant_id: 1, metric: 1 });

/** One counted fact: its id names the tenant, metric and source, so it is counted once. */
export interface UsageFactInput {
  tenantId: string;
  metric: string;
  quantity: number;
  source: string;
  sourceId: string;
  occurredAt: Date;
}

const factDocument = (fact: UsageFactInput): UsageFact => ({
  _id: `${fact.tenantId}:${fact.metric}:${fact.source}:${fact.sourceId}`,
  tenant_id: fact.tenantId,
  metric: fact.metric,
  quantity: fact.quantity,
  source: fact.source,
  occurred_at: fact.occurredAt,
});

export function usageStore(connection: Connection) {
  const model = modelOf<UsageFact>(connection, 'UsageFact', usageSchema);
  return {
    /**
     * true when recorded now, false when this fact was already counted. Written as built (every
     * field in its type, no defaults): no mongoose document on the ingestion path.
     */
    async record(fact: UsageFactInput): Promise<boolean> {
      try {
        await insertPlain(model, factDocument(fact));
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    },
    /** Many facts in one insert; those already counted are skipped. */
    async recordMany(facts: UsageFactInput[]): Promise<void> {
      await insertNew(model, facts.map(factDocument));
    },
    /** used per metric; a $group with one accumulator, which FerretDB computes correctly. */
    async totals(tenantId: string): Promise<Record<string, number>> {
      const rows = await model.aggregate<{ _id: string; used: number }>([
        { $match: { tenant_id: tenantId } },
        { $group: { _id: '$metric', used: { $sum: '$quantity' } } },
      ]);
      return Object.fromEntries(rows.map((r) => [r._id, r.used]));
    },
    async removeTenant(tenantId: string): Promise<void> {
      await model.deleteMany({ tenant_id: tenantId });
    },
  };
}
export type UsageStore = ReturnType<typeof usageStore>;
