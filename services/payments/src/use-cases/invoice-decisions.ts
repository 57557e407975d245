import { sumMinor } from '@ledgerline/contracts';
import { isDuplicateKeyError } from '@ledgerline/platform';
import { foldListed, heldMinor } from '../domain/invoice-balance';
import type { InvoicePaymentsStore } from '../store/invoice-payments';
import type { Payment } from '../store/payments';
import type { PaymentsDeps } from './deps';

type DecisionDeps = Pick<PaymentsDeps, 'payments' | 'invoicePayments' | 'aggregates'>;

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

/**
 * What the invoice's payments and credit notes hold now; call under the invoice's balance lock.
 * Listed payments are read by id unless known (this process wrote them last), then folded into
 * the sum (domain/invoice-balance.ts, foldListed); those `deciding` stay listed and are left out
 * of `othersHeld`. An invoice whose payments predate the list is read once by its invoice id.
 */
export async function currentBalanceParts(
  deps: Pick<PaymentsDeps, 'payments' | 'invoicePayments'>,
  tenantId: string,
  invoiceId: string,
  deciding: readonly string[] = [],
) {
  const listed = (await deps.invoicePayments.read(tenantId, invoiceId)) ?? {
    ids: await deps.payments.idsForInvoice(tenantId, invoiceId),
    held: {},
    foldedMinor: 0,
    credits: {},
    seq: 0,
  };
  // the payments this process wrote last, when nothing was written to the list since
  const held = {
    ...listed.held,
    ...deps.invoicePayments.writtenAt(tenantId, invoiceId, listed.seq),
  };
  const unknown = listed.ids.filter((id) => !deciding.includes(id) && held[id] === undefined);
  const read = await Promise.all(unknown.map((id) => deps.payments.findById(tenantId, id)));
  // an id whose payment is not there holds nothing and stays listed (its write may come yet).
  // One listed while its id was taken (an Idempotency-Key reused for another invoice, whose
  // insert collided) is another invoice's payment: it holds nothing of this one, for good
  for (const p of read) if (p) held[p._id] = p.invoice_id === invoiceId ? heldMinor(p) : 0;
  const folded = foldListed({ ids: listed.ids, held, foldedMinor: listed.foldedMinor }, deciding);
  return {
    ...folded,
    seq: listed.seq,
    credits: listed.credits,
    creditedMinor: sumMinor(Object.values(listed.credits)),
  };
}

/** One payment waiting for a decision on its invoice. */
interface Waiting {
  paymentId: string;
  unpaidByBilling?: boolean;
  /** What the payment will hold of the invoice (minor units), or a refusal (throws). */
  decide: (held: number[], creditedMinor: number) => number;
  record: (amountMinor: number) => Promise<Payment>;
  resolve: (payment: Payment) => void;
  reject: (err: unknown) => void;
}

interface Batch {
  tenantId: string;
  invoiceId: string;
  /** Joined until the lock is had; payments after that open the next batch. */
  waiting: Waiting[];
}

/** The batches of this process not started yet, by invoice, per store (one per process). */
const openBatches = new WeakMap<InvoicePaymentsStore, Map<string, Batch>>();

/**
 * Decides a payment on an invoice under the invoice's balance lock: `decide` judges it against
 * what the invoice's payments and credit notes hold now (and may refuse it), then it is listed
 * and `record` writes it. Listed before it is written: a crash in between leaves an id that holds
 * nothing, never a payment that is not counted; a refused payment is never listed.
 *
 * Payments on one invoice that arrive while its lock is held wait together and are decided in one
 * turn (group commit): one read of the list, each decision in arrival order counting those
 * accepted before it, one list write, their inserts at once. One invoice's payments were decided
 * one lock turn each (a read, a write and an insert in a row): at 5 payments/s on one invoice,
 * the turns could not keep up once the store slowed under load (docs/benchmarks.md, twelfth pass).
 */
export function withInvoicePayments(
  deps: DecisionDeps,
  on: { tenantId: string; invoiceId: string; paymentId: string; unpaidByBilling?: boolean },
  decide: Waiting['decide'],
  record: Waiting['record'],
): Promise<Payment> {
  const batch = batchToJoin(deps, on);
  return new Promise<Payment>((resolve, reject) => {
    batch.waiting.push({ ...on, decide, record, resolve, reject });
  });
}

/**
 * The invoice's open batch, or a new one: the first payment waiting on an invoice opens a batch
 * and queues it for the lock.
 */
function batchToJoin(deps: DecisionDeps, on: { tenantId: string; invoiceId: string }): Batch {
  const store = deps.invoicePayments;
  let open = openBatches.get(store);
  if (!open) {
    open = new Map<string, Batch>();
    openBatches.set(store, open);
  }
  const key = store.idOf(on.tenantId, on.invoiceId);
  const existing = open.get(key);
  if (existing) return existing;
  const created: Batch = { tenantId: on.tenantId, invoiceId: on.invoiceId, waiting: [] };
  open.set(key, created);
  // whatever ends the batch's turn, it is no longer open: a later payment opens the next one
  const close = () => {
    if (open.get(key) === created) open.delete(key);
  };
  onInvoiceBalance(deps, on.tenantId, on.invoiceId, () => {
    close();
    return decideBatch(deps, created);
  }).catch((err: unknown) => {
    // the lock was not had (409 busy, Redis away) or the store failed: every payment waiting
    // fails, and none joins this batch any more (it would wait for a turn that never comes)
    close();
    for (const w of created.waiting) w.reject(err);
  });
  return created;
}

/** A payment accepted in a batch, and what it holds. */
interface Accepted {
  waiting: Waiting;
  amountMinor: number;
}

async function decideBatch(deps: DecisionDeps, batch: Batch): Promise<void> {
  const { tenantId, invoiceId, waiting } = batch;
  const only = waiting.length === 1 ? waiting[0]! : undefined;
  if (only?.unpaidByBilling && (await asFirstPayment(deps, batch, only))) return;
  const deciding = waiting.map((w) => w.paymentId);
  const parts = await currentBalanceParts(deps, tenantId, invoiceId, deciding);
  const held = [...parts.othersHeld];
  const accepted: Accepted[] = [];
  for (const w of waiting) {
    try {
      const amountMinor = w.decide(held, parts.creditedMinor);
      held.push(amountMinor);
      accepted.push({ waiting: w, amountMinor });
    } catch (err) {
      w.reject(err);
    }
  }
  if (accepted.length === 0) return;
  const newIds = [...new Set(accepted.map((a) => a.waiting.paymentId))].filter(
    (id) => !parts.ids.includes(id),
  );
  let seq = await deps.invoicePayments.write(
    tenantId,
    invoiceId,
    { ids: [...parts.ids, ...newIds], foldedMinor: parts.foldedMinor },
    parts.seq,
  );
  const outcomes = await Promise.allSettled(accepted.map((a) => a.waiting.record(a.amountMinor)));
  const written: Record<string, number> = {};
  for (const o of outcomes) if (o.status === 'fulfilled') written[o.value._id] = heldMinor(o.value);
  try {
    // an id taken before (a repeat whose payment is folded already, or another invoice's payment
    // under a reused key): listed again it would count twice, so it is taken off
    const collided = new Set(
      accepted
        .filter((_, i) => {
          const o = outcomes[i]!;
          return o.status === 'rejected' && isDuplicateKeyError(o.reason);
        })
        .map((a) => a.waiting.paymentId),
    );
    const taken = newIds.filter((id) => collided.has(id) && written[id] === undefined);
    if (taken.length > 0) {
      const ids = [...parts.ids, ...newIds.filter((id) => !taken.includes(id))];
      const listed = { ids, foldedMinor: parts.foldedMinor };
      seq = await deps.invoicePayments.write(tenantId, invoiceId, listed, seq);
    }
    deps.invoicePayments.wrote(tenantId, invoiceId, seq, written);
  } finally {
    // each answers what became of its own payment, also if taking an id off failed
    outcomes.forEach((o, i) => {
      const w = accepted[i]!.waiting;
      if (o.status === 'fulfilled') w.resolve(o.value);
      else w.reject(o.reason);
    });
  }
}

/**
 * Most invoices are paid once. For one that billing shows unpaid and uncredited and whose list
 * this process has not written, the payment is decided as the invoice's first and its list is
 * created with a unique insert, without reading it first: the insert succeeds only if the invoice
 * had no list, that is no payment and no credit note (every invoice with either has one; see
 * invoice-lists.ts). One that collides (billing had not applied an earlier payment yet, or
 * another process wrote it) is decided on its list as usual, as is a decision refused here (so
 * that the refusal names the balance due the invoice really has). Answers false then.
 */
async function asFirstPayment(deps: DecisionDeps, batch: Batch, w: Waiting): Promise<boolean> {
  const { tenantId, invoiceId } = batch;
  if (!deps.invoicePayments.mayBeUnlisted(tenantId, invoiceId)) return false;
  let amountMinor: number;
  try {
    amountMinor = w.decide([], 0);
  } catch {
    return false;
  }
  if (!(await deps.invoicePayments.createWith(tenantId, invoiceId, w.paymentId))) return false;
  try {
    const payment = await w.record(amountMinor);
    deps.invoicePayments.wrote(tenantId, invoiceId, 1, { [payment._id]: heldMinor(payment) });
    w.resolve(payment);
  } catch (err) {
    w.reject(err);
  }
  return true;
}
