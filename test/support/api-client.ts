import { createLedgerlineClient, type LedgerlineClient } from '@ledgerline/api-client';
import type { TestSession } from './accounts';

/** The generated SDK client of a test's gateway, acting as `session` (its bearer token). */
export function clientOf(gatewayUrl: string, session: TestSession): LedgerlineClient {
  return createLedgerlineClient({ baseUrl: gatewayUrl, token: session.token });
}

/** What every openapi-fetch call answers: the typed body, or the error envelope, and the response. */
interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

type DataOf<A extends Answer> = NonNullable<A['data']> extends { data: infer D } ? D : never;

/**
 * The answer's `data` (typed by the document) when it has the expected status; otherwise the test
 * fails showing the method, path, status and error the gateway answered.
 */
export async function expectAnswer<A extends Answer>(call: Promise<A>, status = 200) {
  const { data, error, response } = await call;
  const request = new URL(response.url).pathname;
  const message = (error as { error?: string } | undefined)?.error;
  expect([request, response.status, message]).toEqual([
    request,
    status,
    status < 300 ? undefined : message,
  ]);
  return (data as { data: DataOf<A> } | undefined)?.data as DataOf<A>;
}

/** The error envelope of an answer that must have been refused with `status`. */
export async function expectRefusal(call: Promise<Answer>, status: number) {
  const { error, response } = await call;
  expect(response.status).toBe(status);
  return error as { error: string; type: string; details?: { field?: string; message: string }[] };
}
