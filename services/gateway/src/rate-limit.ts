import type { Redis } from 'ioredis';
import type { Response } from 'express';
import { AppError } from '@ledgerline/contracts';
import type { Logger } from '@ledgerline/platform';

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

// INCR and set the window's expiry in one step, so a window can never be left without one.
const HIT = `local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {c, redis.call('PTTL', KEYS[1])}`;

/**
 * Fixed-window counters in Redis, shared by every gateway instance. If Redis is unreachable the
 * gateway fails open (serves the request, logs once a minute): losing rate limiting for a while
 * is better than refusing every client; the breaker and the services' own limits still apply.
 */
export function redisRateLimiter(redis: Redis, logger: Logger) {
  let lastWarning = 0;
  return {
    async hit(res: Response, bucket: string, rule: RateLimit): Promise<void> {
      let count: number;
      let ttlMs: number;
      try {
        [count, ttlMs] = (await redis.eval(HIT, 1, `rl:${bucket}`, rule.windowMs)) as [
          number,
          number,
        ];
      } catch (err) {
        if (Date.now() - lastWarning > 60_000) {
          lastWarning = Date.now();
          logger.warn(
            { err: (err as Error).message },
            'rate limiting unavailable (Redis); failing open',
          );
        }
        return;
      }
      const resetSeconds = Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : rule.windowMs) / 1000));
      const remaining = Math.max(0, rule.limit - count);
      // the most restrictive bucket checked last wins the headers, which is what a client needs
      res.setHeader('RateLimit-Limit', String(rule.limit));
      res.setHeader('RateLimit-Remaining', String(remaining));
      res.setHeader('RateLimit-Reset', String(resetSeconds));
      if (count > rule.limit) {
        throw new AppError('rate_limited', 'Too many requests, slow down', {
          headers: { 'Retry-After': String(resetSeconds) },
        });
      }
    },
  };
}
export type RateLimiter = ReturnType<typeof redisRateLimiter>;
