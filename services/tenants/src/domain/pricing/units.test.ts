import { PricingInputError } from './errors';
import {
  formatQuantity,
  formatUnitPrice,
  lineAmount,
  parseQuantity,
  parseUnitPrice,
} from './units';

function errorOf(run: () => unknown): PricingInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof PricingInputError) return error;
    throw error;
  }
  throw new Error('expected a PricingInputError');
}

describe('quantities', () => {
  test('when integers and decimals up to 6 places are parsed, then they are millionths of a unit', () => {
    expect(parseQuantity('12')).toBe(12_000_000n);
    expect(parseQuantity('0.5')).toBe(500_000n);
    expect(parseQuantity(1.000001)).toBe(1_000_001n);
    expect(parseQuantity('0.000001')).toBe(1n);
    expect(parseQuantity(' 7 ')).toBe(7_000_000n);
    expect(parseQuantity(0)).toBe(0n);
  });

  test('when a negative is allowed (a sum correction), then it parses; otherwise it is refused', () => {
    expect(parseQuantity('-3', 'gb', true)).toBe(-3_000_000n);
    expect(parseQuantity(-0.25, 'gb', true)).toBe(-250_000n);
    const error = errorOf(() => parseQuantity('-3', 'gb'));
    expect(error.field).toBe('gb');
    expect(error.message).toContain('gb');
    expect(error.status).toBe(422);
  });

  test('when a quantity has 7 decimals, an exponent, NaN or Infinity, then the field is named', () => {
    for (const bad of ['1.0000001', '1e3', 'abc', '', '.5', NaN, Infinity, 1e-7, 1e21]) {
      const error = errorOf(() => parseQuantity(bad, 'properties.gb'));
      expect(error).toBeInstanceOf(Error);
      expect(error.field).toBe('properties.gb');
      expect(error.message).toContain('properties.gb');
    }
  });

  test('when quantities are formatted, then trailing zeros are dropped', () => {
    expect(formatQuantity(12_000_000n)).toBe('12');
    expect(formatQuantity(500_000n)).toBe('0.5');
    expect(formatQuantity(1_000_001n)).toBe('1.000001');
    expect(formatQuantity(1n)).toBe('0.000001');
    expect(formatQuantity(0n)).toBe('0');
    expect(formatQuantity(-2_500_000n)).toBe('-2.5');
  });
});

describe('unit prices', () => {
  test('when a sub-cent price is parsed, then it is millionths of a minor unit', () => {
    // 0.0015 USD = 0.15 cents = 150,000 millionths of a cent.
    expect(parseUnitPrice('0.0015', 'USD')).toBe(150_000n);
    // 29 USD = 2,900 cents = 2,900,000,000 millionths.
    expect(parseUnitPrice(29, 'USD')).toBe(2_900_000_000n);
    // 8 decimals is the finest USD price: 0.000001 cent.
    expect(parseUnitPrice('0.00000001', 'USD')).toBe(1n);
    // JPY has no minor digits, so 6 decimals: 0.000001 yen.
    expect(parseUnitPrice('0.000001', 'JPY')).toBe(1n);
    // KWD has 3: 0.000000001 KWD = 0.000001 fils.
    expect(parseUnitPrice('0.000000001', 'KWD')).toBe(1n);
  });

  test('when a price has too many decimals or is negative, then it is refused naming the field', () => {
    expect(errorOf(() => parseUnitPrice('0.000000001', 'USD', 'tiers[0].unit_price')).field).toBe(
      'tiers[0].unit_price',
    );
    expect(() => parseUnitPrice('0.0000001', 'JPY')).toThrow(PricingInputError);
    expect(() => parseUnitPrice('-1', 'USD')).toThrow(PricingInputError);
    expect(() => parseUnitPrice('10000000000', 'USD')).toThrow(PricingInputError);
  });

  test('when prices are formatted, then they keep at least the currency digits', () => {
    expect(formatUnitPrice(150_000n, 'USD')).toBe('0.0015');
    expect(formatUnitPrice(2_900_000_000n, 'USD')).toBe('29.00');
    expect(formatUnitPrice(1n, 'USD')).toBe('0.00000001');
    expect(formatUnitPrice(5_000_000n, 'JPY')).toBe('5');
    expect(formatUnitPrice(1_500_000n, 'JPY')).toBe('1.5');
    expect(formatUnitPrice(1_000_000n, 'KWD')).toBe('0.001');
    expect(formatUnitPrice(0n, 'USD')).toBe('0.00');
  });
});

describe('line amounts', () => {
  test('when quantity x sub-cent price is rounded once, then halves go away from zero', () => {
    const price = 150_000n; // 0.0015 USD = 0.15 cent
    expect(lineAmount(parseQuantity(1), price)).toBe(0); // 0.15 cent -> 0
    expect(lineAmount(parseQuantity(3), price)).toBe(0); // 0.45 cent -> 0
    expect(lineAmount(parseQuantity(5), price)).toBe(1); // 0.75 cent -> 1
    expect(lineAmount(parseQuantity(10), price)).toBe(2); // 1.5 cents -> 2 (half away from zero)
    expect(lineAmount(parseQuantity('0.5'), 2_900_000_000n)).toBe(1450); // half of 29.00 USD
  });

  test('when a line exceeds the maximum amount, then it is refused', () => {
    // 10^7 units at 10^6 USD (10^8 cents) = 10^15 cents > 999,999,999,999.
    expect(() => lineAmount(parseQuantity(10_000_000), 100_000_000n * 1_000_000n)).toThrow(
      PricingInputError,
    );
  });
});
