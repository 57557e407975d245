import { deadLetterTopic, topicName } from '@ledgerline/contracts';
import {
  closeServer,
  connectDependencies,
  createJwksVerifier,
  createLogger,
  ensureTopics,
  listen,
  OutboxRelay,
  redisLocks,
  runProcess,
  syncIndexes,
} from '@ledgerline/platform';
import { createApp } from './app';
import { httpBillingClient } from './clients/billing';
import { loadPaymentsConfig } from './config';
import { paymentStore } from './store/payments';

const config = loadPaymentsConfig();
const logger = createLogger('payments', config.LOG_LEVEL);

runProcess('payments', logger, async () => {
  const deps = await connectDependencies('payments', config, logger);
  const payments = paymentStore(deps.mongo!);
  await syncIndexes(deps.mongo!);
  const topic = topicName('payments', config.KAFKA_TOPIC_PREFIX);
  await ensureTopics(deps.kafka!, [topic, deadLetterTopic(topic)]);
  const relay = new OutboxRelay({
    producer: deps.producer!,
    locks: redisLocks(deps.redis!),
    sources: [{ model: payments.model, lockKey: (id) => `payment:${id}` }],
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
    payments,
    billing: httpBillingClient({
      baseUrl: config.BILLING_URL,
      timeoutMs: config.BILLING_TIMEOUT_MS,
    }),
    publishSoon: () => relay.kick(),
  });
  const server = await listen(app, config.PORT, config.HOST);
  logger.info({ port: config.PORT }, 'payments listening');
  return [closeServer(server), () => relay.stop(), ...deps.closers];
});
