import { applyRate, assertAmountMax, sumMinor, type RateHundredths } from '@ledgerline/contracts';

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
 * Each of them is one amount, so each is held to MAX_AMOUNT_MINOR (a 422 above it): that keeps
 * every report over any number of invoices exact (lines are never negative, so no line is larger).
 */
export function invoiceTotals(lines: readonly LineAmounts[], paidMinor: number): InvoiceTotals {
  const subTotalMinor = sumMinor(lines.map((l) => l.subTotalMinor));
  const vatMinor = sumMinor(lines.map((l) => l.vatMinor));
  const discountMinor = sumMinor(lines.map((l) => l.discountMinor));
  const totalMinor = sumMinor([subTotalMinor, vatMinor, -discountMinor]);
  assertAmountMax(subTotalMinor, undefined, 'sub_total');
  assertAmountMax(vatMinor, undefined, 'vat_amount');
  assertAmountMax(discountMinor, undefined, 'discount_amount');
  assertAmountMax(totalMinor, undefined, 'total_bill_amount');
  return {
    subTotalMinor,
    vatMinor,
    discountMinor,
    totalMinor,
    paidMinor,
    balanceDueMinor: sumMinor([totalMinor, -paidMinor]),
  };
}
