import type { PlanSnapshot } from '@ledgerline/contracts';
import { internalReader, pathOf } from '@ledgerline/platform';
import type { PlanRecord } from '../store/projections';

/**
 * The tenants service, asked for a plan as it is now when seed 001's cart or checkout prices it:
 * billing's event-fed copy may miss a plan made a moment ago or hold its old price. Behind a
 * breaker with a timeout; a 404 is an answer (null).
 */
export function httpTenantsClient(opts: { baseUrl: string; timeoutMs: number }) {
  const reader = internalReader({ name: 'tenants', ...opts });
  return { plan: (key: string) => reader.get<PlanSnapshot>(pathOf('internal', 'plans', key)) };
}

export type TenantsClient = ReturnType<typeof httpTenantsClient>;

/**
 * The ledger's plan look-ups made current: the tenants service answers (its price is the one
 * charged); only when it cannot be reached does billing's copy price the cart, so an outage of
 * tenants does not stop checkout (plans change rarely).
 */
export function withCurrentPlans<P extends { findPlan(key: string): Promise<PlanRecord | null> }>(
  projections: P,
  tenants: TenantsClient,
  platformTenantId: string,
): P {
  return {
    ...projections,
    async findPlan(key: string): Promise<PlanRecord | null> {
      let plan: PlanSnapshot | null;
      try {
        plan = await tenants.plan(key);
      } catch {
        return projections.findPlan(key);
      }
      if (!plan) return null;
      const { plan_id, ...rest } = plan;
      return { ...rest, _id: plan_id, tenant_id: platformTenantId, deleted: false };
    },
  };
}
