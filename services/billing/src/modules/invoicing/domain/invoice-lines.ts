import {
  applyRate,
  formatMinor,
  formatRate,
  multiplyMinor,
  sumMinor,
  type RateHundredths,
} from '@ledgerline/contracts';
import { monthFraction, overlap, prorate } from './proration';

/**
 * Auto-generation of invoice lines (seed 002 auto_generate / auto_calculate): one line per active
 * entitlement detail that meets the billing period, prorated by days. Pure: the details, pricings
 * and VAT rate come in as arguments.
 *
 * - bw: mbps x unit price per month.
 * - channel_partner: mbps x unit price per month, less the partner's share
 *   (custom_mac_percentage_share): the partner keeps that percentage of the revenue, so the line
 *   bills the rest. The share is applied after proration, rounded half away from zero.
 * - soho: the package's monthly rate from the pricing valid on the first billed day (an active
 *   pricing of the row's package, val_start_at..val_end_at); the row's own price when no pricing
 *   of the package is known.
 */
export interface BillableDetail {
  detail_id: string;
  type: 'bw' | 'channel_partner' | 'soho';
  bandwidth_type: string | null;
  mbps: number | null;
  unit_price_minor: number | null;
  currency: string;
  /** Hundredths of a percent. */
  custom_mac_percentage_share: number | null;
  package_master_id: string | null;
  start_date: string;
  end_date: string | null;
  is_active: boolean;
  status: string;
}

export interface PricingFact {
  pricing_id: string;
  package_id: string;
  rate_minor: number;
  currency: string;
  is_active: boolean;
  val_start_at: string;
  val_end_at: string | null;
}

export interface GeneratedLine {
  entitlement_details_id: string;
  sub_total_minor: number;
  vat_rate: RateHundredths;
  days: number;
  remarks: string;
}

export interface Period {
  start: string;
  end: string;
}

/** The active pricing of a package valid on `date` (the latest start wins if windows overlap). */
export function pricingOn(
  pricings: readonly PricingFact[],
  packageId: string,
  currency: string,
  date: string,
): PricingFact | null {
  let found: PricingFact | null = null;
  for (const p of pricings) {
    if (p.package_id !== packageId || !p.is_active || p.currency !== currency) continue;
    if (p.val_start_at > date || (p.val_end_at !== null && p.val_end_at < date)) continue;
    if (!found || p.val_start_at > found.val_start_at) found = p;
  }
  return found;
}

function monthlyPrice(
  d: BillableDetail,
  pricings: readonly PricingFact[],
  firstDay: string,
): { monthlyMinor: number; label: string } | null {
  const money = (m: number) => `${formatMinor(m, d.currency)} ${d.currency}`;
  if (d.type === 'soho') {
    const pricing = d.package_master_id
      ? pricingOn(pricings, d.package_master_id, d.currency, firstDay)
      : null;
    const rate = pricing?.rate_minor ?? d.unit_price_minor;
    if (rate === null) return null;
    return {
      monthlyMinor: rate,
      label: `soho package ${d.package_master_id ?? ''} at ${money(rate)}/month`,
    };
  }
  if (d.mbps === null || d.unit_price_minor === null) return null;
  const gross = multiplyMinor(d.unit_price_minor, d.mbps);
  const what = d.type === 'bw' ? (d.bandwidth_type ?? 'bandwidth') : 'channel partner';
  return {
    monthlyMinor: gross,
    label: `${what} ${d.mbps} Mbps x ${money(d.unit_price_minor)}/month`,
  };
}

/** A detail bills when it is active and its days meet the period. */
export function isBillable(d: BillableDetail, period: Period): boolean {
  return (
    d.is_active &&
    d.status === 'active' &&
    overlap(period, { start: d.start_date, end: d.end_date }) !== null
  );
}

export function buildAutoLines(input: {
  details: readonly BillableDetail[];
  pricings: readonly PricingFact[];
  vatRate: RateHundredths;
  period: Period;
}): { lines: GeneratedLine[]; unpriced: string[] } {
  const lines: GeneratedLine[] = [];
  const unpriced: string[] = [];
  const ordered = [...input.details].sort(
    (a, b) => a.start_date.localeCompare(b.start_date) || a.detail_id.localeCompare(b.detail_id),
  );
  for (const d of ordered) {
    if (!isBillable(d, input.period)) continue;
    const billed = overlap(input.period, { start: d.start_date, end: d.end_date })!;
    const price = monthlyPrice(d, input.pricings, billed.start);
    if (!price) {
      unpriced.push(d.detail_id);
      continue;
    }
    const fraction = monthFraction({ start: billed.start, end: billed.end! });
    const prorated = prorate(price.monthlyMinor, fraction);
    const share = d.type === 'channel_partner' ? (d.custom_mac_percentage_share ?? 0) : 0;
    const shareMinor = applyRate(prorated, share);
    const subTotal = sumMinor([prorated, -shareMinor]);
    const whole = fraction.numerator === fraction.denominator;
    const remarks = [
      price.label,
      `${billed.start}..${billed.end}${whole ? '' : ` (${fraction.days} days, prorated)`}`,
      ...(share > 0
        ? [`partner share ${formatRate(share)}% (${formatMinor(shareMinor, d.currency)}) deducted`]
        : []),
    ].join('; ');
    lines.push({
      entitlement_details_id: d.detail_id,
      sub_total_minor: subTotal,
      vat_rate: input.vatRate,
      days: fraction.days,
      remarks,
    });
  }
  return { lines, unpriced };
}
