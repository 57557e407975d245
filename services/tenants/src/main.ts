import { bootService, everyInterval, httpCustomersClient } from '@ledgerline/platform';
import { createApp } from './app';
import { httpAuthClient } from './clients/auth';
import { loadTenantsConfig } from './config';
import { tenantHandlers } from './events/handlers';
import { planStore } from './store/plans';
import { providerPlanStore } from './store/provider-plans';
import { subscriptionStore } from './store/subscriptions';
import { tenantStore } from './store/tenants';
import { usageStore } from './store/usage';
import type { TenantsDeps } from './use-cases/deps';
import { renewDueProviderSubscriptions } from './use-cases/provider-renewals';
import { expireDueTenants, renewDueSubscriptions } from './use-cases/subscription-sweeps';

const config = loadTenantsConfig();

bootService('tenants', config, async (ctx) => {
  const tenants = tenantStore(ctx.mongo);
  const usage = usageStore(ctx.mongo);
  const plans = planStore(ctx.mongo);
  const providerPlans = providerPlanStore(ctx.mongo);
  const subscriptions = subscriptionStore(ctx.mongo);
  await ctx.topics(['tenants']);
  // plan snapshots for billing's cart pricing; a deleted plan's event leaves from its tombstone
  const { writer, publishSoon } = await ctx.aggregates([
    tenants.aggregate,
    plans.aggregate,
    plans.tombstoneAggregate,
    providerPlans.metricAggregate,
    providerPlans.planAggregate,
    subscriptions.aggregate,
  ]);
  const deps: TenantsDeps = {
    plans,
    tenants,
    usage,
    providerPlans,
    subscriptions,
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
    tenantHandlers({ tenants, usage, providerPlans, subscriptions }),
  );
  // a provider's period is invoiced once its late usage can no longer arrive (plus consumer lag)
  const graceMs = (config.USAGE_LATENESS_SECONDS + 60) * 1000;
  // expiry first, so a period is never renewed for a subscription that has just run out
  const stopSweep = everyInterval(
    config.SUBSCRIPTION_SWEEP_MS,
    async () => {
      await expireDueTenants(deps);
      await renewDueSubscriptions(deps);
      await renewDueProviderSubscriptions(deps, { graceMs });
    },
    { logger: ctx.logger, failure: 'subscription sweep failed' },
  );
  ctx.stops.unshift(stopSweep);
  return createApp({ ...deps, ...ctx.httpDeps() });
});
