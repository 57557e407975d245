import type { Request } from 'express';
import type { PaymentKey } from '../use-cases/record-payment';

/** Routes hand their use cases the shared request caller (identity, tenant, request ids). */
export { requestCaller as caller } from '@ledgerline/platform';

/** The request's Idempotency-Key for the payments a route records (`scope` names the route). */
export function paymentKey(req: Request, scope: string): PaymentKey | undefined {
  const key = req.header('idempotency-key');
  return key ? { scope, key } : undefined;
}
