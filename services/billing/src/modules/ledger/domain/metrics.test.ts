import {
  balancesTable,
  customersTable,
  lastTwelveMonths,
  monthlyPeriods,
  revenueTable,
  type MetricEntry,
} from './metrics';

const entry = (
  at: string,
  customer: string | null,
  lines: [string, number, number][],
  currency = 'USD',
): MetricEntry => ({
  created_at: new Date(at),
  currency,
  customer_id: customer,
  lines: lines.map(([account, debit_minor, credit_minor]) => ({
    account,
    debit_minor,
    credit_minor,
  })),
});

const entries = [
  entry('2025-01-10T00:00:00Z', 'cus_a', [
    ['receivable:cus_a', 1100, 0],
    ['revenue', 0, 1000],
    ['vat_payable', 0, 100],
  ]),
  entry('2025-02-03T00:00:00Z', 'cus_a', [
    ['cash', 600, 0],
    ['receivable:cus_a', 0, 600],
  ]),
  entry('2025-02-20T00:00:00Z', 'cus_b', [
    ['receivable:cus_b', 300, 0],
    ['revenue', 0, 300],
  ]),
  entry('2025-03-01T00:00:00Z', 'cus_b', [
    ['write_offs', 300, 0],
    ['receivable:cus_b', 0, 300],
  ]),
  entry(
    '2025-02-01T00:00:00Z',
    'cus_c',
    [
      ['receivable:cus_c', 5, 0],
      ['revenue', 0, 5],
    ],
    'JPY',
  ),
];
const periods = monthlyPeriods(new Date('2025-01-15T00:00:00Z'), new Date('2025-03-31T00:00:00Z'));
const ends = ['2025-02-01', '2025-03-01', '2025-04-01'].map((d) => new Date(`${d}T00:00:00Z`));
/** A row's values for the three months, each keyed by its period's end. */
const monthly = <V>(...values: V[]) => values.map((v, i) => [ends[i], v]);

describe('ledger metrics', () => {
  test('when a window spans three months, then there is one period per calendar month keyed by its exclusive end', () => {
    expect(periods.map((p) => p.end)).toEqual(ends);
    expect(
      lastTwelveMonths(new Date('2025-06-15T12:00:00Z')).map((p) =>
        p.start.toISOString().slice(0, 7),
      ),
    ).toEqual([
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
    ]);
  });

  test('when revenue, payments and write-offs happen, then each month shows its own amounts in one currency', () => {
    expect(revenueTable(periods, entries, 'USD')).toEqual([
      { key: 'revenue', values: monthly(1000n, 300n, 0n) },
      { key: 'payments', values: monthly(0n, 600n, 0n) },
      { key: 'write_offs', values: monthly(0n, 0n, 300n) },
    ]);
  });

  test('when balances are asked, then each month shows what is owed at its end', () => {
    expect(balancesTable(periods, entries, 'USD')[0]).toEqual({
      key: 'balance_due',
      values: monthly(1100n, 800n, 500n),
    });
  });

  test('when customers have activity, then active, new and total are counted per month across currencies', () => {
    expect(customersTable(periods, entries)).toEqual([
      { key: 'active', values: monthly(1, 3, 1) },
      { key: 'new', values: monthly(1, 2, 0) },
      { key: 'total', values: monthly(1, 3, 3) },
    ]);
  });
});
