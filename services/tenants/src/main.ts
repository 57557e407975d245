import { deadLetterTopic, topicName } from '@ledgerline/contracts';
import {
  closeServer,
  connectDependencies,
  createLogger,
  ensureTopics,
  listen,
  mongoProcessedEvents,
  runProcess,
  startConsumer,
  syncIndexes,
} from '@ledgerline/platform';
import { createApp } from './app';
import { loadTenantsConfig } from './config';
import { tenantHandlers } from './events/handlers';
import { tenantStore } from './store/tenants';

const config = loadTenantsConfig();
const logger = createLogger('tenants', config.LOG_LEVEL);

runProcess('tenants', logger, async () => {
  const deps = await connectDependencies('tenants', config, logger);
  const tenants = tenantStore(deps.mongo!);
  await syncIndexes(deps.mongo!);
  const authTopic = topicName('auth', config.KAFKA_TOPIC_PREFIX);
  await ensureTopics(deps.kafka!, [authTopic, deadLetterTopic(authTopic)]);
  const consumer = await startConsumer({
    kafka: deps.kafka!,
    groupId: config.CONSUMER_GROUP_ID,
    topics: [authTopic],
    handlers: tenantHandlers(tenants),
    processed: mongoProcessedEvents(deps.mongo!),
    producer: deps.producer!,
    logger,
  });
  const server = await listen(
    createApp({ logger, readiness: deps.readiness, bodyLimit: config.BODY_LIMIT }),
    config.PORT,
    config.HOST,
  );
  logger.info({ port: config.PORT }, 'tenants listening');
  return [closeServer(server), () => consumer.disconnect(), ...deps.closers];
});
