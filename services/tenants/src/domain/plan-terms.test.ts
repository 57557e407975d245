import {
  formatQuantity,
  formatUnitPrice,
  MAX_QUANTITY_MICROS,
  parseQuantity,
  parseUnitPrice,
} from './plan-terms';

describe('usage unit prices (millionths of a minor unit)', () => {
  test('when a price is parsed, then it is the exact count of millionths of a minor unit', () => {
    expect(parseUnitPrice('0.0015', 'USD', 'p')).toBe('150000');
    expect(parseUnitPrice('2', 'USD', 'p')).toBe('200000000');
    expect(parseUnitPrice(0.5, 'USD', 'p')).toBe('50000000');
    expect(parseUnitPrice('0.00000001', 'USD', 'p')).toBe('1');
    expect(parseUnitPrice('3', 'JPY', 'p')).toBe('3000000');
    expect(parseUnitPrice('0.000001', 'JPY', 'p')).toBe('1');
    expect(parseUnitPrice('1.000000001', 'KWD', 'p')).toBe('1000000001');
  });

  test('when a price exceeds 2^53 millionths, then it stays exact as a string', () => {
    expect(parseUnitPrice('9999999999.99', 'USD', 'p')).toBe('999999999999000000');
    expect(formatUnitPrice('999999999999000000', 'USD')).toBe('9999999999.99');
  });

  test('when a price has more decimals than the currency plus six, or is not a non-negative decimal, then it is a 422 naming the field', () => {
    expect(() => parseUnitPrice('0.000000001', 'USD', 'charges[0].unit_price')).toThrow(
      expect.objectContaining({
        kind: 'validation_error',
        details: [
          {
            field: 'charges[0].unit_price',
            message: 'USD unit prices allow at most 8 decimal places',
          },
        ],
      }),
    );
    expect(() => parseUnitPrice('0.0000001', 'JPY', 'p')).toThrow(/at most 6 decimal places/);
    for (const bad of ['-1', '1e-3', 'abc', '', '1.', '.5', Number.NaN, -0.5])
      expect(() => parseUnitPrice(bad, 'USD', 'p')).toThrow(/decimal number|must not be negative/);
    expect(() => parseUnitPrice('10000000000', 'USD', 'p')).toThrow(/must not exceed/);
  });

  test('when a price is formatted, then it shows at least the currency digits and no trailing zeros beyond', () => {
    expect(formatUnitPrice('150000', 'USD')).toBe('0.0015');
    expect(formatUnitPrice('200000000', 'USD')).toBe('2.00');
    expect(formatUnitPrice('1', 'USD')).toBe('0.00000001');
    expect(formatUnitPrice(0n, 'USD')).toBe('0.00');
    expect(formatUnitPrice('3000000', 'JPY')).toBe('3');
    expect(formatUnitPrice('1', 'JPY')).toBe('0.000001');
    expect(formatUnitPrice('1500000000', 'KWD')).toBe('1.500');
  });
});

describe('quantities (millionths of a unit)', () => {
  test('when a quantity is parsed, then it is the exact count of millionths', () => {
    expect(parseQuantity('1000', 'q')).toBe('1000000000');
    expect(parseQuantity('0.5', 'q')).toBe('500000');
    expect(parseQuantity(0, 'q')).toBe('0');
    expect(parseQuantity('0.000001', 'q')).toBe('1');
    expect(parseQuantity('1000000000000000', 'q')).toBe(MAX_QUANTITY_MICROS.toString());
  });

  test('when a quantity is finer than a millionth, negative or too large, then it is a 422', () => {
    expect(() => parseQuantity('0.0000001', 'q')).toThrow(/at most 6 decimal places/);
    expect(() => parseQuantity('-1', 'q')).toThrow(/must not be negative/);
    expect(() => parseQuantity('1000000000000000.000001', 'q')).toThrow(/10\^15/);
  });

  test('when a quantity is formatted, then it has no trailing zeros', () => {
    expect(formatQuantity('1000000000')).toBe('1000');
    expect(formatQuantity('500000')).toBe('0.5');
    expect(formatQuantity('1')).toBe('0.000001');
    expect(formatQuantity(0n)).toBe('0');
    expect(formatQuantity('1234567890')).toBe('1234.56789');
  });
});
