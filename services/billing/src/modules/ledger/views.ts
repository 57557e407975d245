import { formatMinor, type LedgerTransactionView } from '@ledgerline/contracts';
import type { LedgerEntry } from './store/entries';
import { RECEIVABLE_PREFIX } from './domain/entry';

const profileOf = (account: string | undefined) =>
  account?.startsWith(RECEIVABLE_PREFIX) ? account.slice(RECEIVABLE_PREFIX.length) : null;

/** Seed 001 shows a transaction as orig (credited) -> dest (debited); every line is listed too. */
export function transactionView(entry: LedgerEntry): LedgerTransactionView {
  const orig = entry.lines.find((l) => l.credit_minor > 0)?.account ?? '';
  const dest = entry.lines.find((l) => l.debit_minor > 0)?.account ?? '';
  return {
    id: entry._id,
    created_at: new Date(entry.created_at).toISOString(),
    description: entry.description,
    kind: entry.kind,
    source: { key: entry.source_key, event_type: entry.event_type, event_id: entry.event_id },
    amount: formatMinor(entry.amount_minor, entry.currency),
    amount_minor: entry.amount_minor,
    currency: entry.currency,
    unit: entry.currency.toLowerCase(),
    orig_account: orig,
    dest_account: dest,
    orig_profile: profileOf(orig),
    dest_profile: profileOf(dest),
    invoice_id: entry.invoice_id,
    lines: entry.lines.map((l) => ({
      account: l.account,
      debit: formatMinor(l.debit_minor, entry.currency),
      credit: formatMinor(l.credit_minor, entry.currency),
      debit_minor: l.debit_minor,
      credit_minor: l.credit_minor,
    })),
  };
}
