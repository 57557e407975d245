import { sumMinorExact } from '@ledgerline/contracts';

export interface BillAmounts {
  currency: string;
  total_minor: number;
  paid_minor: number;
  balance_due_minor: number;
  credited_minor?: number;
}

export interface CurrencyTotals {
  currency: string;
  billedMinor: bigint;
  paidMinor: bigint;
  creditedMinor: bigint;
  dueMinor: bigint;
  count: number;
}

/**
 * Seed 002's history totals (total_billed, total_paid, total_due), one set per currency: amounts
 * in different currencies are never added together. Added in BigInt, so a history of any number
 * of invoices (each at most MAX_AMOUNT_MINOR) is exact and never refused. The currency with the most
 * invoices comes first (ties: alphabetical), so a single-currency customer has one entry.
 */
export function totalsByCurrency(bills: readonly BillAmounts[]): CurrencyTotals[] {
  const groups = new Map<string, BillAmounts[]>();
  for (const bill of bills) {
    const group = groups.get(bill.currency) ?? [];
    group.push(bill);
    groups.set(bill.currency, group);
  }
  return [...groups.entries()]
    .map(([currency, group]) => ({
      currency,
      billedMinor: sumMinorExact(group.map((b) => b.total_minor)),
      paidMinor: sumMinorExact(group.map((b) => b.paid_minor)),
      creditedMinor: sumMinorExact(group.map((b) => b.credited_minor ?? 0)),
      dueMinor: sumMinorExact(group.map((b) => b.balance_due_minor)),
      count: group.length,
    }))
    .sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency));
}
