import { Kafka, KafkaJSNonRetriableError, logLevel, type Consumer, type Producer } from 'kafkajs';
import { buildEvent, topicName } from '@ledgerline/contracts';
import { createLogger } from '../logger';
import { createProducer, ensureTopics } from './kafka';
import { startConsumer, type ProcessedEvents } from './consumer';

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(',');

jest.setTimeout(60_000);

let kafka: Kafka;
let producer: Producer;
let consumer: Consumer | undefined;
const others: Consumer[] = [];

/** The consumer's own memory of handled events (the Mongo one is tested in consumer.int.test.ts). */
function inMemoryProcessed(): ProcessedEvents {
  const seen = new Set<string>();
  return {
    seen: async (group, ids) => new Set(ids.filter((id) => seen.has(`${group}:${id}`))),
    addAll: async (group, ids) => {
      for (const id of ids) seen.add(`${group}:${id}`);
    },
  };
}

function payment(id: string) {
  return buildEvent('PaymentRecorded', {
    tenant_id: 'ten_restart',
    data: {
      payment_id: id,
      invoice_id: 'inv_restart',
      customer_id: null,
      amount_minor: 100,
      currency: 'USD',
      payment_method: 'cash',
      payment_date: '2025-01-20',
    },
  });
}

beforeAll(async () => {
  kafka = new Kafka({ clientId: 'restart-test', brokers: BROKERS, logLevel: logLevel.NOTHING });
  producer = createProducer(kafka);
  await producer.connect();
});

afterAll(async () => {
  for (const c of others) await c.disconnect();
  await consumer?.disconnect();
  await producer?.disconnect();
});

test('when kafkajs crashes a consumer with an error it will not restart from, then the consumer is run again and the message is handled', async () => {
  const prefix = `restart${Date.now().toString(36)}.`;
  const topic = topicName('payments', prefix);
  await ensureTopics(kafka, [topic]);
  const calls: string[] = [];
  consumer = await startConsumer({
    kafka,
    groupId: `${prefix}group`,
    topics: [topic],
    processed: inMemoryProcessed(),
    producer,
    logger: createLogger('restart-test', 'silent'),
    handlers: {
      PaymentRecorded: async (event) => {
        calls.push(event.data.payment_id);
        // what kafkajs raised after a Kafka restart ("Failed to find group coordinator")
        if (calls.length === 1) throw new KafkaJSNonRetriableError('simulated fatal crash');
      },
    },
  });
  const event = payment('pay_restart');
  await producer.send({
    topic,
    messages: [{ key: 'inv_restart', value: JSON.stringify(event) }],
  });
  const deadline = Date.now() + 40_000;
  while (calls.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(calls).toEqual(['pay_restart', 'pay_restart']);
});

test('when a second member joins while the first is in the middle of a batch, then no event the first finished is handled again', async () => {
  const prefix = `rebalance${Date.now().toString(36)}.`;
  const topic = topicName('payments', prefix);
  await ensureTopics(kafka, [topic], 1);
  const ids = ['pay_r1', 'pay_r2', 'pay_r3', 'pay_r4', 'pay_r5'];
  // one key: the batch's events run one after another in one member
  await producer.send({
    topic,
    messages: ids.map((id) => ({ key: 'inv_rebalance', value: JSON.stringify(payment(id)) })),
  });
  const handled: string[] = [];
  const processed = inMemoryProcessed(); // the markers both members share, as in Mongo
  const member = () =>
    startConsumer({
      kafka,
      groupId: `${prefix}group`,
      topics: [topic],
      processed,
      producer,
      logger: createLogger('rebalance-test', 'silent'),
      handlers: {
        PaymentRecorded: async (event) => {
          await new Promise((r) => setTimeout(r, 1500)); // long enough for heartbeats to fall due
          handled.push(event.data.payment_id);
        },
      },
    });
  others.push(await member());
  const deadline = Date.now() + 50_000;
  while (handled.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  others.push(await member()); // the group rebalances while the first member's batch runs
  while (!ids.every((id) => handled.includes(id)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 2000)); // a second delivery would have been handled by now
  expect([...handled].sort()).toEqual(ids);
});
