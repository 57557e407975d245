import type { ErrorDetail, ProviderPlanRequest } from '@ledgerline/contracts';
import { chargeView, planFromRequest, termsKey } from './provider-plan';

const metrics = new Set(['api_calls', 'storage_gb']);

function detailsOf(body: ProviderPlanRequest, current = null): ErrorDetail[] {
  try {
    planFromRequest(body, current, metrics);
  } catch (err) {
    return (err as { details: ErrorDetail[] }).details;
  }
  throw new Error('expected a 422');
}

const base = { code: 'premium', name: 'Premium', currency: 'USD', interval: 'month' as const };

describe('a provider plan from its request', () => {
  test('when a plan has a flat fee, a per-seat charge and a graduated usage charge, then they are stored exactly', () => {
    const { header, terms } = planFromRequest(
      {
        ...base,
        charges: [
          { kind: 'flat', code: 'base', name: 'Base', amount: '49.00' },
          { kind: 'per_seat', code: 'seats', name: 'Seats', unit_amount: 5 },
          {
            kind: 'usage',
            code: 'calls',
            name: 'API calls',
            metric: 'api_calls',
            model: 'graduated',
            tiers: [
              { up_to: '1000', unit_price: '0' },
              { up_to: 10000, unit_price: '0.0015', flat_amount: '1.50' },
              { up_to: null, unit_price: '0.001' },
            ],
            free_units: '100.5',
          },
        ],
      },
      null,
      metrics,
    );
    expect(header).toEqual({
      code: 'premium',
      name: 'Premium',
      description: null,
      is_active: true,
      limits: {},
      limit_mode: 'reject',
    });
    expect(terms).toEqual({
      currency: 'USD',
      interval: 'month',
      anchor_day: null,
      trial_days: 0,
      charges: [
        { kind: 'flat', code: 'base', name: 'Base', amount_minor: 4900 },
        { kind: 'per_seat', code: 'seats', name: 'Seats', unit_amount_minor: 500 },
        {
          kind: 'usage',
          code: 'calls',
          name: 'API calls',
          metric: 'api_calls',
          model: 'graduated',
          free_units_micros: '100500000',
          tiers: [
            { up_to_micros: '1000000000', unit_price_micros: '0', flat_amount_minor: 0 },
            { up_to_micros: '10000000000', unit_price_micros: '150000', flat_amount_minor: 150 },
            { up_to_micros: null, unit_price_micros: '100000', flat_amount_minor: 0 },
          ],
        },
      ],
    });
    expect(chargeView(terms.charges[2]!, 'USD')).toEqual({
      kind: 'usage',
      code: 'calls',
      name: 'API calls',
      metric: 'api_calls',
      model: 'graduated',
      tiers: [
        { up_to: '1000', unit_price: '0.00', flat_amount: '0.00' },
        { up_to: '10000', unit_price: '0.0015', flat_amount: '1.50' },
        { up_to: null, unit_price: '0.001', flat_amount: '0.00' },
      ],
      free_units: '100.5',
    });
  });

  test("when DjaoDjin's spellings are sent, then they mean code, name, currency, interval and a flat charge named base (period_amount in integer minor units)", () => {
    const { header, terms } = planFromRequest(
      {
        slug: 'Premium',
        title: 'Premium',
        unit: 'usd',
        period_type: 'yearly',
        period_amount: 1900,
      },
      null,
      metrics,
    );
    expect(header).toMatchObject({ code: 'premium', name: 'Premium' });
    expect(terms).toMatchObject({
      currency: 'USD',
      interval: 'year',
      charges: [{ kind: 'flat', code: 'base', name: 'Base', amount_minor: 1900 }],
    });
    expect(detailsOf({ ...base, period_amount: '49.00' })).toEqual([
      {
        field: 'period_amount',
        message: 'must be an integer number of minor units of USD (1000 = 10.00)',
      },
    ]);
  });

  test('when a plan body is invalid, then every problem is a 422 detail naming its field', () => {
    expect(detailsOf({})).toEqual([
      { field: 'code', message: 'is required (or slug)' },
      { field: 'name', message: 'is required (or title)' },
      { field: 'currency', message: 'is required (or unit)' },
      { field: 'interval', message: 'is required (or period_type)' },
    ]);
    expect(detailsOf({ ...base, currency: 'XYZ', code: 'Not ok!' })).toEqual([
      { field: 'code', message: 'must be lowercase letters, digits, - or _ (at most 63)' },
      { field: 'currency', message: 'must be an ISO 4217 currency code' },
    ]);
    expect(
      detailsOf({
        ...base,
        charges: [
          { kind: 'flat', code: 'base', name: 'Base', amount: '1.005' },
          { kind: 'flat', code: 'base', name: 'Again', amount: '-1' },
          {
            kind: 'usage',
            code: 'u',
            name: 'U',
            metric: 'nope',
            model: 'per_unit',
            unit_price: '0.000000001',
          },
          {
            kind: 'usage',
            code: 'v',
            name: 'V',
            metric: 'api_calls',
            model: 'package',
            package_size: 0,
            package_amount: '5',
          },
          {
            kind: 'usage',
            code: 'w',
            name: 'W',
            metric: 'api_calls',
            model: 'volume',
            tiers: [
              { up_to: '100', unit_price: '1' },
              { up_to: '50', unit_price: '1' },
              { up_to: '200', unit_price: '1' },
            ],
          },
          {
            kind: 'usage',
            code: 'x',
            name: 'X',
            metric: 'api_calls',
            model: 'graduated',
            tiers: [
              { up_to: null, unit_price: '1' },
              { up_to: null, unit_price: '1' },
            ],
          },
          {
            kind: 'usage',
            code: 'y',
            name: 'Y',
            metric: 'api_calls',
            model: 'per_unit',
            tiers: [{ up_to: null, unit_price: '1' }],
          },
        ],
      }),
    ).toEqual([
      { field: 'charges[0].amount', message: 'USD allows at most 2 decimal places' },
      { field: 'charges[1].amount', message: 'must not be negative' },
      { field: 'charges[2].metric', message: '"nope" is not a billable metric of the provider' },
      { field: 'charges[2].unit_price', message: 'USD unit prices allow at most 8 decimal places' },
      { field: 'charges[3].package_size', message: 'must be greater than 0' },
      {
        field: 'charges[4].tiers[1].up_to',
        message: 'tier bounds must be ascending (each above the one before)',
      },
      { field: 'charges[4].tiers[2].up_to', message: 'the last tier must be open-ended (null)' },
      { field: 'charges[5].tiers[0].up_to', message: 'only the last tier is open-ended (null)' },
      { field: 'charges[6].tiers', message: 'is for the graduated and volume models only' },
      { field: 'charges[6].unit_price', message: 'is required for the per_unit model' },
      { field: 'charges[1].code', message: '"base" is already a charge\'s code' },
    ]);
  });

  test('when an update changes only the header, then the terms are the same (no new version); a price change is new terms', () => {
    const current = planFromRequest(
      { ...base, charges: [{ kind: 'flat', code: 'base', name: 'Base', amount: '10' }] },
      null,
      metrics,
    );
    const renamed = planFromRequest({ name: 'Premium+', limits: { seats: 5 } }, current, metrics);
    expect(renamed.header).toMatchObject({
      code: 'premium',
      name: 'Premium+',
      limits: { seats: 5 },
    });
    expect(termsKey(renamed.terms)).toBe(termsKey(current.terms));
    const repriced = planFromRequest(
      { charges: [{ kind: 'flat', code: 'base', name: 'Base', amount: '12' }] },
      current,
      metrics,
    );
    expect(termsKey(repriced.terms)).not.toBe(termsKey(current.terms));
    expect(detailsOf({ currency: 'EUR' }, current as never)).toEqual([
      {
        field: 'charges',
        message: 'must be sent again when the currency changes (their amounts are in it)',
      },
    ]);
  });
});
