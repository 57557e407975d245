import { aggregateWriter, bootService, everyInterval } from '@ledgerline/platform';
import { createApp } from './app';
import { createCatalogue } from './catalogue';
import { loadWebhooksConfig } from './config';
import { attemptDelivery } from './delivery/attempt';
import { dispatcher } from './delivery/dispatcher';
import { enqueuer as createEnqueuer } from './delivery/enqueue';
import { deliveryHandlers, familiesOf } from './events/handlers';
import { deliveryStore } from './store/deliveries';
import { endpointStore } from './store/endpoints';
import { queueStore } from './store/queue';
import type { WebhooksDeps } from './use-cases/deps';
import { rebuildQueue } from './use-cases/rebuild-queue';

const config = loadWebhooksConfig();

bootService('webhooks', config, async (ctx) => {
  const endpoints = endpointStore(ctx.mongo);
  const deliveries = deliveryStore(ctx.mongo);
  const queue = queueStore(ctx.mongo);
  // nothing here is published on the bus: the aggregates carry no outbox (so no relay)
  const writer = aggregateWriter({
    locks: ctx.locks,
    writes: await ctx.storeWrites(),
    publishSoon: () => undefined,
  });
  let wake = () => undefined as void;
  const enqueuer = createEnqueuer({ endpoints, deliveries, queue, wake: () => wake() });
  const sender = dispatcher({
    queue,
    locks: ctx.locks,
    logger: ctx.logger,
    perEndpoint: config.WEBHOOK_ENDPOINT_CONCURRENCY,
    global: config.WEBHOOK_CONCURRENCY,
    pollMs: config.WEBHOOK_POLL_MS,
    attempt: (entry) =>
      attemptDelivery(
        { endpoints, deliveries, queue, aggregates: writer, enqueuer, logger: ctx.logger, config },
        entry,
      ),
  });
  wake = sender.wake;
  const deps: WebhooksDeps = {
    endpoints,
    deliveries,
    queue,
    aggregates: writer,
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
  ctx.stops.unshift(() => sender.stop());
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
  });
  const tenantDeleted = ctx.tenantDeletedHandlers();
  await ctx.consume(config.CONSUMER_GROUP_ID, familiesOf(catalogue), {
    ...deliveryHandlers(catalogue, enqueuer),
    // seed 003: a deleted tenant's endpoints, deliveries and queue entries go
    TenantDeleted: async (event) => {
      await tenantDeleted.TenantDeleted!(event);
      enqueuer.forget(event.tenant_id);
    },
  });
  return createApp({ ...deps, ...ctx.httpDeps() });
});
