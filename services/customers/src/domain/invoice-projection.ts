import { sumMinorExact } from '@ledgerline/contracts';

/**
 * The customers service's copy of what it needs from billing's invoices: one snapshot per
 * invoice, replaced by newer events only, and the customer totals computed from them.
 */
export interface InvoiceFacts {
  invoice_id: string;
  customer_id: string | null;
  status: string;
  currency: string;
  total_minor: number;
  paid_minor: number;
  balance_due_minor: number;
  issue_date: string | null;
  /** When the event that produced this snapshot happened (ISO 8601). */
  occurred_at: string;
  /** Orders events of one invoice that share a timestamp: creation comes before changes. */
  event_rank: number;
}

export const EVENT_RANK = { InvoiceCreated: 0, InvoiceStatusChanged: 1 } as const;

type Order = Pick<InvoiceFacts, 'occurred_at' | 'event_rank' | 'paid_minor'>;

/**
 * True when `incoming` describes a later state of the invoice than `current`: later in time, or
 * at the same instant a later kind of event, or with more paid (payments only add). A replayed or
 * reordered older event is never newer, so applying events is idempotent.
 */
export function isNewer(incoming: Order, current: Order | null): boolean {
  if (!current) return true;
  const a = Date.parse(incoming.occurred_at);
  const b = Date.parse(current.occurred_at);
  if (a !== b) return a > b;
  if (incoming.event_rank !== current.event_rank) return incoming.event_rank > current.event_rank;
  return incoming.paid_minor > current.paid_minor;
}

/** Statuses that are money owed or paid: drafts are not issued and void invoices are cancelled. */
export function countsTowardTotals(status: string): boolean {
  return status !== 'draft' && status !== 'void';
}

/**
 * A stored running total in integer minor units: a string of digits, so it stays exact past 2^53
 * (the sum of more than 9,007 maximum amounts). Documents written before hold JSON numbers, which
 * were exact (larger sums were refused then); both read through `minorOf`.
 */
export type StoredMinor = string | number;

export const minorOf = (value: StoredMinor): bigint => BigInt(value);

export interface CurrencyTotals {
  currency: string;
  billed_minor: StoredMinor;
  paid_minor: StoredMinor;
  due_minor: StoredMinor;
}

export interface CustomerTotals {
  /** One entry per currency invoiced, sorted by currency code. */
  totals: CurrencyTotals[];
  last_bill_invoice_date: string | null;
}

/** What the totals read of each invoice (all a customer's snapshots are read to sum them). */
export const TOTALS_FIELDS = [
  'status',
  'currency',
  'total_minor',
  'paid_minor',
  'balance_due_minor',
  'issue_date',
] as const;
export type TotalsFacts = Pick<InvoiceFacts, (typeof TOTALS_FIELDS)[number]>;

/**
 * Sums a customer's issued invoices per currency, exactly in BigInt (never refused, whatever the
 * count), as strings of digits to store, and finds the latest issue date.
 */
export function customerTotals(invoices: readonly TotalsFacts[]): CustomerTotals {
  const byCurrency = new Map<string, TotalsFacts[]>();
  let last: string | null = null;
  for (const inv of invoices) {
    if (!countsTowardTotals(inv.status)) continue;
    const list = byCurrency.get(inv.currency) ?? [];
    list.push(inv);
    byCurrency.set(inv.currency, list);
    if (inv.issue_date && (last === null || inv.issue_date > last)) last = inv.issue_date;
  }
  const totals = [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, list]) => ({
      currency,
      billed_minor: sumMinorExact(list.map((i) => i.total_minor)).toString(),
      paid_minor: sumMinorExact(list.map((i) => i.paid_minor)).toString(),
      due_minor: sumMinorExact(list.map((i) => i.balance_due_minor)).toString(),
    }));
  return { totals, last_bill_invoice_date: last };
}

/** Money still owed in any currency: what forbids deleting the customer. */
export function hasBalanceDue(totals: readonly CurrencyTotals[]): boolean {
  return totals.some((t) => minorOf(t.due_minor) > 0n);
}
