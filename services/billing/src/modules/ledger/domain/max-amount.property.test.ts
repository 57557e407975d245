import fc from 'fast-check';
import {
  buildEvent,
  formatMinor,
  MAX_AMOUNT_MINOR,
  minorJson,
  type EventData,
  type EventEnvelope,
} from '@ledgerline/contracts';
import { invoiceTotals, lineAmounts, totalsByCurrency } from '../../invoicing';
import { accountBalance, type EntryLine } from './entry';
import { balancesTable, monthlyPeriods, revenueTable } from './metrics';
import { postingsFor } from './posting';

/**
 * Issue 13's acceptance in the small: the largest accepted amount, on more invoices than 2^53
 * minor units can add up to in a double, goes through every report billing computes (history
 * totals, a profile's balance, the revenue and balances metrics) and each answers the exact
 * BigInt sum; an invoice that would compute a total above the maximum is refused (422) instead.
 */

const DAY = new Date('2025-03-10T00:00:00Z');

/** An invoice at the maximum: all of it sub-total, or 10% VAT on what leaves the total at the maximum. */
function maxInvoice(withVat: boolean) {
  const sub = withVat ? Math.floor(MAX_AMOUNT_MINOR / 1.1) : MAX_AMOUNT_MINOR;
  const line = lineAmounts({ subTotalMinor: sub, vatRate: withVat ? 1000 : 0, discountRate: 0 });
  return invoiceTotals([line], 0);
}

function issuedEvent(i: number, currency: string, t: ReturnType<typeof maxInvoice>, paid: boolean) {
  const data: EventData<'InvoiceCreated'> = {
    invoice_id: `inv_${i}`,
    invoice_number: `INV-${i}`,
    customer_id: 'cus_big',
    currency,
    status: 'unpaid',
    total_minor: t.totalMinor,
    paid_minor: 0,
    balance_due_minor: t.totalMinor,
    sub_total_minor: t.subTotalMinor,
    vat_minor: t.vatMinor,
    discount_minor: t.discountMinor,
    issue_date: '2025-03-10',
    due_date: null,
    subscription_id: null,
    dunning_action: null,
  };
  const events: EventEnvelope[] = [
    {
      ...buildEvent('InvoiceCreated', { tenant_id: 'ten_big', data }),
      occurred_at: DAY.toISOString(),
    },
  ];
  if (paid) {
    events.push(
      buildEvent('InvoiceStatusChanged', {
        tenant_id: 'ten_big',
        data: {
          ...data,
          status: 'paid',
          paid_minor: t.totalMinor,
          balance_due_minor: 0,
          previous_status: 'unpaid',
          payment_id: `pay_${i}`,
          applied_minor: t.totalMinor,
          payment_change: 'payment',
          refund_id: null,
        },
      }),
    );
  }
  return events;
}

describe('the maximum amount through every billing report', () => {
  test('when an invoice computes a total above the maximum, then it is a 422; at the maximum it is accepted', () => {
    expect(maxInvoice(false).totalMinor).toBe(MAX_AMOUNT_MINOR);
    const over = lineAmounts({ subTotalMinor: MAX_AMOUNT_MINOR, vatRate: 1, discountRate: 0 });
    expect(() => invoiceTotals([over], 0)).toThrow(expect.objectContaining({ status: 422 }));
    const two = lineAmounts({ subTotalMinor: MAX_AMOUNT_MINOR, vatRate: 0, discountRate: 0 });
    expect(() => invoiceTotals([two, two], 0)).toThrow(expect.objectContaining({ status: 422 }));
  });

  test('when thousands of maximum invoices are issued and some paid, then histories, balances and metrics are exact past 2^53', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 9_008, max: 10_500 }),
        fc.constantFrom('USD', 'JPY', 'KWD'),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (count, currency, paidEvery, withVat) => {
          const t = maxInvoice(withVat);
          const bills = [];
          const lines: EntryLine[] = [];
          let total = 0n;
          let paid = 0n;
          for (let i = 0; i < count; i++) {
            const isPaid = i % paidEvery === 0;
            total += BigInt(t.totalMinor);
            if (isPaid) paid += BigInt(t.totalMinor);
            bills.push({
              currency,
              total_minor: t.totalMinor,
              paid_minor: isPaid ? t.totalMinor : 0,
              balance_due_minor: isPaid ? 0 : t.totalMinor,
            });
            for (const event of issuedEvent(i, currency, t, isPaid)) {
              for (const p of postingsFor(event, 'ten_platform')) lines.push(...p.entry.lines);
            }
          }
          expect(total).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
          const due = total - paid;

          // invoice history / a customer's bill_history
          expect(totalsByCurrency(bills)).toEqual([
            {
              currency,
              billedMinor: total,
              paidMinor: paid,
              creditedMinor: 0n,
              dueMinor: due,
              count,
            },
          ]);
          // /api/billing/{profile}/balance
          expect(accountBalance(lines, 'receivable:cus_big')).toBe(due);
          expect(formatMinor(due, currency)).toMatch(/^\d+(\.\d+)?$/);
          // /api/metrics/{profile}/revenue and /balances for the month of the invoices
          const periods = monthlyPeriods(DAY, DAY);
          const entries = [{ created_at: DAY, currency, customer_id: 'cus_big', lines }];
          const [revenue, payments] = revenueTable(periods, entries, currency);
          expect(revenue?.values[0]?.[1]).toBe(BigInt(t.subTotalMinor) * BigInt(count));
          expect(payments?.values[0]?.[1]).toBe(paid);
          const [balanceDue] = balancesTable(periods, entries, currency);
          expect(balanceDue?.values[0]?.[1]).toBe(due);
          // seed 001's integer field: digits when a double could not hold it
          expect(minorJson(total)).toBe(total.toString());
        },
      ),
      { numRuns: 4 },
    );
  });
});
