import { AppError, type InvoiceView } from '@ledgerline/contracts';
import { createBreaker } from '@ledgerline/platform';

export interface BillingClient {
  /** The caller's invoice as billing sees it now; 404 when it does not exist in the caller's tenant. */
  getInvoice(invoiceId: string, callerToken: string, requestId: string): Promise<InvoiceView>;
  /**
   * An invoice the platform issued to the caller's tenant (seed 000 `/v1/billing/invoices/{id}/`);
   * 404 when it is not one.
   */
  getPlatformInvoice(
    invoiceId: string,
    callerToken: string,
    requestId: string,
  ): Promise<InvoiceView>;
}

/**
 * Recording a payment needs the invoice as it is *now* (read-your-writes right after it was
 * issued), so this is one of the few synchronous calls: behind a breaker with a timeout, and made
 * with the caller's own token so billing applies the same tenant scoping as for the caller.
 */
export function httpBillingClient(opts: { baseUrl: string; timeoutMs: number }): BillingClient {
  const call = createBreaker(
    async (path: string, callerToken: string, requestId: string): Promise<InvoiceView> => {
      const res = await fetch(`${opts.baseUrl}${path}`, {
        headers: {
          authorization: `Bearer ${callerToken}`,
          'x-request-id': requestId,
          accept: 'application/json',
        },
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (res.status === 404) throw AppError.notFound('Invoice');
      if (res.status === 401 || res.status === 403)
        throw AppError.forbidden('You cannot read this invoice');
      if (!res.ok) throw new Error(`billing answered ${res.status}`);
      const body = (await res.json()) as { data: InvoiceView };
      return body.data;
    },
    { name: 'billing', timeoutMs: opts.timeoutMs + 500 },
  );
  const id = (invoiceId: string) => encodeURIComponent(invoiceId);
  return {
    getInvoice: (invoiceId, token, requestId) =>
      call.fire(`/api/bills/invoices/${id(invoiceId)}/`, token, requestId),
    getPlatformInvoice: (invoiceId, token, requestId) =>
      call.fire(`/v1/billing/invoices/${id(invoiceId)}/`, token, requestId),
  };
}
