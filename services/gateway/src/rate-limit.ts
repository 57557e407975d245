import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { AppError } from '@ledgerline/contracts';
import type { Logger } from '@ledgerline/platform';

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/** One step of a request's check: a fixed-window bucket, or a session's revocation key. */
export type Check = { bucket: string; rule: RateLimit } | { revokedKey: string };

/**
 * The checks of every request that arrived in one turn of the event loop, in one script call: per
 * request, in order, a bucket is INCRed (its window's expiry set in the same step, so a window can
 * never be left without one); a revocation key is looked up. A request's first exceeded bucket or
 * revoked session ends that request's steps, so its later buckets do not count a refused request,
 * exactly as when each was a call of its own; the other requests of the turn are not affected.
 * ARGV: the number of requests, then per request its step count and a (window, limit) pair per
 * step (window 0: a revocation key). Answers per request its `{count, pttl}` pairs (`{exists, 0}`
 * for a revocation key) for the steps it ran.
 */
const CHECKS = `local out = {}
local k, a = 1, 2
for r = 1, tonumber(ARGV[1]) do
  local steps = tonumber(ARGV[a])
  a = a + 1
  local res, stopped = {}, false
  for s = 1, steps do
    local key, window, limit = KEYS[k], tonumber(ARGV[a]), tonumber(ARGV[a + 1])
    k, a = k + 1, a + 2
    if not stopped then
      if window == 0 then
        local revoked = redis.call('EXISTS', key)
        res[#res + 1] = revoked
        res[#res + 1] = 0
        stopped = revoked == 1
      else
        local c = redis.call('INCR', key)
        if c == 1 then redis.call('PEXPIRE', key, window) end
        res[#res + 1] = c
        res[#res + 1] = redis.call('PTTL', key)
        stopped = c > limit
      end
    end
  end
  out[r] = res
end
return out`;

type ChecksCommand = (...keysThenArgs: (string | number)[]) => Promise<number[][]>;

interface Pending {
  checks: Check[];
  resolve: (out: number[] | undefined) => void;
}

/**
 * Fixed-window counters in Redis, shared by every gateway instance, checked together with the
 * session's revocation in one script (EVALSHA: the script text travels once per connection). The
 * requests that arrive in one turn of the event loop share one call (sent from `setImmediate`,
 * right after the turn's I/O): at load that is one Redis write and answer for several requests,
 * where a call per request cost each its own socket write and reply. If
 * Redis is unreachable the gateway fails open (serves the request, logs once a minute): losing
 * rate limiting and the revocation check for a while is better than refusing every client; the
 * breaker, the services' own limits and the access tokens' short life still apply.
 */
export function redisRateLimiter(redis: Redis, logger: Logger) {
  if (!('ledgerlineChecks' in redis)) redis.defineCommand('ledgerlineChecks', { lua: CHECKS });
  const command = (redis as unknown as { ledgerlineChecks: ChecksCommand }).ledgerlineChecks.bind(
    redis,
  );
  let lastWarning = 0;
  let queued: Pending[] = [];

  function flush(): void {
    const batch = queued;
    queued = [];
    const keys: string[] = [];
    const args: number[] = [batch.length];
    for (const { checks } of batch) {
      args.push(checks.length);
      for (const c of checks) {
        if ('bucket' in c) {
          keys.push(`rl:${c.bucket}`);
          args.push(c.rule.windowMs, c.rule.limit);
        } else {
          keys.push(c.revokedKey);
          args.push(0, 0);
        }
      }
    }
    command(keys.length, ...keys, ...args).then(
      (out) => batch.forEach((p, i) => p.resolve(out[i] ?? [])),
      (err: unknown) => {
        if (Date.now() - lastWarning > 60_000) {
          lastWarning = Date.now();
          logger.warn(
            { err: (err as Error).message },
            'rate limiting and revocation checks unavailable (Redis); failing open',
          );
        }
        for (const p of batch) p.resolve(undefined);
      },
    );
  }

  /** The request's `{count, pttl}` pairs, or undefined when Redis did not answer (fail open). */
  function run(checks: Check[]): Promise<number[] | undefined> {
    return new Promise((resolve) => {
      if (queued.length === 0) setImmediate(flush);
      queued.push({ checks, resolve });
    });
  }

  /**
   * Runs the checks; sets the RateLimit-* headers of the last bucket counted (the most specific
   * one, which is what a client needs); throws 429 with Retry-After for an exceeded bucket.
   * Answers whether the session was found revoked.
   */
  async function check(res: ServerResponse, checks: Check[]): Promise<{ revoked: boolean }> {
    const out = await run(checks);
    if (out === undefined) return { revoked: false };
    let limited: string | undefined;
    for (let i = 0; i < out.length / 2; i++) {
      const c = checks[i]!;
      const [count, ttlMs] = [out[2 * i]!, out[2 * i + 1]!];
      if (!('bucket' in c)) {
        if (count === 1) return { revoked: true };
        continue;
      }
      const resetSeconds = Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : c.rule.windowMs) / 1000));
      res.setHeader('RateLimit-Limit', String(c.rule.limit));
      res.setHeader('RateLimit-Remaining', String(Math.max(0, c.rule.limit - count)));
      res.setHeader('RateLimit-Reset', String(resetSeconds));
      if (count > c.rule.limit) limited = String(resetSeconds);
    }
    if (limited !== undefined) {
      throw new AppError('rate_limited', 'Too many requests, slow down', {
        headers: { 'Retry-After': limited },
      });
    }
    return { revoked: false };
  }

  return {
    check,
    /** One bucket on its own (the readiness guard). */
    async hit(res: ServerResponse, bucket: string, rule: RateLimit): Promise<void> {
      await check(res, [{ bucket, rule }]);
    },
  };
}
export type RateLimiter = ReturnType<typeof redisRateLimiter>;
