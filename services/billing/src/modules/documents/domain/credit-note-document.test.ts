import type { CreditNote } from '../../invoicing';
import { creditNoteDocument, creditNoteFileName } from './credit-note-document';
import { TEST_ISSUER as issuer } from '../../../test-support/document-issuer';

function note(overrides: Partial<CreditNote> = {}): CreditNote {
  return {
    _id: 'cn_1',
    tenant_id: 'ten_1',
    status: 'issued',
    credit_note_number: 'CN-000007',
    number_seq: 7,
    number_key: 'CN-000007',
    invoice_id: 'inv_1',
    invoice_number: 'INV-000042',
    customer_id: 'cus_1',
    currency: 'BDT',
    invoice_total_minor: 135_000,
    amount_minor: 11_500,
    vat_minor: 1_500,
    net_minor: 10_000,
    lines: [{ invoice_detail_id: 'l1', amount_minor: 11_500, description: 'Router rental' }],
    reason: 'Damaged router',
    issue_date: '2026-03-20',
    version: 2,
    created_by: 'usr_1',
    updated_by: 'usr_1',
    created_at: new Date('2026-03-20T10:00:00.000Z'),
    updated_at: new Date('2026-03-20T10:00:01.000Z'),
    ...overrides,
  };
}

describe('a credit note as a document', () => {
  test('when a line was credited, then the document names the note, the invoice, the line, the parts and the reason', () => {
    const doc = creditNoteDocument(note(), issuer, { name: 'রহিম স্টোর', address: ['Mirpur 10'] });
    expect([doc.title, doc.reference, doc.recipientHeading, doc.mark]).toEqual([
      'CREDIT NOTE',
      'CN-000007',
      'Credited to',
      null,
    ]);
    expect(doc.facts).toEqual([
      ['Credit note number', 'CN-000007'],
      ['Issue date', '2026-03-20'],
      ['Invoice', 'INV-000042'],
      ['Currency', 'BDT'],
    ]);
    expect(doc.rows).toEqual([['Router rental (invoice INV-000042)', '115.00']]);
    expect(doc.totals).toEqual([
      { label: 'Net', value: '100.00 BDT' },
      { label: 'VAT', value: '15.00 BDT' },
      { label: 'Total credited', value: '115.00 BDT', strong: true },
    ]);
    expect(doc.notes[0]).toEqual({ title: 'Reason', text: 'Damaged router' });
    expect(doc.recipient.name).toBe('রহিম স্টোর');
    expect(doc.stamp.at.toISOString()).toBe('2026-03-20T10:00:01.000Z');
  });

  test('when an amount was credited and the note is still pending, then one row for the invoice and a DRAFT mark', () => {
    const doc = creditNoteDocument(
      note({ lines: [], status: 'pending', credit_note_number: null, issue_date: null }),
      issuer,
      { name: 'Acme', address: [] },
    );
    expect([doc.reference, doc.mark]).toEqual(['Pending cn_1', 'DRAFT']);
    expect(doc.rows).toEqual([['Credit on invoice INV-000042', '115.00']]);
    expect(creditNoteFileName(note({ credit_note_number: null }))).toBe('cn_1.pdf');
    expect(creditNoteFileName(note())).toBe('CN-000007.pdf');
  });
});
