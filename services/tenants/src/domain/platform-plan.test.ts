import { catalogueFromTerms, platformPlanCode, platformTerms } from './platform-plan';

const catalogue = {
  price_monthly_minor: 4900,
  price_yearly_minor: 49000,
  billing_cycle: 'monthly' as const,
  is_popular: true,
  trial_enabled: true,
  trial_days: 14,
};

describe('platformTerms', () => {
  it('when a plan bills monthly with a trial, then the terms charge the monthly price each month after the trial', () => {
    expect(platformTerms('USD', catalogue)).toEqual({
      currency: 'USD',
      interval: 'month',
      anchor_day: null,
      trial_days: 14,
      charges: [{ kind: 'flat', code: 'base', name: 'Subscription', amount_minor: 4900 }],
    });
  });

  it('when a plan bills yearly without a trial, then the terms charge the yearly price and no trial days', () => {
    expect(
      platformTerms('EUR', { ...catalogue, billing_cycle: 'yearly', trial_enabled: false }),
    ).toEqual({
      currency: 'EUR',
      interval: 'year',
      anchor_day: null,
      trial_days: 0,
      charges: [{ kind: 'flat', code: 'base', name: 'Subscription', amount_minor: 49000 }],
    });
  });

  it('when only the price of the cycle not billed changes, then the terms are the same (no new version)', () => {
    expect(platformTerms('USD', { ...catalogue, price_yearly_minor: 1 })).toEqual(
      platformTerms('USD', catalogue),
    );
  });
});

describe('catalogueFromTerms', () => {
  it('when terms bill 12.34 a year with a 7-day trial, then the entry lists 12.34 for both cycles, yearly, trial on for 7 days', () => {
    expect(
      catalogueFromTerms({
        currency: 'USD',
        interval: 'year',
        anchor_day: null,
        trial_days: 7,
        charges: [{ kind: 'flat', code: 'base', name: 'Subscription', amount_minor: 1234 }],
      }),
    ).toEqual({
      price_monthly_minor: 1234,
      price_yearly_minor: 1234,
      billing_cycle: 'yearly',
      is_popular: false,
      trial_enabled: true,
      trial_days: 7,
    });
  });
});

describe('platformPlanCode', () => {
  it.each([
    ['Premium', 1, 'premium'],
    ['Premium', 2, 'premium-2'],
    ['Pro Plan (2026)!', 1, 'pro-plan-2026'],
    ['!!!', 1, 'plan'],
    ['!!!', 3, 'plan-3'],
    [`${'a'.repeat(55)} bcd`, 1, 'a'.repeat(55)],
    ['x'.repeat(80), 12, `${'x'.repeat(56)}-12`],
  ])('when the name is %j on try %i, then the code is %j', (name, attempt, code) => {
    expect(platformPlanCode(name, attempt)).toBe(code);
    expect(code).toMatch(/^[a-z0-9](?:[a-z0-9_-]{0,62})$/);
  });
});
