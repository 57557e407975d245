import type { Router } from 'express';
import { PLATFORM_TENANT_ID } from '@ledgerline/contracts';
import type { CustomersClient, ServiceContext } from '@ledgerline/platform';
import type { BillingConfig } from '../../config';
import { httpTenantsClient, withCurrentPlans } from './clients/tenants';
import { ledgerHandlers } from './events/handlers';
import { ledgerRouter } from './routes/ledger';
import { cartStore } from './store/carts';
import { ledgerEntryStore } from './store/entries';
import { projectionStore } from './store/projections';
import type { LedgerDeps } from './use-cases/deps';

/** The stores both processes use. */
function ledgerStores(ctx: ServiceContext) {
  return {
    entries: ledgerEntryStore(ctx.mongo),
    projections: projectionStore(ctx.mongo, ctx.locks),
    carts: cartStore(ctx.mongo),
    platformTenantId: PLATFORM_TENANT_ID,
    logger: ctx.logger,
  };
}

/** Billing's copy of the tenants' customers (this module's worker keeps it; invoicing reads it). */
export function customerCopies(ctx: ServiceContext) {
  return projectionStore(ctx.mongo, ctx.locks);
}

/** `owner`: the customers service, for a profile billing's copy does not hold yet. */
export function ledgerDeps(
  ctx: ServiceContext,
  config: BillingConfig,
  owner?: Pick<CustomersClient, 'customer'>,
): LedgerDeps {
  const stores = ledgerStores(ctx);
  const tenants = httpTenantsClient({ baseUrl: config.TENANTS_URL, timeoutMs: 3000 });
  return {
    ...stores,
    // the cart and checkout price a plan as the tenants service holds it now
    projections: withCurrentPlans(stores.projections, tenants, stores.platformTenantId),
    locks: ctx.locks,
    defaultCurrency: config.DEFAULT_CURRENCY,
    owner,
  };
}

/** Mounted at the root behind authentication: full paths /api/billing/..., /api/cart, /api/metrics/... */
export function ledgerRoutes(deps: LedgerDeps): Router {
  return ledgerRouter(deps);
}

/** Its own consumer group, so the ledger keeps its own offsets and processed-event records. */
export async function startLedgerWorker(ctx: ServiceContext, config: BillingConfig): Promise<void> {
  // the worker creates no invoices: no invoicing deps (and no second invoice outbox relay) here
  const deps = ledgerStores(ctx);
  await ctx.consume(
    `${config.WORKER_GROUP_ID}-ledger`,
    ['billing', 'customers', 'tenants'],
    ledgerHandlers(deps),
    { batched: true },
  );
}
