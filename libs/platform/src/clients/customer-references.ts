import type { ReferenceAnswer, ReferenceIds } from '@ledgerline/contracts';
import { createBreaker } from '../breaker';

export interface CustomerReferencesClient {
  existing(tenantId: string, ids: ReferenceIds, correlationId: string): Promise<ReferenceAnswer>;
}

/**
 * The customers service's answer on which ids exist in a tenant. Asked only for ids a service's
 * own copies do not hold yet, behind a breaker: when customers is away the write answers 503.
 */
export function httpCustomerReferences(opts: {
  baseUrl: string;
  timeoutMs: number;
}): CustomerReferencesClient {
  const call = createBreaker(
    async (
      tenantId: string,
      ids: ReferenceIds,
      correlationId: string,
    ): Promise<ReferenceAnswer> => {
      const query = new URLSearchParams(
        Object.entries(ids).filter((entry): entry is [string, string] => Boolean(entry[1])),
      );
      const res = await fetch(
        `${opts.baseUrl}/internal/tenants/${encodeURIComponent(tenantId)}/references?${query}`,
        {
          headers: { accept: 'application/json', 'x-correlation-id': correlationId },
          signal: AbortSignal.timeout(opts.timeoutMs),
        },
      );
      if (!res.ok) throw new Error(`customers answered ${res.status}`);
      return ((await res.json()) as { data: ReferenceAnswer }).data;
    },
    { name: 'customers', timeoutMs: opts.timeoutMs + 500 },
  );
  return { existing: (tenantId, ids, correlationId) => call.fire(tenantId, ids, correlationId) };
}
