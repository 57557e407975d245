import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { buildEvent, deadLetterTopic, type EventEnvelope } from '@ledgerline/contracts';
import { createLogger } from '../logger';
import { connectMongo } from '../mongo';
import { createProducer, ensureTopics } from './kafka';
import {
  inBatches,
  inRuns,
  mongoProcessedEvents,
  ownMarker,
  processedEventModel,
  startConsumer,
  type EventHandlers,
} from './consumer';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(',');
const logger = createLogger('consumer-test', 'silent');

jest.setTimeout(60_000);

let kafka: Kafka;
let producer: Producer;
let mongo: Connection;
const consumers: Consumer[] = [];

function payment(id: string, amount = 100): EventEnvelope<'PaymentRecorded'> {
  return buildEvent('PaymentRecorded', {
    tenant_id: 'ten_test',
    data: {
      payment_id: id,
      invoice_id: 'inv_1',
      customer_id: null,
      amount_minor: amount,
      currency: 'USD',
      payment_method: 'cash',
      payment_date: '2025-01-20',
    },
  });
}

async function readAll(
  topic: string,
  count: number,
): Promise<{ value: string; headers: Record<string, string> }[]> {
  const reader = kafka.consumer({ groupId: `reader-${topic}`, maxWaitTimeInMs: 100 });
  consumers.push(reader);
  await reader.connect();
  await reader.subscribe({ topic, fromBeginning: true });
  const seen: { value: string; headers: Record<string, string> }[] = [];
  await new Promise<void>((resolve) => {
    void reader.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
        );
        seen.push({ value: message.value?.toString() ?? '', headers });
        if (seen.length >= count) resolve();
      },
    });
  });
  return seen;
}

beforeAll(async () => {
  kafka = new Kafka({ clientId: 'consumer-test', brokers: BROKERS, logLevel: logLevel.NOTHING });
  producer = createProducer(kafka);
  await producer.connect();
  mongo = await connectMongo(MONGO_URL, `t_consumer_${Date.now().toString(36)}`);
});

afterAll(async () => {
  for (const c of consumers) await c.disconnect();
  await producer.disconnect();
  await mongo.dropDatabase();
  await mongo.close();
});

/** What every consumer in these tests shares: its own group on its own topic. */
function consumerOn(topic: string) {
  return {
    kafka,
    groupId: `g-${topic}`,
    topics: [topic],
    producer,
    logger,
    processed: mongoProcessedEvents(mongo),
  };
}

/** Starts a consumer of the topic with these handlers; afterAll stops it. */
async function consume(
  topic: string,
  handlers: EventHandlers,
  options: Partial<Parameters<typeof startConsumer>[0]> = {},
): Promise<void> {
  consumers.push(await startConsumer({ ...consumerOn(topic), ...options, handlers }));
}

/** Sends the events in this order, one message each (on one partition: one batch). */
async function send(topic: string, events: EventEnvelope[], key?: string): Promise<void> {
  await producer.send({ topic, messages: events.map((e) => ({ key, value: JSON.stringify(e) })) });
}

async function topicPair(label: string): Promise<string> {
  const topic = `t.${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await ensureTopics(kafka, [topic, deadLetterTopic(topic)], 1);
  return topic;
}

/** The group's committed offset of the topic's one partition ('-1' before any commit). */
async function committedOffsets(groupId: string, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  const committed = async () =>
    (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions[0]!.offset;
  return { committed, admin };
}

describe('idempotent consumer with dead letters', () => {
  test('when a poison message and a failing event arrive, then both go to the DLQ and the partition keeps flowing', async () => {
    const topic = await topicPair('poison');
    const handled: string[] = [];
    const attempts = new Map<string, number>();
    const bad = payment('pay_bad');
    const good = payment('pay_good');
    await producer.send({
      topic,
      messages: [
        { value: 'not json at all' },
        { value: JSON.stringify(bad) },
        { value: JSON.stringify(good) },
      ],
    });
    await consume(
      topic,
      {
        PaymentRecorded: async (event) => {
          attempts.set(event.data.payment_id, (attempts.get(event.data.payment_id) ?? 0) + 1);
          if (event.data.payment_id === 'pay_bad') throw new Error('invoice does not exist');
          handled.push(event.data.payment_id);
        },
      },
      { maxAttempts: 3, retryDelayMs: 10 },
    );
    const dead = await readAll(deadLetterTopic(topic), 2);
    expect(dead.map((d) => d.value)).toEqual(['not json at all', JSON.stringify(bad)]);
    expect(dead[0]?.headers['dlq-reason']).toMatch(/^unparseable event/);
    expect(dead[1]?.headers['dlq-reason']).toBe('invoice does not exist');
    await waitFor(() => handled.length === 1);
    expect(handled).toEqual(['pay_good']);
    expect(attempts.get('pay_bad')).toBe(3);
  });

  test('when the same event is delivered again, then its handler does not run twice', async () => {
    const topic = await topicPair('dupe');
    const event = payment('pay_once');
    const marker = payment('pay_marker');
    await send(topic, [event, event, event, marker]);
    const handled: string[] = [];
    await consume(topic, {
      PaymentRecorded: async (e) => {
        handled.push(e.data.payment_id);
      },
    });
    await waitFor(() => handled.includes('pay_marker'));
    expect(handled).toEqual(['pay_once', 'pay_marker']);
  });

  test('when a dependency is down, then the event is retried until it succeeds and never dead-lettered', async () => {
    const topic = await topicPair('outage');
    let calls = 0;
    const handled: string[] = [];
    await send(topic, [payment('pay_retry')]);
    await consume(
      topic,
      {
        PaymentRecorded: async (e) => {
          calls += 1;
          if (calls <= 4)
            throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' });
          handled.push(e.data.payment_id);
        },
      },
      { maxAttempts: 2 },
    );
    await waitFor(() => handled.length === 1, 30_000);
    expect(handled).toEqual(['pay_retry']);
    expect(calls).toBe(5);
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(deadLetterTopic(topic));
    await admin.disconnect();
    expect(offsets.map((o) => o.high)).toEqual(['0']);
  });
});

describe('a batch at a time', () => {
  test('when an event in the middle of a batch meets an outage, then no offset past it is committed and every event is handled once, its key in order', async () => {
    const topic = await topicPair('batch');
    const groupId = `g-${topic}`;
    const [a, b, c, d] = ['pay_a', 'pay_b', 'pay_c', 'pay_d'].map((id) => payment(id));
    // one send, one partition: one batch; b and c share a key (an aggregate), a and d have their own
    await producer.send({
      topic,
      messages: [
        { key: 'inv_a', value: JSON.stringify(a) },
        { key: 'inv_bc', value: JSON.stringify(b) },
        { key: 'inv_bc', value: JSON.stringify(c) },
        { key: 'inv_d', value: JSON.stringify(d) },
      ],
    });
    let down = true;
    const handled: string[] = [];
    await consume(topic, {
      PaymentRecorded: async (e) => {
        if (e.data.payment_id === 'pay_b' && down)
          throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' });
        handled.push(e.data.payment_id);
      },
    });
    const { committed, admin } = await committedOffsets(groupId, topic);
    try {
      await waitFor(() => handled.includes('pay_a') && handled.includes('pay_d'));
      // b (offset 1) is not applied: the group may have committed a, never b, c or d
      for (let i = 0; i < 5; i++) {
        expect(['-1', '0', '1']).toContain(await committed());
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(handled).not.toContain('pay_c');
      down = false;
      await waitFor(() => handled.includes('pay_c'), 30_000);
      await waitForAsync(async () => (await committed()) === '4');
    } finally {
      await admin.disconnect();
    }
    // d was handled before the outage ended and redelivered after it: its marker skipped it
    expect([...handled].sort()).toEqual(['pay_a', 'pay_b', 'pay_c', 'pay_d']);
    expect(handled.indexOf('pay_b')).toBeLessThan(handled.indexOf('pay_c'));
  });
});

describe('offsets committed on a timer', () => {
  test('when events are handled, then their offsets wait for the interval, and stopping commits them', async () => {
    const topic = await topicPair('commits');
    const groupId = `g-${topic}`;
    const handled: string[] = [];
    const consumer = await startConsumer({
      ...consumerOn(topic),
      commitIntervalMs: 60_000,
      handlers: {
        PaymentRecorded: async (e) => {
          handled.push(e.data.payment_id);
        },
      },
    });
    const { committed, admin } = await committedOffsets(groupId, topic);
    try {
      // three sends, three batches: kafkajs's autoCommit would have committed after each
      for (const id of ['pay_1', 'pay_2', 'pay_3']) {
        await send(topic, [payment(id)]);
        await waitFor(() => handled.includes(id));
      }
      expect(await committed()).toBe('-1');
      await consumer.disconnect();
      expect(await committed()).toBe('3');
    } finally {
      await admin.disconnect();
    }
  });
});

describe('handlers that keep their own marker', () => {
  test('when a handler keeps its own marker, then the consumer writes no marker for its events and a duplicate in the batch is still handled once', async () => {
    const topic = await topicPair('own');
    const event = payment('pay_own');
    const marker = payment('pay_own_marker');
    await send(topic, [event, event, marker], 'inv_1');
    const applied = new Set<string>();
    const calls: string[] = [];
    await consume(topic, {
      PaymentRecorded: ownMarker(async (e) => {
        calls.push(e.id);
        applied.add(e.data.payment_id); // the aggregate's own marker: a replay adds nothing
      }),
    });
    await waitFor(() => applied.has('pay_own_marker'));
    // the duplicate inside the batch is still handled once; no marker documents were written
    expect(calls).toEqual([event.id, marker.id]);
    expect(
      await processedEventModel(mongo).countDocuments({
        _id: { $in: [event.id, marker.id].map((id) => `g-${topic}:${id}`) } as never,
      }),
    ).toBe(0);
  });
});

describe('handlers that take many events at once', () => {
  test('when a batch holds events of a batched handler, then they are applied in one call, a duplicate once, without markers; when that call fails, then each is applied on its own', async () => {
    const [together, apart] = [await topicPair('many'), await topicPair('many-fails')];
    const [a, b, c] = [payment('pay_a'), payment('pay_b'), payment('pay_c')];
    await send(together, [a, b, a, c]);
    await send(apart, [a, b]);
    const calls = { together: [] as string[][], apart: [] as string[][], one: [] as string[] };
    await consume(together, {
      PaymentRecorded: inBatches(
        async (e) => {
          calls.one.push(`together:${e.id}`);
        },
        async (events) => {
          calls.together.push(events.map((e) => e.id));
        },
      ),
    });
    await consume(apart, {
      PaymentRecorded: inBatches(
        async (e) => {
          calls.one.push(e.id);
        },
        async (events) => {
          calls.apart.push(events.map((e) => e.id));
          throw new Error('bulk insert refused');
        },
      ),
    });
    await waitFor(() => calls.together.length === 1 && calls.one.length === 2);
    expect(calls.together).toEqual([[a.id, b.id, c.id]]);
    expect(calls.apart).toEqual([[a.id, b.id]]);
    expect(calls.one).toEqual([a.id, b.id]);
    expect(
      await processedEventModel(mongo).countDocuments({
        _id: { $in: [a.id, b.id, c.id].map((id) => `g-${together}:${id}`) } as never,
      }),
    ).toBe(0);
  });
});

describe('batched consumers', () => {
  test('when events arrive one by one within the window, then a batched consumer takes them in at most two fetches and an unbatched one in many', async () => {
    const topic = await topicPair('window');
    const batches = { batched: [] as string[][], eager: [] as string[][] };
    const recording = (into: string[][]): EventHandlers => ({
      PaymentRecorded: inBatches(
        async (e) => {
          into.push([e.id]);
        },
        async (events) => {
          into.push(events.map((e) => e.id));
        },
      ),
    });
    await consume(topic, recording(batches.batched), {
      groupId: `batched-${topic}`,
      batchWindowMs: 2000,
    });
    await consume(topic, recording(batches.eager), { groupId: `eager-${topic}` });
    // both groups have joined once both have the first event
    const first = payment('pay_first');
    await send(topic, [first]);
    await waitFor(() => batches.batched.length === 1 && batches.eager.length === 1, 30_000);

    const events = Array.from({ length: 10 }, (_, i) => payment(`pay_${i}`));
    for (const event of events) {
      await send(topic, [event]);
      await new Promise((r) => setTimeout(r, 40));
    }
    const handled = (of: string[][]) => of.flat().length;
    await waitFor(() => handled(batches.batched) === 11 && handled(batches.eager) === 11);
    expect(batches.batched.flat()).toEqual([first, ...events].map((e) => e.id));
    expect(batches.eager.flat()).toEqual([first, ...events].map((e) => e.id));
    expect(batches.batched.length - 1).toBeLessThanOrEqual(2);
    expect(batches.eager.length - 1).toBeGreaterThanOrEqual(5);
  });
});

describe('run handlers', () => {
  test('when one key has several events in a batch, then its run handler takes them in one call in order, and a failing run is handled one by one', async () => {
    const topic = await topicPair('runs');
    const calls: string[][] = [];
    let failNextRun = false;
    await consume(topic, {
      PaymentRecorded: inRuns(
        async (e) => {
          calls.push([`one:${e.id}`]);
        },
        async (events) => {
          if (failNextRun) {
            failNextRun = false;
            throw new Error('this run fails');
          }
          calls.push(events.map((e) => e.id));
        },
      ),
    });
    const first = [payment('pay_r1'), payment('pay_r2'), payment('pay_r3')];
    await send(topic, first, 'inv_1');
    await waitFor(() => calls.flat().length === 3, 30_000);
    expect(calls).toEqual([first.map((e) => e.id)]);

    failNextRun = true;
    const second = [payment('pay_r4'), payment('pay_r5')];
    await send(topic, second, 'inv_1');
    await waitFor(() => calls.flat().length === 5);
    expect(calls.slice(1)).toEqual(second.map((e) => [`one:${e.id}`]));
  });
});

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
