import {
  APPLIED_KEPT,
  APPLIED_MAX,
  refundMarker,
  settle,
  settledStatus,
  voidMarker,
  withMarkers,
} from './settlement';

describe('settledStatus', () => {
  test('when nothing, part or all is paid, then unpaid, partial or paid', () => {
    expect(settledStatus('unpaid', 11_000_00, 0)).toBe('unpaid');
    expect(settledStatus('unpaid', 11_000_00, 4_000_50)).toBe('partial');
    expect(settledStatus('partial', 11_000_00, 11_000_00)).toBe('paid');
  });

  test('when the invoice is a draft or void, then its status is kept', () => {
    expect(settledStatus('draft', 100, 100)).toBe('draft');
    expect(settledStatus('void', 100, 0)).toBe('void');
  });
});

describe('settle', () => {
  test('when a payment completes a partial invoice, then it reads paid with nothing due', () => {
    expect(
      settle({ status: 'partial', total_minor: 11_000_00, paid_minor: 4_000_50 }, 6_999_50),
    ).toEqual({ paid_minor: 11_000_00, balance_due_minor: 0, status: 'paid' });
  });

  test('when part of a paid invoice is refunded, then it reads partial with the refund due again', () => {
    expect(
      settle({ status: 'paid', total_minor: 11_000_00, paid_minor: 11_000_00 }, -1_500_25),
    ).toEqual({ paid_minor: 9_499_75, balance_due_minor: 1_500_25, status: 'partial' });
  });

  test('when the only payment is voided, then the invoice reads unpaid with the total due', () => {
    expect(settle({ status: 'paid', total_minor: 500, paid_minor: 500 }, -500)).toEqual({
      paid_minor: 0,
      balance_due_minor: 500,
      status: 'unpaid',
    });
  });

  test('when a reversal exceeds what was paid, then it is refused', () => {
    expect(() => settle({ status: 'partial', total_minor: 500, paid_minor: 100 }, -101)).toThrow(
      'a change of -101 would take the paid amount 100 below zero',
    );
  });

  test('when markers are made, then voids and refunds cannot collide with payment ids', () => {
    expect([voidMarker('pay_1'), refundMarker('rfd_1')]).toEqual(['void:pay_1', 'refund:rfd_1']);
  });
});

describe('withMarkers', () => {
  const markers = (n: number) => Array.from({ length: n }, (_, i) => `pay_${i}`);

  test('when the document holds fewer than the most it keeps, then the marker is added and nothing moves out', () => {
    expect(withMarkers(['pay_0', 'pay_1'], ['pay_2'])).toEqual({
      kept: ['pay_0', 'pay_1', 'pay_2'],
      moved: [],
    });
    expect(withMarkers(markers(APPLIED_MAX - 1), ['pay_new']).kept).toHaveLength(APPLIED_MAX);
  });

  test('when one more marker would pass the most, then the oldest move out and the newest 32 stay', () => {
    const { kept, moved } = withMarkers(markers(APPLIED_MAX), ['pay_new']);
    expect(APPLIED_KEPT).toBe(32);
    expect(moved).toEqual(markers(33));
    expect(kept).toEqual([...markers(APPLIED_MAX).slice(33), 'pay_new']);
    expect(kept).toHaveLength(APPLIED_KEPT);
  });

  test('when a run of three markers passes the most, then the oldest move out so that 32 stay', () => {
    const { kept, moved } = withMarkers(markers(63), ['pay_a', 'pay_b', 'pay_c']);
    expect(moved).toEqual(markers(34));
    expect(kept).toEqual([...markers(63).slice(34), 'pay_a', 'pay_b', 'pay_c']);
  });
});
