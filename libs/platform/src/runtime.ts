import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { Kafka, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Logger } from './logger';
import type { Closer } from './lifecycle';
import { connectMongo, pingMongo } from './mongo';
import { connectRedis, pingRedis } from './redis';
import { createKafka, createProducer, pingKafka } from './events/kafka';
import type { ReadinessCheck } from './http/app';

export interface DependencyConfig {
  MONGO_URL?: string;
  MONGO_DB?: string;
  STORE_COMMAND_METRICS?: boolean;
  KAFKA_BROKERS?: string[];
  KAFKA_CLIENT_ID?: string;
  REDIS_URL?: string;
}

export interface Dependencies {
  mongo?: Connection;
  kafka?: Kafka;
  producer?: Producer;
  redis?: Redis;
  readiness: ReadinessCheck[];
  /** Closers in the order they must run at shutdown. */
  closers: Closer[];
}

/** Connects whatever the service's config names, and builds its readiness checks from the same. */
export async function connectDependencies(
  service: string,
  cfg: DependencyConfig,
  logger: Logger,
): Promise<Dependencies> {
  const deps: Dependencies = { readiness: [], closers: [] };
  if (cfg.MONGO_URL && cfg.MONGO_DB) {
    const mongo = await connectMongo(cfg.MONGO_URL, cfg.MONGO_DB, logger, {
      countCommands: cfg.STORE_COMMAND_METRICS,
    });
    deps.mongo = mongo;
    deps.readiness.push({ name: 'mongo', check: () => pingMongo(mongo) });
    deps.closers.push(() => mongo.close());
  }
  if (cfg.KAFKA_BROKERS) {
    const kafka = createKafka({
      clientId: cfg.KAFKA_CLIENT_ID ?? service,
      brokers: cfg.KAFKA_BROKERS,
      logger,
    });
    const producer = createProducer(kafka);
    await producer.connect();
    deps.kafka = kafka;
    deps.producer = producer;
    deps.readiness.push({ name: 'kafka', check: () => pingKafka(kafka) });
    deps.closers.push(() => producer.disconnect());
  }
  if (cfg.REDIS_URL) {
    const redis = await connectRedis(cfg.REDIS_URL);
    redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
    deps.redis = redis;
    deps.readiness.push({ name: 'redis', check: () => pingRedis(redis) });
    deps.closers.push(async () => redis.quit().catch(() => redis.disconnect()));
  }
  return deps;
}

/**
 * Serves `app` on `port`; rejects when the port cannot be bound (EADDRINUSE), so the process
 * fails to start instead of running without its port. Not `app.listen`: express 5 also calls its
 * callback with a listen error, which read as "listening" and left a process serving nothing
 * while another one answered on its port (found when two test platforms were given one port).
 */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
