import CircuitBreaker from 'opossum';
import { AppError } from '@ledgerline/contracts';

export interface BreakerOptions {
  name: string;
  timeoutMs: number;
  /** Percentage of failures in the rolling window that opens the circuit. */
  errorThresholdPercentage?: number;
  resetTimeoutMs?: number;
  volumeThreshold?: number;
}

/**
 * Wraps an async call in an opossum circuit breaker with a timeout. Errors the caller caused
 * (4xx AppErrors) pass through without counting as failures of the dependency.
 */
export function createBreaker<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  opts: BreakerOptions,
) {
  const breaker = new CircuitBreaker(fn, {
    name: opts.name,
    timeout: opts.timeoutMs,
    errorThresholdPercentage: opts.errorThresholdPercentage ?? 50,
    resetTimeout: opts.resetTimeoutMs ?? 5000,
    volumeThreshold: opts.volumeThreshold ?? 5,
    errorFilter: (err: unknown) => err instanceof AppError && err.status < 500,
    // nothing reads latency percentiles or snapshots; with them on, every call's latency is kept
    // for the window and all of them are sorted each second, per breaker
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
  });
  return {
    breaker,
    async fire(...args: A): Promise<R> {
      try {
        return (await breaker.fire(...args)) as R;
      } catch (err) {
        if (err instanceof AppError) throw err;
        const code = (err as { code?: string }).code;
        if (code === 'EOPENBREAKER')
          throw AppError.unavailable(
            `${opts.name} is unavailable (circuit open), try again shortly`,
          );
        if (code === 'ETIMEDOUT')
          throw new AppError('upstream_timeout', `${opts.name} did not answer in time`);
        throw AppError.unavailable(`${opts.name} is unavailable, try again shortly`);
      }
    },
  };
}
