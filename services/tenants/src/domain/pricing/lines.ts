import { formatMinor, minorDigits } from '@ledgerline/contracts';
import { assertSeats, validateCharge, type Charge } from './charges';
import { PricingInputError } from './errors';
import { daysIn, prorate, type Period } from './periods';
import { priceUsage } from './price-models';
import { emptyUsage, usageQuantity, validateMetric, type Metric, type UsageState } from './usage';
import { formatQuantity, formatUnitPrice, toAmountMinor } from './units';

/** One invoice line as the subscription engine hands it to invoicing. */
export interface Line {
  charge_code: string;
  description: string;
  kind: 'flat' | 'per_seat' | 'usage' | 'proration';
  period: Period;
  /** Decimal text: "1" for a flat fee, the seats, the usage quantity ("12.5"). */
  quantity: string;
  /** Price of one unit in major units, where one price applies to the whole quantity. */
  unit_amount?: string;
  amount_minor: number;
}

export interface ProrationFactor {
  part: number;
  whole: number;
}

/** The code of the single line an immediate plan or quantity change adds. */
export const PRORATION_CHARGE_CODE = 'proration';

const copy = (period: Period): Period => ({
  start: new Date(period.start.getTime()),
  end: new Date(period.end.getTime()),
});

/** A charge's amount for a whole period, in minor units (flat or seats x unit price). */
function advanceAmount(charge: Charge, seats: number): number {
  if (charge.kind === 'flat') return charge.amount_minor;
  if (charge.kind === 'per_seat') {
    return toAmountMinor(BigInt(charge.unit_amount_minor) * BigInt(seats), `${charge.code}.amount`);
  }
  return 0;
}

/**
 * The flat and per-seat lines of a period starting now (fees are billed in advance). `factor`
 * prorates a partial first period, each line rounded on its own: prorate(amount, part, whole).
 */
export function advanceFeeLines(
  charges: Charge[],
  seats: number,
  period: Period,
  currency: string,
  factor?: ProrationFactor,
): Line[] {
  assertSeats(seats);
  minorDigits(currency);
  const lines: Line[] = [];
  for (const charge of charges) {
    validateCharge(charge);
    if (charge.kind === 'usage') continue;
    const whole = advanceAmount(charge, seats);
    const unit = charge.kind === 'flat' ? charge.amount_minor : charge.unit_amount_minor;
    const prorated = factor ? ` (prorated ${factor.part}/${factor.whole} days)` : '';
    lines.push({
      charge_code: charge.code,
      description: `${charge.name}${prorated}`,
      kind: charge.kind,
      period: copy(period),
      quantity: charge.kind === 'flat' ? '1' : String(seats),
      unit_amount: formatMinor(unit, currency),
      amount_minor: factor ? prorate(whole, factor.part, factor.whole) : whole,
    });
  }
  return lines;
}

/**
 * One line per usage charge for a closed period (usage is billed in arrears), shown even at 0 so
 * the invoice names every metric. `usage` is keyed by metric code; a metric without a state has
 * had no events. Only a per-unit price shows a unit amount: tiers and packages have none.
 */
export function arrearsUsageLines(
  charges: Charge[],
  usage: Record<string, UsageState>,
  metrics: Record<string, Metric>,
  period: Period,
  currency: string,
): Line[] {
  minorDigits(currency);
  const lines: Line[] = [];
  for (const charge of charges) {
    validateCharge(charge);
    if (charge.kind !== 'usage') continue;
    const metric = metrics[charge.metric];
    if (!metric) {
      throw new PricingInputError(`${charge.code}.metric`, `unknown metric ${charge.metric}`);
    }
    validateMetric(metric);
    const quantity = usageQuantity(metric, usage[charge.metric] ?? emptyUsage(metric));
    const line: Line = {
      charge_code: charge.code,
      description: charge.name,
      kind: 'usage',
      period: copy(period),
      quantity: formatQuantity(quantity),
      amount_minor: priceUsage(charge.model, quantity),
    };
    if (charge.model.model === 'per_unit') {
      line.unit_amount = formatUnitPrice(charge.model.unit_price, currency);
    }
    lines.push(line);
  }
  return lines;
}

export interface RenewalInput {
  charges: Charge[];
  metrics: Record<string, Metric>;
  seats: number;
  currency: string;
  /** The period that just ended, null when there is none to bill (the very first invoice). */
  closing: Period | null;
  /** Usage of the closing period, keyed by metric code. */
  closingUsage: Record<string, UsageState>;
  /** The period that starts now, null when the subscription ends here (canceled at period end). */
  opening: Period | null;
  /** Shorthand for both flags below: the whole boundary lies inside a trial. */
  inTrial?: boolean;
  /** The closing period was a trial: its usage is not charged. */
  closingInTrial?: boolean;
  /** The opening period is (still) a trial: its fees are not charged. */
  openingInTrial?: boolean;
}

/**
 * The lines of the invoice issued at a period end: usage of the closing period in arrears, then
 * fees of the opening period in advance. A trial is free, usage included: events during a trial
 * are aggregated (and readable) but never priced, so a closing trial period bills no usage and an
 * opening trial period bills no fees. A subscription canceled at period end has no opening period,
 * so its last invoice carries its usage only.
 */
export function renewalLines(input: RenewalInput): Line[] {
  const closingFree = input.inTrial === true || input.closingInTrial === true;
  const openingFree = input.inTrial === true || input.openingInTrial === true;
  const lines: Line[] = [];
  if (input.closing && !closingFree) {
    lines.push(
      ...arrearsUsageLines(
        input.charges,
        input.closingUsage,
        input.metrics,
        input.closing,
        input.currency,
      ),
    );
  }
  if (input.opening && !openingFree) {
    lines.push(...advanceFeeLines(input.charges, input.seats, input.opening, input.currency));
  }
  return lines;
}

export interface ChangeInput {
  from: Charge[];
  to: Charge[];
  fromSeats: number;
  toSeats: number;
  /** When the change takes effect, inside `period`. */
  at: Date;
  /** The current period, already invoiced in advance at the old fees. */
  period: Period;
  currency: string;
}

/**
 * An immediate plan or seat change inside a paid period. Only advance fees (flat, per-seat) were
 * paid ahead, so only they are prorated: the difference of the two plans' period totals times the
 * remaining days over the period's days (daysIn; the day of the change counts as remaining), in
 * one 'proration' line when it costs more (charged now) or as `credit_minor` when it costs less
 * (the unused part of a downgrade taken at once). Usage is billed in arrears at period end and is
 * left to that invoice. A downgrade at period end is the caller's: it calls nothing here.
 */
export function changeLines(input: ChangeInput): { now: Line[]; credit_minor: number } {
  minorDigits(input.currency);
  assertSeats(input.fromSeats, 'fromSeats');
  assertSeats(input.toSeats, 'toSeats');
  const at = input.at instanceof Date ? input.at.getTime() : NaN;
  if (!(at >= input.period.start.getTime() && at < input.period.end.getTime())) {
    throw new PricingInputError('at', 'must fall inside the current period');
  }
  const total = (charges: Charge[], seats: number): bigint =>
    charges.reduce((sum, charge) => {
      validateCharge(charge);
      return sum + BigInt(advanceAmount(charge, seats));
    }, 0n);
  const difference = toAmountMinor(
    total(input.to, input.toSeats) - total(input.from, input.fromSeats),
    'difference',
  );
  const remaining: Period = { start: new Date(at), end: new Date(input.period.end.getTime()) };
  const part = daysIn(remaining);
  const whole = daysIn(input.period);
  const amount = prorate(difference, part, whole);
  if (amount === 0) return { now: [], credit_minor: 0 }; // not -0 from negating a zero
  if (amount < 0) return { now: [], credit_minor: -amount };
  const line: Line = {
    charge_code: PRORATION_CHARGE_CODE,
    description: `Plan change: ${part}/${whole} days of the ${formatMinor(difference, input.currency)} ${input.currency} difference`,
    kind: 'proration',
    period: remaining,
    quantity: '1',
    unit_amount: formatMinor(amount, input.currency),
    amount_minor: amount,
  };
  return { now: [line], credit_minor: 0 };
}

/** The sum of the lines, exact, refused beyond MAX_AMOUNT_MINOR. */
export function invoiceTotal(lines: Line[]): number {
  return toAmountMinor(
    lines.reduce((sum, line) => sum + BigInt(line.amount_minor), 0n),
    'total',
  );
}
