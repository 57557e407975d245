import { Router } from 'express';
import {
  AppError,
  CREDIT_ROUTES as R,
  formatMinor,
  PLATFORM_TENANT_ID,
  pageOf,
  toListQuery,
  type EventEnvelope,
  type ListQuery,
} from '@ledgerline/contracts';
import {
  bindRoute,
  type CallerIdentity,
  type EventHandlers,
  type Logger,
} from '@ledgerline/platform';
import { grantMonthlyCredits, type CreditsDeps } from '../modules/credits';
import { pdfAnswer, platformInvoicePdf, type DocumentsDeps } from '../modules/documents';
import {
  createInvoice,
  invoiceView,
  platformCaller,
  type Invoice,
  type InvoicingDeps,
} from '../modules/invoicing';

/**
 * The platform's invoices to its tenants (seed 000's /v1/billing/invoices/): invoices of the
 * platform tenant whose customer is the tenant. A paid plan period is invoiced here and its
 * monthly credits granted; a credit purchase is invoiced in credit-purchase.ts.
 */

/** The invoices the platform tenant issued to the caller's tenant (its customer id is the tenant id). */
export async function listPlatformInvoices(
  invoicing: InvoicingDeps,
  caller: CallerIdentity,
  query: ListQuery,
) {
  return invoicing.invoices.list(PLATFORM_TENANT_ID, {
    ...query,
    filters: { ...query.filters, customer_id: caller.tenantId },
  });
}

/** One such invoice; any other invoice (another tenant's, or the caller's own) is 404. */
export async function getPlatformInvoice(
  invoicing: InvoicingDeps,
  caller: CallerIdentity,
  id: string,
): Promise<Invoice> {
  const invoice = await invoicing.invoices.findById(PLATFORM_TENANT_ID, id);
  if (!invoice || invoice.customer_id !== caller.tenantId) {
    throw AppError.notFound('Invoice');
  }
  return invoice;
}

/**
 * Seed 000's invoice row (total_amount) plus what a tenant needs to pay it: fields of the invoice
 * view, but with the balance due as it stands (not floored at zero).
 */
export function platformInvoiceSummary(inv: Invoice) {
  const view = invoiceView(inv);
  const { id, invoice_number, status, currency, total_paid_amount, issue_date, remarks } = view;
  return {
    id,
    invoice_number,
    status,
    currency,
    total_amount: view.total_bill_amount,
    total_paid_amount,
    total_balance_due: formatMinor(inv.balance_due_minor, inv.currency),
    issue_date,
    remarks,
    created_at: view.created_at,
  };
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
  invoicing: InvoicingDeps,
  event: EventEnvelope<'SubscriptionPeriodStarted'>,
  dueDays: number,
): Promise<Invoice | null> {
  const d = event.data;
  if (d.amount_minor === 0) return null;
  const start = d.period_start.slice(0, 10);
  const end = d.period_end.slice(0, 10);
  return createInvoice(
    invoicing,
    platformCaller(event.correlation_id),
    {
      status: 'unpaid',
      customer_id: d.tenant_id,
      currency: d.currency,
      issue_date: start,
      // net terms: unpaid after them, the platform's dunning policy chases it (issue 17)
      due_date: new Date(Date.parse(`${start}T00:00:00.000Z`) + dueDays * 86_400_000)
        .toISOString()
        .slice(0, 10),
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

/**
 * A plan period began: its invoice, then the plan's monthly credits. Runs in the credits
 * consumer group (after that group's plan changes); both steps are idempotent (the invoice's id
 * comes from tenant and period, the grant's key from the month).
 */
export function periodHandlers(
  deps: { invoicing: InvoicingDeps; credits: CreditsDeps; dueDays: number },
  logger: Logger,
): EventHandlers {
  return {
    SubscriptionPeriodStarted: async (event) => {
      const invoice = await invoiceSubscriptionPeriod(deps.invoicing, event, deps.dueDays);
      if (invoice) {
        logger.info(
          { tenant_id: event.data.tenant_id, invoice_id: invoice._id },
          'subscription period invoiced',
        );
      }
      const credits = await deps.credits.planCredits.perMonth(event.data.tenant_id);
      await grantMonthlyCredits(
        deps.credits,
        event.data.tenant_id,
        credits,
        new Date(),
        event.correlation_id,
      );
    },
  };
}

/** /v1/billing/invoices/: the caller tenant's invoices from the platform, and their PDFs. */
export function platformInvoiceRoutes(invoicing: InvoicingDeps, documents: DocumentsDeps): Router {
  const router = Router();
  bindRoute(router, R.invoices, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listPlatformInvoices(invoicing, caller, q);
    return { data: pageOf(q, { results: results.map(platformInvoiceSummary), count }) };
  });
  bindRoute(router, R.invoice, async ({ caller, params }) => ({
    data: invoiceView(await getPlatformInvoice(invoicing, caller, params.id)),
  }));
  // the same access rule as the invoice's GET: only the caller tenant's own, else 404
  bindRoute(router, R.invoicePdf, async ({ caller, params, res }) => {
    const invoice = await getPlatformInvoice(invoicing, caller, params.id);
    return pdfAnswer(res, await platformInvoicePdf(documents, invoice, caller.correlationId));
  });
  return router;
}
