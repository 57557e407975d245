import { Schema, type Connection } from 'mongoose';
import { modelOf, snapshotCopy, type AggregateLocks } from '@ledgerline/platform';

/**
 * Read models the ledger keeps from other services' snapshot events: a tenant's customers (so the
 * balance API can 404 unknown profiles) and the platform's plans (so the cart can be priced).
 * Each snapshot carries a revision; a lower or equal revision than the one held is ignored.
 */
/** What a copy holds beside the snapshot's data: a sticky deletion and the revision it is at. */
interface CopyState {
  deleted: boolean;
  revision: number;
}
const copyStateFields = { deleted: Boolean, revision: Number };

export interface CustomerRecord extends CopyState {
  _id: string;
  tenant_id: string;
  customer_id: string;
  name: string;
  currency: string;
  first_seen_at: Date;
}

export interface PlanRecord extends CopyState {
  _id: string;
  /** Plans belong to the platform tenant. */
  tenant_id: string;
  name: string;
  slug: string;
  price_monthly_minor: number;
  price_yearly_minor: number;
  currency: string;
  is_active: boolean;
}

const customerSchema = new Schema<CustomerRecord>(
  {
    _id: String,
    tenant_id: { type: String, required: true },
    customer_id: { type: String, required: true },
    name: String,
    currency: String,
    ...copyStateFields,
    first_seen_at: Date,
  },
  { collection: 'ledger_customers', versionKey: false },
);
customerSchema.index({ tenant_id: 1, customer_id: 1 });

const planSchema = new Schema<PlanRecord>(
  {
    _id: String,
    tenant_id: { type: String, required: true },
    name: String,
    slug: String,
    price_monthly_minor: Number,
    price_yearly_minor: Number,
    currency: String,
    is_active: Boolean,
    ...copyStateFields,
  },
  { collection: 'ledger_plans', versionKey: false },
);

/** A sticky deletion: a late snapshot never brings a deleted object back. */
const isNewer = <T extends CopyState>(next: T, current: T) =>
  next.revision > current.revision || (next.deleted && !current.deleted);

export function projectionStore(connection: Connection, locks: AggregateLocks) {
  const customers = modelOf(connection, 'LedgerCustomer', customerSchema);
  const plans = modelOf(connection, 'LedgerPlan', planSchema);
  const customerCopies = snapshotCopy<CustomerRecord>({
    name: 'ledger-customer',
    model: customers,
    locks,
    isNewer,
    merge: (next, current) => ({
      ...next,
      deleted: next.deleted || (current?.deleted ?? false),
      revision: Math.max(next.revision, current?.revision ?? 0),
      first_seen_at: current?.first_seen_at ?? next.first_seen_at,
    }),
  });
  const planCopies = snapshotCopy<PlanRecord>({
    name: 'ledger-plan',
    model: plans,
    locks,
    isNewer,
    merge: (next, current) => ({ ...next, deleted: next.deleted || (current?.deleted ?? false) }),
  });

  return {
    customers,
    plans,

    async applyCustomer(
      tenantId: string,
      snapshot: { customer_id: string; customer_name: string; currency: string; revision: number },
      deleted: boolean,
      at: Date,
    ): Promise<void> {
      await customerCopies.keep({
        _id: `${tenantId}:${snapshot.customer_id}`,
        tenant_id: tenantId,
        customer_id: snapshot.customer_id,
        name: snapshot.customer_name,
        currency: snapshot.currency,
        deleted,
        revision: snapshot.revision,
        first_seen_at: at,
      });
    },

    async findCustomer(tenantId: string, customerId: string): Promise<CustomerRecord | null> {
      return customers
        .findOne({ _id: `${tenantId}:${customerId}`, tenant_id: tenantId, deleted: false })
        .lean<CustomerRecord>();
    },

    async applyPlan(
      tenantId: string,
      snapshot: Omit<PlanRecord, '_id' | 'tenant_id' | 'deleted'> & { plan_id: string },
      deleted: boolean,
    ): Promise<void> {
      const { plan_id, ...rest } = snapshot;
      await planCopies.keep({ ...rest, _id: plan_id, tenant_id: tenantId, deleted });
    },

    /** A plan by id or slug (seed 001 names plans by slug), deleted ones excluded. */
    async findPlan(key: string): Promise<PlanRecord | null> {
      const byId = await plans.findOne({ _id: key, deleted: false }).lean<PlanRecord>();
      if (byId) return byId;
      return plans.findOne({ slug: key.toLowerCase(), deleted: false }).lean<PlanRecord>();
    },

    async deleteTenant(tenantId: string): Promise<void> {
      await customers.deleteMany({ tenant_id: tenantId });
    },
  };
}
export type ProjectionStore = ReturnType<typeof projectionStore>;
