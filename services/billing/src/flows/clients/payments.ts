import { AppError } from '@ledgerline/contracts';
import { createBreaker } from '@ledgerline/platform';

export interface RecordPaymentRequest {
  tenant_id: string;
  invoice_id: string;
  customer_id: string | null;
  amount_minor: number;
  currency: string;
  payment_method: string;
  idempotency_key: string;
  created_by: string;
}

export interface PaymentsClient {
  /** Records a completed payment; the same idempotency key answers the payment made the first time. */
  recordPayment(req: RecordPaymentRequest, requestId: string): Promise<Record<string, unknown>>;
}

/**
 * Checkout "pay now" is one of the few synchronous calls: the buyer waits for the answer. Behind a
 * breaker with a timeout; when payments is away the caller gets a 503 and the order stays unpaid.
 */
export function httpPaymentsClient(opts: { baseUrl: string; timeoutMs: number }): PaymentsClient {
  const call = createBreaker(
    async (req: RecordPaymentRequest, requestId: string): Promise<Record<string, unknown>> => {
      const res = await fetch(`${opts.baseUrl}/internal/payments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-request-id': requestId,
        },
        body: JSON.stringify(req),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (res.status === 404)
        throw AppError.unavailable('payments cannot record checkout payments yet');
      if (res.status === 409 || res.status === 422) {
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        throw AppError.conflict('invalid_state', body.error ?? 'The payment was refused');
      }
      if (!res.ok) throw new Error(`payments answered ${res.status}`);
      const body = (await res.json()) as { data: Record<string, unknown> };
      return body.data;
    },
    { name: 'payments', timeoutMs: opts.timeoutMs + 500 },
  );
  return { recordPayment: (req, requestId) => call.fire(req, requestId) };
}
