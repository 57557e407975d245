import type { Connection } from 'mongoose';
import {
  aggregateWriter,
  type AggregateLocks,
  type Logger,
  type StoreWrites,
} from '@ledgerline/platform';
import { deliveryStore } from '../store/deliveries';
import { endpointStore } from '../store/endpoints';
import { queueStore } from '../store/queue';
import { attemptDelivery, type AttemptDeps } from './attempt';
import { dispatcher } from './dispatcher';
import { enqueuer as createEnqueuer } from './enqueue';

export interface PipelineConfig extends Readonly<AttemptDeps['config']> {
  WEBHOOK_ENDPOINT_CONCURRENCY: number;
  WEBHOOK_CONCURRENCY: number;
  WEBHOOK_POLL_MS: number;
}

/**
 * The stores, the enqueuer (public events in) and the dispatcher (signed attempts out) of one
 * database: what the service runs, and what the integration test and the benchmark drive
 * without the bus.
 */
export function deliveryPipeline(opts: {
  connection: Connection;
  locks: AggregateLocks;
  writes: StoreWrites;
  logger: Logger;
  config: PipelineConfig;
}) {
  const endpoints = endpointStore(opts.connection);
  const deliveries = deliveryStore(opts.connection);
  const queue = queueStore(opts.connection);
  // nothing here is published on the bus: the aggregates carry no outbox (so no relay)
  const aggregates = aggregateWriter({
    locks: opts.locks,
    writes: opts.writes,
    publishSoon: () => undefined,
  });
  const sender = dispatcher({
    queue,
    locks: opts.locks,
    logger: opts.logger,
    perEndpoint: opts.config.WEBHOOK_ENDPOINT_CONCURRENCY,
    global: opts.config.WEBHOOK_CONCURRENCY,
    pollMs: opts.config.WEBHOOK_POLL_MS,
    attempt: (entry) => attemptDelivery(attemptDeps, entry),
  });
  const enqueuer = createEnqueuer({
    endpoints,
    deliveries,
    queue,
    offer: (entries) => sender.offer(entries),
  });
  const attemptDeps: AttemptDeps = {
    endpoints,
    deliveries,
    queue,
    aggregates,
    enqueuer,
    logger: opts.logger,
    config: opts.config,
  };
  return {
    endpoints,
    deliveries,
    queue,
    aggregates,
    enqueuer,
    dispatcher: sender,
    /** Stops sending, waiting for the attempts in flight. */
    stop: () => sender.stop(),
  };
}

export type DeliveryPipeline = ReturnType<typeof deliveryPipeline>;
