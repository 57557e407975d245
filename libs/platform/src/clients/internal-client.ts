import { createBreaker } from '../breaker';

/**
 * A service's internal read API (`/internal/...`, not reachable through the gateway), asked by
 * another service: one breaker with a timeout per owner, so when the owner is away the call fails
 * fast (503-like AppError) instead of hanging, and never answers as if the object were missing.
 * A 404 is an answer (null): the owner has no such object for that tenant.
 */
export interface InternalReader {
  /** GETs `baseUrl + path` and answers the envelope's `data`; null on 404; throws otherwise. */
  get<T>(path: string, correlationId?: string): Promise<T | null>;
}

export function internalReader(opts: {
  /** The owner's name: the breaker's name and the start of every error message. */
  name: string;
  baseUrl: string;
  timeoutMs: number;
}): InternalReader {
  const call = createBreaker(
    async (path: string, correlationId: string | undefined): Promise<unknown> => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (correlationId) headers['x-correlation-id'] = correlationId;
      const res = await fetch(`${opts.baseUrl}${path}`, {
        headers,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`${opts.name} answered ${res.status}`);
      return ((await res.json()) as { data: unknown }).data;
    },
    { name: opts.name, timeoutMs: opts.timeoutMs + 500 },
  );
  return {
    get: async <T>(path: string, correlationId?: string) =>
      (await call.fire(path, correlationId)) as T | null,
  };
}

/** Encodes each part of a path: `pathOf('tenants', t, 'invoices', id)` -> `/tenants/t/invoices/id`. */
export function pathOf(...parts: string[]): string {
  return parts.map((part) => `/${encodeURIComponent(part)}`).join('');
}
