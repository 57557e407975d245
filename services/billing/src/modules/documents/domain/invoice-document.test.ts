import type { InvoiceViewSource } from '../../invoicing';
import { TEST_ISSUER as issuer } from '../../../test-support/document-issuer';
import { invoiceDocument, pdfFileName } from './invoice-document';

function invoice(overrides: Partial<InvoiceViewSource> = {}): InvoiceViewSource {
  return {
    _id: 'inv_1',
    invoice_number: 'INV-000042',
    customer_id: 'cus_1',
    customer_entitlement_master_id: null,
    information_master_id: null,
    bill_number: null,
    period_start: '2026-03-01',
    period_end: '2026-03-31',
    billing_run_id: null,
    status: 'partial',
    currency: 'BDT',
    issue_date: '2026-03-01',
    due_date: '2026-03-15',
    details: [
      {
        id: 'l1',
        entitlement_details_id: null,
        sub_total_minor: 100000,
        vat_rate: 1500,
        discount_rate: 0,
        vat_minor: 15000,
        discount_minor: 0,
        line_total_minor: 115000,
        remarks: 'Internet 20 Mbps',
      },
      {
        id: 'l2',
        entitlement_details_id: null,
        sub_total_minor: 50050,
        vat_rate: 750,
        discount_rate: 1000,
        vat_minor: 3754,
        discount_minor: 5005,
        line_total_minor: 48799,
        remarks: null,
      },
    ],
    sub_total_minor: 150050,
    vat_minor: 18754,
    discount_minor: 5005,
    total_minor: 163799,
    paid_minor: 60000,
    balance_due_minor: 103799,
    remarks: 'Thank you',
    created_by: 'usr_1',
    updated_by: 'usr_1',
    created_at: new Date('2026-03-01T09:00:00Z'),
    updated_at: new Date('2026-03-02T10:30:00Z'),
    ...overrides,
  } as InvoiceViewSource;
}

const customer = { name: 'রহিম স্টোর', address: ['১২ মতিঝিল, ঢাকা'], email: null };

describe('invoiceDocument', () => {
  test('when an issued invoice is partly paid, then every line, total and the payment line are drawn exactly', () => {
    const doc = invoiceDocument(invoice(), issuer, customer);
    expect(doc.reference).toBe('INV-000042');
    expect(doc.issuer).toEqual({
      name: 'Dhaka Net Ltd',
      lines: [
        'House 12, Road 5',
        'Dhaka 1207',
        'BD',
        'Tax ID: BIN-0042',
        'billing@dhakanet.example',
      ],
    });
    expect(doc.recipient).toEqual({ name: 'রহিম স্টোর', lines: ['১২ মতিঝিল, ঢাকা'] });
    expect(doc.facts).toEqual([
      ['Invoice number', 'INV-000042'],
      ['Issue date', '2026-03-01'],
      ['Due date', '2026-03-15'],
      ['Period', '2026-03-01 to 2026-03-31'],
      ['Status', 'Partially paid'],
      ['Currency', 'BDT'],
    ]);
    expect(doc.rows).toEqual([
      ['Internet 20 Mbps', '1', '1000.00', '150.00 (15.00%)', '0.00 (0.00%)', '1150.00'],
      ['Line 2', '1', '500.50', '37.54 (7.50%)', '50.05 (10.00%)', '487.99'],
    ]);
    expect(doc.totals).toEqual([
      { label: 'Sub total', value: '1500.50 BDT' },
      { label: 'VAT', value: '187.54 BDT' },
      { label: 'Discount', value: '-50.05 BDT' },
      { label: 'Total', value: '1637.99 BDT', strong: true },
      { label: 'Amount paid', value: '600.00 BDT' },
      { label: 'Balance due', value: '1037.99 BDT', strong: true },
    ]);
    expect(doc.notes).toEqual([
      {
        title: 'Payment instructions',
        text: 'Please pay 1037.99 BDT by 2026-03-15 to Dhaka Net Ltd, quoting INV-000042. Questions: billing@dhakanet.example.',
      },
      { title: 'Remarks', text: 'Thank you' },
    ]);
    expect(doc.mark).toBeNull();
    expect(doc.stamp).toEqual({
      at: new Date('2026-03-02T10:30:00Z'),
      title: 'Invoice INV-000042',
      subject: 'Dhaka Net Ltd to রহিম স্টোর',
    });
  });

  test('when the currency has no minor digits, then amounts are written without decimals', () => {
    const doc = invoiceDocument(
      invoice({
        currency: 'JPY',
        details: [],
        sub_total_minor: 1200,
        vat_minor: 0,
        discount_minor: 0,
        total_minor: 1200,
        paid_minor: 0,
        balance_due_minor: 1200,
      }),
      issuer,
      customer,
    );
    expect(doc.totals.find((t) => t.label === 'Total')?.value).toBe('1200 JPY');
  });

  test('when an invoice is a draft, paid or void, then it carries that mark and asks for no payment', () => {
    const draft = invoiceDocument(
      invoice({ status: 'draft', invoice_number: null, issue_date: null }),
      issuer,
      customer,
    );
    expect([draft.mark, draft.reference, draft.notes.map((n) => n.title)]).toEqual([
      'DRAFT',
      'Draft inv_1',
      ['Remarks'],
    ]);
    expect(draft.facts[1]).toEqual(['Issue date', '—']);
    const paid = invoiceDocument(
      invoice({ status: 'paid', paid_minor: 163799, balance_due_minor: 0 }),
      issuer,
      customer,
    );
    expect([paid.mark, paid.notes.map((n) => n.title)]).toEqual(['PAID', ['Remarks']]);
    expect(invoiceDocument(invoice({ status: 'void' }), issuer, customer).mark).toBe('VOID');
  });

  test('when a file name is made, then only the number or id survives, other characters replaced', () => {
    expect(pdfFileName({ _id: 'inv_1', invoice_number: 'INV-000042' })).toBe('INV-000042.pdf');
    expect(pdfFileName({ _id: 'inv_1', invoice_number: null })).toBe('inv_1.pdf');
    expect(pdfFileName({ _id: 'ab"c/\\d é', invoice_number: null })).toBe('ab_c__d__.pdf');
  });
});
