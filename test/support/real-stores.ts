import {
  connectMongo,
  connectRedis,
  redisLocks,
  syncIndexes,
  type AggregateLocks,
} from '@ledgerline/platform';
import type { Connection } from 'mongoose';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6391';

/**
 * An integration test file's stores on the real database and locks: before its tests a database
 * of its own (dropped after them) and Redis locks under a prefix of their own. `build` makes the
 * file's deps on them; the indexes of the models it registered are synced after it.
 */
export function onRealStores(
  label: string,
  build: (infra: { mongo: Connection; locks: AggregateLocks }) => void,
): void {
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const mongo = await connectMongo(MONGO_URL, `t_${label}_${Date.now().toString(36)}`);
    const redis = await connectRedis(REDIS_URL);
    close = async () => {
      await mongo.dropDatabase();
      await mongo.close();
      redis.disconnect();
    };
    build({ mongo, locks: redisLocks(redis, { prefix: `test:${Date.now()}:`, waitMs: 30_000 }) });
    await syncIndexes(mongo);
  });
  afterAll(async () => {
    await close?.();
  });
}
