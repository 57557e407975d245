import { renderPdf, type DocumentModel } from '../../services/billing/src/modules/documents';
import { allText, pdfText } from '../support/pdf-text';

/** A document as the invoice model makes one, with a Bengali customer and a long line list. */
function model(overrides: Partial<DocumentModel> = {}): DocumentModel {
  return {
    title: 'INVOICE',
    reference: 'INV-000042',
    issuer: {
      name: 'Dhaka Net Ltd',
      lines: ['House 12, Road 5', 'Dhaka 1207', 'Bangladesh', 'Tax ID: BIN-0042'],
    },
    recipientHeading: 'Bill to',
    recipient: { name: 'রহিম স্টোর', lines: ['১২ মতিঝিল, ঢাকা'] },
    facts: [
      ['Invoice number', 'INV-000042'],
      ['Issue date', '2026-03-01'],
    ],
    columns: [
      { label: 'Description', width: 0.7, align: 'left' },
      { label: 'Amount', width: 0.3, align: 'right' },
    ],
    rows: [
      ['Internet 20 Mbps (ইন্টারনেট)', '1000.00'],
      ['Installation', '150.00'],
    ],
    totals: [{ label: 'Total', value: '1150.00 BDT', strong: true }],
    notes: [{ title: 'Payment instructions', text: 'Please pay 1150.00 BDT by 2026-03-15.' }],
    mark: null,
    stamp: { at: new Date('2026-03-01T10:00:00Z'), title: 'Invoice INV-000042', subject: 'x' },
    ...overrides,
  };
}

describe('renderPdf', () => {
  test('when the same document is rendered twice, then the bytes are identical', async () => {
    const [first, second] = await Promise.all([renderPdf(model()), renderPdf(model())]);
    expect(first.subarray(0, 5).toString()).toBe('%PDF-');
    expect(first.equals(second)).toBe(true);
    // and another document is another file
    const paid = await renderPdf(model({ mark: 'PAID' }));
    expect(paid.equals(first)).toBe(false);
  });

  test('when a party is named in Bengali, then the text layer has it exactly as written', async () => {
    const text = allText(await renderPdf(model()));
    expect(text).toContain('রহিম স্টোর');
    expect(text).toContain('১২ মতিঝিল, ঢাকা');
    expect(text).toContain('Internet 20 Mbps (ইন্টারনেট)');
    expect(text).toContain('Dhaka Net Ltd');
    expect(text).toContain('1150.00 BDT');
  });

  test("when rendered, then the file's dates are the document's, not the clock's", async () => {
    const { info } = pdfText(await renderPdf(model()));
    expect(info).toMatchObject({ Title: 'Invoice INV-000042', Producer: 'Ledgerline' });
    expect(String(info.CreationDate)).toMatch(/^D:20260301100000Z/);
  });

  test('when the lines do not fit one page, then the table goes on over the next pages, each with its mark', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => [`Line ${i + 1}`, '1.00']);
    const { pages } = pdfText(await renderPdf(model({ rows, mark: 'DRAFT' })));
    expect(pages.length).toBe(3);
    expect(pages.every((p) => p.includes('DRAFT'))).toBe(true);
    expect(pages[2]).toContain('Line 80');
    expect(pages[2]).toContain('INV-000042 · page 3 of 3');
  });
});
