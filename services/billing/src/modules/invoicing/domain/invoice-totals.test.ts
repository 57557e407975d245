import { parseRate, toMinor, formatMinor } from '@ledgerline/contracts';
import { invoiceTotals, lineAmounts } from './invoice-totals';
import { settledStatus } from './settlement';

describe('invoice totals', () => {
  test("when seed 002's detail (10000.00, VAT 15%, discount 5%) is calculated, then the amounts are exact", () => {
    const line = lineAmounts({
      subTotalMinor: toMinor(10000, 'BDT'),
      vatRate: parseRate(15),
      discountRate: parseRate('5.00'),
    });
    expect(line).toEqual({
      subTotalMinor: 1000000,
      vatMinor: 150000,
      discountMinor: 50000,
      lineTotalMinor: 1100000,
    });
    const totals = invoiceTotals([line], 0);
    expect(totals).toEqual({
      subTotalMinor: 1000000,
      vatMinor: 150000,
      discountMinor: 50000,
      totalMinor: 1100000,
      paidMinor: 0,
      balanceDueMinor: 1100000,
    });
    expect(formatMinor(totals.totalMinor, 'BDT')).toBe('11000.00');
  });

  test('when lines round, then each line rounds on its own, half away from zero', () => {
    // 0.10 at 15% VAT = 0.015 -> 0.02 per line; three lines give 0.06, not round(0.045) = 0.05
    const line = lineAmounts({ subTotalMinor: 10, vatRate: 1500, discountRate: 0 });
    expect(line.vatMinor).toBe(2);
    const totals = invoiceTotals([line, line, line], 0);
    expect(totals.subTotalMinor).toBe(30);
    expect(totals.vatMinor).toBe(6);
    expect(totals.totalMinor).toBe(36);
  });

  test('when several lines with different rates are summed, then subtotal, VAT, discount and total agree', () => {
    const lines = [
      lineAmounts({
        subTotalMinor: toMinor('199.99', 'USD'),
        vatRate: parseRate('7.5'),
        discountRate: parseRate('12.34'),
      }),
      lineAmounts({
        subTotalMinor: toMinor('0.05', 'USD'),
        vatRate: parseRate(20),
        discountRate: 0,
      }),
    ];
    // 199.99 * 7.5% = 14.99925 -> 15.00 ; 199.99 * 12.34% = 24.678766 -> 24.68 ; 0.05 * 20% = 0.01
    expect(lines[0]).toEqual({
      subTotalMinor: 19999,
      vatMinor: 1500,
      discountMinor: 2468,
      lineTotalMinor: 19031,
    });
    expect(lines[1]).toEqual({
      subTotalMinor: 5,
      vatMinor: 1,
      discountMinor: 0,
      lineTotalMinor: 6,
    });
    expect(invoiceTotals(lines, 5000)).toEqual({
      subTotalMinor: 20004,
      vatMinor: 1501,
      discountMinor: 2468,
      totalMinor: 19037,
      paidMinor: 5000,
      balanceDueMinor: 14037,
    });
  });

  test('when a currency has no minor digits or three, then the maths stays in its minor units', () => {
    const yen = lineAmounts({
      subTotalMinor: toMinor('1005', 'JPY'),
      vatRate: parseRate(10),
      discountRate: 0,
    });
    expect(yen.vatMinor).toBe(101); // 100.5 -> 101
    const dinar = lineAmounts({
      subTotalMinor: toMinor('1.005', 'KWD'),
      vatRate: parseRate(5),
      discountRate: 0,
    });
    expect(dinar.vatMinor).toBe(50); // 50.25 fils -> 50
    expect(formatMinor(dinar.lineTotalMinor, 'KWD')).toBe('1.055');
  });

  test('when an invoice has no lines, then everything is zero', () => {
    expect(invoiceTotals([], 0)).toEqual({
      subTotalMinor: 0,
      vatMinor: 0,
      discountMinor: 0,
      totalMinor: 0,
      paidMinor: 0,
      balanceDueMinor: 0,
    });
  });
});

describe('settlement status', () => {
  test('when payments arrive, then an issued invoice goes unpaid -> partial -> paid', () => {
    expect(settledStatus('unpaid', 1000, 0)).toBe('unpaid');
    expect(settledStatus('unpaid', 1000, 400)).toBe('partial');
    expect(settledStatus('partial', 1000, 1000)).toBe('paid');
    expect(settledStatus('partial', 1000, 1200)).toBe('paid');
    expect(settledStatus('paid', 1000, 600)).toBe('partial');
  });

  test('when an invoice is a draft or void, then payments do not change its status', () => {
    expect(settledStatus('draft', 1000, 1000)).toBe('draft');
    expect(settledStatus('void', 1000, 1000)).toBe('void');
  });
});
