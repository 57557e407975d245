import { AppError, formatMinor, sumMinor, toMinor, type InvoiceView } from '@ledgerline/contracts';
import { isDuplicateKeyError } from '@ledgerline/platform';
import { foldListed, heldMinor, outstandingOfHeld } from '../domain/invoice-balance';
import type { Payment } from '../store/payments';
import type { PaymentsDeps } from './deps';

/**
 * Every acceptance of money on one invoice holds the invoice's balance aggregate
 * (`payments:invoice:<tenant>:<invoice>`, the invoice_payments document's lock). The payments
 * service is the one owner of an invoice's balance (it holds every payment ever accepted for it;
 * billing learns of them through events a moment later), so counting and inserting under it
 * decides each payment on current data: concurrent or double-clicked payments cannot overpay.
 */
export function onInvoiceBalance<R>(
  deps: Pick<PaymentsDeps, 'aggregates' | 'invoicePayments'>,
  tenantId: string,
  invoiceId: string,
  fn: () => Promise<R>,
): Promise<R> {
  const { aggregate, idOf } = deps.invoicePayments;
  return deps.aggregates.guard(aggregate, idOf(tenantId, invoiceId), fn);
}

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
 * What the invoice's payments and credit notes hold now; call under the invoice's balance lock.
 * Listed payments are read by id unless known (this process wrote the last one), then folded into
 * the sum (domain/invoice-balance.ts, foldListed); `exceptId` (the payment being decided) stays
 * listed and is left out of `othersHeld`. An invoice whose payments predate the list is read once
 * by its invoice id.
 */
export async function currentBalanceParts(
  deps: Pick<PaymentsDeps, 'payments' | 'invoicePayments'>,
  tenantId: string,
  invoiceId: string,
  exceptId?: string,
) {
  const listed = (await deps.invoicePayments.read(tenantId, invoiceId)) ?? {
    ids: await deps.payments.idsForInvoice(tenantId, invoiceId),
    held: {},
    foldedMinor: 0,
    credits: {},
    seq: 0,
  };
  // the payment this process wrote last, when nothing was written to the list since
  const held = {
    ...listed.held,
    ...deps.invoicePayments.writtenAt(tenantId, invoiceId, listed.seq),
  };
  const unknown = listed.ids.filter((id) => id !== exceptId && held[id] === undefined);
  const read = await Promise.all(unknown.map((id) => deps.payments.findById(tenantId, id)));
  // an id whose payment is not there holds nothing and stays listed (its write may come yet).
  // One listed while its id was taken (an Idempotency-Key reused for another invoice, whose
  // insert collided) is another invoice's payment: it holds nothing of this one, for good
  for (const p of read) if (p) held[p._id] = p.invoice_id === invoiceId ? heldMinor(p) : 0;
  const folded = foldListed({ ids: listed.ids, held, foldedMinor: listed.foldedMinor }, exceptId);
  return {
    ...folded,
    seq: listed.seq,
    credits: listed.credits,
    creditedMinor: sumMinor(Object.values(listed.credits)),
  };
}

/**
 * Under the invoice's balance lock: `decide` judges the new payment against what the invoice's
 * payments and credit notes hold now (and may refuse it), then `paymentId` is listed and `record`
 * writes it. Listed before it is written: a crash in between leaves an id that holds nothing,
 * never a payment that is not counted; a refused payment is never listed. The next decision on
 * the invoice reads it by id and folds it into the sum (a decision's cost does not grow with the
 * invoice's payments, and a payment costs no write after its insert); the process that wrote it
 * remembers what it holds, so its next decision reads nothing by id while the list's write count
 * says nothing changed meanwhile.
 */
export async function withInvoicePayments<D>(
  deps: Pick<PaymentsDeps, 'payments' | 'invoicePayments' | 'aggregates'>,
  on: { tenantId: string; invoiceId: string; paymentId: string; unpaidByBilling?: boolean },
  decide: (held: number[], creditedMinor: number) => D,
  record: (decision: D) => Promise<Payment>,
): Promise<Payment> {
  const { tenantId, invoiceId, paymentId } = on;
  return onInvoiceBalance(deps, tenantId, invoiceId, async () => {
    const first = on.unpaidByBilling ? await asFirstPayment(deps, on, decide, record) : undefined;
    if (first) return first;
    const parts = await currentBalanceParts(deps, tenantId, invoiceId, paymentId);
    const decision = decide(parts.othersHeld, parts.creditedMinor);
    const listedBefore = parts.ids.includes(paymentId);
    const listed = { ...parts, ids: listedBefore ? parts.ids : [...parts.ids, paymentId] };
    const seq = await deps.invoicePayments.write(tenantId, invoiceId, listed, parts.seq);
    let payment: Payment;
    try {
      payment = await record(decision);
    } catch (err) {
      // the id was taken before (a repeat whose payment is folded already, or another invoice's
      // payment under a reused key): listed again it would count twice, so it is taken off
      if (!listedBefore && isDuplicateKeyError(err))
        await deps.invoicePayments.write(tenantId, invoiceId, parts, seq);
      throw err;
    }
    deps.invoicePayments.wrote(tenantId, invoiceId, seq, payment._id, heldMinor(payment));
    return payment;
  });
}

/**
 * Most invoices are paid once. For one that billing shows unpaid and uncredited and whose list
 * this process has not written, the payment is decided as the invoice's first and its list is
 * created with a unique insert, without reading it first: the insert succeeds only if the invoice
 * had no list, that is no payment and no credit note (every invoice with either has one; see
 * invoice-lists.ts). One that collides (billing had not applied an earlier payment yet, or
 * another process wrote it) is decided on its list as usual, as is a decision refused here (so
 * that the refusal names the balance due the invoice really has). Answers undefined then.
 */
async function asFirstPayment<D>(
  deps: Pick<PaymentsDeps, 'invoicePayments'>,
  on: { tenantId: string; invoiceId: string; paymentId: string },
  decide: (held: number[], creditedMinor: number) => D,
  record: (decision: D) => Promise<Payment>,
): Promise<Payment | undefined> {
  const { tenantId, invoiceId, paymentId } = on;
  if (!deps.invoicePayments.mayBeUnlisted(tenantId, invoiceId)) return undefined;
  let decision: D;
  try {
    decision = decide([], 0);
  } catch {
    return undefined;
  }
  if (!(await deps.invoicePayments.createWith(tenantId, invoiceId, paymentId))) return undefined;
  const payment = await record(decision);
  deps.invoicePayments.wrote(tenantId, invoiceId, 1, payment._id, heldMinor(payment));
  return payment;
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
