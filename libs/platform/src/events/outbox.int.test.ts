import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { Schema, type Connection, type Model } from 'mongoose';
import { Redis } from 'ioredis';
import { buildEvent, topicOf, type EventEnvelope } from '@ledgerline/contracts';
import { createLogger } from '../logger';
import { connectMongo } from '../mongo';
import { redisLocks } from '../locks';
import { createProducer, ensureTopics } from './kafka';
import { OutboxRelay, outboxOnInsert, outboxOnUpdate, outboxSchemaFields } from './outbox';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(',');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6391';
const logger = createLogger('outbox-test', 'silent');

jest.setTimeout(60_000);

let kafka: Kafka;
let producer: Producer;
let mongo: Connection;
let redis: Redis;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a bare test collection
let model: Model<any>;
const consumers: Consumer[] = [];
const relays: OutboxRelay[] = [];

function paymentEvent(id: string): EventEnvelope<'PaymentRecorded'> {
  return buildEvent('PaymentRecorded', {
    tenant_id: 'ten_outbox',
    data: {
      payment_id: id,
      invoice_id: `inv_${id}`,
      customer_id: null,
      amount_minor: 100,
      currency: 'USD',
      payment_method: 'cash',
      payment_date: '2025-01-20',
    },
  });
}

/** Collects the payment ids published on the prefix's payments topic. */
async function published(prefix: string): Promise<Set<string>> {
  const topic = topicOf('PaymentRecorded', prefix);
  await ensureTopics(kafka, [topic], 1);
  const seen = new Set<string>();
  const reader = kafka.consumer({ groupId: `reader-${prefix}`, maxWaitTimeInMs: 100 });
  consumers.push(reader);
  await reader.connect();
  await reader.subscribe({ topic, fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const id = JSON.parse(message.value!.toString()).data.payment_id as string;
      seen.add(id);
      copies.set(id, (copies.get(id) ?? 0) + 1);
    },
  });
  return seen;
}

/** How many times each payment id was published (every reader of the suite adds to it). */
const copies = new Map<string, number>();

function relayFor(
  prefix: string,
  intervalMs: number,
  scanIntervalMs?: number,
  via: Producer = producer,
  writes: 'atomic' | 'locked' = 'locked',
): OutboxRelay {
  const relay = new OutboxRelay({
    producer: via,
    sources: [{ model, lockKey: (id) => `outbox-test:${id}` }],
    locks: redisLocks(redis),
    topicPrefix: prefix,
    logger,
    intervalMs,
    scanIntervalMs,
    writes,
  });
  relays.push(relay);
  return relay;
}

async function writeWithEvent(id: string): Promise<void> {
  await model.create({ _id: id, updated_at: new Date(), ...outboxOnInsert([paymentEvent(id)]) });
}

async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pending = async (id: string) =>
  (await model.findById(id, { _outbox_pending: 1 }).lean<{ _outbox_pending: boolean }>())
    ?._outbox_pending;

beforeAll(async () => {
  kafka = new Kafka({ clientId: 'outbox-test', brokers: BROKERS, logLevel: logLevel.NOTHING });
  producer = createProducer(kafka);
  await producer.connect();
  mongo = await connectMongo(MONGO_URL, `t_outbox_${Date.now().toString(36)}`);
  redis = new Redis(REDIS_URL);
  const schema = new Schema(
    { _id: String, updated_at: Date, ...outboxSchemaFields },
    { collection: 'docs', versionKey: false },
  );
  model = mongo.model('OutboxTestDoc', schema);
});

// one relay at a time: they share the collection, and a relay publishes every pending document
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.stop();
});

afterAll(async () => {
  for (const c of consumers) await c.disconnect();
  await producer.disconnect();
  await mongo.dropDatabase();
  await mongo.close();
  redis.disconnect();
});

const unique = (label: string) =>
  `${label}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.`;

describe('outbox relay', () => {
  test('when the scan and a hint reach the same documents at once, then each event is published once', async () => {
    const prefix = unique('once');
    const seen = await published(prefix);
    const ids = Array.from({ length: 20 }, (_, i) => `${prefix}${i}`);
    for (const id of ids) await writeWithEvent(id);
    const relay = relayFor(prefix, 500, 60_000);
    relay.start(); // scans at start
    relay.kick(ids); // and the hint names the same documents
    await until(() => ids.every((id) => seen.has(id)));
    for (const id of ids) await until(async () => (await pending(id)) === false);
    await new Promise((r) => setTimeout(r, 1000)); // a second copy would have arrived by now
    expect(ids.map((id) => copies.get(id))).toEqual(ids.map(() => 1));
  });

  test('when a write is announced by id, then its events leave without waiting for the interval scan', async () => {
    const prefix = unique('hint');
    const seen = await published(prefix);
    // the interval scan runs once at start and then not for a minute: only the hint can publish
    const relay = relayFor(prefix, 60_000);
    relay.start();
    await new Promise((r) => setTimeout(r, 300));
    await writeWithEvent(`${prefix}a`);
    await writeWithEvent(`${prefix}b`);
    relay.kick([`${prefix}a`, `${prefix}b`]);
    await until(() => seen.has(`${prefix}a`) && seen.has(`${prefix}b`));
    // a and b are cleared one after the other: wait for each, not for b the moment a is done
    await until(async () => (await pending(`${prefix}a`)) === false);
    await until(async () => (await pending(`${prefix}b`)) === false);
  });

  test('when a write is never announced (a lost hint), then the periodic scan still publishes it', async () => {
    const prefix = unique('lost');
    const seen = await published(prefix);
    const relay = relayFor(prefix, 500, 1000);
    relay.start();
    await new Promise((r) => setTimeout(r, 300));
    await writeWithEvent(`${prefix}a`);
    await until(() => seen.has(`${prefix}a`));
    await until(async () => (await pending(`${prefix}a`)) === false);
  });

  test('when a wake-up names no ids, then the relay scans at once', async () => {
    const prefix = unique('scan');
    const seen = await published(prefix);
    const relay = relayFor(prefix, 60_000);
    relay.start();
    await new Promise((r) => setTimeout(r, 300));
    await writeWithEvent(`${prefix}a`);
    relay.kick();
    await until(() => seen.has(`${prefix}a`));
  });

  test.each(['locked', 'atomic'] as const)(
    'when an event is appended while the relay publishes (%s writes), then it is kept and published next',
    async (writes) => {
      const prefix = unique(`appended-${writes}`);
      const seen = await published(prefix);
      const id = `doc_${prefix}`;
      await writeWithEvent(id);
      let appended = false;
      // the first send appends a second event to the document, after the relay read it
      const appending = Object.assign(Object.create(producer) as Producer, {
        sendBatch: async (batch: Parameters<Producer['sendBatch']>[0]) => {
          if (!appended) {
            appended = true;
            await model.updateOne({ _id: id }, outboxOnUpdate([paymentEvent(`${id}_late`)]));
          }
          return producer.sendBatch(batch);
        },
      });
      const relay = relayFor(prefix, 60_000, 60_000, appending, writes);
      relay.start();
      await until(() => seen.has(id));
      await until(
        async () => (await model.findById(id).lean<{ _outbox: unknown[] }>())!._outbox.length === 1,
      );
      expect(await pending(id)).toBe(true);
      relay.kick([id]);
      await until(() => seen.has(`${id}_late`));
      await until(async () => (await pending(id)) === false);
    },
  );

  test('when inserted documents are handed over with their outboxes, then each is published once, one appended to keeps its new event, and one whose lock is busy is cleared once it is free', async () => {
    const prefix = unique('born');
    const seen = await published(prefix);
    const relay = relayFor(prefix, 60_000, 60_000);
    relay.start();
    await new Promise((r) => setTimeout(r, 300)); // past the start scan
    const ids = Array.from({ length: 5 }, (_, i) => `${prefix}${i}`);
    const outboxes = new Map(ids.map((id) => [id, [paymentEvent(id)]]));
    await model.insertMany(
      ids.map((id) => ({ _id: id, updated_at: new Date(), ...outboxOnInsert(outboxes.get(id)!) })),
    );
    // one gets a second event before the relay runs; another is being changed under its lock
    await model.updateOne({ _id: ids[1] }, outboxOnUpdate([paymentEvent(`${ids[1]}_more`)]));
    let release!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((r) => (locked = r));
    const writer = redisLocks(redis).withLock(`outbox-test:${ids[2]}`, async () => {
      locked();
      await new Promise<void>((r) => (release = r));
    });
    await held;
    relay.kick(ids, { collection: model.collection.name, outboxes });
    await until(() => ids.every((id) => seen.has(id)));
    for (const id of ids.filter((_, i) => i !== 1 && i !== 2))
      await until(async () => (await pending(id)) === false);
    expect(await pending(ids[2]!)).toBe(true); // its writer still holds the lock
    release();
    await writer;
    await until(async () => (await pending(ids[2]!)) === false);
    // the event appended after the insert was not handed over: it stays until published
    const second = await model.findById(ids[1]).lean<{ _outbox: EventEnvelope[] }>();
    expect(second!._outbox.map((e) => (e.data as { payment_id: string }).payment_id)).toEqual([
      `${ids[1]}_more`,
    ]);
    relay.kick([ids[1]!]);
    await until(() => seen.has(`${ids[1]}_more`));
    await until(async () => (await pending(ids[1]!)) === false);
    await new Promise((r) => setTimeout(r, 1000)); // a second copy would have arrived by now
    expect(ids.map((id) => copies.get(id))).toEqual(ids.map(() => 1));
  });

  test('when a document handed over with its outbox is written again and announced by id only, then the relay reads it and publishes both events once', async () => {
    const prefix = unique('again');
    const seen = await published(prefix);
    const relay = relayFor(prefix, 60_000, 60_000);
    relay.start();
    await new Promise((r) => setTimeout(r, 300)); // past the start scan
    const id = `${prefix}doc`;
    const first = paymentEvent(id);
    await model.insertMany([{ _id: id, updated_at: new Date(), ...outboxOnInsert([first]) }]);
    await model.updateOne({ _id: id }, outboxOnUpdate([paymentEvent(`${id}_second`)]));
    // the first write's hand-over, then the second write's hint, before the relay runs
    relay.kick([id], { collection: model.collection.name, outboxes: new Map([[id, [first]]]) });
    relay.kick([id]);
    await until(() => seen.has(id) && seen.has(`${id}_second`));
    await until(async () => (await pending(id)) === false);
    await new Promise((r) => setTimeout(r, 1000)); // a second copy would have arrived by now
    expect([copies.get(id), copies.get(`${id}_second`)]).toEqual([1, 1]);
  });
});
