import { AppError, type InternalPaymentRequest } from '@ledgerline/contracts';
import { deterministicId } from '@ledgerline/platform';
import type { Payment } from '../store/payments';
import { withInvoicePayments } from './invoice-decisions';
import { acceptedMethod } from './payment-methods';
import { findOrRecord, insertPayment, today } from './record-payment';
import type { PaymentsDeps } from './deps';

/** The id an internal payment gets from its idempotency key: a repeat collides on insert. */
export const internalPaymentId = (tenantId: string, key: string) =>
  deterministicId('pay', [tenantId, key]);

/**
 * Billing's checkout "pay now": the caller (billing itself, over the internal network) vouches for
 * the tenant, invoice and amount it just created, so the invoice is not read back (that would need
 * the end user's token and a second round trip); the method must still be one the tenant accepts.
 * Idempotent by idempotency_key: a repeat answers the first payment (created = false), and the
 * same key for a different invoice or amount is refused.
 */
export async function recordInternalPayment(
  deps: PaymentsDeps,
  req: InternalPaymentRequest,
  correlationId: string,
): Promise<{ payment: Payment; created: boolean }> {
  const id = internalPaymentId(req.tenant_id, req.idempotency_key);
  const sameRequest = (p: Payment) => {
    if (
      p.invoice_id !== req.invoice_id ||
      p.amount_minor !== req.amount_minor ||
      p.currency !== req.currency
    ) {
      throw AppError.validation('This idempotency_key was already used for a different payment', [
        { field: 'idempotency_key', message: 'reused with a different invoice or amount' },
      ]);
    }
  };
  // listed among the invoice's payments like any other, so later payments count it
  return findOrRecord(deps, req.tenant_id, id, sameRequest, async () =>
    withInvoicePayments(
      deps,
      { tenantId: req.tenant_id, invoiceId: req.invoice_id, paymentId: id },
      () => req.amount_minor,
      async () =>
        insertPayment(
          deps,
          {
            _id: id,
            tenant_id: req.tenant_id,
            invoice_id: req.invoice_id,
            customer_id: req.customer_id ?? null,
            customer_entitlement_master_id: null,
            master_payment_id: null,
            payment_date: today(),
            payment_method: await acceptedMethod(deps, req.tenant_id, req.payment_method),
            amount_minor: req.amount_minor,
            currency: req.currency,
            transaction_id: null,
            status: 'completed',
            completed_at: new Date(),
            remarks: 'checkout',
            created_by: req.created_by ?? null,
            updated_by: req.created_by ?? null,
          },
          correlationId,
        ),
    ),
  );
}
