import { setTimeout as sleep } from 'node:timers/promises';
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AppError } from '@ledgerline/contracts';
import type { Logger } from '../logger';

export interface JwksKeySourceOptions {
  jwksUrl: string;
  /** Fewest milliseconds between two fetches of the key set, per process (5 s). */
  minRefreshIntervalMs?: number;
  /**
   * Requests with an unknown `kid` that may wait for the next allowed fetch (8); beyond that they
   * are refused at once. Waiting lets a token of a key rotated in a moment ago pass without a
   * retry, while a flood of forged kids can neither trigger fetches nor pile up requests.
   */
  maxWaiting?: number;
  timeoutMs?: number;
  logger?: Logger;
  now?: () => number;
}

export interface JwksKeySource {
  /** The key for `kid`, or null when the current key set has no such key (the token is refused). */
  keyFor(kid: string): Promise<KeyObject | null>;
}

/**
 * Auth's public keys by `kid`, fetched from its JWKS. A kid that is not in the key set triggers a
 * refresh, limited per process rather than per caller: one fetch in flight (concurrent callers
 * share it) and at most one per `minRefreshIntervalMs`. An unknown kid inside that interval waits
 * for the next allowed fetch (up to `maxWaiting` requests) or is refused at once, so forged tokens
 * with random kids cost auth one request per interval and never turn into 503s for real users; a
 * real rotation is picked up by the next fetch, at most one interval later.
 */
export function jwksKeySource(opts: JwksKeySourceOptions): JwksKeySource {
  const interval = opts.minRefreshIntervalMs ?? 5000;
  const maxWaiting = opts.maxWaiting ?? 8;
  const timeoutMs = opts.timeoutMs ?? 3000;
  const now = opts.now ?? Date.now;
  let keys = new Map<string, KeyObject>();
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let lastFailed = false;
  let pending: { startsAt: number; done: Promise<void> } | undefined;
  let waiting = 0;

  async function fetchKeys(): Promise<void> {
    lastAttemptAt = now();
    try {
      const res = await fetch(opts.jwksUrl, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`the JWKS answered ${res.status}`);
      const body = (await res.json()) as { keys?: unknown };
      const next = new Map<string, KeyObject>();
      for (const jwk of Array.isArray(body.keys) ? (body.keys as JsonWebKey[]) : []) {
        if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA') continue;
        // parsing costs more than a signature check: keys already known are kept as parsed
        const known = keys.get(jwk.kid);
        try {
          next.set(jwk.kid, known ?? createPublicKey({ key: jwk, format: 'jwk' }));
        } catch {
          opts.logger?.warn({ kid: jwk.kid }, 'unusable key in the JWKS skipped');
        }
      }
      // replaced, not merged: a retired key stops verifying once the JWKS drops it
      keys = next;
      lastFailed = false;
    } catch (err) {
      lastFailed = true;
      opts.logger?.warn({ err: (err as Error).message }, 'token keys could not be fetched');
      throw AppError.unavailable('Token keys are unavailable, try again shortly');
    }
  }

  /** The next fetch: the one in flight or scheduled, else one starting as soon as allowed. */
  function refresh(): Promise<void> {
    if (pending) return pending.done;
    const startsAt = Math.max(now(), lastAttemptAt + interval);
    const done = sleep(startsAt - now())
      .then(fetchKeys)
      .finally(() => {
        pending = undefined;
      });
    pending = { startsAt, done };
    return done;
  }

  return {
    async keyFor(kid) {
      const known = keys.get(kid);
      if (known) return known;
      const startsAt = pending?.startsAt ?? Math.max(now(), lastAttemptAt + interval);
      if (startsAt > now()) {
        // inside the interval: no fetch now; a few callers may wait for the scheduled one
        if (waiting >= maxWaiting) {
          if (lastFailed)
            throw AppError.unavailable('Token keys are unavailable, try again shortly');
          return null;
        }
        waiting++;
        try {
          await refresh();
        } finally {
          waiting--;
        }
      } else {
        // a fetch is due or in flight: everyone shares it (a process's first tokens, a rotation)
        await refresh();
      }
      return keys.get(kid) ?? null;
    },
  };
}
