import { AppError } from '@ledgerline/contracts';
import { creditNoteAmounts, type CreditedInvoice } from './credit-notes';
import { credit } from './settlement';

/** 2 lines: 1000.00 + 15 % VAT = 1150.00, and 200.00 + 0 % = 200.00; total 1350.00. */
const invoice: CreditedInvoice = {
  status: 'partial',
  total_minor: 135_000,
  vat_minor: 15_000,
  balance_due_minor: 35_000,
  details: [
    { id: 'l1', vat_minor: 15_000, line_total_minor: 115_000 },
    { id: 'l2', vat_minor: 0, line_total_minor: 20_000 },
  ],
};

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.details;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('credit note amounts', () => {
  test('when an amount is credited, then VAT is its share of the invoice, rounded half away from zero once', () => {
    // 100.01 x 15000 / 135000 = 11.1122... -> 11.11 VAT, 88.90 net
    expect(creditNoteAmounts(invoice, { amount_minor: 10_001 })).toEqual({
      amount_minor: 10_001,
      vat_minor: 1_111,
      net_minor: 8_890,
      lines: [],
    });
  });

  test('when lines are credited, then each line takes its own VAT share and a line without amount is credited whole', () => {
    // l1 for 11.50: 1150 x 15000 / 115000 = 150 -> 1.50 VAT; l2 whole: 200.00, no VAT
    expect(
      creditNoteAmounts(invoice, {
        lines: [{ invoice_detail_id: 'l1', amount_minor: 1_150 }, { invoice_detail_id: 'l2' }],
      }),
    ).toEqual({
      amount_minor: 21_150,
      vat_minor: 150,
      net_minor: 21_000,
      lines: [
        { invoice_detail_id: 'l1', amount_minor: 1_150 },
        { invoice_detail_id: 'l2', amount_minor: 20_000 },
      ],
    });
  });

  test('when the credit is more than the invoice owes by one minor unit, then it is refused naming the amount', () => {
    expect(refusal(() => creditNoteAmounts(invoice, { amount_minor: 35_001 }))).toEqual([
      { field: 'amount', message: 'must not exceed what the invoice still owes' },
    ]);
    expect(creditNoteAmounts(invoice, { amount_minor: 35_000 }).amount_minor).toBe(35_000);
  });

  test('when lines are unknown, repeated or above their total, then each problem is named', () => {
    expect(
      refusal(() =>
        creditNoteAmounts(invoice, {
          lines: [
            { invoice_detail_id: 'nope' },
            { invoice_detail_id: 'l2', amount_minor: 20_001 },
            { invoice_detail_id: 'l1', amount_minor: 0 },
          ],
        }),
      ),
    ).toEqual([
      { field: 'lines.0.invoice_detail_id', message: 'is not a line of the invoice' },
      { field: 'lines.1.amount', message: 'must be more than 0 and at most the line total' },
      { field: 'lines.2.amount', message: 'must be more than 0 and at most the line total' },
    ]);
  });

  test('when a credit note is applied, then the balance due drops, paid stays, and nothing owed reads paid', () => {
    const inv = { status: 'partial' as const, total_minor: 135_000, paid_minor: 100_000 };
    expect(credit(inv, 10_000)).toEqual({
      paid_minor: 100_000,
      balance_due_minor: 25_000,
      status: 'partial',
      credited_minor: 10_000,
    });
    expect(credit({ ...inv, credited_minor: 10_000 }, 25_000)).toEqual({
      paid_minor: 100_000,
      balance_due_minor: 0,
      status: 'paid',
      credited_minor: 35_000,
    });
    expect(credit({ status: 'unpaid', total_minor: 500, paid_minor: 0 }, 200)).toMatchObject({
      balance_due_minor: 300,
      status: 'unpaid',
    });
  });
});
