import { AppError, buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import type { AggregateWriter, Logger } from '@ledgerline/platform';
import { invoiceEventAmounts } from './invoices';
import { refundMarker, settle, voidMarker, type Settlement } from '../domain/settlement';
import { markApplied, wasApplied } from './applied-markers';
import type { Invoice, InvoiceStore } from '../store/invoices';

export interface SettlementDeps {
  invoices: Pick<InvoiceStore, 'aggregate' | 'applied'>;
  aggregates: AggregateWriter;
  logger: Logger;
}

type Outcome = 'applied' | 'duplicate' | 'not_applicable';

interface Change {
  tenantId: string;
  correlationId: string;
  invoiceId: string;
  paymentId: string;
  currency: string;
  /** + a payment, - a voided payment or a refund. */
  appliedMinor: number;
  kind: 'payment' | 'payment_voided' | 'refund';
  refundId: string | null;
  /** What goes into applied_payments: the idempotency record of this change, in the same write. */
  marker: string;
  /** A reversal needs the payment it reverses to have been applied first. */
  requiresPayment: boolean;
}

/** A change's outcome on the invoice as the decision sees it, and its event when applied. */
type Step = { outcome: Outcome; next?: Settlement; event?: EventEnvelope };

/**
 * One change on `current` (the invoice with the changes before it in the same write applied):
 * refused once applied (its marker among the invoice's, recent or moved out, or `taken` by the
 * changes before it), or a reversal of a payment never applied.
 */
async function step(
  deps: SettlementDeps,
  current: Invoice,
  change: Change,
  taken: readonly string[],
): Promise<Step> {
  const { invoiceId, paymentId, marker } = change;
  const applied = (m: string) => taken.includes(m) || wasApplied(deps.invoices.applied, current, m);
  if (await applied(marker)) return { outcome: 'duplicate' };
  if (change.requiresPayment && !(await applied(paymentId))) {
    // nothing of this payment reached the invoice, so there is nothing to take back; the
    // payments service's reconciliation report shows the payment as never applied
    deps.logger.warn(
      { invoice_id: invoiceId, payment_id: paymentId, change: change.kind },
      'reversal of a payment that was never applied to its invoice ignored',
    );
    return { outcome: 'not_applicable' };
  }
  if (current.currency !== change.currency) {
    throw AppError.validation(
      `Payment ${paymentId} is in ${change.currency} but invoice ${invoiceId} is in ${current.currency}`,
    );
  }
  const next = settle(current, change.appliedMinor);
  const event: EventEnvelope = buildEvent('InvoiceStatusChanged', {
    tenant_id: change.tenantId,
    correlation_id: change.correlationId,
    data: {
      ...invoiceEventAmounts({ ...current, ...next } satisfies Invoice),
      previous_status: current.status,
      payment_id: paymentId,
      applied_minor: change.appliedMinor,
      payment_change: change.kind,
      refund_id: change.refundId,
    },
  });
  return { outcome: 'applied', next, event };
}

/**
 * Moves an invoice's paid amount exactly once per change, for one change or a run of one
 * invoice's changes in order. Each change's marker is recorded on the invoice in the same
 * version-checked update (the aggregate primitive: under the invoice's lock on FerretDB) that
 * changes its amounts, so a redelivered event finds its marker already there and changes nothing.
 * Answers each change's outcome.
 */
async function applyChanges(deps: SettlementDeps, changes: Change[]): Promise<Outcome[]> {
  const { invoiceId, tenantId } = changes[0]!;
  let outcomes: Outcome[] = [];
  await deps.aggregates.change<Invoice>(
    deps.invoices.aggregate,
    { id: invoiceId, tenantId },
    async (invoice) => {
      outcomes = [];
      let current = invoice;
      let settled: Settlement | undefined;
      const markers: string[] = [];
      const events: EventEnvelope[] = [];
      for (const change of changes) {
        const { outcome, next, event } = await step(deps, current, change, markers);
        outcomes.push(outcome);
        if (!next || !event) continue;
        current = { ...current, ...next };
        settled = next;
        markers.push(change.marker);
        events.push(event);
      }
      if (!settled) return undefined;
      const marked = await markApplied(deps.invoices.applied, invoice, markers);
      return { set: { ...settled, ...marked.set }, push: marked.push, events };
    },
  );
  changes.forEach((change, i) => {
    if (outcomes[i] === 'applied')
      deps.logger.info(
        { invoice_id: invoiceId, payment_id: change.paymentId, change: change.kind },
        'payment change applied to invoice',
      );
  });
  return outcomes;
}

async function applyChange(deps: SettlementDeps, change: Change): Promise<Outcome> {
  return (await applyChanges(deps, [change]))[0]!;
}

type PaymentEvent = EventEnvelope<'PaymentRecorded' | 'PaymentVoided' | 'PaymentRefunded'>;

/** What every change takes from its payment event: the books, the invoice, the payment. */
function changeFrom(
  event: PaymentEvent,
  what: Pick<Change, 'appliedMinor' | 'kind' | 'refundId' | 'marker' | 'requiresPayment'>,
): Change {
  return {
    tenantId: event.tenant_id,
    correlationId: event.correlation_id,
    invoiceId: event.data.invoice_id,
    paymentId: event.data.payment_id,
    currency: event.data.currency,
    ...what,
  };
}

const paymentChange = (event: EventEnvelope<'PaymentRecorded'>): Change =>
  changeFrom(event, {
    appliedMinor: event.data.amount_minor,
    kind: 'payment',
    refundId: null,
    marker: event.data.payment_id,
    requiresPayment: false,
  });

export function applyPayment(
  deps: SettlementDeps,
  event: EventEnvelope<'PaymentRecorded'>,
): Promise<Outcome> {
  return applyChange(deps, paymentChange(event));
}

/**
 * A run of one invoice's payments (the consumer's `inRuns`: consecutive events of one key) in
 * one change of the invoice: one read and one write for the run instead of one each per payment,
 * for a worker that fell behind on an invoice paid again and again. Events of several invoices
 * (not a run the consumer makes) are applied invoice by invoice, in order.
 */
export async function applyPayments(
  deps: SettlementDeps,
  events: EventEnvelope<'PaymentRecorded'>[],
): Promise<void> {
  const changes = events.map(paymentChange);
  const key = (c: Change) => `${c.tenantId}:${c.invoiceId}`;
  for (let i = 0; i < changes.length;) {
    let end = i + 1;
    while (end < changes.length && key(changes[end]!) === key(changes[i]!)) end++;
    await applyChanges(deps, changes.slice(i, end));
    i = end;
  }
}

/**
 * A reversal takes the event's amount back off the invoice, and only once the payment it reverses
 * was applied to it.
 */
function reversal(
  event: EventEnvelope<'PaymentVoided' | 'PaymentRefunded'>,
  what: Pick<Change, 'kind' | 'refundId' | 'marker'>,
): Change {
  return changeFrom(event, {
    appliedMinor: -event.data.amount_minor,
    requiresPayment: true,
    ...what,
  });
}

/** A voided payment's whole amount comes off the invoice (paid -> partial/unpaid). */
export function applyPaymentVoid(
  deps: SettlementDeps,
  event: EventEnvelope<'PaymentVoided'>,
): Promise<Outcome> {
  const marker = voidMarker(event.data.payment_id);
  return applyChange(deps, reversal(event, { kind: 'payment_voided', refundId: null, marker }));
}

/** A refund (part or all of a payment) comes off the invoice; each refund id applies once. */
export function applyRefund(
  deps: SettlementDeps,
  event: EventEnvelope<'PaymentRefunded'>,
): Promise<Outcome> {
  const { refund_id: refundId } = event.data;
  const marker = refundMarker(refundId);
  return applyChange(deps, reversal(event, { kind: 'refund', refundId, marker }));
}
