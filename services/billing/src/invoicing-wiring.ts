import { deleteTenantDocuments, planLimits, type ServiceContext } from '@ledgerline/platform';
import type { BillingConfig } from './config';
import { paymentHandlers } from './events/payment-handlers';
import { invoiceStore } from './store/invoices';
import { invoiceLockKey, type InvoicingDeps } from './use-cases/invoices';

/** What the invoice API needs (invoices, numbering, limits), built once per process. */
export function invoicingDeps(ctx: ServiceContext, config: BillingConfig): InvoicingDeps {
  const invoices = invoiceStore(ctx.mongo);
  return {
    invoices,
    locks: ctx.locks,
    // kept current by the worker; read here
    limits: planLimits(ctx.mongo, ctx.locks),
    defaultCurrency: config.DEFAULT_CURRENCY,
    publishSoon: ctx.outbox([{ model: invoices.model, lockKey: invoiceLockKey }]),
  };
}

/** The worker's invoice side: settles payments, keeps plan limits, deletes deleted tenants. */
export async function startInvoicingWorker(
  ctx: ServiceContext,
  config: BillingConfig,
): Promise<void> {
  const deps = invoicingDeps(ctx, config);
  await ctx.consume(config.WORKER_GROUP_ID, ['payments', 'tenants'], {
    ...paymentHandlers({ ...deps, logger: ctx.logger }),
    // the plans' limits, read by the API when an invoice is created
    ...planLimits(ctx.mongo, ctx.locks).handlers,
    // seed 003: a deleted tenant's invoices and counters go too
    TenantDeleted: async (event) => {
      await deleteTenantDocuments(ctx.mongo, event.data.tenant_id);
    },
  });
}
