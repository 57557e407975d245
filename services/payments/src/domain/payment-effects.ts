import { sumMinor } from '@ledgerline/contracts';

/** What a payment has done to its invoice, as billing must reflect it. */
export interface PaymentEffects {
  status: 'pending' | 'completed' | 'failed' | 'voided';
  amount_minor: number;
  completed_at: Date | null;
  voided_at: Date | null;
  refunds: { id: string; amount_minor: number; created_at: Date }[];
  /** What billing's InvoiceStatusChanged events confirmed: 'payment', 'payment_voided', 'refund:<id>'. */
  billing_seen: string[];
}

export interface EffectGap {
  kind: 'payment' | 'payment_voided' | 'refund';
  refund_id: string | null;
  amount_minor: number;
  since: Date;
}

export const seenMarker = (kind: EffectGap['kind'], refundId: string | null) =>
  kind === 'refund' ? `refund:${refundId}` : kind;

/** The refunds so far; a new refund may take at most amount - refunded. */
export function refundedMinor(p: { refunds: { amount_minor: number }[] }): number {
  return sumMinor(p.refunds.map((r) => r.amount_minor));
}

/**
 * Every effect of the payment billing has not confirmed though it happened before `cutoff`
 * (older than the grace period): the reconciliation report's rows for this payment.
 */
export function unreflectedEffects(p: PaymentEffects, cutoff: Date): EffectGap[] {
  const expected: EffectGap[] = [];
  if ((p.status === 'completed' || p.status === 'voided') && p.completed_at && p.amount_minor > 0)
    expected.push({
      kind: 'payment',
      refund_id: null,
      amount_minor: p.amount_minor,
      since: p.completed_at,
    });
  if (p.status === 'voided' && p.voided_at)
    expected.push({
      kind: 'payment_voided',
      refund_id: null,
      // a void takes back what refunds left of the payment
      amount_minor: -(p.amount_minor - refundedMinor(p)),
      since: p.voided_at,
    });
  for (const r of p.refunds)
    expected.push({
      kind: 'refund',
      refund_id: r.id,
      amount_minor: -r.amount_minor,
      since: r.created_at,
    });
  return expected.filter(
    (e) =>
      e.since.getTime() <= cutoff.getTime() &&
      !p.billing_seen.includes(seenMarker(e.kind, e.refund_id)),
  );
}

/** True once billing confirmed everything the payment did: it leaves the reconciliation scan. */
export function fullyReflected(p: PaymentEffects): boolean {
  return unreflectedEffects(p, new Date(8.64e15)).length === 0;
}

/**
 * The state in which billing's first confirmation ('payment') leaves a payment fully reflected,
 * as conditions on its stored fields: completed, never refunded, nothing confirmed yet. The usual
 * confirmation then needs no read of the payment (`confirmedOnFirst`); any other state is decided
 * with `fullyReflected` on the payment as read.
 */
export const AWAITING_FIRST_CONFIRMATION = {
  status: 'completed',
  refunds: { $size: 0 },
  billing_seen: { $size: 0 },
} as const;

/** What billing's 'payment' confirmation writes on a payment in AWAITING_FIRST_CONFIRMATION. */
export const confirmedOnFirst = () => ({
  billing_seen: [seenMarker('payment', null)],
  reconciled: true,
});
