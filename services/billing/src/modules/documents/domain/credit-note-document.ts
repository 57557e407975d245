import { formatMinor } from '@ledgerline/contracts';
import type { CreditNote } from '../../invoicing';
import type { DocumentModel } from './document-model';
import { issuerParty, recipientParty, type Issuer, type Recipient } from './invoice-document';

/**
 * A credit note as a document (issue 17), pure: what was credited against which invoice, why, and
 * the parts (net, VAT). A pending note (not numbered yet) is drawn as a draft.
 */
export function creditNoteReference(note: Pick<CreditNote, '_id' | 'credit_note_number'>): string {
  return note.credit_note_number ?? `Pending ${note._id}`;
}

export function creditNoteFileName(note: Pick<CreditNote, '_id' | 'credit_note_number'>): string {
  return `${(note.credit_note_number ?? note._id).replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
}

const COLUMNS: DocumentModel['columns'] = [
  { label: 'Description', width: 0.75, align: 'left' },
  { label: 'Amount', width: 0.25, align: 'right' },
];

export function creditNoteDocument(
  note: CreditNote,
  issuer: Issuer,
  recipient: Recipient,
): DocumentModel {
  const money = (minor: number) => formatMinor(minor, note.currency);
  const cur = note.currency;
  const invoice = note.invoice_number ?? note.invoice_id;
  const reference = creditNoteReference(note);
  const rows =
    note.lines.length > 0
      ? note.lines.map((l) => [
          `${l.description ?? l.invoice_detail_id} (invoice ${invoice})`,
          money(l.amount_minor),
        ])
      : [[`Credit on invoice ${invoice}`, money(note.amount_minor)]];
  return {
    title: 'CREDIT NOTE',
    reference,
    issuer: issuerParty(issuer),
    recipientHeading: 'Credited to',
    recipient: recipientParty(recipient),
    facts: [
      ['Credit note number', reference],
      ['Issue date', note.issue_date ?? '—'],
      ['Invoice', invoice],
      ['Currency', cur],
    ],
    columns: COLUMNS,
    rows,
    totals: [
      { label: 'Net', value: `${money(note.net_minor)} ${cur}` },
      { label: 'VAT', value: `${money(note.vat_minor)} ${cur}` },
      { label: 'Total credited', value: `${money(note.amount_minor)} ${cur}`, strong: true },
    ],
    notes: [
      { title: 'Reason', text: note.reason },
      {
        title: 'Effect',
        text: `The amount owed on invoice ${invoice} is reduced by ${money(note.amount_minor)} ${cur}.`,
      },
    ],
    mark: note.status === 'pending' ? 'DRAFT' : null,
    stamp: {
      at: new Date(note.updated_at),
      title: `Credit note ${reference}`,
      subject: `${issuer.name} to ${recipient.name}`,
    },
  };
}
