import {
  AppError,
  formatMinor,
  PLATFORM_TENANT_ID,
  type EventEnvelope,
  type ListQuery,
} from '@ledgerline/contracts';
import { createInvoice } from '../../use-cases/invoices';
import type { Invoice } from '../../store/invoices';
import { platformCaller } from './purchases';
import type { CreditCaller, CreditsUseCaseDeps } from './deps';

/** The invoices the platform tenant issued to the caller's tenant (its customer id is the tenant id). */
export async function listPlatformInvoices(
  deps: CreditsUseCaseDeps,
  caller: CreditCaller,
  query: ListQuery,
) {
  return deps.invoicing.invoices.list(PLATFORM_TENANT_ID, {
    ...query,
    filters: { ...query.filters, customer_id: caller.tenantId },
  });
}

/** One such invoice; any other invoice (another tenant's, or the caller's own) is 404. */
export async function getPlatformInvoice(
  deps: CreditsUseCaseDeps,
  caller: CreditCaller,
  id: string,
): Promise<Invoice> {
  const invoice = await deps.invoicing.invoices.findById(PLATFORM_TENANT_ID, id);
  if (!invoice || invoice.customer_id !== caller.tenantId) {
    throw AppError.notFound('Invoice');
  }
  return invoice;
}

/** One invoice per tenant and period, whatever the number of deliveries. */
export function periodInvoiceId(tenantId: string, periodStart: string): string {
  const start = new Date(periodStart).toISOString().replace(/\D/g, '');
  return `inv_sub_${tenantId}_${start}`;
}

/**
 * A paid subscription period began: the platform issues the tenant's invoice for it. A free
 * period (amount 0) is not invoiced: there is nothing to pay and it would only add noise.
 */
export async function invoiceSubscriptionPeriod(
  deps: CreditsUseCaseDeps,
  event: EventEnvelope<'SubscriptionPeriodStarted'>,
): Promise<Invoice | null> {
  const d = event.data;
  if (d.amount_minor === 0) return null;
  const start = d.period_start.slice(0, 10);
  const end = d.period_end.slice(0, 10);
  return createInvoice(
    deps.invoicing,
    platformCaller(event.correlation_id),
    {
      status: 'unpaid',
      customer_id: d.tenant_id,
      currency: d.currency,
      issue_date: start,
      remarks: `${d.plan_name} plan (${d.billing_cycle}), ${start} to ${end}`,
      details: [
        {
          sub_total: formatMinor(d.amount_minor, d.currency),
          remarks: `${d.plan_name} ${d.billing_cycle} subscription ${start} to ${end} (${d.reason})`,
        },
      ],
    },
    { id: periodInvoiceId(d.tenant_id, d.period_start) },
  );
}
