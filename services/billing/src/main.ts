import {
  closeServer,
  connectDependencies,
  createJwksVerifier,
  createLogger,
  listen,
  OutboxRelay,
  redisLocks,
  runProcess,
  syncIndexes,
} from '@ledgerline/platform';
import { createApp } from './app';
import { loadBillingConfig } from './config';
import { invoiceStore } from './store/invoices';
import { invoiceLockKey } from './use-cases/invoices';

/** Billing HTTP API. The worker (worker.ts) is the second entry point of the same codebase. */
const config = loadBillingConfig();
const logger = createLogger('billing', config.LOG_LEVEL);

runProcess('billing', logger, async () => {
  const deps = await connectDependencies('billing', config, logger);
  const invoices = invoiceStore(deps.mongo!);
  await syncIndexes(deps.mongo!);
  const locks = redisLocks(deps.redis!);
  const relay = new OutboxRelay({
    producer: deps.producer!,
    locks,
    sources: [{ model: invoices.model, lockKey: invoiceLockKey }],
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logger,
    intervalMs: config.OUTBOX_INTERVAL_MS,
  });
  relay.start();
  const app = createApp({
    logger,
    verifier: createJwksVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER }),
    readiness: deps.readiness,
    bodyLimit: config.BODY_LIMIT,
    invoices,
    locks,
    defaultCurrency: config.DEFAULT_CURRENCY,
    publishSoon: () => relay.kick(),
  });
  const server = await listen(app, config.PORT, config.HOST);
  logger.info({ port: config.PORT }, 'billing api listening');
  return [closeServer(server), () => relay.stop(), ...deps.closers];
});
