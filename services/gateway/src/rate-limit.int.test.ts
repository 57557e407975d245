import express from 'express';
import request from 'supertest';
import { Redis } from 'ioredis';
import { connectRedis, createLogger, errorHandler } from '@ledgerline/platform';
import { redisRateLimiter, type RateLimit } from './rate-limit';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6391';
const logger = createLogger('rate-limit-test', 'silent');

function appWith(redis: Redis, rule: RateLimit) {
  const limiter = redisRateLimiter(redis, logger);
  const app = express();
  app.get('/:bucket', async (req, res) => {
    await limiter.hit(res, `test:${req.params.bucket}`, rule);
    res.json({ success: true });
  });
  app.use(errorHandler);
  return app;
}

describe('gateway rate limits', () => {
  test('when a bucket exceeds its limit, then 429 with Retry-After and RateLimit headers; other buckets are unaffected', async () => {
    const redis = await connectRedis(REDIS_URL);
    try {
      const bucket = `b${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
      const app = appWith(redis, { limit: 3, windowMs: 30_000 });
      const answers = [];
      for (let i = 0; i < 5; i++) {
        const res = await request(app).get(`/${bucket}`);
        answers.push([res.status, res.headers['ratelimit-remaining']]);
      }
      expect(answers).toEqual([
        [200, '2'],
        [200, '1'],
        [200, '0'],
        [429, '0'],
        [429, '0'],
      ]);
      const limited = await request(app).get(`/${bucket}`);
      expect(limited.body).toMatchObject({ success: false, code: 429, type: 'rate_limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(30);
      expect(limited.headers['ratelimit-limit']).toBe('3');
      expect((await request(app).get(`/${bucket}-other`)).status).toBe(200);
    } finally {
      redis.disconnect();
    }
  });

  test('when the window passes, then the bucket is open again', async () => {
    const redis = await connectRedis(REDIS_URL);
    try {
      const bucket = `w${Date.now().toString(36)}`;
      const app = appWith(redis, { limit: 1, windowMs: 300 });
      expect((await request(app).get(`/${bucket}`)).status).toBe(200);
      expect((await request(app).get(`/${bucket}`)).status).toBe(429);
      await new Promise((r) => setTimeout(r, 400));
      expect((await request(app).get(`/${bucket}`)).status).toBe(200);
    } finally {
      redis.disconnect();
    }
  });

  test('when a request is checked in one script, then a revoked session or an exceeded bucket stops it before later buckets count it', async () => {
    const redis = await connectRedis(REDIS_URL);
    try {
      const limiter = redisRateLimiter(redis, logger);
      const id = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
      const first = { bucket: `first:${id}`, rule: { limit: 2, windowMs: 30_000 } };
      const last = { bucket: `last:${id}`, rule: { limit: 100, windowMs: 30_000 } };
      const revokedKey = `revoked:test:${id}`;
      const headers = new Map<string, string>();
      const res = { setHeader: (k: string, v: string) => headers.set(k, v) } as never;

      expect(await limiter.check(res, [first, { revokedKey }, last])).toEqual({ revoked: false });
      expect(headers.get('RateLimit-Limit')).toBe('100'); // the last bucket's headers
      await redis.set(revokedKey, '1', 'PX', 30_000);
      expect(await limiter.check(res, [first, { revokedKey }, last])).toEqual({ revoked: true });
      await expect(limiter.check(res, [first, { revokedKey }, last])).rejects.toMatchObject({
        status: 429,
        headers: { 'Retry-After': expect.any(String) },
      });
      // counted on the first call only: the revoked and the limited calls stopped before it
      expect(await redis.get(`rl:last:${id}`)).toBe('1');
      expect(await redis.get(`rl:first:${id}`)).toBe('3');
    } finally {
      redis.disconnect();
    }
  });

  test('when Redis is unreachable, then the gateway fails open and serves the request', async () => {
    // a port nothing listens on: every command fails at once, as during a Redis outage
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    redis.on('error', () => undefined);
    try {
      const app = appWith(redis, { limit: 1, windowMs: 60_000 });
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await request(app).get('/any')).status);
      expect(answers).toEqual([200, 200, 200]);
    } finally {
      redis.disconnect();
    }
  });
});
