import {
  AppError,
  divRoundHalfAwayFromZero,
  sumMinor,
  type ErrorDetail,
} from '@ledgerline/contracts';

/**
 * What a credit note takes off an invoice (issue 17), pure. A credit note for an amount credits
 * VAT and revenue in the invoice's own proportions; one for chosen lines in each line's. The VAT
 * part is rounded half away from zero once per line (or once for an amount) and the net part is
 * the rest, so vat + net = amount exactly and the ledger entry balances.
 */

export interface CreditedInvoice {
  status: string;
  total_minor: number;
  vat_minor: number;
  balance_due_minor: number;
  details: { id: string; vat_minor: number; line_total_minor: number }[];
}

export interface CreditNoteAmounts {
  amount_minor: number;
  vat_minor: number;
  net_minor: number;
  lines: { invoice_detail_id: string; amount_minor: number }[];
}

/** `part` of `whole`'s VAT in `amount`: amount × vat / whole, rounded half away from zero. */
function vatPart(amount: number, vat: number, whole: number): number {
  if (whole === 0 || vat === 0) return 0;
  return Number(divRoundHalfAwayFromZero(BigInt(amount) * BigInt(vat), BigInt(whole)));
}

/**
 * The credit note's amounts from what was asked (minor units already parsed), or a 422 naming
 * each problem. Credit notes are for issued invoices that still owe something: a draft is edited,
 * a void invoice owes nothing (409 from the caller); here only the amounts are judged, against
 * billing's view of the balance (the payments service, which owns it, decides last).
 */
export function creditNoteAmounts(
  invoice: CreditedInvoice,
  asked: { amount_minor?: number; lines?: { invoice_detail_id: string; amount_minor?: number }[] },
): CreditNoteAmounts {
  const details: ErrorDetail[] = [];
  let result: CreditNoteAmounts;
  if (asked.lines !== undefined) {
    const seen = new Set<string>();
    const lines = asked.lines.flatMap((l, i) => {
      const line = invoice.details.find((d) => d.id === l.invoice_detail_id);
      if (!line) {
        details.push({
          field: `lines.${i}.invoice_detail_id`,
          message: 'is not a line of the invoice',
        });
        return [];
      }
      if (seen.has(line.id)) {
        details.push({ field: `lines.${i}.invoice_detail_id`, message: 'is named twice' });
        return [];
      }
      seen.add(line.id);
      const amount = l.amount_minor ?? line.line_total_minor;
      if (amount <= 0 || amount > line.line_total_minor) {
        details.push({
          field: `lines.${i}.amount`,
          message: 'must be more than 0 and at most the line total',
        });
        return [];
      }
      return [{ line, amount }];
    });
    const amount = sumMinor(lines.map((l) => l.amount));
    const vat = sumMinor(
      lines.map((l) => vatPart(l.amount, l.line.vat_minor, l.line.line_total_minor)),
    );
    result = {
      amount_minor: amount,
      vat_minor: vat,
      net_minor: amount - vat,
      lines: lines.map((l) => ({ invoice_detail_id: l.line.id, amount_minor: l.amount })),
    };
  } else {
    const amount = asked.amount_minor ?? 0;
    if (amount <= 0) details.push({ field: 'amount', message: 'must be more than 0' });
    const vat = vatPart(amount, invoice.vat_minor, invoice.total_minor);
    result = { amount_minor: amount, vat_minor: vat, net_minor: amount - vat, lines: [] };
  }
  if (details.length === 0 && result.amount_minor > invoice.balance_due_minor)
    details.push({
      field: asked.lines !== undefined ? 'lines' : 'amount',
      message:
        invoice.balance_due_minor <= 0
          ? 'the invoice owes nothing'
          : 'must not exceed what the invoice still owes',
    });
  if (details.length > 0)
    throw AppError.validation('The credit note cannot be issued as asked', details);
  return result;
}
