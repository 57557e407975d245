import {
  AWAITING_FIRST_CONFIRMATION,
  confirmedOnFirst,
  fullyReflected,
  refundedMinor,
  unreflectedEffects,
  type PaymentEffects,
} from './payment-effects';

const t = (s: number) => new Date(Date.UTC(2025, 0, 20, 10, 0, s));

const payment = (over: Partial<PaymentEffects> = {}): PaymentEffects => ({
  status: 'completed',
  amount_minor: 10_000,
  completed_at: t(0),
  voided_at: null,
  refunds: [],
  billing_seen: [],
  ...over,
});

describe('unreflectedEffects', () => {
  test('when a completed payment is older than the cutoff and billing has not confirmed it, then it is reported', () => {
    expect(unreflectedEffects(payment(), t(30))).toEqual([
      { kind: 'payment', refund_id: null, amount_minor: 10_000, since: t(0) },
    ]);
  });

  test('when the payment is younger than the cutoff, then nothing is reported yet', () => {
    expect(unreflectedEffects(payment({ completed_at: t(40) }), t(30))).toEqual([]);
  });

  test('when billing confirmed the payment but not a refund, then only the refund is reported', () => {
    const p = payment({
      refunds: [
        { id: 'rfd_1', amount_minor: 2_500, created_at: t(5) },
        { id: 'rfd_2', amount_minor: 1_000, created_at: t(6) },
      ],
      billing_seen: ['payment', 'refund:rfd_2'],
    });
    expect(unreflectedEffects(p, t(30))).toEqual([
      { kind: 'refund', refund_id: 'rfd_1', amount_minor: -2_500, since: t(5) },
    ]);
    expect(refundedMinor(p)).toBe(3_500);
    expect(fullyReflected(p)).toBe(false);
  });

  test('when a voided payment was applied and reversed, then it is fully reflected', () => {
    const p = payment({
      status: 'voided',
      voided_at: t(9),
      billing_seen: ['payment', 'payment_voided'],
    });
    expect(unreflectedEffects(p, t(30))).toEqual([]);
    expect(fullyReflected(p)).toBe(true);
  });

  test('when a payment is pending or failed, then billing owes it nothing', () => {
    expect(fullyReflected(payment({ status: 'pending', completed_at: null }))).toBe(true);
    expect(fullyReflected(payment({ status: 'failed', completed_at: null }))).toBe(true);
  });
});

describe('the first confirmation written without a read', () => {
  test('when a payment in the awaiting state gets what confirmedOnFirst writes, then fullyReflected agrees it is reconciled', () => {
    const awaiting = payment({ status: AWAITING_FIRST_CONFIRMATION.status });
    const written = confirmedOnFirst();
    expect(written).toEqual({ billing_seen: ['payment'], reconciled: true });
    expect(fullyReflected({ ...awaiting, billing_seen: written.billing_seen })).toBe(true);
  });

  test('when the awaiting state is written as a filter, then it names completed, unrefunded, unconfirmed payments', () => {
    expect(AWAITING_FIRST_CONFIRMATION).toEqual({
      status: 'completed',
      refunds: { $size: 0 },
      billing_seen: { $size: 0 },
    });
  });

  test('when a refunded payment gets only the payment confirmation, then it is not reconciled (the filter leaves it to the read)', () => {
    const refunded = payment({ refunds: [{ id: 'rf_1', amount_minor: 500, created_at: t(5) }] });
    expect(fullyReflected({ ...refunded, billing_seen: ['payment'] })).toBe(false);
  });
});
