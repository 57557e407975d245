import { totalsByCurrency } from './bill-totals';

describe('bill history totals', () => {
  test('when bills share a currency, then billed, paid and due are exact sums', () => {
    expect(
      totalsByCurrency([
        { currency: 'BDT', total_minor: 1100000, paid_minor: 400050, balance_due_minor: 699950 },
        { currency: 'BDT', total_minor: 10, paid_minor: 0, balance_due_minor: 10 },
      ]),
    ).toEqual([
      { currency: 'BDT', billedMinor: 1100010, paidMinor: 400050, dueMinor: 699960, count: 2 },
    ]);
  });

  test('when bills are in several currencies, then each has its own totals, the most used first', () => {
    expect(
      totalsByCurrency([
        { currency: 'USD', total_minor: 100, paid_minor: 100, balance_due_minor: 0 },
        { currency: 'KWD', total_minor: 1234, paid_minor: 0, balance_due_minor: 1234 },
        { currency: 'USD', total_minor: 50, paid_minor: 0, balance_due_minor: 50 },
      ]),
    ).toEqual([
      { currency: 'USD', billedMinor: 150, paidMinor: 100, dueMinor: 50, count: 2 },
      { currency: 'KWD', billedMinor: 1234, paidMinor: 0, dueMinor: 1234, count: 1 },
    ]);
    expect(totalsByCurrency([])).toEqual([]);
  });
});
