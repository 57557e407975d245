import {
  MAX_AMOUNT_MINOR,
  applyRate,
  assertAmountMax,
  divRoundHalfAwayFromZero,
  formatMinor,
  formatRate,
  fromMinorUnits,
  minorDigits,
  minorJson,
  parseRate,
  sumMinor,
  sumMinorExact,
  toMinor,
} from './money';
import { AppError } from './errors';

function validationError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('money', () => {
  test('when a currency has 0, 2 or 3 minor digits, then minorDigits says so', () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('BDT')).toBe(2);
    expect(minorDigits('KWD')).toBe(3);
  });

  test('when amounts are parsed, then they become exact integer minor units', () => {
    expect(toMinor('29.00', 'USD')).toBe(2900);
    expect(toMinor('29', 'USD')).toBe(2900);
    expect(toMinor('0.1', 'USD')).toBe(10);
    expect(toMinor(10000.0, 'BDT')).toBe(1000000);
    expect(toMinor(19.99, 'USD')).toBe(1999);
    expect(toMinor('500', 'JPY')).toBe(500);
    expect(toMinor('1.234', 'KWD')).toBe(1234);
    expect(toMinor('1.2', 'KWD')).toBe(1200);
    expect(toMinor('-5.50', 'EUR')).toBe(-550);
    expect(toMinor(' 7.05 ', 'USD')).toBe(705);
  });

  test('when an amount has more decimals than its currency, then it is a 422 and never rounded', () => {
    const err = validationError(() => toMinor('29.001', 'USD', 'pay_amount'));
    expect(err.kind).toBe('validation_error');
    expect(err.status).toBe(422);
    expect(err.details).toEqual([
      { field: 'pay_amount', message: 'USD allows at most 2 decimal places' },
    ]);
    expect(validationError(() => toMinor('1.5', 'JPY')).details?.[0]?.message).toBe(
      'JPY allows at most 0 decimal places',
    );
    expect(validationError(() => toMinor('1.2345', 'KWD')).kind).toBe('validation_error');
    // 0.1 + 0.2 as a JSON number is 0.30000000000000004: too many decimals, refused
    expect(validationError(() => toMinor(0.1 + 0.2, 'USD')).kind).toBe('validation_error');
  });

  test('when an amount is not a decimal or the currency is unknown, then it is a 422', () => {
    for (const bad of ['abc', '1,000.00', '1e3', '', '.5', '5.', '+5', 'NaN']) {
      expect(validationError(() => toMinor(bad, 'USD')).kind).toBe('validation_error');
    }
    expect(validationError(() => toMinor(1e21, 'USD')).kind).toBe('validation_error');
    expect(validationError(() => toMinor(Number.NaN, 'USD')).kind).toBe('validation_error');
    expect(validationError(() => toMinor('1.00', 'XYZ')).details?.[0]?.field).toBe('currency');
    expect(
      validationError(() => toMinor('99999999999999999999', 'USD')).details?.[0]?.message,
    ).toBe('must not exceed 9999999999.99 USD (the maximum amount)');
  });

  test('when minor units are formatted, then the currency decides the decimals', () => {
    expect(formatMinor(2900, 'USD')).toBe('29.00');
    expect(formatMinor(5, 'USD')).toBe('0.05');
    expect(formatMinor(0, 'USD')).toBe('0.00');
    expect(formatMinor(-550, 'EUR')).toBe('-5.50');
    expect(formatMinor(-5, 'EUR')).toBe('-0.05');
    expect(formatMinor(500, 'JPY')).toBe('500');
    expect(formatMinor(1234, 'KWD')).toBe('1.234');
    expect(formatMinor(7, 'KWD')).toBe('0.007');
  });

  test('when amounts are summed, then the sum is exact', () => {
    expect(sumMinor([10, 20])).toBe(30);
    expect(sumMinor([1999, 1, -500])).toBe(1500);
    expect(sumMinor([])).toBe(0);
    // floats would give 0.30000000000000004
    expect(formatMinor(sumMinor([toMinor('0.1', 'USD'), toMinor('0.2', 'USD')]), 'USD')).toBe(
      '0.30',
    );
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(AppError);
  });

  test('when rates are parsed, then they become hundredths of a percent', () => {
    expect(parseRate('15.00')).toBe(1500);
    expect(parseRate(15)).toBe(1500);
    expect(parseRate(7.5)).toBe(750);
    expect(parseRate('0.01')).toBe(1);
    expect(parseRate('100')).toBe(10000);
    expect(formatRate(1500)).toBe('15.00');
    expect(formatRate(750)).toBe('7.50');
    expect(formatRate(1)).toBe('0.01');
    for (const bad of ['15.001', '-1', '100.01', 'x', 12.345]) {
      expect(validationError(() => parseRate(bad, 'vat_rate')).details?.[0]?.field).toBe(
        'vat_rate',
      );
    }
  });

  test('when a rate is applied, then the result rounds half away from zero per line', () => {
    // 15% VAT on 10000.00 BDT
    expect(applyRate(1000000, 1500)).toBe(150000);
    // 5% discount of 10000.00
    expect(applyRate(1000000, 500)).toBe(50000);
    // 15% of 0.03 = 0.0045 -> 0.00 ; 15% of 0.10 = 0.015 -> 0.02 (half away from zero)
    expect(applyRate(3, 1500)).toBe(0);
    expect(applyRate(10, 1500)).toBe(2);
    // 7.5% of 0.10 = 0.0075 -> 0.01 ; of 0.06 = 0.0045 -> 0.00
    expect(applyRate(10, 750)).toBe(1);
    expect(applyRate(6, 750)).toBe(0);
    // negative amounts round away from zero too: 15% of -0.10 = -0.015 -> -0.02
    expect(applyRate(-10, 1500)).toBe(-2);
    // 12.34% of 999.99 = 123.398766 -> 123.40
    expect(applyRate(99999, 1234)).toBe(12340);
    // large amounts stay exact past 2^53 intermediates: 33.33% of 9e13 minor units
    expect(applyRate(90_000_000_000_000, 3333)).toBe(29_997_000_000_000);
  });

  test('when dividing exactly, then halves go away from zero', () => {
    expect(divRoundHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(divRoundHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(divRoundHalfAwayFromZero(4n, 3n)).toBe(1n);
    expect(divRoundHalfAwayFromZero(-4n, 3n)).toBe(-1n);
    expect(divRoundHalfAwayFromZero(7n, 7n)).toBe(1n);
  });

  test('when an amount is at the maximum, then it is accepted; one minor unit more is a 422 in any currency', () => {
    expect(toMinor('9999999999.99', 'USD')).toBe(MAX_AMOUNT_MINOR);
    expect(toMinor('999999999999', 'JPY')).toBe(MAX_AMOUNT_MINOR);
    expect(toMinor('999999999.999', 'KWD')).toBe(MAX_AMOUNT_MINOR);
    expect(toMinor('-9999999999.99', 'USD')).toBe(-MAX_AMOUNT_MINOR);
    const over = validationError(() => toMinor('10000000000.00', 'USD', 'sub_total'));
    expect([over.status, over.details]).toEqual([
      422,
      [{ field: 'sub_total', message: 'must not exceed 9999999999.99 USD (the maximum amount)' }],
    ]);
    expect(validationError(() => toMinor('1000000000000', 'JPY')).status).toBe(422);
    expect(validationError(() => toMinor('50000000000000.00', 'USD')).status).toBe(422);
    expect(() => assertAmountMax(MAX_AMOUNT_MINOR, 'USD')).not.toThrow();
    expect(validationError(() => assertAmountMax(MAX_AMOUNT_MINOR + 1)).details?.[0]?.message).toBe(
      'must not exceed 999999999999 minor units (the maximum amount)',
    );
  });

  test("when seed 001's integer minor units are read, then 1000 USD units are 10.00 and fractions are a 422", () => {
    expect(fromMinorUnits(1000, 'USD')).toBe(1000);
    expect(fromMinorUnits('1000', 'USD')).toBe(1000);
    expect(fromMinorUnits(1000, 'JPY')).toBe(1000);
    expect(formatMinor(fromMinorUnits(1000, 'USD'), 'USD')).toBe('10.00');
    for (const bad of [10.5, '10.5', '10.00', 'abc', '', 1e21]) {
      expect(validationError(() => fromMinorUnits(bad, 'USD')).status).toBe(422);
    }
    expect(fromMinorUnits(MAX_AMOUNT_MINOR, 'USD')).toBe(MAX_AMOUNT_MINOR);
    expect(validationError(() => fromMinorUnits(MAX_AMOUNT_MINOR + 1, 'USD')).status).toBe(422);
  });

  test('when report sums pass 2^53, then BigInt keeps them exact, formatted and written to JSON without rounding', () => {
    const many = Array.from({ length: 10_000 }, () => MAX_AMOUNT_MINOR);
    const total = sumMinorExact(many);
    expect(total).toBe(9_999_999_999_990_000n);
    expect(formatMinor(total, 'USD')).toBe('99999999999900.00');
    expect(formatMinor(-total, 'KWD')).toBe('-9999999999990.000');
    expect(formatMinor(5n, 'USD')).toBe('0.05');
    expect(minorJson(total)).toBe('9999999999990000');
    expect(minorJson(1000n)).toBe(1000);
    expect(minorJson(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(minorJson(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toBe('9007199254740992');
    expect(sumMinorExact([])).toBe(0n);
    expect(() => sumMinorExact([0.5])).toThrow(AppError);
  });
});
