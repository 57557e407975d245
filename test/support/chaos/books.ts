import { toMinor } from '@ledgerline/contracts';
import type { Api } from '../accounts';
import { bearer } from '../accounts';

/** Every row of a paginated list (100 a page), as the given caller sees it. */
export async function listAll<T>(api: Api, token: string, path: string): Promise<T[]> {
  const out: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const res = await api.get(`${path}${sep}per_page=100&page=${page}`).set(bearer(token));
    if (res.status !== 200) {
      throw new Error(`GET ${path} page ${page}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const { results, count } = res.body.data as { results: T[]; count: number };
    out.push(...results);
    if (results.length === 0 || out.length >= count) return out;
  }
}

export interface PaymentRow {
  id: string;
  invoice_master_id: string;
  amount: string;
  currency: string;
  status: string;
  remarks: string | null;
}

export interface InvoiceRow {
  id: string;
  customer_id: string;
  currency: string;
  status: string;
  total_bill_amount: string;
  total_paid_amount: string;
  total_balance_due: string;
}

export interface LedgerEntry {
  id: string;
  kind: string;
  currency: string;
  amount: string;
  invoice_id: string | null;
  source: { key: string };
  lines: { account: string; debit: string; credit: string }[];
}

export interface CreditTx {
  id: string;
  amount: number;
  transaction_type: string;
  description: string | null;
  balance_after: number;
  seq: number;
}

/** Settlement status from amounts alone (seed 002 "Payment Auto-Update"), for issued invoices. */
export function expectedStatus(totalMinor: number, paidMinor: number): string {
  if (totalMinor - paidMinor <= 0) return 'paid';
  return paidMinor > 0 ? 'partial' : 'unpaid';
}

/** Problems with a tenant's journal: unbalanced entries or currencies, duplicated sources. */
export function ledgerProblems(entries: LedgerEntry[]): string[] {
  const problems: string[] = [];
  const totals = new Map<string, { debit: number; credit: number }>();
  const sources = new Set<string>();
  for (const e of entries) {
    const debit = e.lines.reduce((s, l) => s + toMinor(l.debit, e.currency), 0);
    const credit = e.lines.reduce((s, l) => s + toMinor(l.credit, e.currency), 0);
    if (debit !== credit)
      problems.push(`entry ${e.id} (${e.source.key}) debits ${debit} credits ${credit}`);
    if (sources.has(e.source.key)) problems.push(`source ${e.source.key} posted twice`);
    sources.add(e.source.key);
    const t = totals.get(e.currency) ?? { debit: 0, credit: 0 };
    totals.set(e.currency, { debit: t.debit + debit, credit: t.credit + credit });
  }
  for (const [currency, t] of totals) {
    if (t.debit !== t.credit)
      problems.push(`${currency}: debits ${t.debit} != credits ${t.credit}`);
  }
  return problems;
}

/** An account's balance (debits minus credits) per currency, in minor units. */
export function accountBalance(entries: LedgerEntry[], account: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    for (const l of e.lines) {
      if (l.account !== account) continue;
      out[e.currency] =
        (out[e.currency] ?? 0) + toMinor(l.debit, e.currency) - toMinor(l.credit, e.currency);
    }
  }
  return out;
}

/** Problems with a credit history: seq gaps, a balance_after that does not follow, a negative balance. */
export function creditChainProblems(txs: CreditTx[]): string[] {
  const problems: string[] = [];
  const sorted = [...txs].sort((a, b) => a.seq - b.seq);
  let balance = 0;
  sorted.forEach((tx, i) => {
    if (tx.seq !== i + 1) problems.push(`seq ${tx.seq} at position ${i + 1}`);
    balance += tx.amount;
    if (tx.balance_after !== balance) {
      problems.push(`seq ${tx.seq}: balance_after ${tx.balance_after}, expected ${balance}`);
    }
    if (tx.balance_after < 0) problems.push(`seq ${tx.seq}: negative balance ${tx.balance_after}`);
  });
  return problems;
}
