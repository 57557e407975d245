import { z } from 'zod';
import { baseEnv, ConfigError, kafkaEnv, mongoEnv, parseConfig, storeServiceEnv } from './config';

const schema = z.object({ ...baseEnv, ...mongoEnv, ...kafkaEnv, PORT: baseEnv.PORT.default(4004) });

describe('config', () => {
  test('when the environment is valid, then it is parsed once with defaults applied', () => {
    const config = parseConfig(schema, {
      MONGO_URL: 'mongodb://127.0.0.1:27027',
      MONGO_DB: 'billing',
      KAFKA_BROKERS: 'a:9092, b:9092',
    });
    expect(config).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      PORT: 4004,
      HOST: '127.0.0.1',
      BODY_LIMIT: '1mb',
      IDLE_HEAP_CHECK_MS: 5000,
      IDLE_HEAP_REST_MS: 60_000,
      MONGO_URL: 'mongodb://127.0.0.1:27027',
      MONGO_DB: 'billing',
      STORE_COMMAND_METRICS: false,
      KAFKA_BROKERS: ['a:9092', 'b:9092'],
      KAFKA_TOPIC_PREFIX: '',
      CONSUMER_CONCURRENCY: 4,
      CONSUMER_BATCH_WINDOW_MS: 100,
      PROCESSED_EVENTS_RETENTION_MS: 7 * 24 * 60 * 60 * 1000,
      PROCESSED_EVENTS_PRUNE_MS: 60 * 60 * 1000,
    });
  });

  test('when values are bad or missing, then every bad variable is named', () => {
    let error: unknown;
    try {
      parseConfig(schema, { MONGO_URL: 'http://nope', PORT: '70000', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(':')[0]).sort();
    expect(problems).toEqual(['KAFKA_BROKERS', 'LOG_LEVEL', 'MONGO_DB', 'MONGO_URL', 'PORT']);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration:\n {2}- /);
  });

  test("when a service's store env is parsed, then its own port and database are the defaults", () => {
    const config = parseConfig(z.object(storeServiceEnv({ port: 4009, db: 'ledgerline_probe' })), {
      MONGO_URL: 'mongodb://127.0.0.1:27027',
      KAFKA_BROKERS: 'a:9092',
      REDIS_URL: 'redis://127.0.0.1:6391',
    });
    expect(config).toMatchObject({
      PORT: 4009,
      MONGO_DB: 'ledgerline_probe',
      REDIS_URL: 'redis://127.0.0.1:6391',
      KAFKA_BROKERS: ['a:9092'],
      OUTBOX_INTERVAL_MS: 1000,
      BODY_LIMIT: '1mb',
    });
    const overridden = parseConfig(z.object(storeServiceEnv({ port: 4009, db: 'x' })), {
      MONGO_URL: 'mongodb://127.0.0.1:27027',
      MONGO_DB: 'other',
      PORT: '4100',
      KAFKA_BROKERS: 'a:9092',
      REDIS_URL: 'redis://127.0.0.1:6391',
      OUTBOX_INTERVAL_MS: '500',
    });
    expect(overridden).toMatchObject({ PORT: 4100, MONGO_DB: 'other', OUTBOX_INTERVAL_MS: 500 });
  });
});
