import { sumMinorExact } from '@ledgerline/contracts';
import { RECEIVABLE_PREFIX, type EntryLine } from './entry';

/** What metrics need of an entry. */
export interface MetricEntry {
  created_at: Date;
  currency: string;
  customer_id: string | null;
  lines: EntryLine[];
}

export interface Period {
  start: Date;
  /** Exclusive: the first instant of the next month (seed 001 tables key rows by period end). */
  end: Date;
}

export const MAX_PERIODS = 60;

/** Calendar months (UTC) from the month of `from` through the month of `to`, at most MAX_PERIODS (the latest kept). */
export function monthlyPeriods(from: Date, to: Date): Period[] {
  const periods: Period[] = [];
  let y = from.getUTCFullYear();
  let m = from.getUTCMonth();
  const lastKey = to.getUTCFullYear() * 12 + to.getUTCMonth();
  while (y * 12 + m <= lastKey) {
    periods.push({ start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) });
    m += 1;
    if (m === 12) {
      m = 0;
      y += 1;
    }
  }
  return periods.slice(-MAX_PERIODS);
}

/** The twelve months ending with the month of `now`. */
export function lastTwelveMonths(now: Date): Period[] {
  return monthlyPeriods(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)), now);
}

/**
 * Debits less credits of the matching accounts over the entries; exact in BigInt, so a period's
 * sum covers any number of entries.
 */
const net = (entries: MetricEntry[], match: (account: string) => boolean) =>
  sumMinorExact(
    entries
      .flatMap((e) => e.lines)
      .filter((l) => match(l.account))
      .map((l) => l.debit_minor - l.credit_minor),
  );

type Row<V = bigint> = { key: string; values: [Date, V][] };

function perPeriod<V>(
  periods: Period[],
  entries: MetricEntry[],
  value: (inPeriod: MetricEntry[], upToEnd: MetricEntry[]) => V,
): [Date, V][] {
  return periods.map((p) => {
    const upToEnd = entries.filter((e) => e.created_at < p.end);
    const inPeriod = upToEnd.filter((e) => e.created_at >= p.start);
    return [p.end, value(inPeriod, upToEnd)];
  });
}

/** Revenue recognised, cash received and amounts written off in each period (exact minor units). */
export function revenueTable(periods: Period[], entries: MetricEntry[], currency: string): Row[] {
  const mine = entries.filter((e) => e.currency === currency);
  return [
    { key: 'revenue', values: perPeriod(periods, mine, (p) => -net(p, (a) => a === 'revenue')) },
    { key: 'payments', values: perPeriod(periods, mine, (p) => net(p, (a) => a === 'cash')) },
    {
      key: 'write_offs',
      values: perPeriod(periods, mine, (p) => net(p, (a) => a === 'write_offs')),
    },
  ];
}

/** Balances at each period's end: what customers owe, and prepaid credits not yet used. */
export function balancesTable(periods: Period[], entries: MetricEntry[], currency: string): Row[] {
  const mine = entries.filter((e) => e.currency === currency);
  return [
    {
      key: 'balance_due',
      values: perPeriod(periods, mine, (_p, all) =>
        net(all, (a) => a.startsWith(RECEIVABLE_PREFIX)),
      ),
    },
    {
      key: 'credits_liability',
      values: perPeriod(
        periods,
        mine,
        (_p, all) => -net(all, (a) => a.startsWith('credits_liability:')),
      ),
    },
  ];
}

/** Customers with ledger activity in the period, seen for the first time in it, and seen so far. */
export function customersTable(periods: Period[], entries: MetricEntry[]): Row<number>[] {
  const firstSeen = new Map<string, Date>();
  for (const e of entries) {
    if (!e.customer_id) continue;
    const seen = firstSeen.get(e.customer_id);
    if (!seen || e.created_at < seen) firstSeen.set(e.customer_id, e.created_at);
  }
  const distinct = (list: MetricEntry[]) =>
    new Set(list.map((e) => e.customer_id).filter((c): c is string => c !== null)).size;
  return [
    { key: 'active', values: perPeriod(periods, entries, (p) => distinct(p)) },
    {
      key: 'new',
      values: periods.map((p) => [
        p.end,
        [...firstSeen.values()].filter((d) => d >= p.start && d < p.end).length,
      ]),
    },
    { key: 'total', values: perPeriod(periods, entries, (_p, all) => distinct(all)) },
  ];
}
