import { MAX_AMOUNT_MINOR, divRoundHalfAwayFromZero, minorDigits } from '@ledgerline/contracts';
import { PricingInputError } from './errors';

/** A usage quantity as a count of millionths of a unit, so "0.5" GB is 500000n. */
export type Quantity = bigint;
/** A unit price as a count of millionths of a minor unit, so "0.0015" USD (0.15 cents) is 150000n. */
export type UnitPrice = bigint;

/** Decimals a quantity may carry, and the matching scale. */
export const QUANTITY_DECIMALS = 6;
export const QUANTITY_SCALE = 1_000_000n;
/** A unit price carries 6 decimals below the currency's minor unit. */
export const UNIT_PRICE_SCALE = 1_000_000n;
/** quantity (x 10^6) times unit price (x 10^6) is in 10^-12 minor units. */
const PRODUCT_SCALE = QUANTITY_SCALE * UNIT_PRICE_SCALE;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * The decimal text a client wrote: a JSON number is read through its shortest round-trip form,
 * and an exponent form (1e-7, 1e+21) is refused rather than expanded, as money.ts does.
 */
function decimalParts(
  value: unknown,
  field: string,
): { negative: boolean; whole: string; fraction: string } {
  let text: string | null = null;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  }
  const match = text === null ? null : DECIMAL.exec(text);
  if (!match) throw new PricingInputError(field, 'must be a decimal number such as "12.5"');
  return { negative: match[1] === '-', whole: match[2]!, fraction: match[3] ?? '' };
}

/**
 * Parses a quantity (an integer or a decimal with up to 6 decimals) into millionths of a unit.
 * Negative values are refused unless `allowNegative` (a sum metric's corrections).
 */
export function parseQuantity(
  value: string | number,
  field = 'quantity',
  allowNegative = false,
): Quantity {
  const { negative, whole, fraction } = decimalParts(value, field);
  if (fraction.length > QUANTITY_DECIMALS) {
    throw new PricingInputError(field, `allows at most ${QUANTITY_DECIMALS} decimal places`);
  }
  if (negative && !allowNegative) throw new PricingInputError(field, 'must not be negative');
  const magnitude = BigInt(whole + fraction.padEnd(QUANTITY_DECIMALS, '0'));
  return negative ? -magnitude : magnitude;
}

/** Scaled integer -> decimal text with `minDecimals` kept and further trailing zeros dropped. */
function formatScaled(value: bigint, decimals: number, minDecimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  let fraction = digits.slice(digits.length - decimals);
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** 12000000n -> "12", 500000n -> "0.5", 1000001n -> "1.000001". */
export function formatQuantity(quantity: Quantity): string {
  return formatScaled(quantity, QUANTITY_DECIMALS, 0);
}

/**
 * Parses a non-negative unit price in major units ("0.0015" USD) into millionths of a minor unit.
 * Up to the currency's minor digits + 6 decimals; at most MAX_AMOUNT_MINOR minor units per unit.
 */
export function parseUnitPrice(
  value: string | number,
  currency: string,
  field = 'unit_price',
): UnitPrice {
  const digits = minorDigits(currency) + QUANTITY_DECIMALS;
  const { negative, whole, fraction } = decimalParts(value, field);
  if (fraction.length > digits) {
    throw new PricingInputError(
      field,
      `${currency} unit prices allow at most ${digits} decimal places`,
    );
  }
  if (negative) throw new PricingInputError(field, 'must not be negative');
  const price = BigInt(whole + fraction.padEnd(digits, '0'));
  if (price > BigInt(MAX_AMOUNT_MINOR) * UNIT_PRICE_SCALE) {
    throw new PricingInputError(field, `must not exceed ${MAX_AMOUNT_MINOR} minor units`);
  }
  return price;
}

/** 150000n USD -> "0.0015", 2900000000n USD -> "29.00", 5000000n JPY -> "5". */
export function formatUnitPrice(price: UnitPrice, currency: string): string {
  const digits = minorDigits(currency);
  return formatScaled(price, digits + QUANTITY_DECIMALS, digits);
}

/**
 * An exact amount in minor units as the `number` every invoice line carries, refused beyond
 * MAX_AMOUNT_MINOR either way (so any sum of a few hundred lines stays a safe integer).
 */
export function toAmountMinor(minor: bigint, field = 'amount'): number {
  const magnitude = minor < 0n ? -minor : minor;
  if (magnitude > BigInt(MAX_AMOUNT_MINOR)) {
    throw new PricingInputError(field, `must not exceed ${MAX_AMOUNT_MINOR} minor units`);
  }
  return Number(minor);
}

/** Checks an amount given in minor units (a flat fee, a seat price): a safe integer in range. */
export function assertAmountMinor(minor: number, field: string, allowNegative = false): void {
  if (!Number.isSafeInteger(minor)) {
    throw new PricingInputError(field, 'must be an integer number of minor units');
  }
  if (minor < 0 && !allowNegative) throw new PricingInputError(field, 'must not be negative');
  toAmountMinor(BigInt(minor), field);
}

/**
 * Rounds an exact sum of `quantity x unitPrice` products (10^-12 minor units, with any flat
 * amounts already scaled in) to minor units: half away from zero, once per line.
 */
export function roundProducts(products: bigint, field = 'amount'): number {
  return toAmountMinor(divRoundHalfAwayFromZero(products, PRODUCT_SCALE), field);
}

/** A flat amount in minor units expressed in the scale of `quantity x unitPrice` products. */
export function minorAsProducts(minor: number | bigint): bigint {
  return BigInt(minor) * PRODUCT_SCALE;
}

/** `quantity x unitPrice` rounded once: 3 calls at 0.0015 USD = 0.45 cents -> 0 cents. */
export function lineAmount(quantity: Quantity, unitPrice: UnitPrice): number {
  return roundProducts(quantity * unitPrice);
}
