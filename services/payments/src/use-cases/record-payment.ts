import {
  AppError,
  buildEvent,
  PLATFORM_TENANT_ID,
  type CreatePaymentRequest,
  type CreatePlatformPaymentRequest,
  type EventEnvelope,
  type InvoiceView,
} from '@ledgerline/contracts';
import { deterministicId, isDuplicateKeyError, newId } from '@ledgerline/platform';
import type { NewPayment, Payment } from '../store/payments';
import { acceptOnInvoice, type AskedAmount } from './invoice-balance';
import { acceptedMethod } from './payment-methods';
import type { Caller, PaymentsDeps } from './deps';

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

export async function insertPayment(
  deps: PaymentsDeps,
  payment: NewPayment,
  correlationId: string,
): Promise<Payment> {
  // a payment master holding no money (seed 002's two-step form) has nothing to settle
  const settles = payment.status === 'completed' && payment.amount_minor > 0;
  const events = settles ? [recordedEvent(payment, correlationId)] : [];
  const saved = await deps.payments.insert(payment, events);
  if (events.length > 0)
    deps.publishSoon([saved._id], {
      collection: deps.payments.model.collection.name,
      outboxes: new Map([[saved._id, events]]),
    });
  return saved;
}

/** The request's Idempotency-Key, and what it keys (one route's payments in one tenant's books). */
export interface PaymentKey {
  scope: string;
  key: string;
}

/**
 * The payment under a deterministic id: the one `record` inserts now, else (its insert refused as a
 * duplicate, or its decision refused) the one already stored, checked by `same`. Recording first
 * saves a read on every new payment; a repeat is rare (an answer lost after the payment was
 * written) and may be decided once more before its insert collides. A repeat whose invoice no
 * longer takes it (paid, voided since) still answers the stored payment, not the refusal.
 */
export async function findOrRecord(
  deps: PaymentsDeps,
  tenantId: string,
  id: string,
  same: (p: Payment) => void,
  record: () => Promise<Payment>,
): Promise<{ payment: Payment; created: boolean }> {
  try {
    return { payment: await record(), created: true };
  } catch (err) {
    if (!isDuplicateKeyError(err) && !(err instanceof AppError && err.status < 500)) throw err;
    const stored = await deps.payments.findById(tenantId, id);
    if (!stored) throw err;
    same(stored);
    return { payment: stored, created: false };
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
  // the same id /internal/payments derives from its key (internal-payment.ts)
  const id = deterministicId('pay', [books.tenantId, books.key.scope, books.key.key]);
  const same = (p: Payment) => {
    if (p.invoice_id !== books.invoiceId)
      throw AppError.validation('This Idempotency-Key was already used for another payment', [
        { field: 'Idempotency-Key', message: 'reused for a different invoice' },
      ]);
  };
  return (await findOrRecord(deps, books.tenantId, id, same, () => record(id))).payment;
}

export const today = () => new Date().toISOString().slice(0, 10);

/** Two independent reads at once (a POST waits for the slower); the first one's error wins. */
async function both<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

/** What a new payment says beyond its books, invoice, amount and author. */
type PaymentTerms = Pick<
  NewPayment,
  | 'customer_id'
  | 'customer_entitlement_master_id'
  | 'master_payment_id'
  | 'payment_date'
  | 'payment_method'
  | 'transaction_id'
  | 'status'
  | 'completed_at'
  | 'remarks'
>;

/**
 * Accepts the asked amount on `on.invoice` in the books of `on.tenantId` (under the invoice's
 * balance lock) and writes payment `on.id` for the amount decided, in the invoice's currency,
 * recorded by the caller. Both payment routes (a tenant's customer's, seed 000's) come here.
 */
function paymentOnInvoice(
  deps: PaymentsDeps,
  caller: Caller,
  on: { tenantId: string; id: string; invoice: InvoiceView },
  asked: AskedAmount,
  terms: PaymentTerms,
): Promise<Payment> {
  const { tenantId, id, invoice } = on;
  return acceptOnInvoice(deps, tenantId, invoice, { ...asked, paymentId: id }, (amountMinor) =>
    insertPayment(
      deps,
      {
        _id: id,
        tenant_id: tenantId,
        invoice_id: invoice.id,
        customer_id: terms.customer_id,
        customer_entitlement_master_id: terms.customer_entitlement_master_id,
        master_payment_id: terms.master_payment_id,
        payment_date: terms.payment_date,
        payment_method: terms.payment_method,
        amount_minor: amountMinor,
        currency: invoice.currency,
        transaction_id: terms.transaction_id,
        status: terms.status,
        completed_at: terms.completed_at,
        remarks: terms.remarks,
        created_by: caller.userId,
        updated_by: caller.userId,
      },
      caller.correlationId,
    ),
  );
}

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
  const [method, invoice] = await both(
    acceptedMethod(deps, caller.tenantId, req.payment_method),
    deps.billing.getInvoice(req.invoice_master_id, caller.token, caller.requestId),
  );
  const entitlementId = await paymentEntitlement(deps, caller, invoice, req);
  const asked: AskedAmount = {
    amount: req.amount ?? req.pay_amount,
    currency: req.currency,
    field: req.amount !== undefined ? 'amount' : 'pay_amount',
    whenAbsent: 'nothing',
  };
  return paymentOnInvoice(deps, caller, { tenantId: caller.tenantId, id, invoice }, asked, {
    customer_id: invoice.customer_id,
    customer_entitlement_master_id: entitlementId,
    master_payment_id: masterPaymentId,
    payment_date: req.payment_date ?? today(),
    payment_method: method,
    transaction_id: req.transaction_id ?? null,
    status: req.status,
    completed_at: req.status === 'completed' ? new Date() : null,
    remarks: req.remarks ?? null,
  });
}

/**
 * The entitlement a payment names must be the tenant's own: the invoice's entitlement, or (for an
 * invoice not billed for one) an entitlement the customers service knows in the tenant (422).
 */
async function paymentEntitlement(
  deps: PaymentsDeps,
  caller: Caller,
  invoice: InvoiceView,
  req: CreatePaymentRequest,
): Promise<string | null> {
  const named = req.customer_entitlement_master_id;
  const billed = invoice.customer_entitlement_master_id;
  if (named === undefined || named === billed) return billed;
  const refused = (message: string) =>
    AppError.validation('The payment names an entitlement it cannot be for', [
      { field: 'customer_entitlement_master_id', message },
    ]);
  if (billed !== null) throw refused(`must be ${billed}, the entitlement the invoice bills`);
  const known = await deps.customers.existing(
    caller.tenantId,
    { entitlement_id: named },
    caller.correlationId,
  );
  if (!known.entitlement_id) throw refused('no such entitlement in this account');
  return named;
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
  const [method, invoice] = await both(
    acceptedMethod(deps, PLATFORM_TENANT_ID, req.payment_method),
    deps.billing.getPlatformInvoice(req.invoice_id, caller.token, caller.requestId),
  );
  const asked: AskedAmount = {
    amount: req.amount,
    currency: req.currency,
    field: 'amount',
    whenAbsent: 'balance_due',
  };
  return paymentOnInvoice(deps, caller, { tenantId: PLATFORM_TENANT_ID, id, invoice }, asked, {
    customer_id: caller.tenantId,
    customer_entitlement_master_id: null,
    master_payment_id: null,
    payment_date: today(),
    payment_method: method,
    transaction_id: req.transaction_id ?? null,
    status: 'completed',
    completed_at: new Date(),
    remarks: null,
  });
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
