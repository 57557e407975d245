import { PricingInputError } from './errors';
import {
  assertAmountMinor,
  minorAsProducts,
  roundProducts,
  type Quantity,
  type UnitPrice,
} from './units';

/**
 * One tier of a graduated or volume price. `up_to` is inclusive and in Quantity units; the last
 * tier is open-ended (`up_to: null`).
 *
 * Boundary convention (Stripe's and Lago's): tier i covers (up_to[i-1], up_to[i]], so a quantity
 * exactly on a bound belongs to the LOWER tier. With tiers up to 100 and above, 100 units are all
 * in tier 1 and the 101st unit is the first one of tier 2.
 */
export interface Tier {
  up_to: Quantity | null;
  unit_price: UnitPrice;
  flat_amount_minor: number;
}

export type PriceModel =
  | { model: 'per_unit'; unit_price: UnitPrice }
  /** Each slice of the quantity at its own tier's price, plus the flat amount of every tier entered. */
  | { model: 'graduated'; tiers: Tier[] }
  /** The whole quantity at the price of the tier it falls in, plus that tier's flat amount. */
  | { model: 'volume'; tiers: Tier[] }
  /** ceil((quantity - free_units) / package_size) packages; nothing up to the free units. */
  | {
      model: 'package';
      package_size: Quantity;
      package_amount_minor: number;
      free_units: Quantity;
    };

export type PriceModelKind = PriceModel['model'];

function assertUnitPrice(price: unknown, field: string): void {
  if (typeof price !== 'bigint' || price < 0n) {
    throw new PricingInputError(field, 'must be a non-negative unit price');
  }
}

function validateTiers(tiers: unknown, field: string): void {
  if (!Array.isArray(tiers) || tiers.length === 0) {
    throw new PricingInputError(field, 'must list at least one tier');
  }
  let previous = 0n;
  tiers.forEach((tier: Tier, i) => {
    const at = `${field}[${i}]`;
    const last = i === tiers.length - 1;
    if (last && tier.up_to !== null) {
      throw new PricingInputError(`${at}.up_to`, 'the last tier must be open-ended (null)');
    }
    if (!last) {
      if (typeof tier.up_to !== 'bigint' || tier.up_to <= previous) {
        throw new PricingInputError(
          `${at}.up_to`,
          'must be a quantity above the previous tier bound (bounds ascend, the first above 0)',
        );
      }
      previous = tier.up_to;
    }
    assertUnitPrice(tier.unit_price, `${at}.unit_price`);
    assertAmountMinor(tier.flat_amount_minor, `${at}.flat_amount_minor`);
  });
}

/** Throws a PricingInputError naming the first field that makes `model` unusable. */
export function validatePriceModel(model: PriceModel, field = 'price_model'): void {
  switch (model?.model) {
    case 'per_unit':
      return assertUnitPrice(model.unit_price, `${field}.unit_price`);
    case 'graduated':
    case 'volume':
      return validateTiers(model.tiers, `${field}.tiers`);
    case 'package':
      if (typeof model.package_size !== 'bigint' || model.package_size <= 0n) {
        throw new PricingInputError(`${field}.package_size`, 'must be a quantity above 0');
      }
      if (typeof model.free_units !== 'bigint' || model.free_units < 0n) {
        throw new PricingInputError(`${field}.free_units`, 'must be a non-negative quantity');
      }
      return assertAmountMinor(model.package_amount_minor, `${field}.package_amount_minor`);
    default:
      throw new PricingInputError(
        `${field}.model`,
        'must be one of per_unit, graduated, volume, package',
      );
  }
}

/** Sum of slice x price over every tier the quantity enters, flat amounts included, unrounded. */
function graduatedProducts(tiers: Tier[], quantity: Quantity): bigint {
  let total = 0n;
  let lower = 0n;
  for (const tier of tiers) {
    if (quantity <= lower) break; // this tier is not entered, nor any after it
    const upper = tier.up_to === null || tier.up_to > quantity ? quantity : tier.up_to;
    total += (upper - lower) * tier.unit_price + minorAsProducts(tier.flat_amount_minor);
    if (tier.up_to === null) break;
    lower = tier.up_to;
  }
  return total;
}

function volumeProducts(tiers: Tier[], quantity: Quantity): bigint {
  const tier = tiers.find((t) => t.up_to === null || quantity <= t.up_to) ?? tiers.at(-1)!;
  return quantity * tier.unit_price + minorAsProducts(tier.flat_amount_minor);
}

function packageProducts(model: Extract<PriceModel, { model: 'package' }>, q: Quantity): bigint {
  const billable = q - model.free_units;
  if (billable <= 0n) return 0n;
  const packages = (billable + model.package_size - 1n) / model.package_size;
  return minorAsProducts(packages * BigInt(model.package_amount_minor));
}

/**
 * The amount of a usage charge in minor units: the exact sum of its parts, rounded half away from
 * zero ONCE. A quantity of 0 (or below, a sum metric whose corrections outweigh its usage) enters
 * no tier and costs nothing in every model: usage is never a credit, and a graduated first tier's
 * flat amount is charged only once the first unit is used.
 */
export function priceUsage(model: PriceModel, quantity: Quantity): number {
  validatePriceModel(model);
  if (quantity <= 0n) return 0;
  switch (model.model) {
    case 'per_unit':
      return roundProducts(quantity * model.unit_price);
    case 'graduated':
      return roundProducts(graduatedProducts(model.tiers, quantity));
    case 'volume':
      return roundProducts(volumeProducts(model.tiers, quantity));
    case 'package':
      return roundProducts(packageProducts(model, quantity));
  }
}
