import { AppError, buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import type { AggregateLocks, Logger, PublishSoon } from '@ledgerline/platform';
import { invoiceEventAmounts, invoiceLockKey } from './invoices';
import { refundMarker, settle, voidMarker } from '../domain/settlement';
import type { Invoice, InvoiceStore } from '../store/invoices';

export interface SettlementDeps {
  invoices: InvoiceStore;
  locks: AggregateLocks;
  publishSoon: PublishSoon;
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
  /** What goes into applied_payments: the idempotency record of this change, in the same document. */
  marker: string;
  /** A reversal needs the payment it reverses to have been applied first. */
  requiresPayment: boolean;
}

/**
 * Moves an invoice's paid amount exactly once per change. The change's marker is pushed onto the
 * invoice in the same conditional update that changes its amounts, so a redelivered event finds
 * its marker already there and changes nothing. The invoice's lock keeps concurrent writers apart
 * on FerretDB, whose conditional updates are not atomic.
 */
async function applyChange(deps: SettlementDeps, change: Change): Promise<Outcome> {
  const { invoiceId, paymentId, marker } = change;
  return deps.locks.withLock(invoiceLockKey(invoiceId), async () => {
    const invoice = await deps.invoices.findById(change.tenantId, invoiceId);
    if (!invoice) throw AppError.notFound(`Invoice ${invoiceId} of payment ${paymentId}`);
    if (invoice.applied_payments.includes(marker)) return 'duplicate';
    if (change.requiresPayment && !invoice.applied_payments.includes(paymentId)) {
      // nothing of this payment reached the invoice, so there is nothing to take back; the
      // payments service's reconciliation report shows the payment as never applied
      deps.logger.warn(
        { invoice_id: invoiceId, payment_id: paymentId, change: change.kind },
        'reversal of a payment that was never applied to its invoice ignored',
      );
      return 'not_applicable';
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
    const updated = await deps.invoices.updateIfVersion(
      change.tenantId,
      invoiceId,
      invoice.version,
      {
        set: next,
        push: { applied_payments: marker },
        guard: { applied_payments: { $ne: marker } },
      },
      [changed],
    );
    if (!updated)
      throw new Error(
        `invoice ${invoiceId} changed while applying ${change.kind} ${marker} under its lock`,
      );
    deps.publishSoon([invoiceId]);
    deps.logger.info(
      { invoice_id: invoiceId, payment_id: paymentId, change: change.kind, status: next.status },
      'payment change applied to invoice',
    );
    return 'applied';
  });
}

export function applyPayment(
  deps: SettlementDeps,
  event: EventEnvelope<'PaymentRecorded'>,
): Promise<Outcome> {
  const d = event.data;
  return applyChange(deps, {
    tenantId: event.tenant_id,
    correlationId: event.correlation_id,
    invoiceId: d.invoice_id,
    paymentId: d.payment_id,
    currency: d.currency,
    appliedMinor: d.amount_minor,
    kind: 'payment',
    refundId: null,
    marker: d.payment_id,
    requiresPayment: false,
  });
}

/** A voided payment's whole amount comes off the invoice (paid -> partial/unpaid). */
export function applyPaymentVoid(
  deps: SettlementDeps,
  event: EventEnvelope<'PaymentVoided'>,
): Promise<Outcome> {
  const d = event.data;
  return applyChange(deps, {
    tenantId: event.tenant_id,
    correlationId: event.correlation_id,
    invoiceId: d.invoice_id,
    paymentId: d.payment_id,
    currency: d.currency,
    appliedMinor: -d.amount_minor,
    kind: 'payment_voided',
    refundId: null,
    marker: voidMarker(d.payment_id),
    requiresPayment: true,
  });
}

/** A refund (part or all of a payment) comes off the invoice; each refund id applies once. */
export function applyRefund(
  deps: SettlementDeps,
  event: EventEnvelope<'PaymentRefunded'>,
): Promise<Outcome> {
  const d = event.data;
  return applyChange(deps, {
    tenantId: event.tenant_id,
    correlationId: event.correlation_id,
    invoiceId: d.invoice_id,
    paymentId: d.payment_id,
    currency: d.currency,
    appliedMinor: -d.amount_minor,
    kind: 'refund',
    refundId: d.refund_id,
    marker: refundMarker(d.refund_id),
    requiresPayment: true,
  });
}
