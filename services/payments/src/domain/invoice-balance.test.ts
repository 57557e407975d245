import { foldListed, heldMinor, outstandingMinor } from './invoice-balance';

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

  test('when known payments are listed beside unknown ones, then the known fold into the total and the unknown stay listed', () => {
    const listed = {
      ids: ['pay_a', 'pay_b', 'pay_c', 'pay_new'],
      held: { pay_a: 4000, pay_b: 0, pay_new: 2500 },
      foldedMinor: 1500,
    };
    expect(foldListed(listed, ['pay_new'])).toEqual({
      ids: ['pay_c', 'pay_new'],
      foldedMinor: 5500,
      othersHeld: [5500],
    });
  });

  test('when nothing is folded or known, then the others hold nothing and every id stays listed', () => {
    expect(foldListed({ ids: ['pay_x'], held: {}, foldedMinor: 0 })).toEqual({
      ids: ['pay_x'],
      foldedMinor: 0,
      othersHeld: [],
    });
  });
});
