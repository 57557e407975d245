import { ownMarker, type EventHandlers, type Logger } from '@ledgerline/platform';
import { grantMonthlyCredits } from '../use-cases/grants';
import { invoiceSubscriptionPeriod } from '../use-cases/platform-invoices';
import { grantPaidPurchase } from '../use-cases/purchases';
import type { CreditsUseCaseDeps } from '../use-cases/deps';

/**
 * The credit worker's events: platform invoices paid (purchases), plan periods (the platform's
 * invoices to tenants) and plan changes (monthly credits). Each handler is idempotent on its own:
 * deterministic invoice ids and per-tenant unique grant keys.
 */
export function creditHandlers(deps: CreditsUseCaseDeps, logger: Logger): EventHandlers {
  const limits = deps.planCredits.handlers;
  return {
    // every invoice status change comes by, nearly all of them no purchase's: the grant's unique
    // key makes a replay a no-op, so no processed-event marker is looked up or written for them
    InvoiceStatusChanged: ownMarker((event) => grantPaidPurchase(deps, event, logger)),

    SubscriptionPeriodStarted: async (event) => {
      const invoice = await invoiceSubscriptionPeriod(deps, event);
      if (invoice) {
        logger.info(
          { tenant_id: event.data.tenant_id, invoice_id: invoice._id },
          'subscription period invoiced',
        );
      }
      const credits = await deps.planCredits.perMonth(event.data.tenant_id);
      await grantMonthlyCredits(
        deps,
        event.data.tenant_id,
        credits,
        new Date(),
        event.correlation_id,
      );
    },

    TenantPlanChanged: async (event) => {
      // this group keeps the limits too, so they are current before this group's next event
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
