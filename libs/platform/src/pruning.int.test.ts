import type { Connection } from 'mongoose';
import { createLogger } from './logger';
import { connectMongo } from './mongo';
import { mongoProcessedEvents, processedEventModel, pruneProcessedEvents } from './events/consumer';
import { idempotency } from './http/idempotency';
import { pruneInBatches } from './pruning';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
const DAY = 24 * 60 * 60 * 1000;

jest.setTimeout(60_000);

let mongo: Connection;

beforeAll(async () => {
  mongo = await connectMongo(MONGO_URL, `t_prune_${Date.now().toString(36)}`);
});

afterAll(async () => {
  await mongo.dropDatabase();
  await mongo.close();
});

test('when processed-event markers are older than the retention, then they are pruned in bounded batches and newer ones stay', async () => {
  const model = processedEventModel(mongo);
  const now = new Date();
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
  const marker = (id: string, daysAgo: number) => ({
    _id: `g:${id}`,
    consumer: 'g',
    event_id: id,
    processed_at: at(daysAgo),
  });
  await model.insertMany([
    ...Array.from({ length: 25 }, (_, i) => marker(`old${i}`, 8)),
    marker('recent', 6),
    marker('today', 0),
  ]);

  expect(await pruneInBatches(model, { processed_at: { $lt: at(7) } }, { batchSize: 10 })).toBe(25);
  expect(await pruneProcessedEvents(mongo, 7 * DAY, now)).toBe(0);
  expect((await model.find({}, { _id: 1 }).lean()).map((d) => d._id).sort()).toEqual([
    'g:recent',
    'g:today',
  ]);
  // the consumer still recognises what it handled within the retention
  const processed = mongoProcessedEvents(mongo);
  expect(await processed.seen('g', ['recent', 'today', 'old1'])).toEqual(
    new Set(['recent', 'today']),
  );
});

test('when idempotency records are past their TTL, then the sweep deletes them and keeps the live ones', async () => {
  const keys = idempotency({ connection: mongo, logger: createLogger('prune-test', 'silent') });
  const record = (id: string, expiresAt: Date) => ({
    _id: id,
    scope: 's',
    key: id,
    method: 'POST',
    path: '/x',
    request_hash: 'h',
    state: 'done',
    status: 201,
    body: '{}',
    location: null,
    locked_at: new Date(),
    expires_at: expiresAt,
  });
  const now = Date.now();
  await keys.model.insertMany([
    ...Array.from({ length: 12 }, (_, i) => record(`gone${i}`, new Date(now - 1000))),
    record('live', new Date(now + DAY)),
  ]);
  expect(await keys.sweep(new Date(now))).toBe(12);
  expect((await keys.model.find({}, { _id: 1 }).lean()).map((d) => d._id)).toEqual(['live']);
});
