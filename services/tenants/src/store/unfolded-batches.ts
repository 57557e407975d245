import { Schema, type Connection } from 'mongoose';
import { modelOf } from '@ledgerline/platform';

/**
 * `usage_unfolded`: one document per accepted usage batch that the usage consumer has not folded
 * yet (`_id` is the batch's id), naming the subscriptions its events are for. It is written just
 * before the batch and removed once the batch is folded, so it holds only the batches in flight
 * (normally none older than the consumer's lag) and a renewal can ask it, without reading every
 * batch, whether a closing period may still gain usage (provider-renewals.ts).
 */
export interface UnfoldedBatch {
  _id: string;
  tenant_id: string;
  subscription_ids: string[];
  received_at: Date;
}

const unfoldedSchema = new Schema<UnfoldedBatch>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    subscription_ids: { type: [String], required: true },
    received_at: { type: Date, required: true },
  },
  { collection: 'usage_unfolded', versionKey: false },
);

export function unfoldedBatchStore(connection: Connection) {
  const model = modelOf<UnfoldedBatch>(connection, 'UnfoldedUsageBatch', unfoldedSchema);
  return {
    async add(doc: UnfoldedBatch): Promise<void> {
      // through the driver: a plain document, nothing for mongoose to cast
      await model.collection.insertOne(doc as never);
    },
    /** The batches folded (or found gone): one delete by id each, FerretDB's indexed filter. */
    async remove(batchIds: readonly string[]): Promise<void> {
      await Promise.all([...new Set(batchIds)].map((_id) => model.deleteOne({ _id })));
    },
    /** The provider's batches not folded yet that hold events of the subscription, received by `until`. */
    findFor(tenantId: string, subscriptionId: string, until: Date): Promise<UnfoldedBatch[]> {
      return model
        .find({
          tenant_id: tenantId,
          subscription_ids: subscriptionId,
          received_at: { $lte: until },
        })
        .limit(50)
        .lean<UnfoldedBatch[]>()
        .exec();
    },
    /** Every batch not folded yet that was received before `before` (normally none). */
    async idsReceivedBefore(before: Date): Promise<string[]> {
      const docs = await model
        .find({ received_at: { $lt: before } }, { _id: 1 })
        .lean<{ _id: string }[]>()
        .exec();
      return docs.map((doc) => doc._id);
    },
    async removeTenant(tenantId: string): Promise<void> {
      await model.deleteMany({ tenant_id: tenantId });
    },
  };
}
export type UnfoldedBatchStore = ReturnType<typeof unfoldedBatchStore>;
