import { AppError, formatMinor, sumMinor, toMinor, type InvoiceView } from '@ledgerline/contracts';
import { outstandingOfHeld } from '../domain/invoice-balance';
import type { Payment } from '../store/payments';
import type { PaymentsDeps } from './deps';
import { withInvoicePayments } from './invoice-decisions';

/** What was asked for: an amount (absent means the whole balance due, or no money at all). */
export interface AskedAmount {
  amount?: string | number;
  currency?: string;
  field: string;
  /** Seed 000 pays the balance due when no amount is sent; seed 002's payment master holds nothing. */
  whenAbsent: 'balance_due' | 'nothing';
}

/** Payments are accepted for issued invoices: never drafts, never void ones (409). */
export function assertIssued(invoice: Pick<InvoiceView, 'id' | 'status'>): void {
  if (invoice.status === 'draft' || invoice.status === 'void') {
    throw AppError.conflict(
      'invalid_state',
      `Invoice ${invoice.id} is ${invoice.status}; payments are accepted only for issued invoices`,
    );
  }
}

/**
 * The amount a payment may take: positive, in the invoice's currency, and at most what the invoice
 * still owes after every payment already accepted (422 beyond, also when nothing is owed).
 */
export function payableAmount(
  invoice: Pick<InvoiceView, 'currency'>,
  asked: AskedAmount,
  outstanding: number,
): number {
  const currency = invoice.currency;
  const amountMinor =
    asked.amount === undefined ? outstanding : toMinor(asked.amount, currency, asked.field);
  if (amountMinor <= 0 && asked.amount !== undefined) {
    throw AppError.validation('Payment amount must be positive', [
      { field: asked.field, message: 'must be greater than 0' },
    ]);
  }
  if (amountMinor > outstanding || amountMinor <= 0) {
    throw AppError.validation('Payment exceeds the balance due', [
      {
        field: asked.field,
        message:
          outstanding === 0
            ? 'the invoice is paid in full: nothing is due'
            : `must not exceed the balance due of ${formatMinor(outstanding, currency)} ${currency}`,
      },
    ]);
  }
  return amountMinor;
}

function assertCurrency(invoice: Pick<InvoiceView, 'currency'>, currency: string | undefined) {
  if (currency !== undefined && currency !== invoice.currency) {
    throw AppError.validation('Payment currency must match the invoice', [
      { field: 'currency', message: `must be ${invoice.currency}` },
    ]);
  }
}

/**
 * Accepts money on an issued invoice of `tenantId`: under the invoice's lock, counts what every
 * payment already holds of its total, decides the amount and lets `insert` write the payment
 * `paymentId` before the lock is released. A payment master that holds no money needs no lock.
 */
export async function acceptOnInvoice(
  deps: Pick<PaymentsDeps, 'payments' | 'invoicePayments' | 'aggregates'>,
  tenantId: string,
  invoice: InvoiceView,
  asked: AskedAmount & { paymentId: string },
  insert: (amountMinor: number) => Promise<Payment>,
): Promise<Payment> {
  assertIssued(invoice);
  assertCurrency(invoice, asked.currency);
  if (asked.amount === undefined && asked.whenAbsent === 'nothing') return insert(0);
  const total = toMinor(invoice.total_bill_amount, invoice.currency);
  const unpaidByBilling =
    toMinor(invoice.total_paid_amount, invoice.currency) === 0 &&
    toMinor(invoice.credited_amount, invoice.currency) === 0;
  return withInvoicePayments(
    deps,
    { tenantId, invoiceId: invoice.id, paymentId: asked.paymentId, unpaidByBilling },
    (held, credited) =>
      payableAmount(invoice, asked, outstandingOfHeld(sumMinor([total, -credited]), held)),
    insert,
  );
}
