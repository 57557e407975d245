import { Schema, type Connection } from 'mongoose';
import { modelOf, searchClause } from '@ledgerline/platform';

interface CustomerName {
  _id: string;
  tenant_id: string;
  customer_id: string;
  customer_name: string;
  revision: number;
  deleted: boolean;
}

const customerNameSchema = new Schema<CustomerName>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    customer_id: { type: String, required: true },
    customer_name: { type: String, required: true },
    revision: { type: Number, required: true },
    deleted: { type: Boolean, default: false },
  },
  { collection: 'customer_names', versionKey: false },
);
customerNameSchema.index({ tenant_id: 1 });

/**
 * A projection of the customers service's customers, just their names (for by_customer), kept from
 * CustomerCreated/Updated/Deleted. A deleted customer keeps its name: its past payments still do.
 */
export function customerNameStore(connection: Connection) {
  const model = modelOf<CustomerName>(connection, 'CustomerName', customerNameSchema);
  const idOf = (tenantId: string, customerId: string) => `${tenantId}:${customerId}`;
  return {
    model,
    /** Keeps the snapshot if it is newer than what is held; call under the customer's lock. */
    async upsertIfNewer(
      tenantId: string,
      snapshot: { customer_id: string; customer_name: string; revision: number },
      deleted: boolean,
    ): Promise<void> {
      const id = idOf(tenantId, snapshot.customer_id);
      const held = await model.findById(id, { revision: 1 }).lean<{ revision: number }>();
      if (held && held.revision >= snapshot.revision) return;
      await model.updateOne(
        { _id: id },
        {
          $set: {
            tenant_id: tenantId,
            customer_id: snapshot.customer_id,
            customer_name: snapshot.customer_name,
            revision: snapshot.revision,
            deleted,
          },
        },
        { upsert: true },
      );
    },
    /** Whether the tenant has (or had: a deleted customer keeps its payments) this customer. */
    async known(tenantId: string, customerId: string): Promise<boolean> {
      return (await model.exists({ _id: idOf(tenantId, customerId) })) !== null;
    },
    /** Ids of the tenant's customers whose name contains `text` (for searching payments). */
    async idsByName(tenantId: string, text: string): Promise<string[]> {
      const rows = await model
        .find(
          { tenant_id: tenantId, ...searchClause({ search: text }, ['customer_name']) },
          { customer_id: 1 },
        )
        .limit(1000)
        .lean<{ customer_id: string }[]>();
      return rows.map((r) => r.customer_id);
    },
    async names(tenantId: string, customerIds: string[]): Promise<Map<string, string>> {
      if (customerIds.length === 0) return new Map();
      const rows = await model
        .find({ _id: { $in: customerIds.map((c) => idOf(tenantId, c)) } })
        .lean<CustomerName[]>();
      return new Map(rows.map((r) => [r.customer_id, r.customer_name]));
    },
  };
}

export type CustomerNameStore = ReturnType<typeof customerNameStore>;
