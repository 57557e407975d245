import type { Model } from 'mongoose';
import type { NumberSeries } from '../use-cases/numbering';

/**
 * A tenant's gapless number series as stored: its counter (`counters`, `_id` `<tenant>:<name>`)
 * and the documents that carry the numbers (`number_seq`), which repair the counter after a crash
 * between a document's write and the counter's (numbering.ts). Invoices and credit notes have one.
 */
export function storedNumberSeries(
  counters: Model<{ _id: string; tenant_id: string; seq: number }>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  numbered: Model<any>,
  name: string,
): NumberSeries {
  const counterId = (tenantId: string) => `${tenantId}:${name}`;
  return {
    async lastNumber(tenantId) {
      const counter = await counters.findById(counterId(tenantId)).lean<{ seq: number }>();
      return counter?.seq ?? 0;
    },
    async setLastNumber(tenantId, seq) {
      await counters.updateOne(
        { _id: counterId(tenantId) },
        { $set: { seq, tenant_id: tenantId } },
        { upsert: true },
      );
    },
    async highestNumberUsed(tenantId) {
      const top = await numbered
        .findOne({ tenant_id: tenantId, number_seq: { $ne: null } }, { number_seq: 1 })
        .sort({ number_seq: -1 })
        .lean<{ number_seq: number }>();
      return top?.number_seq ?? 0;
    },
  };
}
