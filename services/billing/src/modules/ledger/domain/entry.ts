import { sumMinor, sumMinorExact, type LEDGER_ENTRY_KINDS } from '@ledgerline/contracts';

/**
 * The chart of accounts. Balances are kept per tenant (the ledger's owner) and currency.
 * - `receivable:<customer>`   asset: what a customer owes (its balance due). Debit raises it.
 * - `cash`                    asset: money received (online or offline payments).
 * - `revenue`                 income, net of discounts (sub-total - discount).
 * - `vat_payable`             liability: VAT collected on behalf of the tax authority.
 * - `credits_liability:<tenant>` liability: prepaid credits sold and not yet used.
 * - `write_offs`              expense: receivables given up as unrecoverable.
 */
export const ACCOUNTS = {
  cash: 'cash',
  revenue: 'revenue',
  vatPayable: 'vat_payable',
  writeOffs: 'write_offs',
  receivable: (customerId: string | null) => `receivable:${customerId ?? 'unassigned'}`,
  creditsLiability: (tenantId: string) => `credits_liability:${tenantId}`,
} as const;

export const RECEIVABLE_PREFIX = 'receivable:';

export interface EntryLine {
  account: string;
  debit_minor: number;
  credit_minor: number;
}

export type EntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** One balanced journal entry before it is stored. `source_key` makes posting it idempotent. */
export interface EntryDraft {
  source_key: string;
  kind: EntryKind;
  description: string;
  currency: string;
  /** The counterparty whose receivable moves (a customer, or a tenant billed by the platform). */
  customer_id: string | null;
  invoice_id: string | null;
  lines: EntryLine[];
}

/** A debit of `amount` (a negative amount becomes a credit; zero is no line at all). */
export function debit(account: string, amount: number): EntryLine[] {
  if (amount === 0) return [];
  return amount > 0
    ? [{ account, debit_minor: amount, credit_minor: 0 }]
    : [{ account, debit_minor: 0, credit_minor: -amount }];
}

export function credit(account: string, amount: number): EntryLine[] {
  return debit(account, -amount);
}

export function totalDebits(lines: readonly EntryLine[]): number {
  return sumMinor(lines.map((l) => l.debit_minor));
}

export function totalCredits(lines: readonly EntryLine[]): number {
  return sumMinor(lines.map((l) => l.credit_minor));
}

export function isBalanced(lines: readonly EntryLine[]): boolean {
  return totalDebits(lines) === totalCredits(lines);
}

/**
 * Debits minus credits of one account over some lines (an asset's balance), exact in BigInt:
 * a balance sums any number of entries.
 */
export function accountBalance(lines: readonly EntryLine[], account: string): bigint {
  return sumMinorExact(
    lines.filter((l) => l.account === account).map((l) => l.debit_minor - l.credit_minor),
  );
}

/** The reverse of an entry: every debit becomes a credit and the other way round. */
export function reversed(lines: readonly EntryLine[]): EntryLine[] {
  return lines.map((l) => ({
    account: l.account,
    debit_minor: l.credit_minor,
    credit_minor: l.debit_minor,
  }));
}
