import { topicName } from '@ledgerline/contracts';
import {
  closeServer,
  connectDependencies,
  createLogger,
  ensureTopics,
  listen,
  OutboxRelay,
  redisLocks,
  runProcess,
  syncIndexes,
} from '@ledgerline/platform';
import { createApp } from './app';
import { loadAuthConfig } from './config';
import { signingKeyStore } from './store/signing-keys';
import { userStore } from './store/users';

const config = loadAuthConfig();
const logger = createLogger('auth', config.LOG_LEVEL);

runProcess('auth', logger, async () => {
  const deps = await connectDependencies('auth', config, logger);
  const users = userStore(deps.mongo!);
  const keys = signingKeyStore(deps.mongo!);
  await syncIndexes(deps.mongo!);
  await keys.current(); // creates the first key pair at first start
  await ensureTopics(deps.kafka!, [topicName('auth', config.KAFKA_TOPIC_PREFIX)]);
  const relay = new OutboxRelay({
    producer: deps.producer!,
    locks: redisLocks(deps.redis!),
    sources: [{ model: users.model, lockKey: (id) => `user:${id}` }],
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logger,
    intervalMs: config.OUTBOX_INTERVAL_MS,
  });
  relay.start();
  const app = createApp({
    logger,
    readiness: deps.readiness,
    bodyLimit: config.BODY_LIMIT,
    users,
    keys,
    issuer: config.JWT_ISSUER,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    publishSoon: () => relay.kick(),
  });
  const server = await listen(app, config.PORT, config.HOST);
  logger.info({ port: config.PORT }, 'auth listening');
  return [closeServer(server), () => relay.stop(), ...deps.closers];
});
