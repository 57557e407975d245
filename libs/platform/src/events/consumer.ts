import type { Consumer, Kafka, Producer } from 'kafkajs';
import { Schema, type Connection, type Model } from 'mongoose';
import type { EventEnvelope, EventType } from '@ledgerline/contracts';
import type { Logger } from '../logger';
import { allDuplicates } from '../mongo';
import { pruneInBatches } from '../pruning';
import { setTimeout as sleep } from 'node:timers/promises';
import { batchHandler } from './consumer-batch';
import { timedOffsetCommits } from './offset-commits';

export { inBatches, inRuns, ownMarker } from './handler-kinds';

export type EventHandler<T extends EventType = EventType> = (
  event: EventEnvelope<T>,
) => Promise<void>;
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/**
 * Remembers which events a consumer group has fully handled, so a redelivery is recognised and
 * skipped. Handlers are written to be idempotent on their own as well: the markers are written
 * after the handlers, so a crash in between replays the events into idempotent handlers. Both
 * calls take a whole batch: one lookup per event by `_id` (the only filter FerretDB's SQLite
 * backend answers from an index), all at once, and one insert for the batch.
 */
export interface ProcessedEvents {
  /** Which of `eventIds` the group has handled already. */
  seen(consumer: string, eventIds: readonly string[]): Promise<Set<string>>;
  addAll(consumer: string, eventIds: readonly string[]): Promise<void>;
}

interface ProcessedEventDoc {
  _id: string;
  consumer: string;
  event_id: string;
  processed_at: Date;
}

export function processedEventModel(connection: Connection): Model<ProcessedEventDoc> {
  return (
    (connection.models.ProcessedEvent as Model<ProcessedEventDoc> | undefined) ??
    connection.model<ProcessedEventDoc>(
      'ProcessedEvent',
      new Schema<ProcessedEventDoc>(
        { _id: String, consumer: String, event_id: String, processed_at: Date },
        { collection: 'processed_events', versionKey: false },
      ),
    )
  );
}

export function mongoProcessedEvents(connection: Connection): ProcessedEvents {
  const model = processedEventModel(connection);
  return {
    async seen(consumer, eventIds) {
      const found = await Promise.all(
        eventIds.map(async (id) =>
          (await model.exists({ _id: `${consumer}:${id}` })) === null ? null : id,
        ),
      );
      return new Set(found.filter((id) => id !== null));
    },
    async addAll(consumer, eventIds) {
      if (eventIds.length === 0) return;
      const now = new Date();
      try {
        await model.insertMany(
          eventIds.map((id) => ({
            _id: `${consumer}:${id}`,
            consumer,
            event_id: id,
            processed_at: now,
          })),
          { ordered: false },
        );
      } catch (err) {
        // a marker already there (a replay raced another member) is what was wanted
        if (!allDuplicates(err)) throw err;
      }
    },
  };
}

/** Deletes a database's processed-event markers older than `retentionMs`, in bounded batches. */
export function pruneProcessedEvents(
  connection: Connection,
  retentionMs: number,
  now = new Date(),
): Promise<number> {
  return pruneInBatches(processedEventModel(connection), {
    processed_at: { $lt: new Date(now.getTime() - retentionMs) },
  });
}

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  handlers: EventHandlers;
  processed: ProcessedEvents;
  /** Used to publish poison messages to `<topic>.dlq`. */
  producer: Producer;
  logger: Logger;
  maxAttempts?: number;
  retryDelayMs?: number;
  maxWaitTimeInMs?: number;
  /**
   * For a consumer nobody waits on: after a small batch the next fetch waits this long (ms), so
   * under load one fetch brings a window's events instead of one (consumer-batch.ts).
   */
  batchWindowMs?: number;
  /** Partitions handled at once (each still in order); 4 by default, the topics' partitions. */
  partitionsConsumedConcurrently?: number;
  /** Aggregates (keys) of one partition's batch handled at once, each in order; 4 by default. */
  keysAtOnce?: number;
  /** How often handled offsets are committed (1 s; see offset-commits.ts). */
  commitIntervalMs?: number;
}

/**
 * Runs a consumer group over catalogue events, a fetched batch at a time (consumer-batch.ts). A
 * message that cannot be parsed, or whose handler keeps failing for a reason other than a
 * dependency outage, goes to the dead-letter topic after bounded retries so it never blocks its
 * partition. Outages are retried without limit instead: no offset past the unapplied message is
 * committed and kafkajs redelivers from it.
 */
export async function startConsumer(opts: ConsumerOptions): Promise<Consumer> {
  const log = opts.logger.child({ component: 'consumer', group: opts.groupId });
  const consumer = opts.kafka.consumer({
    groupId: opts.groupId,
    maxWaitTimeInMs: opts.maxWaitTimeInMs ?? 500,
    sessionTimeout: 30_000,
    heartbeatInterval: 3000,
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5000 },
  });
  const commits = timedOffsetCommits(consumer, opts.commitIntervalMs ?? 1000, log);
  const handleBatch = batchHandler(opts, log, commits);

  await consumer.connect();
  // a topic another process created a moment ago may not have its leader known yet: retry that
  for (let attempt = 1; ; attempt++) {
    try {
      await consumer.subscribe({ topics: opts.topics, fromBeginning: true });
      break;
    } catch (err) {
      if (attempt >= 10 || !(err as { retriable?: boolean }).retriable) throw err;
      await sleep(200 * attempt);
    }
  }
  const run = () =>
    consumer.run({
      eachBatchAutoResolve: false,
      // committed on a timer (offset-commits.ts), not after every batch
      autoCommit: false,
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 4,
      eachBatch: handleBatch,
    });
  await run();
  restartAfterFatalCrash(consumer, run, log);
  const disconnect = consumer.disconnect.bind(consumer);
  consumer.disconnect = async () => {
    await commits.stop();
    await disconnect();
  };
  return consumer;
}

/**
 * kafkajs restarts a consumer after a crash only when the error is retriable; otherwise it
 * disconnects and the group is left without this member for good while the process runs on. The
 * chaos suite (docs/faults.md) saw exactly that after a Kafka restart ("Failed to find group
 * coordinator", a non-retriable error): its group's lag never went down again. Such a consumer is
 * connected and run again here, with backoff, until it is stopped on purpose.
 */
function restartAfterFatalCrash(
  consumer: Consumer,
  run: () => Promise<void>,
  log: Logger,
  baseDelayMs = 1000,
): void {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  const disconnect = consumer.disconnect.bind(consumer);
  consumer.disconnect = async () => {
    stopping = true;
    clearTimeout(timer);
    await disconnect();
  };
  const restart = async (attempt: number): Promise<void> => {
    if (stopping) return;
    try {
      await consumer.connect();
      await run();
      log.warn({ attempt }, 'consumer restarted after a crash kafkajs does not recover from');
    } catch (err) {
      log.warn({ err, attempt }, 'consumer restart failed; retrying');
      timer = setTimeout(
        () => void restart(attempt + 1),
        Math.min(30_000, baseDelayMs * 2 ** attempt),
      );
    }
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart || stopping) return;
    log.error(
      { err: payload.error },
      'consumer crashed and kafkajs will not restart it; restarting',
    );
    timer = setTimeout(() => void restart(0), baseDelayMs);
  });
}
