import {
  AppError,
  type InternalCreditAnswer,
  type InternalCreditRequest,
} from '@ledgerline/contracts';
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
  /**
   * Holds a credit note's amount against its invoice's balance (the payments service owns it);
   * idempotent by credit note id. A 422 when the invoice no longer owes it, 503 when unreachable.
   */
  holdCredit(
    tenantId: string,
    invoiceId: string,
    req: InternalCreditRequest,
    requestId: string,
  ): Promise<InternalCreditAnswer>;
}

/** A refusal from payments as the same error here: its message and details reach the client. */
async function refusal(res: Response): Promise<AppError> {
  const body = (await res.json().catch(() => ({}))) as {
    error?: string;
    details?: { field?: string; message: string }[];
  };
  const message = body.error ?? 'The payments service refused it';
  return res.status === 422
    ? AppError.validation(message, body.details)
    : AppError.conflict('invalid_state', message);
}

/**
 * Checkout "pay now" is one of the few synchronous calls: the buyer waits for the answer. Behind a
 * breaker with a timeout; when payments is away the caller gets a 503 and the order stays unpaid.
 */
export function httpPaymentsClient(opts: { baseUrl: string; timeoutMs: number }): PaymentsClient {
  /** One POST to payments' internal API: its answer's `data`, or the response to judge. */
  const post = (path: string, body: unknown, requestId: string) =>
    fetch(`${opts.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-request-id': requestId,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  const data = async <T>(res: Response): Promise<T> => {
    if (!res.ok) throw new Error(`payments answered ${res.status}`);
    return ((await res.json()) as { data: T }).data;
  };
  const call = createBreaker(
    async (req: RecordPaymentRequest, requestId: string): Promise<Record<string, unknown>> => {
      const res = await post('/internal/payments', req, requestId);
      if (res.status === 404)
        throw AppError.unavailable('payments cannot record checkout payments yet');
      if (res.status === 409 || res.status === 422) {
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        throw AppError.conflict('invalid_state', body.error ?? 'The payment was refused');
      }
      return data<Record<string, unknown>>(res);
    },
    { name: 'payments', timeoutMs: opts.timeoutMs + 500 },
  );
  const credit = createBreaker(
    async (
      tenantId: string,
      invoiceId: string,
      req: InternalCreditRequest,
      requestId: string,
    ): Promise<InternalCreditAnswer> => {
      const path = `/internal/tenants/${encodeURIComponent(tenantId)}/invoices/${encodeURIComponent(invoiceId)}/credits`;
      const res = await post(path, req, requestId);
      if (res.status === 409 || res.status === 422) throw await refusal(res);
      return data<InternalCreditAnswer>(res);
    },
    { name: 'payments', timeoutMs: opts.timeoutMs + 500 },
  );
  return {
    recordPayment: (req, requestId) => call.fire(req, requestId),
    holdCredit: (tenantId, invoiceId, req, requestId) =>
      credit.fire(tenantId, invoiceId, req, requestId),
  };
}
