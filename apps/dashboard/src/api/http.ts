import createClient from 'openapi-fetch';
import { accessToken, endSession, hasSession, refreshSession } from '../auth/session';
import type { paths } from '@ledgerline/api-client';

/** The error envelope's `error` text, shown as is on the page; `status` decides what follows. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly type?: string,
  ) {
    super(message);
  }
}

function withToken(request: Request): Request {
  const token = accessToken();
  if (token) request.headers.set('Authorization', `Bearer ${token}`);
  return request;
}

/**
 * Every call carries the in-memory access token; a 401 refreshes the session once and retries,
 * and a 401 after that (or a refused refresh) ends the session, which sends the app to sign-in.
 */
async function authedFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const first = await fetch(withToken(input));
  if (first.status !== 401 || !hasSession()) return first;
  if (!(await refreshSession())) {
    endSession();
    return first;
  }
  const second = await fetch(withToken(retry));
  if (second.status === 401) endSession();
  return second;
}

/** Typed over the OpenAPI document's `paths`; libs/api-client's client drops in here at merge. */
export const api = createClient<paths>({ baseUrl: '', fetch: authedFetch });

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The `data` of a success envelope, or an ApiError with the error envelope's message. */
export async function unwrap<T>(
  call: Promise<Outcome<T>>,
): Promise<T extends { data: infer D } ? D : T> {
  let outcome: Outcome<T>;
  try {
    outcome = await call;
  } catch {
    throw new ApiError('The server could not be reached. Check the connection and try again.', 0);
  }
  const { data, error, response } = outcome;
  if (!response.ok || error !== undefined) {
    const envelope = (error ?? {}) as { error?: string; type?: string };
    throw new ApiError(
      envelope.error ?? `The request failed (${response.status}).`,
      response.status,
      envelope.type,
    );
  }
  return ((data as { data?: unknown })?.data ?? data) as T extends { data: infer D } ? D : T;
}

/** A fresh key for POSTs that move money: a retried click never pays or buys twice. */
export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
