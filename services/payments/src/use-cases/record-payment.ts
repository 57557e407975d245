import { createHash } from 'node:crypto';
import {
  AppError,
  buildEvent,
  formatMinor,
  PLATFORM_TENANT_ID,
  toMinor,
  type CreatePaymentRequest,
  type CreatePlatformPaymentRequest,
  type EventEnvelope,
  type InternalPaymentRequest,
  type InvoiceView,
} from '@ledgerline/contracts';
import { isDuplicateKeyError, newId } from '@ledgerline/platform';
import type { NewPayment, Payment } from '../store/payments';
import { acceptedMethod } from './payment-methods';
import type { Caller, PaymentsDeps } from './deps';

const PAYABLE = new Set(['unpaid', 'partial']);

/** PaymentRecorded for a completed payment, in the payment's tenant (the platform's for seed 000). */
export function recordedEvent(
  p: Pick<
    Payment,
    | '_id'
    | 'tenant_id'
    | 'invoice_id'
    | 'customer_id'
    | 'amount_minor'
    | 'currency'
    | 'payment_method'
    | 'payment_date'
  >,
  correlationId: string,
): EventEnvelope {
  return buildEvent('PaymentRecorded', {
    tenant_id: p.tenant_id,
    correlation_id: correlationId,
    data: {
      payment_id: p._id,
      invoice_id: p.invoice_id,
      customer_id: p.customer_id,
      amount_minor: p.amount_minor,
      currency: p.currency,
      payment_method: p.payment_method,
      payment_date: p.payment_date,
    },
  });
}

/**
 * The amount a payment may take on this invoice. The rule: the invoice must be issued and not
 * settled (unpaid or partial; otherwise 409), the currency must be the invoice's, and the amount
 * must be positive and at most the balance due billing reports now (overpayment is refused, 422).
 */
export function payableAmount(
  invoice: InvoiceView,
  input: { amount?: string | number; currency?: string; field: string },
): number {
  if (!PAYABLE.has(invoice.status)) {
    throw AppError.conflict(
      `Invoice ${invoice.id} is ${invoice.status}; payments are accepted only for issued, unpaid or partially paid invoices`,
    );
  }
  const currency = input.currency ?? invoice.currency;
  if (currency !== invoice.currency) {
    throw AppError.validation('Payment currency must match the invoice', [
      { field: 'currency', message: `must be ${invoice.currency}` },
    ]);
  }
  const balanceDue = toMinor(invoice.total_balance_due, currency);
  const amountMinor =
    input.amount === undefined ? balanceDue : toMinor(input.amount, currency, input.field);
  if (amountMinor <= 0) {
    throw AppError.validation('Payment amount must be positive', [
      { field: input.field, message: 'must be greater than 0' },
    ]);
  }
  if (amountMinor > balanceDue) {
    throw AppError.validation('Payment exceeds the balance due', [
      {
        field: input.field,
        message: `must not exceed the balance due of ${formatMinor(balanceDue, currency)} ${currency}`,
      },
    ]);
  }
  return amountMinor;
}

async function insertPayment(
  deps: PaymentsDeps,
  payment: NewPayment,
  correlationId: string,
): Promise<Payment> {
  const events = payment.status === 'completed' ? [recordedEvent(payment, correlationId)] : [];
  const saved = await deps.payments.insert(payment, events);
  deps.publishSoon([saved._id]);
  return saved;
}

/** The request's Idempotency-Key, and what it keys (one route's payments in one tenant's books). */
export interface PaymentKey {
  scope: string;
  key: string;
}

/**
 * The payment under a deterministic id: the one already stored (checked by `same`), else the one
 * `record` inserts now; a concurrent insert of the same id is answered as already stored.
 */
async function findOrRecord(
  deps: PaymentsDeps,
  tenantId: string,
  id: string,
  same: (p: Payment) => void,
  record: () => Promise<Payment>,
): Promise<{ payment: Payment; created: boolean }> {
  const stored = async () => {
    const payment = await deps.payments.findById(tenantId, id);
    if (payment) same(payment);
    return payment;
  };
  const existing = await stored();
  if (existing) return { payment: existing, created: false };
  try {
    return { payment: await record(), created: true };
  } catch (err) {
    const raced = isDuplicateKeyError(err) && (await stored());
    if (raced) return { payment: raced, created: false };
    throw err;
  }
}

/**
 * A payment sent with an Idempotency-Key gets an id derived from it. The HTTP layer replays a
 * stored answer, but an answer lost after the payment was written (the database went away before
 * the response was stored, a 503) releases the key; the client's retry then finds the payment by
 * this id instead of recording it a second time (found by the fault suite).
 */
async function recordKeyed(
  deps: PaymentsDeps,
  books: { tenantId: string; invoiceId: string; key?: PaymentKey },
  record: (id: string) => Promise<Payment>,
): Promise<Payment> {
  if (!books.key) return record(newId('pay'));
  const id = internalPaymentId(books.tenantId, `${books.key.scope}\n${books.key.key}`);
  const same = (p: Payment) => {
    if (p.invoice_id !== books.invoiceId)
      throw AppError.validation('This Idempotency-Key was already used for another payment', [
        { field: 'Idempotency-Key', message: 'reused for a different invoice' },
      ]);
  };
  return (await findOrRecord(deps, books.tenantId, id, same, () => record(id))).payment;
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Records money received against an issued invoice of the caller's tenant. The payment and its
 * PaymentRecorded event are written in one document; billing settles the invoice from the event.
 * A pending payment publishes nothing until it completes.
 */
export async function recordPayment(
  deps: PaymentsDeps,
  caller: Caller,
  req: CreatePaymentRequest,
  opts: { masterPaymentId?: string; key?: PaymentKey } = {},
): Promise<Payment> {
  return recordKeyed(
    deps,
    { tenantId: caller.tenantId, invoiceId: req.invoice_master_id, key: opts.key },
    (id) => newPayment(deps, caller, req, id, opts.masterPaymentId ?? null),
  );
}

async function newPayment(
  deps: PaymentsDeps,
  caller: Caller,
  req: CreatePaymentRequest,
  id: string,
  masterPaymentId: string | null,
): Promise<Payment> {
  const method = await acceptedMethod(deps, caller.tenantId, req.payment_method);
  const invoice = await deps.billing.getInvoice(
    req.invoice_master_id,
    caller.token,
    caller.requestId,
  );
  const field = req.amount !== undefined ? 'amount' : 'pay_amount';
  const amountMinor = payableAmount(invoice, {
    amount: req.amount ?? req.pay_amount,
    currency: req.currency,
    field,
  });
  return insertPayment(
    deps,
    {
      _id: id,
      tenant_id: caller.tenantId,
      invoice_id: invoice.id,
      customer_id: invoice.customer_id,
      customer_entitlement_master_id:
        req.customer_entitlement_master_id ?? invoice.customer_entitlement_master_id,
      master_payment_id: masterPaymentId,
      payment_date: req.payment_date ?? today(),
      payment_method: method,
      amount_minor: amountMinor,
      currency: invoice.currency,
      transaction_id: req.transaction_id ?? null,
      status: req.status,
      completed_at: req.status === 'completed' ? new Date() : null,
      remarks: req.remarks ?? null,
      created_by: caller.userId,
      updated_by: caller.userId,
    },
    caller.correlationId,
  );
}

/**
 * Seed 000: a tenant pays an invoice the platform issued to it. The payment belongs to the
 * platform's books (tenant_id = the platform, customer_id = the paying tenant), so PaymentRecorded
 * settles the platform's invoice; the tenant lists it through /v1/billing/payments/.
 */
export async function recordPlatformPayment(
  deps: PaymentsDeps,
  caller: Caller,
  req: CreatePlatformPaymentRequest,
  key?: PaymentKey,
): Promise<Payment> {
  // the payment is in the platform's books: the key is the paying tenant's
  const tenantKey = key && { scope: `${key.scope}\n${caller.tenantId}`, key: key.key };
  return recordKeyed(
    deps,
    { tenantId: PLATFORM_TENANT_ID, invoiceId: req.invoice_id, key: tenantKey },
    (id) => newPlatformPayment(deps, caller, req, id),
  );
}

async function newPlatformPayment(
  deps: PaymentsDeps,
  caller: Caller,
  req: CreatePlatformPaymentRequest,
  id: string,
): Promise<Payment> {
  const method = await acceptedMethod(deps, PLATFORM_TENANT_ID, req.payment_method);
  const invoice = await deps.billing.getPlatformInvoice(
    req.invoice_id,
    caller.token,
    caller.requestId,
  );
  const amountMinor = payableAmount(invoice, {
    amount: req.amount,
    currency: req.currency,
    field: 'amount',
  });
  return insertPayment(
    deps,
    {
      _id: id,
      tenant_id: PLATFORM_TENANT_ID,
      invoice_id: invoice.id,
      customer_id: caller.tenantId,
      customer_entitlement_master_id: null,
      master_payment_id: null,
      payment_date: today(),
      payment_method: method,
      amount_minor: amountMinor,
      currency: invoice.currency,
      transaction_id: req.transaction_id ?? null,
      status: 'completed',
      completed_at: new Date(),
      remarks: null,
      created_by: caller.userId,
      updated_by: caller.userId,
    },
    caller.correlationId,
  );
}

/** The id an internal payment gets from its idempotency key: a repeat collides on insert. */
export const internalPaymentId = (tenantId: string, key: string) =>
  `pay_${createHash('sha256').update(`${tenantId}\n${key}`).digest('hex').slice(0, 24)}`;

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
  return findOrRecord(deps, req.tenant_id, id, sameRequest, async () =>
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
  );
}

export async function getPayment(
  deps: Pick<PaymentsDeps, 'payments'>,
  tenantId: string,
  id: string,
): Promise<Payment> {
  const payment = await deps.payments.findById(tenantId, id);
  if (!payment) throw AppError.notFound('Payment');
  return payment;
}
