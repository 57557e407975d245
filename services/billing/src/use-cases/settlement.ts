import { AppError, buildEvent, sumMinor, type EventEnvelope } from '@ledgerline/contracts';
import type { AggregateLocks, Logger } from '@ledgerline/platform';
import { invoiceEventAmounts, invoiceLockKey } from './invoices';
import { settledStatus } from '../domain/settlement';
import type { InvoiceStore } from '../store/invoices';

export interface SettlementDeps {
  invoices: InvoiceStore;
  locks: AggregateLocks;
  publishSoon: () => void;
  logger: Logger;
}

/**
 * Applies a recorded payment to its invoice exactly once. The payment id is pushed onto the
 * invoice in the same conditional update that changes its amounts, so a redelivered event finds
 * its id already there and changes nothing. The invoice's lock keeps concurrent writers apart on
 * FerretDB, whose conditional updates are not atomic.
 */
export async function applyPayment(
  deps: SettlementDeps,
  event: EventEnvelope<'PaymentRecorded'>,
): Promise<'applied' | 'duplicate'> {
  const { payment_id, invoice_id, amount_minor, currency } = event.data;
  return deps.locks.withLock(invoiceLockKey(invoice_id), async () => {
    const invoice = await deps.invoices.findById(event.tenant_id, invoice_id);
    if (!invoice) throw AppError.notFound(`Invoice ${invoice_id} of payment ${payment_id}`);
    if (invoice.applied_payments.includes(payment_id)) return 'duplicate';
    if (invoice.currency !== currency) {
      throw AppError.validation(
        `Payment ${payment_id} is in ${currency} but invoice ${invoice_id} is in ${invoice.currency}`,
      );
    }
    const paid = sumMinor([invoice.paid_minor, amount_minor]);
    const balanceDue = sumMinor([invoice.total_minor, -paid]);
    const status = settledStatus(invoice.status, invoice.total_minor, paid);
    const changed: EventEnvelope = buildEvent('InvoiceStatusChanged', {
      tenant_id: event.tenant_id,
      correlation_id: event.correlation_id,
      data: {
        ...invoiceEventAmounts({
          ...invoice,
          status,
          paid_minor: paid,
          balance_due_minor: balanceDue,
        }),
        previous_status: invoice.status,
        payment_id,
        applied_minor: amount_minor,
        payment_change: 'payment',
        refund_id: null,
      },
    });
    const updated = await deps.invoices.updateIfVersion(
      event.tenant_id,
      invoice_id,
      invoice.version,
      {
        set: { paid_minor: paid, balance_due_minor: balanceDue, status },
        push: { applied_payments: payment_id },
        guard: { applied_payments: { $ne: payment_id } },
      },
      [changed],
    );
    if (!updated)
      throw new Error(
        `invoice ${invoice_id} changed while applying payment ${payment_id} under its lock`,
      );
    deps.publishSoon();
    deps.logger.info({ invoice_id, payment_id, status }, 'payment applied to invoice');
    return 'applied' as const;
  });
}
