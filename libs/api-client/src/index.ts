import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './generated/api';

/**
 * A typed client of the Ledgerline API: `paths`, `components` and `operations` are generated from
 * the OpenAPI document at build (scripts/generate.mjs), and openapi-fetch types every call with
 * them (`client.GET('/api/customers/customers/{id}', { params: { path: { id } } })`).
 */
export type { components, operations, paths };
export { createClient };

export type LedgerlineClient = Client<paths>;

export interface LedgerlineClientOptions {
  /** The gateway's URL (`http://127.0.0.1:8080`). */
  baseUrl: string;
  /** An access token from `POST /api/auth`, or an API token (`llt_...`). */
  token?: string;
  /** Sent with every request besides the token. */
  headers?: Record<string, string>;
  /** Another fetch (tests, proxies); the global fetch by default. */
  fetch?: ClientOptions['fetch'];
}

/** A client of one gateway, sending `token` as the bearer of every request. */
export function createLedgerlineClient(options: LedgerlineClientOptions): LedgerlineClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: {
      ...options.headers,
      ...(options.token && { Authorization: `Bearer ${options.token}` }),
    },
    ...(options.fetch && { fetch: options.fetch }),
  });
}
