import { sumMinor, type EventData, type EventEnvelope } from '@ledgerline/contracts';
import { ACCOUNTS, credit, debit, isBalanced, reversed, type EntryDraft } from './entry';

type InvoiceAmounts = EventData<'InvoiceCreated'>;

/**
 * Issuing an invoice: the customer owes the total, revenue is recognised net of discount and the
 * VAT is owed to the tax authority (total = sub_total + vat - discount, so the entry balances).
 */
function issueLines(inv: InvoiceAmounts) {
  return [
    ...debit(ACCOUNTS.receivable(inv.customer_id), inv.total_minor),
    ...credit(ACCOUNTS.revenue, sumMinor([inv.sub_total_minor, -inv.discount_minor])),
    ...credit(ACCOUNTS.vatPayable, inv.vat_minor),
  ];
}

function label(inv: InvoiceAmounts): string {
  return inv.invoice_number ?? inv.invoice_id;
}

/** The invoice's own entry: its issue, or that entry reversed when an issued invoice is voided. */
function invoiceEntry(inv: InvoiceAmounts, kind: 'invoice_issued' | 'invoice_void'): EntryDraft {
  const issuing = kind === 'invoice_issued';
  return {
    source_key: `${kind}:${inv.invoice_id}`,
    kind,
    description: `Invoice ${label(inv)} ${issuing ? 'issued' : 'voided'}`,
    currency: inv.currency,
    customer_id: inv.customer_id,
    invoice_id: inv.invoice_id,
    lines: issuing ? issueLines(inv) : reversed(issueLines(inv)),
  };
}

/** Money moving between cash and the customer's receivable: + received, - given back. */
function settlement(data: EventData<'InvoiceStatusChanged'>): EntryDraft | null {
  const amount = data.applied_minor;
  if (amount === 0 || data.payment_change === null) return null;
  const lines = [
    ...debit(ACCOUNTS.cash, amount),
    ...credit(ACCOUNTS.receivable(data.customer_id), amount),
  ];
  const common = {
    currency: data.currency,
    customer_id: data.customer_id,
    invoice_id: data.invoice_id,
    lines,
  };
  const payment = data.payment_id ?? 'unknown';
  const invoice = label(data);
  // the source key names what moved the money, once: the payment, its void, or the refund
  const { key, description } = {
    payment: {
      key: `payment:${payment}`,
      description: `Payment ${payment} applied to invoice ${invoice}`,
    },
    payment_voided: {
      key: `payment_voided:${payment}`,
      description: `Payment ${payment} voided on invoice ${invoice}`,
    },
    refund: {
      key: `refund:${data.refund_id ?? payment}`,
      description: `Refund ${data.refund_id ?? ''} of payment ${payment} on invoice ${invoice}`,
    },
  }[data.payment_change];
  return { ...common, source_key: key, kind: data.payment_change, description };
}

/**
 * A credit note applied to its invoice (issue 17): the customer owes its amount less, and the
 * revenue and VAT the invoice recognised are taken back in the note's parts (net + vat = amount).
 */
function creditNote(data: EventData<'InvoiceStatusChanged'>): EntryDraft | null {
  const note = data.credit_note;
  if (!note) return null;
  return {
    source_key: `credit_note:${note.credit_note_id}`,
    kind: 'credit_note',
    description: `Credit note ${note.credit_note_number} on invoice ${label(data)}`,
    currency: data.currency,
    customer_id: data.customer_id,
    invoice_id: data.invoice_id,
    lines: [
      ...debit(ACCOUNTS.revenue, note.net_minor),
      ...debit(ACCOUNTS.vatPayable, note.vat_minor),
      ...credit(ACCOUNTS.receivable(data.customer_id), note.amount_minor),
    ],
  };
}

function statusChanged(data: EventData<'InvoiceStatusChanged'>): EntryDraft[] {
  const entries: EntryDraft[] = [];
  const wasIssued = data.previous_status !== 'draft' && data.previous_status !== 'void';
  if (data.previous_status === 'draft' && data.status !== 'draft' && data.status !== 'void') {
    entries.push(invoiceEntry(data, 'invoice_issued'));
  }
  if (data.status === 'void' && wasIssued) {
    entries.push(invoiceEntry(data, 'invoice_void'));
  }
  const money = settlement(data);
  if (money) entries.push(money);
  const credited = creditNote(data);
  if (credited) entries.push(credited);
  return entries;
}

/**
 * Prepaid credits are sold by the platform: their price was recognised as revenue when the
 * purchase invoice was issued, so a purchase moves that value from revenue into a liability owed
 * to the buyer, and using credits recognises it as revenue again (a refund of credits undoes a use).
 * Grants carry no money value and post nothing.
 */
function creditTransaction(
  data: EventData<'CreditTransactionRecorded'>,
  ledgerTenantId: string,
): EntryDraft | null {
  if (!data.value_minor || !data.currency) return null;
  const liability = ACCOUNTS.creditsLiability(data.tenant_id);
  const value = data.value_minor;
  const base = {
    source_key: `credits:${data.transaction_id}`,
    currency: data.currency,
    customer_id: data.tenant_id === ledgerTenantId ? null : data.tenant_id,
    invoice_id: data.invoice_id,
  };
  // bought or given back: revenue becomes owed to the buyer; used: it is revenue again
  const owed = [...debit(ACCOUNTS.revenue, value), ...credit(liability, value)];
  const used = [...debit(liability, value), ...credit(ACCOUNTS.revenue, value)];
  const moves: Record<typeof data.transaction_type, Omit<EntryDraft, keyof typeof base> | null> = {
    purchase: {
      kind: 'credits_purchase',
      description: `${data.amount} credits bought by ${data.tenant_id}`,
      lines: owed,
    },
    deduction: {
      kind: 'credits_usage',
      description: `${-data.amount} credits used by ${data.tenant_id}: ${data.description}`,
      lines: used,
    },
    refund: {
      kind: 'credits_refund',
      description: `${data.amount} credits returned to ${data.tenant_id}`,
      lines: owed,
    },
    grant: null,
  };
  const move = moves[data.transaction_type];
  return move && { ...base, ...move };
}

export interface Posting {
  /** The ledger the entry belongs to. */
  tenant_id: string;
  entry: EntryDraft;
}

/**
 * The posting rules: which balanced entries an event adds to which tenant's ledger. Pure, and
 * deterministic in its source keys, so delivering an event twice (or under a new event id) asks
 * for the same entries again and the store's unique key turns the repeat into a no-op.
 */
export function postingsFor(event: EventEnvelope, platformTenantId: string): Posting[] {
  const drafts: { tenant_id: string; entry: EntryDraft | null }[] = [];
  switch (event.type) {
    case 'InvoiceCreated': {
      const data = (event as EventEnvelope<'InvoiceCreated'>).data;
      if (data.status !== 'draft' && data.status !== 'void') {
        drafts.push({ tenant_id: event.tenant_id, entry: invoiceEntry(data, 'invoice_issued') });
      }
      break;
    }
    case 'InvoiceStatusChanged': {
      const data = (event as EventEnvelope<'InvoiceStatusChanged'>).data;
      for (const entry of statusChanged(data)) drafts.push({ tenant_id: event.tenant_id, entry });
      break;
    }
    case 'CreditTransactionRecorded': {
      const data = (event as EventEnvelope<'CreditTransactionRecorded'>).data;
      drafts.push({
        tenant_id: platformTenantId,
        entry: creditTransaction(data, platformTenantId),
      });
      break;
    }
    default:
      break;
  }
  return drafts
    .filter((d): d is Posting => d.entry !== null && d.entry.lines.length > 0)
    .map((d) => {
      if (!isBalanced(d.entry.lines)) {
        throw new Error(`unbalanced ledger entry ${d.entry.source_key}`);
      }
      return d;
    });
}

export const BALANCE_KINDS = ['charge', 'offline_payment', 'write_off'] as const;
export type BalanceKind = (typeof BALANCE_KINDS)[number];

/**
 * Seed 001's balance API: a provider's use charge raises the customer's balance due; an offline
 * payment or a write-off lowers it.
 */
export function balanceEntry(input: {
  kind: BalanceKind;
  customerId: string;
  amountMinor: number;
  currency: string;
  description: string;
  sourceKey: string;
}): EntryDraft {
  const receivable = ACCOUNTS.receivable(input.customerId);
  const amount = input.amountMinor;
  const lines = {
    charge: [...debit(receivable, amount), ...credit(ACCOUNTS.revenue, amount)],
    offline_payment: [...debit(ACCOUNTS.cash, amount), ...credit(receivable, amount)],
    write_off: [...debit(ACCOUNTS.writeOffs, amount), ...credit(receivable, amount)],
  }[input.kind];
  return {
    source_key: input.sourceKey,
    kind: input.kind,
    description: input.description,
    currency: input.currency,
    customer_id: input.customerId,
    invoice_id: null,
    lines,
  };
}
