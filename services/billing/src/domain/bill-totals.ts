import { sumMinor } from '@ledgerline/contracts';

export interface BillAmounts {
  currency: string;
  total_minor: number;
  paid_minor: number;
  balance_due_minor: number;
}

export interface CurrencyTotals {
  currency: string;
  billedMinor: number;
  paidMinor: number;
  dueMinor: number;
  count: number;
}

/**
 * Seed 002's history totals (total_billed, total_paid, total_due), exact, one set per currency:
 * amounts in different currencies are never added together. The currency with the most
 * invoices comes first (ties: alphabetical), so a single-currency customer has one entry.
 */
export function totalsByCurrency(bills: readonly BillAmounts[]): CurrencyTotals[] {
  const groups = new Map<string, BillAmounts[]>();
  for (const bill of bills) groups.set(bill.currency, [...(groups.get(bill.currency) ?? []), bill]);
  return [...groups.entries()]
    .map(([currency, group]) => ({
      currency,
      billedMinor: sumMinor(group.map((b) => b.total_minor)),
      paidMinor: sumMinor(group.map((b) => b.paid_minor)),
      dueMinor: sumMinor(group.map((b) => b.balance_due_minor)),
      count: group.length,
    }))
    .sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency));
}
