import { Kafka, logLevel, Partitioners, type Producer, type ITopicConfig } from 'kafkajs';
import { eventKey, topicOf, type EventEnvelope } from '@ledgerline/contracts';
import type { Logger } from '../logger';
import { applyKafkajsIdleFix } from './kafkajs-idle-fix';

applyKafkajsIdleFix();

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(opts: { clientId: string; brokers: string[]; logger: Logger }): Kafka {
  const log = opts.logger.child({ component: 'kafka' });
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...extra } = entry;
        log[LEVELS[level] ?? 'info'](extra, message);
      },
  });
}

export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    // the broker drops duplicate retries of one send, so a retried batch is written once
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
  });
}

/** Publishes envelopes on their catalogue topic, keyed by aggregate, waiting for all replicas. */
export async function publishEvents(
  producer: Producer,
  events: EventEnvelope[],
  topicPrefix: string,
): Promise<void> {
  const byTopic = new Map<
    string,
    { key: string; value: string; headers: Record<string, string> }[]
  >();
  for (const event of events) {
    const topic = topicOf(event.type, topicPrefix);
    const messages = byTopic.get(topic) ?? [];
    messages.push({
      key: eventKey(event),
      value: JSON.stringify(event),
      headers: { 'event-type': event.type, 'correlation-id': event.correlation_id },
    });
    byTopic.set(topic, messages);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
  });
}

/**
 * Creates topics that do not exist yet; safe to call from every process at once (several
 * processes starting together race to create the same topic, which is retried, not fatal).
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: string[],
  numPartitions = 4,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing: ITopicConfig[] = topics
          .filter((t) => !existing.has(t))
          .map((topic) => ({ topic, numPartitions, replicationFactor: 1 }));
        if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
        return;
      } catch (err) {
        const e = err as { retriable?: boolean; type?: string; errors?: { type?: string }[] };
        const raced =
          e.type === 'TOPIC_ALREADY_EXISTS' ||
          e.errors?.some((x) => x.type === 'TOPIC_ALREADY_EXISTS');
        if (attempt >= 10 || !(raced || e.retriable)) throw err;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

export async function pingKafka(kafka: Kafka): Promise<void> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  await admin.connect();
  try {
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}
