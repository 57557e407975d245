import { formatMinor, type EventEnvelope, type ReconciliationItem } from '@ledgerline/contracts';
import {
  AWAITING_FIRST_CONFIRMATION,
  confirmedOnFirst,
  fullyReflected,
  seenMarker,
  unreflectedEffects,
} from '../domain/payment-effects';
import { everyInterval, ignoreNotFound } from '@ledgerline/platform';
import type { Payment } from '../store/payments';
import type { PaymentsDeps } from './deps';
import { onInvoiceBalance } from './invoice-decisions';

/**
 * Billing's InvoiceStatusChanged names the payment (and refund) it applied: that confirmation is
 * recorded on the payment. Idempotent: a marker already held changes nothing. Changes billing made
 * for payments this service does not hold (none in normal operation) are ignored.
 */
export async function recordBillingConfirmation(
  deps: Pick<PaymentsDeps, 'payments' | 'aggregates'>,
  event: EventEnvelope<'InvoiceStatusChanged'>,
): Promise<'recorded' | 'duplicate' | 'ignored'> {
  const { payment_id, payment_change, refund_id } = event.data;
  if (!payment_id || !payment_change) return 'ignored';
  const marker = seenMarker(payment_change, refund_id);
  const key = { id: payment_id, tenantId: event.tenant_id };
  const decide = (payment: Payment) => {
    if (payment.billing_seen.includes(marker)) return undefined;
    const billing_seen = [...payment.billing_seen, marker];
    return { set: { billing_seen, reconciled: fullyReflected({ ...payment, billing_seen }) } };
  };
  // a new payment's confirmation, the usual one, is written without reading the payment first
  const written = await (
    marker === seenMarker('payment', null)
      ? deps.aggregates.changeExpected<Payment>(
          deps.payments.aggregate,
          key,
          { when: AWAITING_FIRST_CONFIRMATION, set: confirmedOnFirst() },
          decide,
        )
      : deps.aggregates.change<Payment>(deps.payments.aggregate, key, decide)
  ).catch(ignoreNotFound);
  if (!written) return 'ignored';
  return written.changed ? 'recorded' : 'duplicate';
}

/** Statuses whose balance due is never below zero (owed in full, in part, or not issued). */
const NEVER_OVERPAID = new Set<string>(['draft', 'unpaid', 'partial']);

/**
 * Billing's word that an invoice is paid beyond its total (or, later, no longer is), kept so
 * reconciliation reports it. Under the invoice's balance lock: reports of one invoice apply in turn.
 */
export async function recordOverpayment(
  deps: Pick<PaymentsDeps, 'overpaid' | 'aggregates' | 'invoicePayments'>,
  event: EventEnvelope<'InvoiceStatusChanged'>,
): Promise<void> {
  const d = event.data;
  // the common case, an invoice never reported overpaid and not now: nothing to record, and no
  // reason to queue for the lock that payments being accepted on the invoice take. An invoice that
  // was unpaid or partly paid just before was not overpaid then, and the event that took it there
  // cleared any report (an invoice's events come in order): no read to find that out
  const overpaid = Math.max(0, -d.balance_due_minor);
  if (overpaid === 0 && NEVER_OVERPAID.has(d.previous_status)) return;
  if (overpaid === 0 && !(await deps.overpaid.held(event.tenant_id, d.invoice_id))) return;
  await onInvoiceBalance(deps, event.tenant_id, d.invoice_id, () =>
    deps.overpaid.record({
      tenant_id: event.tenant_id,
      invoice_id: d.invoice_id,
      currency: d.currency,
      payment_id: d.payment_id ?? null,
      overpaid_minor: Math.max(0, -d.balance_due_minor),
      reported_at: new Date(event.occurred_at),
    }),
  );
}

/**
 * Every completed payment, void or refund older than the grace period that billing has not
 * reflected, and every invoice billing reports as paid beyond its total.
 */
export async function reconciliationReport(
  deps: Pick<PaymentsDeps, 'payments' | 'overpaid'>,
  tenantId: string | null,
  graceMs: number,
  now = new Date(),
): Promise<ReconciliationItem[]> {
  const cutoff = new Date(now.getTime() - graceMs);
  const [payments, overpaid] = await Promise.all([
    deps.payments.unreconciled(tenantId),
    deps.overpaid.overpaid(tenantId),
  ]);
  const overpayments: ReconciliationItem[] = overpaid.map((o) => ({
    kind: 'overpaid_invoice' as const,
    payment_id: o.payment_id,
    refund_id: null,
    invoice_id: o.invoice_id,
    amount: formatMinor(o.overpaid_minor, o.currency),
    currency: o.currency,
    since: o.reported_at.toISOString(),
  }));
  const gaps: ReconciliationItem[] = payments.flatMap((p) =>
    unreflectedEffects(p, cutoff).map((gap) => ({
      kind: gap.kind,
      payment_id: p._id,
      refund_id: gap.refund_id,
      invoice_id: p.invoice_id,
      amount: formatMinor(gap.amount_minor, p.currency),
      currency: p.currency,
      since: gap.since.toISOString(),
    })),
  );
  return [...gaps, ...overpayments];
}

/** The payments process's periodic check: logs how many effects billing has not reflected. */
export function startReconciliationCheck(
  deps: Pick<PaymentsDeps, 'payments' | 'overpaid' | 'logger'>,
  opts: { intervalMs: number; graceMs: number; onCount?: (count: number) => void },
): () => Promise<void> {
  return everyInterval(
    opts.intervalMs,
    async () => {
      const items = await reconciliationReport(deps, null, opts.graceMs);
      opts.onCount?.(items.length);
      const log = items.length > 0 ? deps.logger.warn : deps.logger.info;
      log.call(
        deps.logger,
        { unreflected: items.length, sample: items.slice(0, 5) },
        'payments reconciliation: effects not yet reflected by billing',
      );
    },
    { logger: deps.logger, failure: 'payments reconciliation check failed' },
  );
}
