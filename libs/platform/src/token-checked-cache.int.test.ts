import { Redis } from 'ioredis';
import { connectRedis } from './redis';
import { tokenCheckedCache } from './token-checked-cache';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6391';

jest.setTimeout(30_000);

let redis: Redis;

beforeAll(async () => {
  redis = await connectRedis(REDIS_URL);
});

afterAll(() => {
  redis.disconnect();
});

/** A "store" of one value per scope and key, counting its loads; two caches on it are two processes. */
function setUp(client: Redis = redis) {
  const name = `cache-test-${Math.random().toString(36).slice(2)}`;
  const store = new Map<string, string>();
  let loads = 0;
  const cache = () =>
    tokenCheckedCache<string>({
      redis: client,
      name,
      load: async (scope, key) => {
        loads++;
        return store.get(`${scope}/${key}`) ?? 'default';
      },
    });
  return { name, store, cache, loads: () => loads };
}

describe('token-checked cache', () => {
  test('when two processes read, then each loads once; after a write in one, both read the new value', async () => {
    const { store, cache, loads } = setUp();
    const [a, b] = [cache(), cache()];
    expect(await a.get('ten_1', 'bkash')).toBe('default');
    expect(await b.get('ten_1', 'bkash')).toBe('default');
    expect(await a.get('ten_1', 'bkash')).toBe('default');
    expect(await b.get('ten_1', 'bkash')).toBe('default');
    expect(loads()).toBe(2);
    store.set('ten_1/bkash', 'disabled');
    await a.changed('ten_1');
    expect([await a.get('ten_1', 'bkash'), await b.get('ten_1', 'bkash')]).toEqual([
      'disabled',
      'disabled',
    ]);
    expect(loads()).toBe(4);
    // another scope is not touched by the write
    expect(await a.get('ten_2', 'bkash')).toBe('default');
    expect(await a.get('ten_2', 'bkash')).toBe('default');
    expect(loads()).toBe(5);
  });

  test('when the token is lost from Redis, then the next read loads again and is kept under a new token', async () => {
    const { name, store, cache, loads } = setUp();
    const a = cache();
    expect(await a.get('ten_1', 'cash')).toBe('default');
    store.set('ten_1/cash', 'changed while Redis was away');
    await redis.del(`cache:${name}:ten_1`);
    expect(await a.get('ten_1', 'cash')).toBe('changed while Redis was away');
    expect(await a.get('ten_1', 'cash')).toBe('changed while Redis was away');
    expect(loads()).toBe(2);
    expect(await redis.ttl(`cache:${name}:ten_1`)).toBeGreaterThan(50);
  });

  test('when Redis cannot be reached, then every read goes to the store and a write reports the failure', async () => {
    const away = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const { store, cache, loads } = setUp(away);
    const a = cache();
    expect(await a.get('ten_1', 'cash')).toBe('default');
    store.set('ten_1/cash', 'disabled');
    expect(await a.get('ten_1', 'cash')).toBe('disabled');
    expect(loads()).toBe(2);
    await expect(a.changed('ten_1')).rejects.toThrow();
    away.disconnect();
  });
});
