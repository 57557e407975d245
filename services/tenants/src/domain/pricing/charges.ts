import { PricingInputError } from './errors';
import { validatePriceModel, type PriceModel } from './price-models';
import { assertAmountMinor } from './units';

/**
 * What a plan charges per period. Flat and per-seat charges are billed in advance (at the start
 * of the period they pay for); usage charges in arrears (at its end, on the metric's usage).
 */
export type Charge =
  | { kind: 'flat'; code: string; name: string; amount_minor: number }
  | { kind: 'per_seat'; code: string; name: string; unit_amount_minor: number }
  | { kind: 'usage'; code: string; name: string; metric: string; model: PriceModel };

export type ChargeKind = Charge['kind'];

/** Throws a PricingInputError naming the first field that makes `charge` unusable. */
export function validateCharge(charge: Charge, field = 'charge'): void {
  if (typeof charge?.code !== 'string' || charge.code === '') {
    throw new PricingInputError(`${field}.code`, 'must be a non-empty string');
  }
  switch (charge.kind) {
    case 'flat':
      return assertAmountMinor(charge.amount_minor, `${field}.amount_minor`);
    case 'per_seat':
      return assertAmountMinor(charge.unit_amount_minor, `${field}.unit_amount_minor`);
    case 'usage':
      if (typeof charge.metric !== 'string' || charge.metric === '') {
        throw new PricingInputError(`${field}.metric`, 'must name a billable metric');
      }
      return validatePriceModel(charge.model, `${field}.model`);
    default:
      throw new PricingInputError(`${field}.kind`, 'must be one of flat, per_seat, usage');
  }
}

/** Seats are whole: a subscription's quantity is a non-negative safe integer. */
export function assertSeats(seats: number, field = 'seats'): void {
  if (!Number.isSafeInteger(seats) || seats < 0) {
    throw new PricingInputError(field, 'must be a non-negative integer');
  }
}
