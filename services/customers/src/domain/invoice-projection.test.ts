import { MAX_AMOUNT_MINOR } from '@ledgerline/contracts';
import {
  customerTotals,
  hasBalanceDue,
  isNewer,
  minorOf,
  type InvoiceFacts,
} from './invoice-projection';

const inv = (over: Partial<InvoiceFacts>): InvoiceFacts => ({
  invoice_id: 'inv_1',
  customer_id: 'cus_1',
  status: 'unpaid',
  currency: 'USD',
  total_minor: 0,
  paid_minor: 0,
  balance_due_minor: 0,
  issue_date: '2025-01-15',
  occurred_at: '2025-01-15T10:00:00.000Z',
  event_rank: 0,
  ...over,
});

describe('invoice snapshot ordering', () => {
  test('when nothing is held yet, then any event is newer', () => {
    expect(isNewer(inv({}), null)).toBe(true);
  });

  test('when a later event arrives, then it replaces; an older or replayed one changes nothing', () => {
    const created = inv({ occurred_at: '2025-01-15T10:00:00.000Z', event_rank: 0 });
    const paid = inv({ occurred_at: '2025-01-15T10:00:05.000Z', event_rank: 1, paid_minor: 100 });
    expect(isNewer(paid, created)).toBe(true);
    expect(isNewer(created, paid)).toBe(false);
    expect(isNewer(paid, paid)).toBe(false);
  });

  test('when two events share a timestamp, then a status change beats creation and more paid beats less', () => {
    const t = '2025-01-15T10:00:00.000Z';
    expect(isNewer(inv({ occurred_at: t, event_rank: 1 }), inv({ occurred_at: t }))).toBe(true);
    expect(isNewer(inv({ occurred_at: t }), inv({ occurred_at: t, event_rank: 1 }))).toBe(false);
    expect(
      isNewer(
        inv({ occurred_at: t, event_rank: 1, paid_minor: 500 }),
        inv({ occurred_at: t, event_rank: 1, paid_minor: 200 }),
      ),
    ).toBe(true);
  });

  test('when timestamps differ only in their offset notation, then they are compared as instants', () => {
    expect(
      isNewer(
        inv({ occurred_at: '2025-01-15T11:00:00+01:00' }),
        inv({ occurred_at: '2025-01-15T09:59:59Z' }),
      ),
    ).toBe(true);
  });
});

describe('customer totals', () => {
  test('when a customer has issued, paid, draft and void invoices, then only issued ones count, exactly', () => {
    const totals = customerTotals([
      inv({
        invoice_id: 'a',
        total_minor: 1100000,
        paid_minor: 400050,
        balance_due_minor: 699950,
        status: 'partial',
        issue_date: '2025-01-15',
      }),
      inv({
        invoice_id: 'b',
        total_minor: 10,
        paid_minor: 10,
        balance_due_minor: 0,
        status: 'paid',
        issue_date: '2025-02-01',
      }),
      inv({
        invoice_id: 'c',
        total_minor: 999,
        status: 'draft',
        balance_due_minor: 999,
        issue_date: null,
      }),
      inv({
        invoice_id: 'd',
        total_minor: 777,
        status: 'void',
        balance_due_minor: 777,
        issue_date: '2025-03-01',
      }),
    ]);
    expect(totals).toEqual({
      totals: [
        { currency: 'USD', billed_minor: '1100010', paid_minor: '400060', due_minor: '699950' },
      ],
      last_bill_invoice_date: '2025-02-01',
    });
    expect(hasBalanceDue(totals.totals)).toBe(true);
  });

  test('when invoices are in several currencies, then each is summed on its own, sorted by code', () => {
    const totals = customerTotals([
      inv({ invoice_id: 'a', currency: 'USD', total_minor: 500, balance_due_minor: 500 }),
      inv({ invoice_id: 'b', currency: 'BDT', total_minor: 700, paid_minor: 700, status: 'paid' }),
      inv({
        invoice_id: 'c',
        currency: 'USD',
        total_minor: 250,
        paid_minor: 100,
        balance_due_minor: 150,
        status: 'partial',
      }),
    ]);
    expect(totals.totals).toEqual([
      { currency: 'BDT', billed_minor: '700', paid_minor: '700', due_minor: '0' },
      { currency: 'USD', billed_minor: '750', paid_minor: '100', due_minor: '650' },
    ]);
  });

  test('when everything is paid or there are no invoices, then nothing is due', () => {
    expect(customerTotals([])).toEqual({ totals: [], last_bill_invoice_date: null });
    expect(
      hasBalanceDue([{ currency: 'USD', billed_minor: '5', paid_minor: '5', due_minor: '0' }]),
    ).toBe(false);
    // an overpaid invoice reads a negative balance: not money owed
    expect(
      hasBalanceDue([{ currency: 'USD', billed_minor: '5', paid_minor: '6', due_minor: '-1' }]),
    ).toBe(false);
  });

  test('when more maximum invoices are projected than 2^53 holds, then the stored totals stay exact', () => {
    const invoices = Array.from({ length: 10_000 }, (_, i) =>
      inv({
        invoice_id: `inv_${i}`,
        total_minor: MAX_AMOUNT_MINOR,
        paid_minor: i % 2 === 0 ? MAX_AMOUNT_MINOR : 0,
        balance_due_minor: i % 2 === 0 ? 0 : MAX_AMOUNT_MINOR,
      }),
    );
    const [usd] = customerTotals(invoices).totals;
    expect(usd).toEqual({
      currency: 'USD',
      billed_minor: '9999999999990000',
      paid_minor: '4999999999995000',
      due_minor: '4999999999995000',
    });
    expect(minorOf(usd!.billed_minor)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
  });

  test('when a document stored its totals as numbers (before strings), then they still read', () => {
    expect(minorOf(699950)).toBe(699950n);
    expect(minorOf('699950')).toBe(699950n);
    expect(hasBalanceDue([{ currency: 'USD', billed_minor: 5, paid_minor: 0, due_minor: 5 }])).toBe(
      true,
    );
  });
});
