import { parseQuantity, priceUsage, type Charge } from './pricing';
import { pricingCharge } from './plan-pricing';
import type { StoredCharge } from './provider-plan';

type Usage = Extract<StoredCharge, { kind: 'usage' }>;
const usage = (over: Partial<Usage>): Usage => ({
  kind: 'usage',
  code: 'calls',
  name: 'API calls',
  metric: 'api_calls',
  model: 'per_unit',
  free_units_micros: '0',
  ...over,
});
const priced = (c: StoredCharge, units: number) => {
  const charge = pricingCharge(c) as Extract<Charge, { kind: 'usage' }>;
  return priceUsage(charge.model, parseQuantity(units));
};
// 0.002 USD = 0.2 cent = 200000 millionths of a cent; tier bounds in millionths of a unit
const TIERS = [
  { up_to_micros: '1000000000', unit_price_micros: '200000', flat_amount_minor: 0 },
  { up_to_micros: null, unit_price_micros: '100000', flat_amount_minor: 0 },
];

describe('stored plan terms read by the pricing arithmetic', () => {
  test('when a per-unit price has no free units, then it stays per-unit and 150 calls cost 0.30', () => {
    const c = usage({ unit_price_micros: '200000' });
    expect(pricingCharge(c)).toEqual({
      kind: 'usage',
      code: 'calls',
      name: 'API calls',
      metric: 'api_calls',
      model: { model: 'per_unit', unit_price: 200000n },
    });
    expect(priced(c, 150)).toBe(30);
  });

  test('when a per-unit price gives 100 units away, then 150 calls cost 50 x 0.002 = 0.10', () => {
    expect(
      priced(usage({ unit_price_micros: '200000', free_units_micros: '100000000' }), 150),
    ).toBe(10);
    expect(priced(usage({ unit_price_micros: '200000', free_units_micros: '100000000' }), 80)).toBe(
      0,
    );
  });

  test('when a graduated price gives 100 units away, then its bounds move up by 100: 1200 calls cost 1000 x 0.002 + 100 x 0.001 = 2.10', () => {
    const c = usage({ model: 'graduated', tiers: TIERS, free_units_micros: '100000000' });
    expect(priced(c, 1200)).toBe(210);
    // without free units: 1000 x 0.002 + 200 x 0.001 = 2.20
    expect(priced(usage({ model: 'graduated', tiers: TIERS }), 1200)).toBe(220);
  });

  test('when a package price gives 100 units away, then 250 calls are 2 packages of 100 at 5.00', () => {
    const c = usage({
      model: 'package',
      package_size_micros: '100000000',
      package_amount_minor: 500,
      free_units_micros: '100000000',
    });
    expect(priced(c, 250)).toBe(1000);
  });

  test('when fees are read, then they pass unchanged', () => {
    const flat: StoredCharge = { kind: 'flat', code: 'base', name: 'Base', amount_minor: 2900 };
    expect(pricingCharge(flat)).toBe(flat);
  });
});

describe('stored charges as the pricing arithmetic takes them', () => {
  test('when a graduated charge is converted, then its bounds and prices stay in millionths', () => {
    expect(
      pricingCharge({
        kind: 'usage',
        code: 'gb',
        name: 'Storage',
        metric: 'storage',
        model: 'graduated',
        tiers: [
          { up_to_micros: '100000000', unit_price_micros: '50000000', flat_amount_minor: 0 },
          { up_to_micros: null, unit_price_micros: '25000000', flat_amount_minor: 100 },
        ],
        free_units_micros: '0',
      }),
    ).toEqual({
      kind: 'usage',
      code: 'gb',
      name: 'Storage',
      metric: 'storage',
      model: {
        model: 'graduated',
        tiers: [
          { up_to: 100000000n, unit_price: 50000000n, flat_amount_minor: 0 },
          { up_to: null, unit_price: 25000000n, flat_amount_minor: 100 },
        ],
      },
    });
  });
});
