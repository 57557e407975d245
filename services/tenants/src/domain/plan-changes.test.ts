import { BASIC } from '../test-support/pricing-fixtures';
import type { Charge } from './pricing';
import { creditApplied, planChange } from './plan-changes';
import type { PlanTerms, SubscriptionClock } from './renewals';

const at = (iso: string) => new Date(iso);
const terms = (charges: Charge[]): PlanTerms => ({
  interval: 'month',
  anchor_day: 1,
  currency: 'USD',
  charges,
});
/** BASIC: 29.00 + 10.00 a seat; PRO: 59.00 + 15.00 a seat. */
const FROM = terms(BASIC);
const TO = terms([
  { kind: 'flat', code: 'platform', name: 'Platform fee', amount_minor: 5900 },
  { kind: 'per_seat', code: 'seats', name: 'Seats', unit_amount_minor: 1500 },
]);
/** April, 30 days, 2 seats, paid in advance. */
const APRIL: SubscriptionClock = {
  started_at: at('2026-03-01T00:00:00Z'),
  trial_ends_at: null,
  current_period_start: at('2026-04-01T00:00:00Z'),
  current_period_end: at('2026-05-01T00:00:00Z'),
  cancel_at_period_end: false,
  ends_at: null,
  seats: 2,
};

describe('plan changes inside a period', () => {
  test('when a subscription upgrades after 10 of 30 days, then exactly 20/30 of the difference is invoiced at once', () => {
    const change = planChange({
      clock: APRIL,
      from: FROM,
      to: TO,
      toSeats: 2,
      at: at('2026-04-11T00:00:00Z'),
    });
    // (5900 + 2 x 1500) - (2900 + 2 x 1000) = 4000; 4000 x 20/30 = 2666.67 -> 2667
    expect(change.when).toBe('now');
    expect(change.lines.map((l) => [l.kind, l.amount_minor])).toEqual([['proration', 2667]]);
  });

  test('when seats go from 2 to 5 after 10 of 30 days, then 3 x 10.00 x 20/30 = 20.00 is invoiced at once', () => {
    const change = planChange({
      clock: APRIL,
      from: FROM,
      to: FROM,
      toSeats: 5,
      at: at('2026-04-11T00:00:00Z'),
    });
    expect(change.lines.map((l) => l.amount_minor)).toEqual([2000]);
  });

  test('when a subscription downgrades, then by default it waits for the period end and nothing is charged now', () => {
    const change = planChange({
      clock: APRIL,
      from: TO,
      to: FROM,
      toSeats: 2,
      at: at('2026-04-11T00:00:00Z'),
    });
    expect(change).toEqual({ when: 'period_end', lines: [] });
  });

  test('when a downgrade is asked at once after 10 of 30 days, then it takes effect now and owes 20/30 of the difference as a credit, and an upgrade asked at period end waits', () => {
    // (5900 + 2 x 1500) - (2900 + 2 x 1000) = 4000 less now; 4000 x 20/30 = 2666.67 -> 2667
    expect(
      planChange({
        clock: APRIL,
        from: TO,
        to: FROM,
        toSeats: 2,
        at: at('2026-04-11T00:00:00Z'),
        asked: 'now',
      }),
    ).toEqual({ when: 'now', lines: [], credit_minor: 2667 });
    expect(
      planChange({
        clock: APRIL,
        from: FROM,
        to: TO,
        toSeats: 2,
        at: at('2026-04-11T00:00:00Z'),
        asked: 'period_end',
      }),
    ).toEqual({ when: 'period_end', lines: [] });
  });

  test('when the subscription is in a trial or its period awaits renewal, then nothing is charged', () => {
    const trial = { ...APRIL, trial_ends_at: at('2026-04-15T00:00:00Z') };
    expect(
      planChange({ clock: trial, from: FROM, to: TO, toSeats: 2, at: at('2026-04-11T00:00:00Z') }),
    ).toEqual({ when: 'now', lines: [] });
    expect(
      planChange({ clock: APRIL, from: FROM, to: TO, toSeats: 2, at: at('2026-05-01T00:10:00Z') }),
    ).toEqual({ when: 'period_end', lines: [] });
  });

  test('when the plan bills in another currency, then the change is refused', () => {
    expect(() =>
      planChange({
        clock: APRIL,
        from: FROM,
        to: { ...TO, currency: 'EUR' },
        toSeats: 2,
        at: at('2026-04-11T00:00:00Z'),
      }),
    ).toThrow(/currency/);
  });

  test('when a credit balance meets an invoice, then it takes up to the invoice total and leaves the rest', () => {
    const lines = planChange({
      clock: APRIL,
      from: FROM,
      to: TO,
      toSeats: 2,
      at: at('2026-04-11T00:00:00Z'),
    }).lines; // 2667
    expect(creditApplied(1000, lines)).toBe(1000);
    expect(creditApplied(5000, lines)).toBe(2667);
    expect(creditApplied(0, lines)).toBe(0);
    expect(creditApplied(5000, [])).toBe(0);
  });
});
