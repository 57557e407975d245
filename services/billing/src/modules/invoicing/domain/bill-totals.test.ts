import fc from 'fast-check';
import { MAX_AMOUNT_MINOR } from '@ledgerline/contracts';
import { totalsByCurrency } from './bill-totals';

describe('bill history totals', () => {
  test('when bills share a currency, then billed, paid, credited and due are exact sums', () => {
    expect(
      totalsByCurrency([
        { currency: 'BDT', total_minor: 1100000, paid_minor: 400050, balance_due_minor: 699950 },
        {
          currency: 'BDT',
          total_minor: 10,
          paid_minor: 0,
          balance_due_minor: 7,
          credited_minor: 3,
        },
      ]),
    ).toEqual([
      {
        currency: 'BDT',
        billedMinor: 1100010n,
        paidMinor: 400050n,
        creditedMinor: 3n,
        dueMinor: 699957n,
        count: 2,
      },
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
      {
        currency: 'USD',
        billedMinor: 150n,
        paidMinor: 100n,
        creditedMinor: 0n,
        dueMinor: 50n,
        count: 2,
      },
      {
        currency: 'KWD',
        billedMinor: 1234n,
        paidMinor: 0n,
        creditedMinor: 0n,
        dueMinor: 1234n,
        count: 1,
      },
    ]);
    expect(totalsByCurrency([])).toEqual([]);
  });

  test('when more maximum amounts are billed than 2^53 holds, then the totals are still exact', () => {
    const max = { currency: 'USD', total_minor: MAX_AMOUNT_MINOR, paid_minor: 0 };
    const bills = Array.from({ length: 10_000 }, () => ({
      ...max,
      balance_due_minor: MAX_AMOUNT_MINOR,
    }));
    const [usd] = totalsByCurrency(bills);
    expect(usd?.billedMinor).toBe(9_999_999_999_990_000n);
    expect(usd?.billedMinor).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(usd?.dueMinor).toBe(usd?.billedMinor);
  });

  test('when any amounts up to the maximum are billed, then each total equals the BigInt sum', () => {
    const amount = fc.integer({ min: 0, max: MAX_AMOUNT_MINOR });
    fc.assert(
      fc.property(fc.array(fc.tuple(amount, amount), { maxLength: 200 }), (pairs) => {
        const bills = pairs.map(([total, paid]) => ({
          currency: 'KWD',
          total_minor: total,
          paid_minor: paid,
          balance_due_minor: total - paid,
        }));
        const sum = (f: (b: (typeof bills)[number]) => number) =>
          bills.reduce((s, b) => s + BigInt(f(b)), 0n);
        const [kwd] = totalsByCurrency(bills);
        expect(kwd ?? null).toEqual(
          bills.length === 0
            ? null
            : {
                currency: 'KWD',
                billedMinor: sum((b) => b.total_minor),
                paidMinor: sum((b) => b.paid_minor),
                creditedMinor: 0n,
                dueMinor: sum((b) => b.balance_due_minor),
                count: bills.length,
              },
        );
      }),
    );
  });
});
