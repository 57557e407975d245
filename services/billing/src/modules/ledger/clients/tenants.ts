import type { PlanSnapshot } from '@ledgerline/contracts';
import { createBreaker } from '@ledgerline/platform';
import type { PlanRecord } from '../store/projections';

/**
 * The tenants service, asked for a plan as it is now when seed 001's cart or checkout prices it:
 * billing's event-fed copy may miss a plan made a moment ago or hold its old price. Behind a
 * breaker with a timeout; a 404 is an answer (null).
 */
export function httpTenantsClient(opts: { baseUrl: string; timeoutMs: number }) {
  const call = createBreaker(
    async (key: string): Promise<PlanSnapshot | null> => {
      const res = await fetch(`${opts.baseUrl}/internal/plans/${encodeURIComponent(key)}`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`tenants answered ${res.status}`);
      return ((await res.json()) as { data: PlanSnapshot }).data;
    },
    { name: 'tenants', timeoutMs: opts.timeoutMs + 500 },
  );
  return { plan: (key: string) => call.fire(key) };
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
