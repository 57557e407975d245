import { AppError, MAX_AMOUNT_MINOR, minorDigits } from '@ledgerline/contracts';

/**
 * The exact representations of a plan's usage terms, shared with the pricing arithmetic:
 * - a usage unit price is a bigint count of millionths of a minor unit ("0.0015" USD = 0.15 cent
 *   = 150000), stored as a string of digits because it may exceed 2^53;
 * - a quantity (tier bound, package size, free units) is a bigint count of millionths of a unit
 *   ("1000" = 1000000000, "0.5" = 500000), stored as a string too.
 * Nothing is ever rounded: a decimal finer than the representation is refused (422).
 */

/** Extra decimals a usage unit price may have beyond the currency's own. */
export const UNIT_PRICE_EXTRA_DIGITS = 6;
/** Decimals a quantity may have. */
export const QUANTITY_DIGITS = 6;
const MICRO = 1_000_000n;
/** A quantity is at most 10^15 units (millionths fit in a signed 64-bit integer). */
export const MAX_QUANTITY_MICROS = 10n ** 15n * MICRO;
/** A unit price is at most the largest amount (MAX_AMOUNT_MINOR minor units). */
export const MAX_UNIT_PRICE_MICROS = BigInt(MAX_AMOUNT_MINOR) * MICRO;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

function invalid(field: string, message: string): AppError {
  return AppError.validation(`${field} ${message}`, [{ field, message }]);
}

/** The text of a non-negative decimal given as a string or a JSON number, or null. */
function decimalText(value: string | number): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const text = String(value);
    return DECIMAL.test(text) ? text : null;
  }
  const text = value.trim();
  return DECIMAL.test(text) ? text : null;
}

/** A non-negative decimal with at most `digits` decimals, scaled to an integer of 10^-digits. */
function scaled(value: string | number, digits: number, field: string, example: string): bigint {
  const text = decimalText(value);
  const match = text === null ? null : DECIMAL.exec(text);
  if (!match) throw invalid(field, `must be a non-negative decimal such as "${example}"`);
  const [, whole, fraction = ''] = match;
  if (fraction.length > digits)
    throw invalid(field, `allows at most ${digits} decimal place${digits === 1 ? '' : 's'}`);
  return BigInt(whole + fraction.padEnd(digits, '0'));
}

/** Writes `value` (in 10^-digits) as a decimal with at least `minDigits` decimals. */
function unscaled(value: bigint, digits: number, minDigits: number): string {
  const text = value.toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  let fraction = text.slice(text.length - digits).replace(/0+$/, '');
  if (fraction.length < minDigits) fraction = fraction.padEnd(minDigits, '0');
  return fraction.length > 0 ? `${whole}.${fraction}` : whole;
}

/** "0.0015" USD -> "150000" (millionths of a cent); at most the currency's digits + 6. */
export function parseUnitPrice(value: string | number, currency: string, field: string): string {
  const micros = scaled(value, minorDigits(currency) + UNIT_PRICE_EXTRA_DIGITS, field, '0.0015');
  if (micros > MAX_UNIT_PRICE_MICROS) throw invalid(field, 'is beyond the largest amount');
  return micros.toString();
}

/** "150000" USD -> "0.0015"; at least the currency's digits ("2.00", "5" JPY). */
export function formatUnitPrice(micros: string | bigint, currency: string): string {
  const digits = minorDigits(currency);
  return unscaled(BigInt(micros), digits + UNIT_PRICE_EXTRA_DIGITS, digits);
}

/** "1000" -> "1000000000", "0.5" -> "500000" (millionths of a unit). */
export function parseQuantity(value: string | number, field: string): string {
  const micros = scaled(value, QUANTITY_DIGITS, field, '1000');
  if (micros > MAX_QUANTITY_MICROS) throw invalid(field, 'must not exceed 10^15 units');
  return micros.toString();
}

/** "1000000000" -> "1000", "500000" -> "0.5": no trailing zeros. */
export function formatQuantity(micros: string | bigint): string {
  return unscaled(BigInt(micros), QUANTITY_DIGITS, 0);
}
