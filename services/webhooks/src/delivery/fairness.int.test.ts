import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import { WEBHOOK_EVENT_TYPES, type WebhookPayload } from '@ledgerline/contracts';
import {
  connectMongo,
  connectRedis,
  createLogger,
  detectStoreWrites,
  redisLocks,
  syncIndexes,
} from '@ledgerline/platform';
import { startReceiver } from '../../../../test/support/webhook-receiver';
import { deliveryPipeline, type DeliveryPipeline } from './pipeline';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6391';
/**
 * Public events spread over the endpoints: endpoint i subscribes to the catalogue's i-th event
 * type and event n has type n mod 10, so each endpoint gets EVENTS / 10 of them.
 */
const EVENTS = Number(process.env.WEBHOOK_FAIRNESS_EVENTS ?? 1000);
const ENDPOINTS = 10;
const PER_ENDPOINT = EVENTS / ENDPOINTS;
const TYPES = WEBHOOK_EVENT_TYPES.slice(0, ENDPOINTS);

jest.setTimeout(120_000);

let mongo: Connection;
let redis: Redis;
let pipeline: DeliveryPipeline;

beforeAll(async () => {
  mongo = await connectMongo(MONGO_URL, `t_whfair${Date.now().toString(36)}_webhooks`);
  redis = await connectRedis(REDIS_URL);
  pipeline = deliveryPipeline({
    connection: mongo,
    locks: redisLocks(redis),
    writes: await detectStoreWrites(mongo),
    logger: createLogger('webhooks-test', 'warn'),
    config: {
      WEBHOOK_TIMEOUT_MS: 10_000,
      WEBHOOK_ALLOW_PRIVATE_URLS: true,
      WEBHOOK_RETRY_SCHEDULE: [1, 1, 1],
      WEBHOOK_DISABLE_AFTER_SECONDS: 86_400,
      WEBHOOK_ENDPOINT_CONCURRENCY: 4,
      WEBHOOK_CONCURRENCY: 64,
      WEBHOOK_POLL_MS: 100,
    },
  });
  await syncIndexes(mongo);
});

afterAll(async () => {
  await pipeline?.stop();
  await mongo?.dropDatabase().catch(() => undefined);
  await mongo?.close();
  redis?.disconnect();
});

describe('webhook delivery fairness', () => {
  it(`when ${EVENTS} events go to ${ENDPOINTS} endpoints (${PER_ENDPOINT} each) and one receiver sleeps 5 s per request, then the other nine receive all theirs within 10 s`, async () => {
    const slow = await startReceiver(() => ({ status: 200, delayMs: 5000 }));
    const fast = await Promise.all(Array.from({ length: ENDPOINTS - 1 }, () => startReceiver()));
    const tenant = `ten_fair_${Date.now().toString(36)}`;
    try {
      const receivers = [slow, ...fast];
      for (const [i, receiver] of receivers.entries()) {
        await pipeline.endpoints.insert({
          _id: `we_fair_${i}`,
          tenant_id: tenant,
          url: receiver.url,
          events: [TYPES[i]!],
          description: '',
          enabled: true,
          disabled_reason: null,
          secret: 'whsec_c2VjcmV0LWZvci10aGUtZmFpcm5lc3MtdGVzdA==',
          previous_secret: null,
          previous_secret_expires_at: null,
          failing_since: null,
          version: 0,
          created_by: null,
          updated_by: null,
        });
      }
      const payloads: WebhookPayload[] = Array.from({ length: EVENTS }, (_, i) => ({
        id: `evt_fair_${i}`,
        type: TYPES[i % ENDPOINTS]!,
        timestamp: new Date().toISOString(),
        tenant_id: tenant,
        data: { id: `inv_${i}`, total: '10.00' },
      }));

      pipeline.dispatcher.start();
      const started = Date.now();
      expect(await pipeline.enqueuer.enqueue(payloads)).toBe(EVENTS);

      const deadline = started + 10_000;
      while (Date.now() < deadline && fast.some((r) => r.received.length < PER_ENDPOINT))
        await new Promise((r) => setTimeout(r, 100));
      const elapsed = Date.now() - started;

      // every fast receiver got every event exactly once (one delivery per event and endpoint)
      for (const receiver of fast) {
        const ids = receiver.received.map((r) => JSON.parse(r.body).id as string);
        expect({ count: ids.length, distinct: new Set(ids).size }).toEqual({
          count: PER_ENDPOINT,
          distinct: PER_ENDPOINT,
        });
      }
      expect(elapsed).toBeLessThan(10_000);
      // the slow one was held to its cap: 4 at a time, 5 s each
      expect(slow.received.length).toBeLessThanOrEqual(8);
      process.stdout.write(
        `fairness: ${PER_ENDPOINT * (ENDPOINTS - 1)} deliveries to the nine fast receivers in ${elapsed} ms; slow receiver got ${slow.received.length}\n`,
      );
    } finally {
      await pipeline.stop();
      await Promise.all([slow, ...fast].map((r) => r.close()));
    }
  });
});
