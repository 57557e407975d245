import { z } from 'zod';
import { AppError } from './errors';
import { component } from './component';

/**
 * Money is carried as integer minor units (cents, fils, yen) everywhere inside Ledgerline and
 * as decimal strings with the currency's exact minor digits at the API edge. Products with
 * rates are computed in BigInt so no intermediate value ever passes through a float.
 */

/** Active ISO 4217 codes. Digits default to 2; the exceptions are listed below. */
const ISO_4217 = (
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN ' +
  'BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ' +
  'ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD ' +
  'JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT ' +
  'MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG ' +
  'QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT ' +
  'TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF ' +
  'XPF YER ZAR ZMW ZWG'
).split(' ');

const MINOR_DIGITS_EXCEPTIONS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

const KNOWN = new Set(ISO_4217);

export function isCurrency(code: string): boolean {
  return KNOWN.has(code);
}

/** Number of minor-unit digits of an ISO 4217 currency (2 for USD, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: string): number {
  if (!KNOWN.has(currency)) {
    throw AppError.validation(`Unknown currency "${currency}"`, [
      { field: 'currency', message: 'must be an ISO 4217 currency code' },
    ]);
  }
  return MINOR_DIGITS_EXCEPTIONS[currency] ?? 2;
}

/** Accepts "usd" or "USD", answers "USD"; rejects anything that is not ISO 4217. */
/**
 * Not a named component: zod-to-openapi drops a named schema's `.default('USD')` from the document,
 * and the default is worth more to a client than the name.
 */
export const currencySchema = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine(isCurrency, { message: 'must be an ISO 4217 currency code' });

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** A JSON number is read through its shortest round-trip decimal form, which is what the client wrote. */
function decimalText(value: string | number): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const text = String(value);
    return text.includes('e') ? null : text;
  }
  return value.trim();
}

function invalid(field: string, message: string): AppError {
  return AppError.validation(`Invalid amount for ${field}: ${message}`, [{ field, message }]);
}

/**
 * The largest amount, in minor units of any currency, that the API accepts or that an invoice may
 * compute (unit prices, line amounts, invoice totals, payments, charges, credit prices):
 * 9,999,999,999.99 USD, 999,999,999,999 JPY, 999,999,999.999 KWD. One amount and its products
 * (rates, 500 lines) stay far below 2^53; report sums of any number of them are added in BigInt
 * (`sumMinorExact`), so no report is ever refused or rounded.
 */
export const MAX_AMOUNT_MINOR = 999_999_999_999;

/**
 * A 422 when one amount (given or computed) is beyond MAX_AMOUNT_MINOR either way; without a
 * currency the maximum is named in minor units.
 */
export function assertAmountMax(minor: number | bigint, currency?: string, field = 'amount'): void {
  const abs = BigInt(minor) < 0n ? -BigInt(minor) : BigInt(minor);
  if (abs > BigInt(MAX_AMOUNT_MINOR)) {
    const max = currency
      ? `${formatMinor(MAX_AMOUNT_MINOR, currency)} ${currency}`
      : `${MAX_AMOUNT_MINOR} minor units`;
    throw invalid(field, `must not exceed ${max} (the maximum amount)`);
  }
}

/**
 * Parses an amount written as a decimal string or number into integer minor units of
 * `currency`. More decimals than the currency has is a validation error, never a rounding.
 */
export function toMinor(value: string | number, currency: string, field = 'amount'): number {
  const digits = minorDigits(currency);
  const text = decimalText(value);
  const match = text === null ? null : DECIMAL.exec(text);
  if (!match) throw invalid(field, 'must be a decimal number such as "29.00"');
  const [, sign, whole = '', fraction = ''] = match;
  if (fraction.length > digits) {
    throw invalid(
      field,
      `${currency} allows at most ${digits} decimal place${digits === 1 ? '' : 's'}`,
    );
  }
  const minor = BigInt(whole + fraction.padEnd(digits, '0')) * (sign ? -1n : 1n);
  assertAmountMax(minor, currency, field);
  return Number(minor);
}

const INTEGER = /^(-)?\d+$/;

/**
 * Seed 001's encoding: an amount "written as natural integers expressing in 1/100th of currency
 * unit", i.e. integer minor units of `currency` (a JSON integer or a string of digits). A
 * fraction is a 422, never a rounding; the maximum is the one every amount has.
 */
export function fromMinorUnits(value: string | number, currency: string, field = 'amount'): number {
  minorDigits(currency);
  const text = decimalText(value);
  if (text === null || !INTEGER.test(text)) {
    throw invalid(
      field,
      `must be an integer number of minor units of ${currency} (1000 = ${formatMinor(1000, currency)})`,
    );
  }
  const minor = BigInt(text);
  assertAmountMax(minor, currency, field);
  return Number(minor);
}

/**
 * Formats integer minor units as the API's decimal string: 2900 USD -> "29.00", 5 JPY -> "5".
 * A bigint (an exact report sum) formats at any size.
 */
export function formatMinor(minor: number | bigint, currency: string): string {
  if (typeof minor === 'number') assertMinor(minor, 'amount');
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const text = (negative ? -BigInt(minor) : BigInt(minor)).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

function assertMinor(minor: number, field: string): void {
  if (!Number.isSafeInteger(minor))
    throw invalid(field, 'is not an exact integer amount of minor units');
}

function toSafeNumber(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw invalid(field, 'is too large');
  }
  return Number(value);
}

/** Exact sum of minor-unit amounts; refuses to leave the safe-integer range. */
export function sumMinor(values: readonly number[]): number {
  let total = 0n;
  for (const v of values) {
    assertMinor(v, 'amount');
    total += BigInt(v);
  }
  return toSafeNumber(total, 'total');
}

/**
 * Exact sum of any number of minor-unit amounts, in BigInt: what every report (histories,
 * balances, metrics, projections) adds, so that no count of invoices can make it throw or round.
 */
export function sumMinorExact(values: Iterable<number | bigint>): bigint {
  let total = 0n;
  for (const v of values) {
    if (typeof v === 'number') assertMinor(v, 'amount');
    total += BigInt(v);
  }
  return total;
}

/**
 * An exact minor-unit sum as JSON: a number while it is a safe integer (always, below 9,007
 * maximum amounts), else the string of its digits, because a larger JSON number would be rounded
 * by JavaScript clients.
 */
export function minorJson(value: number | bigint): number | string {
  const big = BigInt(value);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(big)
    : big.toString();
}

/** Output schema of a `<field>_minor` sum: integer minor units (digits past 2^53 - 1). */
export const minorSumSchema = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/)])
  .describe('integer minor units (seed 001 encoding); a string of digits beyond 2^53 - 1');

/**
 * A percentage rate (VAT, discount, revenue share) kept as an integer number of hundredths
 * of a percent: "15.00" -> 1500, "7.5" -> 750. At most two decimals, 0..100 inclusive.
 */
export type RateHundredths = number;

const RATE = /^(\d+)(?:\.(\d{1,2}))?$/;

export function parseRate(value: string | number, field = 'rate'): RateHundredths {
  const text = decimalText(value);
  const match = text === null ? null : RATE.exec(text);
  if (!match) {
    throw AppError.validation(`Invalid rate for ${field}`, [
      { field, message: 'must be a percentage between 0 and 100 with at most 2 decimals' },
    ]);
  }
  const hundredths = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (hundredths > 10_000) {
    throw AppError.validation(`Invalid rate for ${field}`, [
      { field, message: 'must not exceed 100' },
    ]);
  }
  return hundredths;
}

export function formatRate(hundredths: RateHundredths): string {
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** Divides and rounds half away from zero, exactly. */
export function divRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const absRemainder = remainder < 0n ? -remainder : remainder;
  if (absRemainder * 2n >= denominator) return quotient + (numerator < 0n ? -1n : 1n);
  return quotient;
}

/** `rate` percent of `minor`, rounded half away from zero to a whole minor unit. */
export function applyRate(minor: number, rate: RateHundredths): number {
  assertMinor(minor, 'amount');
  return toSafeNumber(divRoundHalfAwayFromZero(BigInt(minor) * BigInt(rate), 10_000n), 'amount');
}

/** Multiplies by an integer quantity (mbps, seats), exactly. */
export function multiplyMinor(minor: number, quantity: number): number {
  assertMinor(minor, 'amount');
  if (!Number.isSafeInteger(quantity)) throw invalid('quantity', 'must be an integer');
  return toSafeNumber(BigInt(minor) * BigInt(quantity), 'amount');
}

/** Schema for an amount on the wire: a decimal string or a JSON number; currency checks come after. */
export const amountInputSchema = component(
  'Amount',
  z
    .union([z.string().regex(DECIMAL, 'must be a decimal number'), z.number()])
    .describe(
      'decimal with at most the currency digits; at most 999,999,999,999 minor units (9999999999.99 USD), 422 above',
    ),
);

export const rateInputSchema = z.union([z.string(), z.number()]);
