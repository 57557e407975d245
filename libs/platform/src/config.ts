import { z } from 'zod';
import { DEFAULT_IDLE_HEAP_CHECK_MS, DEFAULT_IDLE_HEAP_REST_MS } from './idle-heap';

/** Environment variables every service reads; each service extends this with its own. */
export const baseEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535),
  HOST: z.string().default('127.0.0.1'),
  BODY_LIMIT: z.string().default('1mb'),
  /**
   * Internal port of `GET /metrics` (never the public one). Default: PORT + 1000; a process
   * without an HTTP port (PORT=0, the billing worker) takes a free port, logged at start.
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * How often an idle process checks whether to give its unused heap back (idle-heap.ts); 0 turns
   * that off.
   */
  IDLE_HEAP_CHECK_MS: z.coerce.number().int().min(0).default(DEFAULT_IDLE_HEAP_CHECK_MS),
  /**
   * After the first time, how long a process must have been at rest (its event loop at most 2 %
   * busy over the span) before its heap is given back again (idle-heap.ts: each time stalls the
   * process and costs the next burst of requests some CPU).
   */
  IDLE_HEAP_REST_MS: z.coerce.number().int().min(0).default(DEFAULT_IDLE_HEAP_REST_MS),
};

export const mongoEnv = {
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL'),
  MONGO_DB: z.string().min(1),
  /**
   * How aggregates are changed (see aggregate.ts): `atomic` fences with the version alone (MongoDB),
   * `locked` also takes a Redis lock (FerretDB v1). Unset: asked of the server at start.
   */
  STORE_WRITES: z.enum(['atomic', 'locked']).optional(),
  /**
   * Counts every store command by collection and name (`store_commands_total` on the metrics
   * port). Off by default: the driver's command monitoring costs a little on every command. The
   * benchmarks turn it on to report store commands per operation.
   */
  STORE_COMMAND_METRICS: z
    .enum(['0', '1', 'false', 'true'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
};

export const kafkaEnv = {
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  /** Prefixes every topic name, so environments (and test runs) never share topics. */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** A consumer's processed-event markers are kept this long (7 days), then pruned. */
  PROCESSED_EVENTS_RETENTION_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 60 * 60 * 1000),
  /** Events a consumer handles at once: partitions, and aggregates within a partition's batch. */
  CONSUMER_CONCURRENCY: z.coerce.number().int().positive().default(4),
  /**
   * How long a batched consumer group lingers after a small batch (ms): the groups nobody waits
   * on (display copies, notifications, bookkeeping) then take a window's events in one fetch.
   */
  CONSUMER_BATCH_WINDOW_MS: z.coerce.number().int().positive().default(100),
  /** How often old processed-event markers are pruned (hourly). */
  PROCESSED_EVENTS_PRUNE_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60 * 1000),
};

export const redisEnv = {
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
};

export const jwksEnv = {
  JWKS_URL: z.url(),
  JWT_ISSUER: z.string().default('ledgerline-auth'),
};

/**
 * What every service with its own database reads (all but the gateway): the base variables, its
 * store, Kafka, Redis (locks), and how often its outbox relay looks for unpublished events; `port`
 * and `db` are the service's defaults for PORT and MONGO_DB.
 */
export function storeServiceEnv(defaults: { port: number; db: string }) {
  return {
    ...baseEnv,
    ...mongoEnv,
    ...kafkaEnv,
    ...redisEnv,
    PORT: baseEnv.PORT.default(defaults.port),
    MONGO_DB: mongoEnv.MONGO_DB.default(defaults.db),
    OUTBOX_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
  );
}

/** Like parseConfig, but a bad value ends the process with a clear message (fail fast at start). */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  try {
    return parseConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
