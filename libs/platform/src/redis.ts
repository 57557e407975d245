import { Redis } from 'ioredis';

/** The Redis client services are handed (ctx.redis), for the stores that take one. */
export type RedisClient = Redis;

/** Connects and waits until Redis answers; afterwards commands fail fast while Redis is away. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    lazyConnect: true,
  });
  await redis.connect();
  return redis;
}

export async function pingRedis(redis: Redis): Promise<void> {
  const answer = await redis.ping();
  if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
}
