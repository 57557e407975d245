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

const endpointDoc = (id: string, tenant: string, url: string, events: string[]) => ({
  _id: id,
  tenant_id: tenant,
  url,
  events,
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

describe('webhook delivery fairness', () => {
  it(`when ${EVENTS} events go to ${ENDPOINTS} endpoints (${PER_ENDPOINT} each) and one receiver sleeps 5 s per request, then the other nine receive all theirs within 10 s`, async () => {
    const slow = await startReceiver(() => ({ status: 200, delayMs: 5000 }));
    const fast = await Promise.all(Array.from({ length: ENDPOINTS - 1 }, () => startReceiver()));
    const tenant = `ten_fair_${Date.now().toString(36)}`;
    try {
      const receivers = [slow, ...fast];
      for (const [i, receiver] of receivers.entries()) {
        await pipeline.endpoints.insert(
          endpointDoc(`we_fair_${i}`, tenant, receiver.url, [TYPES[i]!]),
        );
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

describe('disabling a failing endpoint', () => {
  it("when every attempt to an endpoint fails for longer than the limit, then it is disabled and endpoint.disabled reaches the tenant's other endpoint", async () => {
    const failing = await startReceiver(() => ({ status: 500 }));
    const watcher = await startReceiver();
    const tenant = `ten_dis_${Date.now().toString(36)}`;
    const sick = deliveryPipeline({
      connection: mongo,
      locks: redisLocks(redis),
      writes: await detectStoreWrites(mongo),
      logger: createLogger('webhooks-test', 'silent'),
      config: {
        WEBHOOK_TIMEOUT_MS: 5000,
        WEBHOOK_ALLOW_PRIVATE_URLS: true,
        WEBHOOK_RETRY_SCHEDULE: [1, 1, 1, 1, 1],
        WEBHOOK_DISABLE_AFTER_SECONDS: 1,
        WEBHOOK_ENDPOINT_CONCURRENCY: 4,
        WEBHOOK_CONCURRENCY: 64,
        WEBHOOK_POLL_MS: 100,
      },
    });
    try {
      await sick.endpoints.insert(
        endpointDoc('we_dis_sick', tenant, failing.url, ['invoice.paid']),
      );
      await sick.endpoints.insert(
        endpointDoc('we_dis_watch', tenant, watcher.url, ['endpoint.disabled']),
      );
      sick.dispatcher.start();
      await sick.enqueuer.enqueue([
        {
          id: 'evt_dis_1',
          type: 'invoice.paid',
          timestamp: new Date().toISOString(),
          tenant_id: tenant,
          data: { id: 'inv_1' },
        },
      ]);
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && watcher.received.length === 0)
        await new Promise((r) => setTimeout(r, 100));

      const [notice] = watcher.received;
      expect(JSON.parse(notice!.body)).toMatchObject({
        type: 'endpoint.disabled',
        tenant_id: tenant,
        data: { id: 'we_dis_sick', enabled: false, disabled_reason: expect.any(String) },
      });
      expect(notice!.body).not.toContain('whsec_');
      const stored = await sick.endpoints.findById(tenant, 'we_dis_sick');
      expect(stored).toMatchObject({ enabled: false });
      // its delivery ends failed without another request once the endpoint is disabled
      let delivery = await sick.deliveries.findById(tenant, 'evt_dis_1:we_dis_sick');
      while (Date.now() < deadline && delivery?.status === 'pending') {
        await new Promise((r) => setTimeout(r, 100));
        delivery = await sick.deliveries.findById(tenant, 'evt_dis_1:we_dis_sick');
      }
      expect(delivery).toMatchObject({ status: 'failed', last_error: 'endpoint disabled' });
      expect(failing.received.length).toBe(delivery!.attempts - 1);
    } finally {
      await sick.stop();
      await Promise.all([failing.close(), watcher.close()]);
    }
  });
});
