import type { Charge, Metric, Period } from '../domain/pricing';
import { parseQuantity as q } from '../domain/pricing';

/** Shared by the pricing and renewal tests: one plan's charges, its metric and a 30-day month. */
const d = (iso: string) => new Date(iso);
export const MARCH: Period = { start: d('2026-03-01T00:00:00Z'), end: d('2026-04-01T00:00:00Z') };
export const APRIL: Period = { start: d('2026-04-01T00:00:00Z'), end: d('2026-05-01T00:00:00Z') };

export const CALLS: Metric = { code: 'api_calls', aggregation: 'count' };
export const METRICS = { api_calls: CALLS };

/** Basic: 29.00 USD a month, 10.00 USD a seat, calls graduated 0.002 USD up to 1000 then 0.001 USD. */
export const BASIC: Charge[] = [
  { kind: 'flat', code: 'platform', name: 'Platform fee', amount_minor: 2900 },
  { kind: 'per_seat', code: 'seats', name: 'Seats', unit_amount_minor: 1000 },
  {
    kind: 'usage',
    code: 'calls',
    name: 'API calls',
    metric: 'api_calls',
    model: {
      model: 'graduated',
      tiers: [
        { up_to: q(1000), unit_price: 200_000n, flat_amount_minor: 0 },
        { up_to: null, unit_price: 100_000n, flat_amount_minor: 0 },
      ],
    },
  },
];
