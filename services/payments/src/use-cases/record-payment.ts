import {
  AppError,
  buildEvent,
  formatMinor,
  toMinor,
  type CreatePaymentRequest,
  type EventEnvelope,
  type ListQuery,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import type { BillingClient } from '../clients/billing';
import type { Payment, PaymentStore } from '../store/payments';

export interface PaymentsDeps {
  payments: PaymentStore;
  billing: BillingClient;
  publishSoon: () => void;
}

export interface Caller {
  tenantId: string;
  userId: string;
  token: string;
  requestId: string;
  correlationId: string;
}

const ISSUED = new Set(['unpaid', 'partial']);

/**
 * Records money received against an issued invoice of the caller's tenant. The payment and its
 * PaymentRecorded event are written in one document; billing settles the invoice from the event.
 * Overpayment is refused: the amount may not exceed the invoice's balance due.
 */
export async function recordPayment(
  deps: PaymentsDeps,
  caller: Caller,
  req: CreatePaymentRequest,
): Promise<Payment> {
  const invoice = await deps.billing.getInvoice(
    req.invoice_master_id,
    caller.token,
    caller.requestId,
  );
  if (!ISSUED.has(invoice.status)) {
    throw AppError.conflict(
      `Invoice ${invoice.id} is ${invoice.status}; payments are accepted only for issued, unpaid or partially paid invoices`,
    );
  }
  const currency = req.currency ?? invoice.currency;
  if (currency !== invoice.currency) {
    throw AppError.validation('Payment currency must match the invoice', [
      { field: 'currency', message: `must be ${invoice.currency}` },
    ]);
  }
  const amountField = req.amount !== undefined ? 'amount' : 'pay_amount';
  const amountMinor = toMinor(
    (req.amount ?? req.pay_amount) as string | number,
    currency,
    amountField,
  );
  if (amountMinor <= 0) {
    throw AppError.validation('Payment amount must be positive', [
      { field: amountField, message: 'must be greater than 0' },
    ]);
  }
  const balanceDue = toMinor(invoice.total_balance_due, currency);
  if (amountMinor > balanceDue) {
    throw AppError.validation('Payment exceeds the balance due', [
      {
        field: amountField,
        message: `must not exceed the balance due of ${formatMinor(balanceDue, currency)} ${currency}`,
      },
    ]);
  }
  const payment: Omit<Payment, 'created_at' | 'updated_at'> = {
    _id: newId('pay'),
    tenant_id: caller.tenantId,
    invoice_id: invoice.id,
    customer_id: invoice.customer_id,
    customer_entitlement_master_id:
      req.customer_entitlement_master_id ?? invoice.customer_entitlement_master_id,
    payment_date: req.payment_date ?? new Date().toISOString().slice(0, 10),
    payment_method: req.payment_method,
    amount_minor: amountMinor,
    currency,
    transaction_id: req.transaction_id ?? null,
    status: req.status,
    remarks: req.remarks ?? null,
    created_by: caller.userId,
    updated_by: caller.userId,
  };
  const events: EventEnvelope[] =
    payment.status === 'completed'
      ? [
          buildEvent('PaymentRecorded', {
            tenant_id: caller.tenantId,
            correlation_id: caller.correlationId,
            data: {
              payment_id: payment._id,
              invoice_id: payment.invoice_id,
              customer_id: payment.customer_id,
              amount_minor: amountMinor,
              currency,
              payment_method: payment.payment_method,
              payment_date: payment.payment_date,
            },
          }),
        ]
      : [];
  const saved = await deps.payments.insert(payment, events);
  deps.publishSoon();
  return saved;
}

export async function getPayment(
  deps: PaymentsDeps,
  caller: Pick<Caller, 'tenantId'>,
  id: string,
): Promise<Payment> {
  const payment = await deps.payments.findById(caller.tenantId, id);
  if (!payment) throw AppError.notFound('Payment');
  return payment;
}

export function listPayments(
  deps: PaymentsDeps,
  caller: Pick<Caller, 'tenantId'>,
  query: ListQuery,
) {
  return deps.payments.list(caller.tenantId, query);
}
