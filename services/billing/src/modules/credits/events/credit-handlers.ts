import { ownMarker, type EventHandlers, type Logger } from '@ledgerline/platform';
import { grantMonthlyCredits } from '../use-cases/grants';
import { grantPaidPurchase } from '../use-cases/purchases';
import type { CreditsUseCaseDeps } from '../use-cases/deps';

/**
 * The credit worker's events: platform invoices paid (purchases), plan changes (the plan
 * limits copy, monthly credits) and deleted tenants. A plan period's invoice and credits are a flow
 * (src/flows/platform-invoices.ts) joining this group. Each handler is idempotent on its own:
 * per-tenant unique grant keys.
 */
export function creditHandlers(deps: CreditsUseCaseDeps, logger: Logger): EventHandlers {
  const limits = deps.planCredits.handlers;
  return {
    // every invoice status change comes by, nearly all of them no purchase's: the grant's unique
    // key makes a replay a no-op, so no processed-event marker is looked up or written for them
    InvoiceStatusChanged: ownMarker((event) => grantPaidPurchase(deps, event, logger)),

    // seed 003: this module's documents of a deleted tenant (each module deletes its own)
    TenantDeleted: async (event) => {
      const tenantId = event.data.tenant_id;
      const ofTenant = { tenant_id: tenantId };
      await deps.usage.accounts.model.deleteMany(ofTenant);
      await deps.usage.transactions.model.deleteMany(ofTenant);
      await deps.purchases.model.deleteMany(ofTenant);
      await deps.planCredits.deleteTenant(tenantId);
    },

    TenantPlanChanged: async (event) => {
      // the one writer of the plan limits copy (tenant_limits), which invoicing reads: this
      // group reads it too, so it is current before this group's next event (a plan period)
      await limits.TenantPlanChanged(event);
      const { status, limits: planLimits } = event.data;
      if (deps.planCredits.isGrantedStatus(status)) {
        await grantMonthlyCredits(
          deps,
          event.data.tenant_id,
          planLimits.credits ?? 0,
          new Date(),
          event.correlation_id,
        );
      }
    },
  };
}
