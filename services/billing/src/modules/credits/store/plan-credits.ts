import type { Connection, Model } from 'mongoose';
import { planLimits, type AggregateLocks } from '@ledgerline/platform';

interface TenantLimitsDoc {
  _id: string;
  tenant_id: string;
  limits: Record<string, number>;
  status: string;
}

/** Statuses whose tenants receive their plan's monthly credits. */
const GRANTED_STATUSES = ['active', 'trial'];

/**
 * Reads the plan limits the platform's planLimits projection keeps in this service's database
 * (collection tenant_limits, from TenantPlanChanged): a plan's `limits.credits` is its monthly
 * credit allowance, 0 when absent.
 */
export function planCredits(connection: Connection, locks: AggregateLocks) {
  const projection = planLimits(connection, locks); // registers the TenantLimits model
  const model = connection.models.TenantLimits as Model<TenantLimitsDoc>;
  return {
    handlers: projection.handlers,

    async perMonth(tenantId: string): Promise<number> {
      const doc = await model.findById(tenantId).lean<TenantLimitsDoc>();
      return doc?.limits?.credits ?? 0;
    },

    /** Tenants whose plan grants credits and who are active or on trial now (the monthly sweep). */
    async granted(): Promise<{ tenantId: string; credits: number }[]> {
      const docs = await model
        .find({ 'limits.credits': { $gt: 0 }, status: { $in: GRANTED_STATUSES } })
        .lean<TenantLimitsDoc[]>();
      return docs.map((d) => ({ tenantId: d._id, credits: d.limits.credits ?? 0 }));
    },

    /** A deleted tenant's copy of its limits (this module's group is the copy's one writer). */
    async deleteTenant(tenantId: string): Promise<void> {
      await model.deleteMany({ tenant_id: tenantId });
    },

    isGrantedStatus(status: string): boolean {
      return GRANTED_STATUSES.includes(status);
    },
  };
}
export type PlanCredits = ReturnType<typeof planCredits>;
