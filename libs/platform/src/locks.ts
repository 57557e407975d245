import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '@ledgerline/contracts';

/**
 * Per-aggregate mutual exclusion across processes.
 *
 * Why: FerretDB v1 applies an update by reading the document and writing it back in two steps, so
 * even a conditional single-document update (`{_id, version: n}`) can lose a concurrent write
 * (measured: 50 parallel `$inc` ended at 4). Every read-modify-write of an aggregate therefore runs
 * under this lock. On MongoDB the version condition stays as an atomic second fence.
 * Inserts need no lock: unique indexes are enforced atomically by both servers.
 */
export interface AggregateLocks {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function redisLocks(
  redis: Redis,
  opts: { ttlMs?: number; waitMs?: number; prefix?: string } = {},
): AggregateLocks {
  const ttlMs = opts.ttlMs ?? 15_000;
  const waitMs = opts.waitMs ?? 10_000;
  const prefix = opts.prefix ?? 'lock:';
  return {
    async withLock(key, fn) {
      const name = `${prefix}${key}`;
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
        if ((await redis.set(name, token, 'PX', ttlMs, 'NX')) === 'OK') break;
        if (Date.now() > deadline)
          throw AppError.conflict(
            'busy',
            'The resource is busy with another change; retry shortly',
          );
        await sleep(delay + Math.random() * delay);
      }
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, name, token).catch(() => undefined);
      }
    },
  };
}
