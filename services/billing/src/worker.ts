import {
  connectDependencies,
  createLogger,
  ensureTopics,
  mongoProcessedEvents,
  OutboxRelay,
  redisLocks,
  runProcess,
  startConsumer,
  syncIndexes,
} from '@ledgerline/platform';
import { deadLetterTopic, topicName } from '@ledgerline/contracts';
import { loadBillingConfig } from './config';
import { invoiceStore } from './store/invoices';
import { invoiceLockKey } from './use-cases/invoices';
import { paymentHandlers } from './events/payment-handlers';

/**
 * Billing worker: consumes payment events in a Kafka consumer group (run more copies to share the
 * partitions) and relays the invoice events its updates produce.
 */
const config = loadBillingConfig();
const logger = createLogger('billing-worker', config.LOG_LEVEL);

runProcess('billing-worker', logger, async () => {
  const deps = await connectDependencies('billing-worker', config, logger);
  const invoices = invoiceStore(deps.mongo!);
  await syncIndexes(deps.mongo!);
  const paymentsTopic = topicName('payments', config.KAFKA_TOPIC_PREFIX);
  await ensureTopics(deps.kafka!, [
    paymentsTopic,
    deadLetterTopic(paymentsTopic),
    topicName('billing', config.KAFKA_TOPIC_PREFIX),
  ]);
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
  const consumer = await startConsumer({
    kafka: deps.kafka!,
    groupId: config.WORKER_GROUP_ID,
    topics: [paymentsTopic],
    handlers: paymentHandlers({ invoices, locks, publishSoon: () => relay.kick(), logger }),
    processed: mongoProcessedEvents(deps.mongo!),
    producer: deps.producer!,
    logger,
  });
  return [() => consumer.disconnect(), () => relay.stop(), ...deps.closers];
});
