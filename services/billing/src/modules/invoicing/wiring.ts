import {
  everyInterval,
  httpCustomersClient,
  inBatches,
  planLimits,
  tenantsPlanLimitsOwner,
  type CustomersClient,
  type ServiceContext,
} from '@ledgerline/platform';
import type { BillingConfig } from '../../config';
import { customerHandlers } from './events/customer-handlers';
import { paymentHandlers } from './events/payment-handlers';
import { runHandlers } from './events/run-handlers';
import { subscriptionHandlers } from './events/subscription-handlers';
import type { CreditNoteFinisher } from './use-cases/subscription-invoices';
import { billingRunStore } from './store/billing-runs';
import { creditNoteStore } from './store/credit-notes';
import { dunningStore } from './store/dunning';
import { queueIssuedInvoices, runDunningSweep } from './use-cases/dunning';
import { applyCreditNote } from './use-cases/credit-notes';
import { entitlementProjection, type EntitlementProjection } from './store/entitlements';
import { invoiceStore } from './store/invoices';
import type { InvoiceReferences } from './use-cases/invoice-references';
import type { InvoicingDeps } from './use-cases/invoices';

/** Billing's copy of the tenant's customers (the ledger module's worker keeps it). */
export interface CustomerCopies {
  findCustomer(tenantId: string, customerId: string): Promise<object | null>;
}

/**
 * What the invoice API needs (invoices, numbering, limits, projection, runs), built once per
 * process. `copies`: the customers an invoice may name, checked before customers is asked.
 */
export async function invoicingDeps(
  ctx: ServiceContext,
  config: BillingConfig,
  copies: CustomerCopies,
): Promise<InvoicingDeps> {
  const invoices = invoiceStore(ctx.mongo);
  const runs = billingRunStore(ctx.mongo);
  const creditNotes = creditNoteStore(ctx.mongo);
  const projection = entitlementProjection(ctx.mongo, ctx.locks);
  const customers = httpCustomersClient({ baseUrl: config.CUSTOMERS_URL, timeoutMs: 3000 });
  const { writer, publishSoon } = await ctx.aggregates([
    invoices.aggregate,
    // a run's chunk commands are born in its outbox
    runs.aggregate,
    // CreditNoteIssued leaves from the note it numbers
    creditNotes.aggregate,
  ]);
  return {
    invoices,
    aggregates: writer,
    locks: ctx.locks,
    // kept current by the worker; read here, and asked of tenants for a tenant it lacks
    limits: planLimits(ctx.mongo, ctx.locks, tenantsPlanLimitsOwner(config)),
    defaultCurrency: config.DEFAULT_CURRENCY,
    publishSoon,
    publishNow: (events) => ctx.publishNow(events),
    // kept current by the worker from the customers service's snapshot events; read here
    projection,
    runs,
    creditNotes,
    dunning: dunningStore(ctx.mongo),
    references: invoiceReferences(copies, customers, projection),
    // auto_generate bills the entitlement as customers holds it now
    owner: customers,
  };
}

/** Billing's copies of the customers data first (kept by the worker), then customers itself. */
function invoiceReferences(
  customers: CustomerCopies,
  client: CustomersClient,
  projection: EntitlementProjection,
): InvoiceReferences {
  const when = async (id: string | undefined, has: (id: string) => Promise<boolean>) =>
    id === undefined ? null : has(id);
  return {
    known: async (tenantId, ids) => {
      const rows = ids.entitlement_details_ids ?? [];
      const [customer, entitlement, utility, live] = await Promise.all([
        when(ids.customer_id, async (id) => (await customers.findCustomer(tenantId, id)) !== null),
        when(ids.entitlement_id, (id) => projection.hasEntitlement(tenantId, id)),
        when(ids.utility_info_id, (id) => projection.hasUtility(tenantId, id)),
        projection.liveDetails(tenantId, rows),
      ]);
      return {
        customer_id: customer,
        entitlement_id: entitlement,
        utility_info_id: utility,
        entitlement_details: Object.fromEntries(rows.map((id) => [id, live.has(id)])),
      };
    },
    existing: (tenantId, ids, correlationId) => client.existing(tenantId, ids, correlationId),
  };
}

/**
 * The worker's invoice side: settles payments, issues subscriptions' invoices, keeps the entitlement projection,
 * deletes deleted tenants, and generates billing runs' chunks (a consumer group of its own, so a
 * long chunk never holds up payments; every worker process joins it and they share the chunks).
 */
export async function startInvoicingWorker(
  ctx: ServiceContext,
  config: BillingConfig,
  deps: InvoicingDeps,
  flows: CreditNoteFinisher = {},
): Promise<void> {
  const group = config.WORKER_GROUP_ID;
  await ctx.consume(group, ['payments', 'tenants', 'customers'], {
    ...paymentHandlers({ ...deps, logger: ctx.logger }),
    // issue 18: what a provider's subscription owes, priced by tenants
    ...subscriptionHandlers({ ...deps, ...flows, logger: ctx.logger }),
    // the plans' limits are read here, kept by the credits group (one writer of tenant_limits)
    // entitlement details, package pricings and utility VAT (auto-generation, billing runs)
    ...customerHandlers({ projection: deps.projection! }),
    // seed 003: this module's documents of a deleted tenant (credits and ledger delete theirs)
    TenantDeleted: async (event) => {
      const tenantId = event.data.tenant_id;
      await deps.invoices.deleteTenant(tenantId);
      await deps.creditNotes.deleteTenant(tenantId);
      await deps.dunning.deleteTenant(tenantId);
      const { details, pricings, utilities } = deps.projection!;
      for (const model of [deps.runs!.model, details, pricings, utilities])
        await model.deleteMany({ tenant_id: tenantId });
    },
  });
  // this group reads the billing topic anyway; credit notes are rare, so they share it
  await ctx.consume(`${group}.runs`, ['billing'], {
    ...runHandlers({ ...deps, logger: ctx.logger }),
    CreditNoteIssued: (event) => applyCreditNote({ ...deps, logger: ctx.logger }, event),
    // issued invoices with a due date join the dunning queue (an insert per fetch, not per event)
    InvoiceCreated: inBatches(
      (event) => queueIssuedInvoices(deps, [event]),
      (events) => queueIssuedInvoices(deps, events),
    ),
    InvoiceStatusChanged: inBatches(
      (event) => queueIssuedInvoices(deps, [event]),
      (events) => queueIssuedInvoices(deps, events),
    ),
  });
  ctx.stops.push(
    everyInterval(config.DUNNING_SWEEP_MS, () => runDunningSweep({ ...deps, logger: ctx.logger }), {
      logger: ctx.logger,
      failure: 'dunning sweep failed; retrying at the next tick',
    }),
  );
}
