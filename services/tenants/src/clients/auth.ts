import { AppError } from '@ledgerline/contracts';
import { createBreaker } from '@ledgerline/platform';

export interface OwnerRequest {
  tenant_id: string;
  company_name: string;
  subdomain: string;
  email: string;
  first_name: string;
  last_name: string;
  password?: string;
}

export interface AuthClient {
  /** Creates (or finds) the owner user in auth; the password goes to auth only, never on the bus. */
  provisionOwner(
    req: OwnerRequest,
    requestId: string,
  ): Promise<{ user_id: string; invitation_token: string | null }>;
}

export function httpAuthClient(opts: { baseUrl: string; timeoutMs: number }): AuthClient {
  const call = createBreaker(
    async (req: OwnerRequest, requestId: string) => {
      const res = await fetch(
        `${opts.baseUrl}/internal/tenants/${encodeURIComponent(req.tenant_id)}/owner`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': requestId },
          body: JSON.stringify(req),
          signal: AbortSignal.timeout(opts.timeoutMs),
        },
      );
      const body = (await res.json().catch(() => ({}))) as {
        data?: { user_id: string; invitation_token: string | null };
        error?: string;
        details?: { field?: string; message: string }[];
      };
      if (res.status === 422)
        throw AppError.validation(body.error ?? 'Invalid owner', body.details);
      if (res.status === 409) throw AppError.conflict('duplicate', body.error ?? 'Owner conflict');
      if (!res.ok || !body.data) throw new Error(`auth answered ${res.status}`);
      return body.data;
    },
    { name: 'auth', timeoutMs: opts.timeoutMs + 500 },
  );
  return { provisionOwner: (req, requestId) => call.fire(req, requestId) };
}
