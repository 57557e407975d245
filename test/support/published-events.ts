import { Kafka, logLevel } from 'kafkajs';
import { parseEvent, topicName, type EventEnvelope, type TopicFamily } from '@ledgerline/contracts';
import { eventually, KAFKA_BROKERS, uniqueId } from './infra';

type Loose = EventEnvelope & { data: Record<string, unknown> };

/**
 * Every event a test platform's services publish on `families`' topics, read from the beginning
 * by a consumer group of the test's own: tests take the real envelopes the services produced.
 */
export async function publishedEvents(topicPrefix: string, families: TopicFamily[]) {
  const seen: EventEnvelope[] = [];
  const kafka = new Kafka({
    clientId: 'e2e-events',
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: uniqueId('e2e-events'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({
    topics: families.map((f) => topicName(f, topicPrefix)),
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push(parseEvent(JSON.parse(message.value?.toString() ?? '{}')));
    },
  });
  return {
    /** The one event of `tenantId` that `match` picks, once published (fails on two). */
    async one(tenantId: string, match: (e: Loose) => boolean): Promise<EventEnvelope> {
      const found = await eventually(
        async () => seen.filter((e) => e.tenant_id === tenantId && match(e as Loose)),
        (list) => list.length > 0,
      );
      expect(found).toHaveLength(1);
      return found[0]!;
    },
    stop: () => consumer.disconnect(),
  };
}

/** A match on the event's type and, optionally, its data. */
export const typed =
  (type: string, pick: (d: Record<string, unknown>) => boolean = () => true) =>
  (e: Loose) =>
    e.type === type && pick(e.data);
