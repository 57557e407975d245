import { heldMinor, outstandingMinor } from './invoice-balance';

const payment = (
  status: 'pending' | 'completed' | 'failed' | 'voided',
  amount_minor: number,
  refunds: number[] = [],
) => ({ status, amount_minor, refunds: refunds.map((amount_minor) => ({ amount_minor })) });

describe('invoice balance', () => {
  test('when payments are pending, completed, refunded, failed or voided, then each holds what it still takes of the invoice', () => {
    expect(heldMinor(payment('pending', 5000))).toBe(5000);
    expect(heldMinor(payment('completed', 5000))).toBe(5000);
    expect(heldMinor(payment('completed', 5000, [1000, 250]))).toBe(3750);
    expect(heldMinor(payment('failed', 5000))).toBe(0);
    expect(heldMinor(payment('voided', 5000, [1000]))).toBe(0);
  });

  test('when an invoice of 110.00 has 40.00 completed, 20.00 pending and a 10.00 payment refunded, then 50.00 is still owed', () => {
    const payments = [
      payment('completed', 4000),
      payment('pending', 2000),
      payment('completed', 1000, [1000]),
      payment('failed', 11000),
    ];
    expect(outstandingMinor(11000, payments)).toBe(5000);
    expect(outstandingMinor(11000, [...payments, payment('completed', 5000)])).toBe(0);
  });

  test('when old payments add up to more than the total, then nothing is owed (not a negative balance)', () => {
    expect(outstandingMinor(3000, [payment('completed', 3000), payment('completed', 3000)])).toBe(
      0,
    );
  });

  test('when nothing was paid, then the whole total is owed', () => {
    expect(outstandingMinor(11000, [])).toBe(11000);
  });
});
