import { Schema } from 'mongoose';
import { connectMongo } from './mongo';
import { connectRedis } from './redis';
import { redisLocks } from './locks';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6391';

describe('aggregate locks', () => {
  test('when 40 writers read-modify-write one document at once under its lock, then no update is lost', async () => {
    const mongo = await connectMongo(MONGO_URL, `t_locks_${Date.now().toString(36)}`);
    const redis = await connectRedis(REDIS_URL);
    try {
      const Counter = mongo.model(
        'Counter',
        new Schema({ _id: String, value: Number }, { versionKey: false }),
      );
      const id = `c_${Math.random().toString(36).slice(2)}`;
      await Counter.create({ _id: id, value: 0 });
      const locks = redisLocks(redis, { prefix: `test:${id}:` });

      await Promise.all(
        Array.from({ length: 40 }, () =>
          locks.withLock(id, async () => {
            const doc = await Counter.findById(id).lean<{ value: number }>();
            await Counter.updateOne({ _id: id }, { $set: { value: (doc?.value ?? 0) + 1 } });
          }),
        ),
      );

      expect((await Counter.findById(id).lean<{ value: number }>())?.value).toBe(40);
      expect(await redis.keys(`test:${id}:*`)).toEqual([]);
      await mongo.dropDatabase();
    } finally {
      await mongo.close();
      redis.disconnect();
    }
  });

  test('when a holder fails, then the lock is released and the error reaches the caller', async () => {
    const redis = await connectRedis(REDIS_URL);
    try {
      const locks = redisLocks(redis, { prefix: `test:${Date.now()}:` });
      await expect(
        locks.withLock('a', async () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      await expect(locks.withLock('a', async () => 'second holder got in')).resolves.toBe(
        'second holder got in',
      );
    } finally {
      redis.disconnect();
    }
  });

  test('when the lock stays taken past the wait, then the caller gets a 409 conflict', async () => {
    const redis = await connectRedis(REDIS_URL);
    try {
      const locks = redisLocks(redis, { prefix: `test:${Date.now()}:`, waitMs: 200 });
      let release!: () => void;
      const holder = locks.withLock('busy', () => new Promise<void>((r) => (release = r)));
      await new Promise((r) => setTimeout(r, 20));
      await expect(locks.withLock('busy', async () => 'never')).rejects.toMatchObject({
        kind: 'conflict',
        status: 409,
      });
      release();
      await holder;
    } finally {
      redis.disconnect();
    }
  });

  test('when two processes each queue 30 writers for one key, then no update is lost and every writer gets its turn', async () => {
    const mongo = await connectMongo(MONGO_URL, `t_locks2_${Date.now().toString(36)}`);
    const [redisA, redisB] = await Promise.all([connectRedis(REDIS_URL), connectRedis(REDIS_URL)]);
    try {
      const Counter = mongo.model(
        'Counter2',
        new Schema({ _id: String, value: Number }, { versionKey: false }),
      );
      const id = `c_${Math.random().toString(36).slice(2)}`;
      await Counter.create({ _id: id, value: 0 });
      // two lock instances over two connections: two processes, each with its local queue
      const processes = [redisA, redisB].map((r) => redisLocks(r, { prefix: `test:${id}:` }));
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 60 }, (_, n) =>
          processes[n % 2]!.withLock(id, async () => {
            const doc = await Counter.findById(id).lean<{ value: number }>();
            await Counter.updateOne({ _id: id }, { $set: { value: (doc?.value ?? 0) + 1 } });
            order.push(n);
          }),
        ),
      );

      expect((await Counter.findById(id).lean<{ value: number }>())?.value).toBe(60);
      expect(order).toHaveLength(60);
      expect(await redisA.keys(`test:${id}:*`)).toEqual([]);
      await mongo.dropDatabase();
    } finally {
      await mongo.close();
      redisA.disconnect();
      redisB.disconnect();
    }
  });
  test('when a sweep takes free locks over keys one of which another process holds, then it holds the others only, that holder keeps its own, and all are released after', async () => {
    const [redisA, redisB] = await Promise.all([connectRedis(REDIS_URL), connectRedis(REDIS_URL)]);
    const prefix = `test:free:${Date.now().toString(36)}:`;
    try {
      const holderLocks = redisLocks(redisA, { prefix });
      const sweepLocks = redisLocks(redisB, { prefix });
      let release!: () => void;
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const holder = holderLocks.withLock('b', async () => {
        entered();
        await new Promise<void>((r) => (release = r));
      });
      await inside;
      const seen = await sweepLocks.withFreeLocks(['a', 'b', 'c', 'a'], async (held) => {
        // while held, a writer of 'a' cannot take it
        const others = await redisA.mget(`${prefix}a`, `${prefix}b`, `${prefix}c`);
        return { held: [...held].sort(), taken: others.map((v) => v !== null) };
      });
      expect(seen).toEqual({ held: ['a', 'c'], taken: [true, true, true] });
      expect(await redisA.exists(`${prefix}a`, `${prefix}c`)).toBe(0);
      expect(await redisA.exists(`${prefix}b`)).toBe(1);
      release();
      await holder;
      expect(await redisA.keys(`${prefix}*`)).toEqual([]);
    } finally {
      redisA.disconnect();
      redisB.disconnect();
    }
  });
});
