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
 * Every check of one request in one round trip, in order: a bucket is INCRed (its window's expiry
 * set in the same step, so a window can never be left without one); a revocation key is looked
 * up. The first exceeded bucket or revoked session stops the script, so later buckets do not count
 * a refused request, exactly as when each was a call of its own. Answers `{count, pttl}` pairs
 * (`{exists, 0}` for a revocation key) for the steps it ran.
 */
const CHECKS = `local out = {}
for i = 1, #KEYS do
  local window = tonumber(ARGV[2 * i - 1])
  if window == 0 then
    local revoked = redis.call('EXISTS', KEYS[i])
    out[#out + 1] = revoked
    out[#out + 1] = 0
    if revoked == 1 then return out end
  else
    local c = redis.call('INCR', KEYS[i])
    if c == 1 then redis.call('PEXPIRE', KEYS[i], window) end
    out[#out + 1] = c
    out[#out + 1] = redis.call('PTTL', KEYS[i])
    if c > tonumber(ARGV[2 * i]) then return out end
  end
end
return out`;

type ChecksCommand = (...keysThenArgs: (string | number)[]) => Promise<number[]>;

/**
 * Fixed-window counters in Redis, shared by every gateway instance, checked together with the
 * session's revocation in one script (EVALSHA: the script text travels once per connection). If
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

  /**
   * Runs the checks; sets the RateLimit-* headers of the last bucket counted (the most specific
   * one, which is what a client needs); throws 429 with Retry-After for an exceeded bucket.
   * Answers whether the session was found revoked.
   */
  async function check(res: ServerResponse, checks: Check[]): Promise<{ revoked: boolean }> {
    const keys: string[] = [];
    const args: number[] = [];
    for (const c of checks) {
      if ('bucket' in c) {
        keys.push(`rl:${c.bucket}`);
        args.push(c.rule.windowMs, c.rule.limit);
      } else {
        keys.push(c.revokedKey);
        args.push(0, 0);
      }
    }
    let out: number[];
    try {
      out = await command(keys.length, ...keys, ...args);
    } catch (err) {
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        logger.warn(
          { err: (err as Error).message },
          'rate limiting and revocation checks unavailable (Redis); failing open',
        );
      }
      return { revoked: false };
    }
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
