import type { Express } from 'express';
import type { Kafka, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import {
  deadLetterTopic,
  topicName,
  type EventEnvelope,
  type TopicFamily,
} from '@ledgerline/contracts';
import { createLogger, type Logger } from './logger';
import { closeServer, runProcess, type Closer } from './lifecycle';
import { syncIndexes } from './mongo';
import { redisLocks, type AggregateLocks } from './locks';
import {
  aggregateWriter,
  detectStoreWrites,
  type AggregateDefinition,
  type AggregateWriter,
  type StoreWrites,
} from './aggregate';
import { connectDependencies, listen, type DependencyConfig } from './runtime';
import { ensureTopics, publishEvents } from './events/kafka';
import { OutboxRelay, type OutboxRelayOptions, type PublishSoon } from './events/outbox';
import {
  mongoProcessedEvents,
  pruneProcessedEvents,
  startConsumer,
  type EventHandlers,
} from './events/consumer';
import { startPruner } from './pruning';
import { DEFAULT_IDLE_HEAP_CHECK_MS, startIdleHeapReducer } from './idle-heap';
import { deleteTenantDocuments } from './tenant-data';
import {
  appMetricsRegistry,
  cachedReadiness,
  type ReadinessCheck,
  type ServiceHttpDeps,
} from './http/app';
import { createJwksVerifier, type TokenVerifier } from './http/auth';
import { createProcessMetrics, processRegistry, serveMetrics } from './http/metrics';

export interface ServiceConfig extends DependencyConfig {
  PORT: number;
  HOST: string;
  BODY_LIMIT?: string;
  JWKS_URL?: string;
  JWT_ISSUER?: string;
  METRICS_PORT?: number;
  IDLE_HEAP_CHECK_MS?: number;
  IDLE_HEAP_REST_MS?: number;
  LOG_LEVEL: string;
  KAFKA_TOPIC_PREFIX?: string;
  OUTBOX_INTERVAL_MS?: number;
  STORE_WRITES?: StoreWrites;
  CONSUMER_CONCURRENCY?: number;
  CONSUMER_BATCH_WINDOW_MS?: number;
  PROCESSED_EVENTS_RETENTION_MS?: number;
  PROCESSED_EVENTS_PRUNE_MS?: number;
}

/** What a service's wiring gets: its connections, and helpers that add their own shutdown step. */
export class ServiceContext {
  readonly stops: Closer[] = [];
  private lockClient?: AggregateLocks;
  private writes?: Promise<StoreWrites>;
  private pruning = false;

  constructor(
    readonly name: string,
    readonly logger: Logger,
    private readonly config: ServiceConfig,
    private readonly deps: {
      mongo?: Connection;
      kafka?: Kafka;
      producer?: Producer;
      redis?: Redis;
      readiness: ReadinessCheck[];
    },
  ) {}

  get readiness(): ReadinessCheck[] {
    return this.deps.readiness;
  }
  get mongo(): Connection {
    return required(this.deps.mongo, 'MONGO_URL');
  }
  get redis(): Redis {
    return required(this.deps.redis, 'REDIS_URL');
  }
  get locks(): AggregateLocks {
    this.lockClient ??= redisLocks(this.redis);
    return this.lockClient;
  }

  /**
   * What createApp takes from the process: logger, readiness checks, body limit, and the verifier
   * of access tokens: the one given (auth verifies with its own keys), else auth's JWKS at JWKS_URL.
   */
  httpDeps(verifier?: TokenVerifier): ServiceHttpDeps {
    return {
      logger: this.logger,
      verifier:
        verifier ??
        createJwksVerifier({
          jwksUrl: required(this.config.JWKS_URL, 'JWKS_URL'),
          issuer: required(this.config.JWT_ISSUER, 'JWT_ISSUER'),
        }),
      readiness: this.readiness,
      bodyLimit: this.config.BODY_LIMIT,
    };
  }

  /** Starts the outbox relay for these models; answers the function that wakes it after a write. */
  outbox(sources: OutboxRelayOptions['sources']): PublishSoon {
    const relay = new OutboxRelay({
      producer: required(this.deps.producer, 'KAFKA_BROKERS'),
      locks: this.locks,
      sources,
      topicPrefix: this.config.KAFKA_TOPIC_PREFIX ?? '',
      logger: this.logger,
      intervalMs: this.config.OUTBOX_INTERVAL_MS,
      writes: this.storeWrites(),
    });
    relay.start();
    this.stops.push(() => relay.stop());
    return (ids, born) => relay.kick(ids, born);
  }

  /**
   * Publishes events in one send and resolves once Kafka has them: for a writer that publishes
   * what it inserted itself (`publishedByWriter`) before it acknowledges the work that made it.
   */
  publishNow(events: EventEnvelope[]): Promise<void> {
    const producer = required(this.deps.producer, 'KAFKA_BROKERS');
    if (events.length === 0) return Promise.resolve();
    return publishEvents(producer, events, this.config.KAFKA_TOPIC_PREFIX ?? '');
  }

  /** Whether the store's conditional updates are atomic, asked of the server once. */
  storeWrites(): Promise<StoreWrites> {
    this.writes ??= detectStoreWrites(this.mongo, this.config.STORE_WRITES).then((writes) => {
      this.logger.info({ writes }, 'aggregate writes');
      return writes;
    });
    return this.writes;
  }

  /**
   * Starts the outbox relay over these aggregates and answers the writer that changes them: the
   * relay and every writer take the same lock keys because both come from the definitions.
   */
  async aggregates(
    definitions: AggregateDefinition[],
  ): Promise<{ writer: AggregateWriter; publishSoon: PublishSoon }> {
    const publishSoon = this.outbox(definitions.filter((d) => d.outbox).map((d) => d.relaySource));
    const writes = await this.storeWrites();
    return { writer: aggregateWriter({ locks: this.locks, writes, publishSoon }), publishSoon };
  }

  /** Creates the topic families written by this service (with their dead-letter topics). */
  async topics(families: TopicFamily[]): Promise<void> {
    const names = families.map((f) => topicName(f, this.config.KAFKA_TOPIC_PREFIX));
    await ensureTopics(required(this.deps.kafka, 'KAFKA_BROKERS'), [
      ...names,
      ...names.map(deadLetterTopic),
    ]);
  }

  /**
   * Joins a consumer group over topic families; redeliveries are recognised by event id. The
   * group id carries the topic prefix too: deployments that share one Kafka under different
   * prefixes (every test platform does) must not share groups, or Kafka hands one deployment's
   * partitions to the other's consumers.
   *
   * `batched`: nobody waits on this group's effects (copies kept for display, notifications,
   * bookkeeping), so after a small batch its next fetch waits CONSUMER_BATCH_WINDOW_MS and brings
   * the window's events at once (consumer-batch.ts). A group whose effect a client waits for
   * (settling a payment) leaves it out and fetches again at once.
   */
  async consume(
    groupId: string,
    families: TopicFamily[],
    handlers: EventHandlers,
    opts: { batched?: boolean } = {},
  ): Promise<void> {
    await this.topics(families);
    const consumer = await startConsumer({
      kafka: required(this.deps.kafka, 'KAFKA_BROKERS'),
      groupId: `${this.config.KAFKA_TOPIC_PREFIX ?? ''}${groupId}`,
      topics: families.map((f) => topicName(f, this.config.KAFKA_TOPIC_PREFIX)),
      handlers,
      processed: mongoProcessedEvents(this.mongo),
      producer: required(this.deps.producer, 'KAFKA_BROKERS'),
      logger: this.logger,
      partitionsConsumedConcurrently: this.config.CONSUMER_CONCURRENCY,
      keysAtOnce: this.config.CONSUMER_CONCURRENCY,
      ...(opts.batched && { batchWindowMs: this.config.CONSUMER_BATCH_WINDOW_MS ?? 100 }),
    });
    this.stops.unshift(() => consumer.disconnect());
    this.pruneProcessedEvents();
  }

  /**
   * Seed 003's tenant deletion for a service whose every collection is the tenant's data:
   * TenantDeleted deletes the tenant's documents from all of them (idempotent: a replay deletes none).
   */
  tenantDeletedHandlers(): EventHandlers {
    return {
      TenantDeleted: async (event) => {
        await deleteTenantDocuments(this.mongo, event.data.tenant_id);
      },
    };
  }

  /** Once per process that consumes: its database's markers older than the retention go. */
  private pruneProcessedEvents(): void {
    if (this.pruning) return;
    this.pruning = true;
    const retention = this.config.PROCESSED_EVENTS_RETENTION_MS ?? 7 * 24 * 60 * 60 * 1000;
    this.stops.push(
      startPruner(
        'processed_events',
        () => pruneProcessedEvents(this.mongo, retention),
        this.config.PROCESSED_EVENTS_PRUNE_MS ?? 60 * 60 * 1000,
        this.logger,
      ),
    );
  }
}

/** METRICS_PORT, else PORT + 1000 (4001 -> 5001, 8080 -> 9080), else a free port. */
export function metricsPortOf(config: { PORT: number; METRICS_PORT?: number }): number {
  if (config.METRICS_PORT !== undefined) return config.METRICS_PORT;
  return config.PORT > 0 && config.PORT + 1000 <= 65535 ? config.PORT + 1000 : 0;
}

function required<T>(value: T | undefined, variable: string): T {
  if (value === undefined) throw new Error(`this service needs ${variable} to be configured`);
  return value;
}

/**
 * The one way every process starts: parse-once config in, connections made, `wire` builds the
 * app and workers, indexes synced, HTTP served if there is an app, and on SIGTERM everything is
 * stopped in order: HTTP first, then consumers and relays, then connections.
 */
export function bootService(
  name: string,
  config: ServiceConfig,
  wire: (ctx: ServiceContext) => Promise<Express | void>,
): void {
  const logger = createLogger(name, config.LOG_LEVEL);
  runProcess(name, logger, async () => {
    const deps = await connectDependencies(name, config, logger);
    const ctx = new ServiceContext(name, logger, config, deps);
    const closers: Closer[] = [];
    try {
      const app = await wire(ctx);
      if (deps.mongo) await syncIndexes(deps.mongo);
      if (app) {
        const server = await listen(app, config.PORT, config.HOST);
        logger.info({ port: config.PORT }, `${name} listening`);
        closers.push(closeServer(server));
      }
      processRegistry.setDefaultLabels({ service: name });
      const registry = (app && appMetricsRegistry(app)) || createProcessMetrics(name);
      const metricsServer = await serveMetrics(
        [registry, processRegistry],
        metricsPortOf(config),
        config.HOST,
        app ? undefined : { name, readiness: cachedReadiness(ctx.readiness) },
      );
      const address = metricsServer.address();
      logger.info({ port: typeof address === 'object' ? address?.port : address }, 'metrics port');
      closers.push(closeServer(metricsServer));
      const checkMs = config.IDLE_HEAP_CHECK_MS ?? DEFAULT_IDLE_HEAP_CHECK_MS;
      if (checkMs > 0) {
        const stopReducer = startIdleHeapReducer(
          { checkMs, restMs: config.IDLE_HEAP_REST_MS },
          logger,
        );
        closers.push(async () => stopReducer());
      }
    } catch (err) {
      for (const stop of [...ctx.stops, ...deps.closers]) await stop().catch(() => undefined);
      throw err;
    }
    return [...closers, ...ctx.stops, ...deps.closers];
  });
}
