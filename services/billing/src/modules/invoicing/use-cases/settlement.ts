import { AppError, buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import type { AggregateWriter, Logger } from '@ledgerline/platform';
import { invoiceEventAmounts } from './invoices';
import { refundMarker, settle, voidMarker } from '../domain/settlement';
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

/**
 * Moves an invoice's paid amount exactly once per change. The change's marker is pushed onto the
 * invoice in the same version-checked update (the aggregate primitive: under the invoice's lock on
 * FerretDB) that changes its amounts, so a redelivered event finds its marker already there and
 * changes nothing.
 */
async function applyChange(deps: SettlementDeps, change: Change): Promise<Outcome> {
  const { invoiceId, paymentId, marker } = change;
  let outcome: Outcome = 'applied';
  await deps.aggregates.change<Invoice>(
    deps.invoices.aggregate,
    { id: invoiceId, tenantId: change.tenantId },
    async (invoice) => {
      const applied = deps.invoices.applied;
      if (await wasApplied(applied, invoice, marker)) {
        outcome = 'duplicate';
        return undefined;
      }
      if (change.requiresPayment && !(await wasApplied(applied, invoice, paymentId))) {
        // nothing of this payment reached the invoice, so there is nothing to take back; the
        // payments service's reconciliation report shows the payment as never applied
        deps.logger.warn(
          { invoice_id: invoiceId, payment_id: paymentId, change: change.kind },
          'reversal of a payment that was never applied to its invoice ignored',
        );
        outcome = 'not_applicable';
        return undefined;
      }
      if (invoice.currency !== change.currency) {
        throw AppError.validation(
          `Payment ${paymentId} is in ${change.currency} but invoice ${invoiceId} is in ${invoice.currency}`,
        );
      }
      const next = settle(invoice, change.appliedMinor);
      const changed: EventEnvelope = buildEvent('InvoiceStatusChanged', {
        tenant_id: change.tenantId,
        correlation_id: change.correlationId,
        data: {
          ...invoiceEventAmounts({ ...invoice, ...next } satisfies Invoice),
          previous_status: invoice.status,
          payment_id: paymentId,
          applied_minor: change.appliedMinor,
          payment_change: change.kind,
          refund_id: change.refundId,
        },
      });
      outcome = 'applied';
      const marked = await markApplied(applied, invoice, marker);
      return { set: { ...next, ...marked.set }, push: marked.push, events: [changed] };
    },
  );
  if (outcome === 'applied')
    deps.logger.info(
      { invoice_id: invoiceId, payment_id: paymentId, change: change.kind },
      'payment change applied to invoice',
    );
  return outcome;
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

export function applyPayment(
  deps: SettlementDeps,
  event: EventEnvelope<'PaymentRecorded'>,
): Promise<Outcome> {
  return applyChange(
    deps,
    changeFrom(event, {
      appliedMinor: event.data.amount_minor,
      kind: 'payment',
      refundId: null,
      marker: event.data.payment_id,
      requiresPayment: false,
    }),
  );
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
