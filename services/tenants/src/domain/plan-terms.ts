import { PricingInputError } from './pricing/errors';
import * as units from './pricing/units';

/**
 * How a plan's usage terms are stored: the pricing arithmetic's exact bigints (pricing/units.ts)
 * as strings of digits, because they may exceed 2^53:
 * - a usage unit price is a count of millionths of a minor unit ("0.0015" USD = 0.15 cent = "150000");
 * - a quantity (tier bound, package size, free units) is a count of millionths of a unit
 *   ("1000" = "1000000000", "0.5" = "500000").
 * Nothing is ever rounded: a decimal finer than the representation is refused (422).
 */

/** A quantity is at most 10^15 units (millionths fit in a signed 64-bit integer). */
export const MAX_QUANTITY_MICROS = 10n ** 15n * units.QUANTITY_SCALE;

/** "0.0015" USD -> "150000" (millionths of a cent); at most the currency's digits + 6. */
export function parseUnitPrice(value: string | number, currency: string, field: string): string {
  return units.parseUnitPrice(value, currency, field).toString();
}

/** "150000" USD -> "0.0015"; at least the currency's digits ("2.00", "5" JPY). */
export function formatUnitPrice(micros: string | bigint, currency: string): string {
  return units.formatUnitPrice(BigInt(micros), currency);
}

/** "1000" -> "1000000000", "0.5" -> "500000" (millionths of a unit); never negative. */
export function parseQuantity(value: string | number, field: string): string {
  const micros = units.parseQuantity(value, field);
  if (micros > MAX_QUANTITY_MICROS)
    throw new PricingInputError(field, 'must not exceed 10^15 units');
  return micros.toString();
}

/** "1000000000" -> "1000", "500000" -> "0.5": no trailing zeros. */
export function formatQuantity(micros: string | bigint): string {
  return units.formatQuantity(BigInt(micros));
}
