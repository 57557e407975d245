import { MAX_AMOUNT_MINOR } from '@ledgerline/contracts';
import { totalsOfReceived } from './reports';

const payment = (amount: number, currency = 'USD', refunds: number[] = []) => ({
  customer_id: 'cus_1',
  amount_minor: amount,
  currency,
  refunds: refunds.map((r) => ({ amount_minor: r })),
});

describe('payment history totals', () => {
  test('when payments are refunded in part, then the totals are net and per currency', () => {
    expect(
      totalsOfReceived([payment(1000, 'USD', [250]), payment(5, 'JPY'), payment(1, 'USD')]),
    ).toEqual([
      { currency: 'USD', total_received: '7.51', payment_count: 2 },
      { currency: 'JPY', total_received: '5', payment_count: 1 },
    ]);
  });

  test('when more maximum payments are received than 2^53 holds, then the total is exact', () => {
    const many = Array.from({ length: 10_000 }, () => payment(MAX_AMOUNT_MINOR, 'KWD'));
    expect(totalsOfReceived(many)).toEqual([
      { currency: 'KWD', total_received: '9999999999990.000', payment_count: 10_000 },
    ]);
  });
});
