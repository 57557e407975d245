import { bootService, planLimits, tenantsPlanLimitsOwner } from '@ledgerline/platform';
import { createApp } from './app';
import { loadCustomersConfig } from './config';
import { invoiceHandlers } from './events/invoice-handlers';
import { customerStore } from './store/customers';
import { entitlementStore } from './store/entitlements';
import { invoiceSnapshotStore } from './store/invoice-snapshots';
import { kamStore } from './store/kams';
import { packageStore } from './store/packages';
import { utilityStore } from './store/utility';
import type { CustomersDeps } from './use-cases/context';
import { refreshCustomerTotals } from './use-cases/projection';
import { totalsSweeper } from './use-cases/totals-sweeper';

const config = loadCustomersConfig();

bootService('customers', config, async (ctx) => {
  const customers = customerStore(ctx.mongo);
  const entitlements = entitlementStore(ctx.mongo);
  const packages = packageStore(ctx.mongo);
  const utility = utilityStore(ctx.mongo);
  const limits = planLimits(ctx.mongo, ctx.locks, tenantsPlanLimitsOwner(config));
  await ctx.topics(['customers']);
  const kams = kamStore(ctx.mongo);
  // pricings and utility information carry events too: billing prices soho rows and takes VAT
  const { writer, publishSoon } = await ctx.aggregates([
    customers.aggregate,
    entitlements.aggregate,
    kams.aggregate,
    packages.packageAggregate,
    packages.pricingAggregate,
    utility.infoAggregate,
    utility.detailAggregate,
  ]);
  const deps: CustomersDeps = {
    kams,
    customers,
    entitlements,
    packages,
    utility,
    snapshots: invoiceSnapshotStore(ctx.mongo, ctx.locks),
    aggregates: writer,
    limits,
    defaultCurrency: config.DEFAULT_CURRENCY,
    logger: ctx.logger,
    publishSoon,
  };
  const sweeper = totalsSweeper({
    refresh: (tenantId, customerId) => refreshCustomerTotals(deps, tenantId, customerId),
    findStale: () => customers.staleTotals(),
    logger: ctx.logger,
  });
  deps.totals = sweeper;
  sweeper.start();
  ctx.stops.unshift(() => sweeper.stop());
  await ctx.consume(
    config.CONSUMER_GROUP_ID,
    ['billing', 'tenants'],
    {
      // customer totals follow billing's invoices (a projection, not a call per request)
      ...invoiceHandlers(deps),
      // the plan's limits, so the 51st customer on a 50-customer plan is refused without a call
      // (a tenant not in the copy yet is asked of tenants)
      ...limits.handlers,
      // seed 003: a deleted tenant's customers, entitlements, packages and snapshots go too
      ...ctx.tenantDeletedHandlers(),
    },
    { batched: true },
  );
  return createApp({ ...deps, ...ctx.httpDeps() });
});
