import { bootService, everyInterval } from '@ledgerline/platform';
import { createApp } from './app';
import { createCatalogue } from './catalogue';
import { loadWebhooksConfig } from './config';
import { deliveryPipeline } from './delivery/pipeline';
import { deliveryHandlers, familiesOf } from './events/handlers';
import type { WebhooksDeps } from './use-cases/deps';
import { rebuildQueue } from './use-cases/rebuild-queue';

const config = loadWebhooksConfig();

bootService('webhooks', config, async (ctx) => {
  const pipeline = deliveryPipeline({
    connection: ctx.mongo,
    locks: ctx.locks,
    writes: await ctx.storeWrites(),
    logger: ctx.logger,
    config,
  });
  const { endpoints, deliveries, queue, aggregates, enqueuer, dispatcher: sender } = pipeline;
  const deps: WebhooksDeps = {
    endpoints,
    deliveries,
    queue,
    aggregates,
    enqueuer,
    wake: sender.wake,
    logger: ctx.logger,
    settings: {
      allowHttp: config.WEBHOOK_ALLOW_HTTP,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS,
      maxEndpoints: config.WEBHOOK_MAX_ENDPOINTS,
      secretOverlapSeconds: config.WEBHOOK_SECRET_OVERLAP_SECONDS,
    },
  };
  // pending deliveries whose queue entry a crash lost are queued again before sending starts
  const requeued = await rebuildQueue(deps);
  if (requeued > 0) ctx.logger.info({ requeued }, 'pending deliveries put back in the queue');
  sender.start();
  ctx.stops.unshift(() => pipeline.stop());
  const stopRebuild = everyInterval(15 * 60_000, () => rebuildQueue(deps), {
    logger: ctx.logger,
    failure: 'webhook queue rebuild failed',
  });
  ctx.stops.unshift(stopRebuild);

  const catalogue = createCatalogue({
    billingUrl: config.BILLING_URL,
    paymentsUrl: config.PAYMENTS_URL,
    customersUrl: config.CUSTOMERS_URL,
    tenantsUrl: config.TENANTS_URL,
    timeoutMs: config.WEBHOOK_OWNER_TIMEOUT_MS,
    lowBalanceThreshold: config.CREDITS_LOW_BALANCE_THRESHOLD,
  });
  const tenantDeleted = ctx.tenantDeletedHandlers();
  await ctx.consume(
    config.CONSUMER_GROUP_ID,
    familiesOf(catalogue),
    {
      ...deliveryHandlers(catalogue, enqueuer),
      // seed 003: a deleted tenant's endpoints, deliveries and queue entries go
      TenantDeleted: async (event) => {
        await tenantDeleted.TenantDeleted!(event);
        enqueuer.forget(event.tenant_id);
      },
    },
    { batched: true },
  );
  return createApp({ ...deps, ...ctx.httpDeps() });
});
