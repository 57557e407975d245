import type {
  CustomerSnapshot,
  EntitlementBillingSnapshot,
  ReferenceAnswer,
  ReferenceIds,
} from '@ledgerline/contracts';
import { internalReader } from './internal-client';

/**
 * The customers service's internal API, asked when a service's event-fed copies miss an id or may
 * be older than a request needs (read-your-writes: an id a client was just answered with works at once). One
 * breaker with a timeout for every call: when customers is away the request answers 503, never a
 * 404 or 422 that a retry would turn into a success. A 404 from customers is an answer (null).
 */
export function httpCustomersClient(opts: { baseUrl: string; timeoutMs: number }) {
  const reader = internalReader({ name: 'customers', ...opts });
  const call = {
    fire: (path: string, correlationId: string) =>
      reader.get<unknown>(`/internal/tenants/${path}`, correlationId),
  };
  const tenant = (tenantId: string) => encodeURIComponent(tenantId);
  return {
    /** Which of the named ids the tenant has (null for ids not asked). */
    async existing(
      tenantId: string,
      ids: ReferenceIds,
      correlationId: string,
    ): Promise<ReferenceAnswer> {
      const { entitlement_details_ids: detailIds, ...singles } = ids;
      const query = new URLSearchParams(
        Object.entries(singles).filter((entry): entry is [string, string] => Boolean(entry[1])),
      );
      if (detailIds && detailIds.length > 0) query.set('entitlement_detail_ids', detailIds.join());
      const answer = await call.fire(`${tenant(tenantId)}/references?${query}`, correlationId);
      return answer as ReferenceAnswer;
    },
    /**
     * The customer as its events describe it, now, with its postal address (which a document
     * prints and no event carries); null when the tenant has none by that id.
     */
    async customer(
      tenantId: string,
      customerId: string,
      correlationId: string,
    ): Promise<(CustomerSnapshot & { address?: string | null }) | null> {
      const path = `${tenant(tenantId)}/customers/${encodeURIComponent(customerId)}`;
      return (await call.fire(path, correlationId)) as CustomerSnapshot | null;
    },
    /** What invoicing the entitlement needs, now; null when the tenant has no such entitlement. */
    async entitlement(
      tenantId: string,
      entitlementId: string,
      infoId: string | null | undefined,
      correlationId: string,
    ): Promise<EntitlementBillingSnapshot | null> {
      const query = infoId ? `?${new URLSearchParams({ utility_info_id: infoId })}` : '';
      const path = `${tenant(tenantId)}/entitlements/${encodeURIComponent(entitlementId)}/billing-snapshot${query}`;
      return (await call.fire(path, correlationId)) as EntitlementBillingSnapshot | null;
    },
  };
}

export type CustomersClient = ReturnType<typeof httpCustomersClient>;
