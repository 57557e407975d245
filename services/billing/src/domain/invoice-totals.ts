import { applyRate, sumMinor, type RateHundredths } from '@ledgerline/contracts';

/** One invoice line as seed 002 describes it: a sub-total with its own VAT and discount rates. */
export interface LineInput {
  subTotalMinor: number;
  vatRate: RateHundredths;
  discountRate: RateHundredths;
}

export interface LineAmounts {
  subTotalMinor: number;
  vatMinor: number;
  discountMinor: number;
  lineTotalMinor: number;
}

export interface InvoiceTotals {
  subTotalMinor: number;
  vatMinor: number;
  discountMinor: number;
  totalMinor: number;
  paidMinor: number;
  balanceDueMinor: number;
}

/** VAT and discount are each a rate of the line's sub-total, rounded half away from zero per line. */
export function lineAmounts(line: LineInput): LineAmounts {
  const vatMinor = applyRate(line.subTotalMinor, line.vatRate);
  const discountMinor = applyRate(line.subTotalMinor, line.discountRate);
  return {
    subTotalMinor: line.subTotalMinor,
    vatMinor,
    discountMinor,
    lineTotalMinor: sumMinor([line.subTotalMinor, vatMinor, -discountMinor]),
  };
}

/**
 * Seed 002 "AUTO-CALCULATIONS": subtotal = sum of line sub-totals, VAT = sum of line VAT,
 * discount = sum of line discounts, total = subtotal + VAT - discount, balance due = total - paid.
 */
export function invoiceTotals(lines: readonly LineAmounts[], paidMinor: number): InvoiceTotals {
  const subTotalMinor = sumMinor(lines.map((l) => l.subTotalMinor));
  const vatMinor = sumMinor(lines.map((l) => l.vatMinor));
  const discountMinor = sumMinor(lines.map((l) => l.discountMinor));
  const totalMinor = sumMinor([subTotalMinor, vatMinor, -discountMinor]);
  return {
    subTotalMinor,
    vatMinor,
    discountMinor,
    totalMinor,
    paidMinor,
    balanceDueMinor: sumMinor([totalMinor, -paidMinor]),
  };
}
