import { formatMinor, formatRate, type TenantSettingsSnapshot } from '@ledgerline/contracts';
import type { InvoiceViewSource } from '../../invoicing';
import type { DocumentMark, DocumentModel, DocumentParty } from './document-model';

/**
 * An invoice as a document: pure (invoice, issuer and customer in; the strings, rows, totals and
 * mark to draw out), so what a PDF says is unit-tested without rendering one.
 */

/** The tenant issuing the invoice, as its account settings describe it (auth's snapshot). */
export type Issuer = Omit<TenantSettingsSnapshot, 'tenant_id' | 'logo'>;

/** Who is billed: a tenant's customer, or a tenant (the platform's invoices). */
export interface Recipient {
  name: string;
  /** Postal address lines as printed. */
  address: string[];
  tax_id?: string | null;
  email?: string | null;
}

const present = (parts: (string | null | undefined)[]) =>
  parts.map((p) => p?.trim() ?? '').filter((p) => p.length > 0);

/** Address lines of a settings-shaped party: street lines, "city state postcode", country. */
export function settingsAddress(s: Omit<Issuer, 'name' | 'billing_email' | 'tax_id'>): string[] {
  const locality = present([s.billing_city, s.billing_state, s.billing_postal_code]).join(' ');
  return present([s.billing_address_line1, s.billing_address_line2, locality, s.billing_country]);
}

export function issuerParty(issuer: Issuer): DocumentParty {
  return {
    name: issuer.name,
    lines: [
      ...settingsAddress(issuer),
      ...(issuer.tax_id ? [`Tax ID: ${issuer.tax_id}`] : []),
      ...(issuer.billing_email ? [issuer.billing_email] : []),
    ],
  };
}

export function recipientParty(r: Recipient): DocumentParty {
  return {
    name: r.name,
    lines: [
      ...present(r.address),
      ...(r.tax_id ? [`Tax ID: ${r.tax_id}`] : []),
      ...(r.email ? [r.email] : []),
    ],
  };
}

const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  unpaid: 'Unpaid',
  partial: 'Partially paid',
  paid: 'Paid',
  void: 'Void',
  overdue: 'Overdue',
};

export function invoiceMark(status: string): DocumentMark | null {
  if (status === 'draft') return 'DRAFT';
  if (status === 'paid') return 'PAID';
  if (status === 'void') return 'VOID';
  return null;
}

/** A draft has no number yet: the file and the heading name it by its id. */
export function invoiceReference(inv: Pick<InvoiceViewSource, '_id' | 'invoice_number'>): string {
  return inv.invoice_number ?? `Draft ${inv._id}`;
}

/** A file name a header can carry: the invoice number (or id), other characters as "_". */
export function pdfFileName(inv: Pick<InvoiceViewSource, '_id' | 'invoice_number'>): string {
  return `${(inv.invoice_number ?? inv._id).replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
}

/**
 * What the customer is asked to do. There is no payment-instructions setting: the line is made
 * from what the settings hold (the amount due, the date, the reference to quote, whom to ask).
 */
export function paymentInstructions(inv: InvoiceViewSource, issuer: Issuer): string | null {
  if (inv.status === 'void' || inv.status === 'draft' || inv.balance_due_minor <= 0) return null;
  const due = `${formatMinor(inv.balance_due_minor, inv.currency)} ${inv.currency}`;
  const by = inv.due_date ? ` by ${inv.due_date}` : '';
  const ask = issuer.billing_email ? ` Questions: ${issuer.billing_email}.` : '';
  return `Please pay ${due}${by} to ${issuer.name}, quoting ${invoiceReference(inv)}.${ask}`;
}

const COLUMNS: DocumentModel['columns'] = [
  { label: 'Description', width: 0.34, align: 'left' },
  { label: 'Qty', width: 0.06, align: 'right' },
  { label: 'Unit price', width: 0.15, align: 'right' },
  { label: 'VAT', width: 0.15, align: 'right' },
  { label: 'Discount', width: 0.15, align: 'right' },
  { label: 'Amount', width: 0.15, align: 'right' },
];

export function invoiceDocument(
  inv: InvoiceViewSource,
  issuer: Issuer,
  recipient: Recipient,
): DocumentModel {
  const money = (minor: number) => formatMinor(minor, inv.currency);
  const reference = invoiceReference(inv);
  // a line is one priced item (seed 002 lines carry a sub total, no quantity): 1 × its sub total
  const rows = inv.details.map((line, i) => [
    line.remarks?.trim() || `Line ${i + 1}`,
    '1',
    money(line.sub_total_minor),
    `${money(line.vat_minor)} (${formatRate(line.vat_rate)}%)`,
    `${money(line.discount_minor)} (${formatRate(line.discount_rate)}%)`,
    money(line.line_total_minor),
  ]);
  const period =
    inv.period_start && inv.period_end ? `${inv.period_start} to ${inv.period_end}` : null;
  const instructions = paymentInstructions(inv, issuer);
  const cur = inv.currency;
  return {
    title: 'INVOICE',
    reference,
    issuer: issuerParty(issuer),
    recipientHeading: 'Bill to',
    recipient: recipientParty(recipient),
    facts: [
      ['Invoice number', reference],
      ['Issue date', inv.issue_date ?? '—'],
      ['Due date', inv.due_date ?? '—'],
      ...(period ? [['Period', period] as [string, string]] : []),
      ['Status', STATUS_LABELS[inv.status] ?? inv.status],
      ['Currency', cur],
    ],
    columns: COLUMNS,
    rows,
    totals: [
      { label: 'Sub total', value: `${money(inv.sub_total_minor)} ${cur}` },
      { label: 'VAT', value: `${money(inv.vat_minor)} ${cur}` },
      {
        label: 'Discount',
        value: `${inv.discount_minor > 0 ? '-' : ''}${money(inv.discount_minor)} ${cur}`,
      },
      { label: 'Total', value: `${money(inv.total_minor)} ${cur}`, strong: true },
      { label: 'Amount paid', value: `${money(inv.paid_minor)} ${cur}` },
      {
        label: 'Balance due',
        value: `${money(Math.max(0, inv.balance_due_minor))} ${cur}`,
        strong: true,
      },
    ],
    notes: [
      ...(instructions ? [{ title: 'Payment instructions', text: instructions }] : []),
      ...(inv.remarks?.trim() ? [{ title: 'Remarks', text: inv.remarks.trim() }] : []),
    ],
    mark: invoiceMark(inv.status),
    stamp: {
      at: new Date(inv.updated_at),
      title: `Invoice ${reference}`,
      subject: `${issuer.name} to ${recipient.name}`,
    },
  };
}
