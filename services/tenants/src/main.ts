import { bootService, everyInterval, httpCustomersClient, startPruner } from '@ledgerline/platform';
import { createApp } from './app';
import { httpAuthClient } from './clients/auth';
import { loadTenantsConfig } from './config';
import { tenantHandlers } from './events/handlers';
import { usageHandlers } from './events/usage-handlers';
import { meteredUsageStore } from './store/metered-usage';
import { planStore } from './store/plans';
import { providerPlanStore } from './store/provider-plans';
import { renewalRunStore } from './store/renewal-runs';
import { subscriptionStore } from './store/subscriptions';
import { tenantStore } from './store/tenants';
import { usageStore } from './store/usage';
import type { TenantsDeps } from './use-cases/deps';
import { renewDueProviderSubscriptions } from './use-cases/provider-renewals';
import { renewalRunWorker } from './use-cases/renewal-run-worker';
import { expireDueTenants, renewDueSubscriptions } from './use-cases/subscription-sweeps';

const config = loadTenantsConfig();

bootService('tenants', config, async (ctx) => {
  const tenants = tenantStore(ctx.mongo);
  const usage = usageStore(ctx.mongo);
  const providerPlans = providerPlanStore(ctx.mongo);
  const plans = planStore(ctx.mongo, providerPlans);
  // seed 003's plans kept by an earlier version in their own collection move onto the engine
  const adopted = await plans.adoptLegacyPlans();
  if (adopted > 0) ctx.logger.info({ adopted }, 'platform plans moved onto the provider engine');
  const subscriptions = subscriptionStore(ctx.mongo);
  const meteredUsage = meteredUsageStore(ctx.mongo);
  const renewalRuns = renewalRunStore(ctx.mongo);
  await ctx.topics(['tenants']);
  // plan snapshots for billing's cart pricing (the platform's plans are provider plans); a deleted
  // plan's event leaves from its tombstone.
  // Usage batches first: the relay looks a hinted id up source by source, and they are the most
  // frequent (their events handed over at the insert, so they are published without any read)
  const { writer, publishSoon } = await ctx.aggregates([
    meteredUsage.batchAggregate,
    tenants.aggregate,
    plans.tombstoneAggregate,
    providerPlans.metricAggregate,
    providerPlans.planAggregate,
    subscriptions.aggregate,
    meteredUsage.totalsAggregate,
  ]);
  // a provider's period is invoiced once its late usage can no longer arrive (plus consumer lag)
  const graceMs = (config.USAGE_LATENESS_SECONDS + config.USAGE_SETTLE_SECONDS) * 1000;
  const deps: TenantsDeps = {
    plans,
    tenants,
    usage,
    providerPlans,
    subscriptions,
    meteredUsage,
    renewalRuns,
    renewalGraceMs: graceMs,
    // the worker below; a run is worked in the background, never in the request that starts it
    renewalRunsWake: () => void runs.wake(),
    usageLatenessSeconds: config.USAGE_LATENESS_SECONDS,
    customers: httpCustomersClient({
      baseUrl: config.CUSTOMERS_URL,
      timeoutMs: config.CUSTOMERS_TIMEOUT_MS,
    }),
    auth: httpAuthClient({ baseUrl: config.AUTH_URL, timeoutMs: config.AUTH_TIMEOUT_MS }),
    aggregates: writer,
    publishSoon,
    baseDomain: config.TENANT_BASE_DOMAIN,
  };
  await ctx.consume(
    config.CONSUMER_GROUP_ID,
    ['auth', 'customers', 'billing', 'tenants'],
    tenantHandlers(deps, ctx.logger),
    { batched: true },
  );
  await ctx.consume(
    config.USAGE_CONSUMER_GROUP_ID,
    ['tenants'],
    usageHandlers({ meteredUsage, aggregates: writer, logger: ctx.logger }),
  );
  ctx.stops.push(
    startPruner(
      'usage_batches',
      () => meteredUsage.pruneBatches(new Date(Date.now() - config.USAGE_BATCH_RETENTION_MS)),
      60 * 60 * 1000,
      ctx.logger,
    ),
  );
  // expiry first, so a period is never renewed for a subscription that has just run out
  const stopSweep = everyInterval(
    config.SUBSCRIPTION_SWEEP_MS,
    async () => {
      await expireDueTenants(deps);
      await renewDueSubscriptions(deps);
      await renewDueProviderSubscriptions(deps, { graceMs, logger: ctx.logger });
    },
    { logger: ctx.logger, failure: 'subscription sweep failed' },
  );
  ctx.stops.unshift(stopSweep);
  // providers' renewal runs: those a stopped process left are taken over at the start, then a
  // tick looks again (a run whose worker died waits for its lease to run out)
  const runs = renewalRunWorker(deps, {
    pageSize: config.RENEWAL_RUN_PAGE_SIZE,
    leaseMs: config.RENEWAL_RUN_LEASE_MS,
    logger: ctx.logger,
  });
  const stopRunTick = everyInterval(config.RENEWAL_RUN_TICK_MS, () => runs.wake(), {
    logger: ctx.logger,
    failure: 'renewal runs failed',
    runNow: true,
  });
  // the worker told first, so a run in progress stops after its subscription (progress saved)
  ctx.stops.unshift(() => Promise.all([runs.stop(), stopRunTick()]).then(() => undefined));
  return createApp({ ...deps, ...ctx.httpDeps() });
});
