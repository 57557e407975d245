import { PricingInputError } from './errors';
import { priceUsage, validatePriceModel, type PriceModel, type Tier } from './price-models';
import { parseQuantity as q } from './units';

// Prices below are in millionths of a cent: 10_000_000n = 10 cents = 0.10 USD.
const CENTS = 1_000_000n;

// 0..100 units at 0.10 USD, 100..1000 at 0.05 USD + 2.00 USD once entered, above at 0.01 USD.
const TIERS: Tier[] = [
  { up_to: q(100), unit_price: 10n * CENTS, flat_amount_minor: 0 },
  { up_to: q(1000), unit_price: 5n * CENTS, flat_amount_minor: 200 },
  { up_to: null, unit_price: 1n * CENTS, flat_amount_minor: 0 },
];

describe('per unit', () => {
  test('when a fractional quantity is priced, then it is quantity x price rounded once', () => {
    const perUnit: PriceModel = { model: 'per_unit', unit_price: 10n * CENTS };
    expect(priceUsage(perUnit, q('2.5'))).toBe(25); // 2.5 x 10 cents
    expect(priceUsage(perUnit, q(0))).toBe(0);
    const subCent: PriceModel = { model: 'per_unit', unit_price: 150_000n }; // 0.0015 USD
    expect(priceUsage(subCent, q(3))).toBe(0); // 0.45 cent
    expect(priceUsage(subCent, q(5))).toBe(1); // 0.75 cent
    expect(priceUsage(subCent, q(10))).toBe(2); // 1.5 cents, half away from zero
  });
});

describe('graduated', () => {
  const model: PriceModel = { model: 'graduated', tiers: TIERS };

  test('when the quantity is exactly on a bound, then it stays in the lower tier', () => {
    expect(priceUsage(model, q(100))).toBe(1000); // 100 x 10 cents; tier 2 (and its flat) not entered
    // 100 x 10 + 900 x 5 + 200 flat = 1000 + 4500 + 200 = 5700
    expect(priceUsage(model, q(1000))).toBe(5700);
  });

  test('when the quantity crosses bounds, then each slice has its tier price and every entered flat', () => {
    // 1000 + 0.000001 x 5 (= 0.000005 cent) + 200 = 1200.000005 -> 1200
    expect(priceUsage(model, q('100.000001'))).toBe(1200);
    expect(priceUsage(model, q(101))).toBe(1205); // 1000 + 1 x 5 + 200
    expect(priceUsage(model, q(1500))).toBe(6200); // 5700 + 500 x 1
    expect(priceUsage(model, q('0.5'))).toBe(5); // 0.5 x 10
  });

  test('when the quantity is 0, then no tier is entered and nothing is charged', () => {
    const withFirstFlat: PriceModel = {
      model: 'graduated',
      tiers: [{ ...TIERS[0]!, flat_amount_minor: 999 }, TIERS[2]!],
    };
    expect(priceUsage(withFirstFlat, 0n)).toBe(0);
    expect(priceUsage(withFirstFlat, q(1))).toBe(1009); // 1 x 10 + 999
    expect(priceUsage(model, -5_000_000n)).toBe(0); // a negative sum is not a credit
  });

  test('when slices are sub-cent, then the line is rounded once, not per tier', () => {
    const subCent: PriceModel = {
      model: 'graduated',
      tiers: [
        { up_to: q(1), unit_price: 400_000n, flat_amount_minor: 0 }, // 0.004 USD
        { up_to: null, unit_price: 300_000n, flat_amount_minor: 0 }, // 0.003 USD
      ],
    };
    // 0.4 + 0.3 = 0.7 cent -> 1; rounding each tier would give 0 + 0.
    expect(priceUsage(subCent, q(2))).toBe(1);
    // 0.4 + 0.1 x 0.3 = 0.43 cent -> 0
    expect(priceUsage(subCent, q('1.1'))).toBe(0);
    // 0.4 + 0.2 x 0.3 = 0.46 cent -> 0
    expect(priceUsage(subCent, q('1.2'))).toBe(0);
    // 0.4 + 0.333334 x 0.3 = 0.4 + 0.1000002 = 0.5000002 cent -> 1
    expect(priceUsage(subCent, q('1.333334'))).toBe(1);
    // 0.4 + 0.333333 x 0.3 = 0.4999999 cent -> 0
    expect(priceUsage(subCent, q('1.333333'))).toBe(0);
  });
});

describe('volume', () => {
  const model: PriceModel = { model: 'volume', tiers: TIERS };

  test('when the whole quantity falls in one tier, then all of it has that price and flat', () => {
    expect(priceUsage(model, q(0))).toBe(0);
    expect(priceUsage(model, q(100))).toBe(1000); // 100 x 10, bound stays in tier 1
    expect(priceUsage(model, q(101))).toBe(705); // 101 x 5 + 200
    expect(priceUsage(model, q(1000))).toBe(5200); // 1000 x 5 + 200
    expect(priceUsage(model, q(1001))).toBe(1001); // 1001 x 1
    expect(priceUsage(model, q('100.5'))).toBe(703); // 100.5 x 5 = 502.5 + 200 = 702.5 -> 703
  });
});

describe('package', () => {
  test('when usage exceeds the free units, then whole packages are charged, rounded up', () => {
    const model: PriceModel = {
      model: 'package',
      package_size: q(1000),
      package_amount_minor: 500,
      free_units: q(100),
    };
    expect(priceUsage(model, q(0))).toBe(0);
    expect(priceUsage(model, q(100))).toBe(0); // all free
    expect(priceUsage(model, q('100.000001'))).toBe(500); // one started package
    expect(priceUsage(model, q(1100))).toBe(500); // exactly 1000 billable = 1 package
    expect(priceUsage(model, q('1100.5'))).toBe(1000); // 1000.5 billable = 2 packages
  });

  test('when the package size is fractional, then packages still count exactly', () => {
    const halfGb: PriceModel = {
      model: 'package',
      package_size: q('0.5'),
      package_amount_minor: 3,
      free_units: 0n,
    };
    expect(priceUsage(halfGb, q('1.2'))).toBe(9); // ceil(1.2 / 0.5) = 3 packages x 3
    expect(priceUsage(halfGb, q('1.5'))).toBe(9); // exactly 3
  });
});

describe('validation', () => {
  const cases: Array<[string, PriceModel, string]> = [
    [
      'tiers out of order',
      { model: 'graduated', tiers: [TIERS[1]!, TIERS[0]!, TIERS[2]!] },
      'price_model.tiers[1].up_to',
    ],
    ['a closed last tier', { model: 'volume', tiers: [TIERS[0]!] }, 'price_model.tiers[0].up_to'],
    ['no tiers', { model: 'volume', tiers: [] }, 'price_model.tiers'],
    [
      'an open tier before the last',
      { model: 'graduated', tiers: [TIERS[2]!, TIERS[2]!] },
      'price_model.tiers[0].up_to',
    ],
    [
      'a first bound of 0',
      { model: 'graduated', tiers: [{ ...TIERS[0]!, up_to: 0n }, TIERS[2]!] },
      'price_model.tiers[0].up_to',
    ],
    [
      'a fractional flat amount',
      { model: 'graduated', tiers: [{ ...TIERS[2]!, flat_amount_minor: 1.5 }] },
      'price_model.tiers[0].flat_amount_minor',
    ],
    ['a negative price', { model: 'per_unit', unit_price: -1n }, 'price_model.unit_price'],
    [
      'a package of 0',
      { model: 'package', package_size: 0n, package_amount_minor: 1, free_units: 0n },
      'price_model.package_size',
    ],
    [
      'negative free units',
      { model: 'package', package_size: 1n, package_amount_minor: 1, free_units: -1n },
      'price_model.free_units',
    ],
    ['an unknown model', { model: 'stairs' } as unknown as PriceModel, 'price_model.model'],
  ];

  test.each(cases)(
    'when a model has %s, then it is refused naming the field',
    (_, model, field) => {
      expect(() => validatePriceModel(model)).toThrow(PricingInputError);
      try {
        validatePriceModel(model);
      } catch (error) {
        expect((error as PricingInputError).field).toBe(field);
      }
    },
  );

  test('when a price exceeds the maximum amount, then pricing throws instead of losing digits', () => {
    const model: PriceModel = { model: 'per_unit', unit_price: 1_000_000_000n * CENTS };
    expect(() => priceUsage(model, q(1_000_000))).toThrow(PricingInputError); // 10^15 cents
  });
});
