import type { TenantSettingsSnapshot } from '@ledgerline/contracts';
import { createBreaker } from '../breaker';

/**
 * The auth service's internal read of a tenant's account settings (name, billing address, tax
 * id, logo): the issuer of a document. Behind one breaker with a timeout, as every synchronous
 * call: when auth is away the request answers 503. A tenant auth does not know is null.
 */
export function httpTenantSettingsClient(opts: { baseUrl: string; timeoutMs: number }) {
  const call = createBreaker(
    async (path: string, correlationId: string): Promise<TenantSettingsSnapshot | null> => {
      const res = await fetch(`${opts.baseUrl}/internal/tenants/${path}`, {
        headers: { accept: 'application/json', 'x-correlation-id': correlationId },
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`auth answered ${res.status}`);
      return ((await res.json()) as { data: TenantSettingsSnapshot }).data;
    },
    { name: 'auth', timeoutMs: opts.timeoutMs + 500 },
  );
  return {
    /** The tenant's settings now; with `logo` its logo's bytes too (base64), else logo is null. */
    async settings(
      tenantId: string,
      correlationId: string,
      withLogo = false,
    ): Promise<TenantSettingsSnapshot | null> {
      const query = withLogo ? '?logo=1' : '';
      return call.fire(`${encodeURIComponent(tenantId)}/settings${query}`, correlationId);
    },
  };
}

export type TenantSettingsClient = ReturnType<typeof httpTenantSettingsClient>;
