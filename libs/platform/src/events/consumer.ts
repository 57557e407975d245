import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  deadLetterTopic,
  parseEvent,
  type EventEnvelope,
  type EventType,
} from '@ledgerline/contracts';
import type { Logger } from '../logger';
import { isUnavailableError } from '../dependency-errors';
import { isDuplicateKeyError } from '../mongo';

export type EventHandler<T extends EventType = EventType> = (
  event: EventEnvelope<T>,
) => Promise<void>;
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/**
 * Remembers which events a consumer group has fully handled, so a redelivery is recognised and
 * skipped. Handlers are written to be idempotent on their own as well: the marker is written
 * after the handler, so a crash in between replays the event into an idempotent handler.
 */
export interface ProcessedEvents {
  has(consumer: string, eventId: string): Promise<boolean>;
  add(consumer: string, eventId: string): Promise<void>;
}

interface ProcessedEventDoc {
  _id: string;
  consumer: string;
  event_id: string;
  processed_at: Date;
}

export function mongoProcessedEvents(connection: Connection): ProcessedEvents {
  const model: Model<ProcessedEventDoc> =
    (connection.models.ProcessedEvent as Model<ProcessedEventDoc> | undefined) ??
    connection.model<ProcessedEventDoc>(
      'ProcessedEvent',
      new Schema<ProcessedEventDoc>(
        { _id: String, consumer: String, event_id: String, processed_at: Date },
        { collection: 'processed_events', versionKey: false },
      ),
    );
  return {
    async has(consumer, eventId) {
      return (await model.exists({ _id: `${consumer}:${eventId}` })) !== null;
    },
    async add(consumer, eventId) {
      try {
        await model.create({
          _id: `${consumer}:${eventId}`,
          consumer,
          event_id: eventId,
          processed_at: new Date(),
        });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    },
  };
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
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a consumer group over catalogue events. A message that cannot be parsed, or whose handler
 * keeps failing for a reason other than a dependency outage, goes to the dead-letter topic after
 * bounded retries so it never blocks its partition. Outages are retried without limit instead:
 * the message is not committed and kafkajs redelivers it.
 */
export async function startConsumer(opts: ConsumerOptions): Promise<Consumer> {
  const log = opts.logger.child({ component: 'consumer', group: opts.groupId });
  const maxAttempts = opts.maxAttempts ?? 5;
  const consumer = opts.kafka.consumer({
    groupId: opts.groupId,
    maxWaitTimeInMs: opts.maxWaitTimeInMs ?? 100,
    sessionTimeout: 30_000,
    heartbeatInterval: 3000,
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5000 },
  });

  async function deadLetter(topic: string, message: KafkaMessage, reason: string): Promise<void> {
    await opts.producer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-reason': reason.slice(0, 500),
            'dlq-source-topic': topic,
            'dlq-offset': message.offset,
            'dlq-group': opts.groupId,
          },
        },
      ],
    });
    log.error({ topic, offset: message.offset, reason }, 'message sent to dead-letter topic');
  }

  async function handle(topic: string, message: KafkaMessage): Promise<void> {
    let event: EventEnvelope;
    try {
      event = parseEvent(JSON.parse(message.value?.toString('utf8') ?? ''));
    } catch (err) {
      await deadLetter(topic, message, `unparseable event: ${(err as Error).message}`);
      return;
    }
    const handler = opts.handlers[event.type] as EventHandler | undefined;
    if (!handler) return;
    if (await opts.processed.has(opts.groupId, event.id)) {
      log.debug({ eventId: event.id, type: event.type }, 'duplicate event skipped');
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(event);
        await opts.processed.add(opts.groupId, event.id);
        return;
      } catch (err) {
        if (isUnavailableError(err)) throw err; // not the message's fault: redeliver later
        if (attempt >= maxAttempts) {
          await deadLetter(topic, message, (err as Error).message ?? 'handler failed');
          return;
        }
        log.warn({ err, eventId: event.id, attempt }, 'event handler failed; retrying');
        await sleep((opts.retryDelayMs ?? 100) * 2 ** (attempt - 1));
      }
    }
  }

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
    consumer.run({ eachMessage: async ({ topic, message }) => handle(topic, message) });
  await run();
  restartAfterFatalCrash(consumer, run, log);
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
