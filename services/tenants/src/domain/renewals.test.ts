import { BASIC, CALLS, METRICS } from '../test-support/pricing-fixtures';
import { addUsage, emptyUsage, type UsageState } from './pricing';
import {
  startingClock,
  renewalAt,
  startInvoice,
  type PlanTerms,
  type SubscriptionClock,
} from './renewals';

const at = (iso: string) => new Date(iso);

/** BASIC: 29.00 a month, 10.00 a seat, calls at 0.002 up to 1000 then 0.001; anchor day 1. */
const TERMS: PlanTerms = { interval: 'month', anchor_day: 1, currency: 'USD', charges: BASIC };

function calls(n: number): Record<string, UsageState> {
  const events = Array.from({ length: n }, (_, i) => ({
    transaction_id: `t${i}`,
    timestamp: at('2026-04-20T00:00:00Z'),
    properties: {},
  }));
  return { api_calls: addUsage(emptyUsage(CALLS), CALLS, events) };
}

function clock(over: Partial<SubscriptionClock> = {}): SubscriptionClock {
  return {
    started_at: at('2026-04-16T10:00:00Z'),
    trial_ends_at: null,
    current_period_start: at('2026-04-16T10:00:00Z'),
    current_period_end: at('2026-05-01T00:00:00Z'),
    cancel_at_period_end: false,
    ends_at: null,
    seats: 3,
    ...over,
  };
}

const amounts = (lines: { charge_code: string; amount_minor: number }[]) =>
  lines.map((l) => [l.charge_code, l.amount_minor]);

describe('renewals of a provider subscription', () => {
  test('when a subscription starts on April 16 with anchor day 1, then its first period ends May 1 and 15 of 30 days of fees are due at once', () => {
    expect(startingClock(at('2026-04-16T10:00:00Z'), TERMS, 0).period).toEqual({
      start: at('2026-04-16T10:00:00Z'),
      end: at('2026-05-01T00:00:00Z'),
    });
    const due = startInvoice(clock(), TERMS)!;
    // 2900 x 15/30 = 1450; 3 seats x 1000 x 15/30 = 1500; usage is billed in arrears
    expect(amounts(due.lines)).toEqual([
      ['platform', 1450],
      ['seats', 1500],
    ]);
    expect(due).toMatchObject({
      reason: 'started',
      due_at: at('2026-04-16T10:00:00Z'),
      invoice_key: '2026-04-16T10:00:00.000Z:started',
    });
  });

  test('when May 1 is reached, then April usage in arrears and May fees in advance are due, and May is the next period', () => {
    expect(renewalAt(clock(), TERMS, METRICS, calls(1500), at('2026-04-30T23:59:59Z'))).toBeNull();
    const renewal = renewalAt(clock(), TERMS, METRICS, calls(1500), at('2026-05-01T00:00:00Z'))!;
    // 1000 x 0.002 + 500 x 0.001 = 2.50; whole month: 2900 and 3 x 1000
    expect(amounts(renewal.invoice.lines)).toEqual([
      ['calls', 250],
      ['platform', 2900],
      ['seats', 3000],
    ]);
    expect(renewal.invoice.invoice_key).toBe('2026-05-01T00:00:00.000Z:renewed');
    expect(renewal.next).toEqual({
      start: at('2026-05-01T00:00:00Z'),
      end: at('2026-06-01T00:00:00Z'),
    });
  });

  test('when the subscription was canceled at period end or its fixed end is reached, then only the usage is due and no period opens', () => {
    for (const ended of [
      clock({ cancel_at_period_end: true }),
      clock({ ends_at: at('2026-05-01T00:00:00Z') }),
    ]) {
      const renewal = renewalAt(ended, TERMS, METRICS, calls(1500), at('2026-05-02T00:00:00Z'))!;
      expect(amounts(renewal.invoice.lines)).toEqual([['calls', 250]]);
      expect(renewal.next).toBeNull();
    }
  });

  test('when a 14-day trial ends on April 30 at 10:00, then nothing is due at the start, trial usage is free and 1 of 30 days of fees is due at its end', () => {
    const trial = clock({
      trial_ends_at: at('2026-04-30T10:00:00Z'),
      current_period_end: at('2026-04-30T10:00:00Z'),
    });
    expect(startingClock(trial.started_at, TERMS, 14).period.end.toISOString()).toBe(
      '2026-04-30T10:00:00.000Z',
    );
    expect(startInvoice(trial, TERMS)).toBeNull();

    const end = renewalAt(trial, TERMS, METRICS, calls(1500), at('2026-04-30T10:00:00Z'))!;
    // April 30 -> May 1 is 1 day of 30: 2900/30 = 96.67 -> 97; 3000/30 = 100
    expect(amounts(end.invoice.lines)).toEqual([
      ['platform', 97],
      ['seats', 100],
    ]);
    expect(end.next).toEqual({
      start: at('2026-04-30T10:00:00Z'),
      end: at('2026-05-01T00:00:00Z'),
    });

    const may = renewalAt(
      { ...trial, current_period_start: end.next!.start, current_period_end: end.next!.end },
      TERMS,
      METRICS,
      calls(10),
      at('2026-05-01T00:00:00Z'),
    )!;
    // the paid day's usage is charged: 10 x 0.002 = 0.02
    expect(amounts(may.invoice.lines)).toEqual([
      ['calls', 2],
      ['platform', 2900],
      ['seats', 3000],
    ]);
  });

  test('when a subscription without anchor day starts on January 31, then its periods end on the last day of short months without drifting', () => {
    const terms = { ...TERMS, anchor_day: null };
    const start = at('2026-01-31T10:00:00Z');
    const first = startingClock(start, terms, 0).period;
    expect(first.end.toISOString()).toBe('2026-02-28T10:00:00.000Z');

    const base = clock({ started_at: start, current_period_start: start });
    const feb = renewalAt(
      { ...base, current_period_end: first.end },
      terms,
      METRICS,
      {},
      first.end,
    )!;
    expect(feb.next!.end.toISOString()).toBe('2026-03-31T10:00:00.000Z');
    const mar = renewalAt(
      { ...base, current_period_start: feb.next!.start, current_period_end: feb.next!.end },
      terms,
      METRICS,
      {},
      feb.next!.end,
    )!;
    expect(mar.next!.end.toISOString()).toBe('2026-04-30T10:00:00.000Z');
    // whole periods: no proration
    expect(amounts(mar.invoice.lines)).toEqual([
      ['calls', 0],
      ['platform', 2900],
      ['seats', 3000],
    ]);
  });

  test('when a downgrade waits for May 1, then April usage is priced at the old plan and May fees at the new one', () => {
    const lite: PlanTerms = {
      ...TERMS,
      charges: [{ kind: 'flat', code: 'lite', name: 'Lite fee', amount_minor: 900 }],
    };
    const renewal = renewalAt(clock(), TERMS, METRICS, calls(1500), at('2026-05-01T00:00:00Z'), {
      terms: lite,
      seats: 1,
    })!;
    expect(amounts(renewal.invoice.lines)).toEqual([
      ['calls', 250],
      ['lite', 900],
    ]);
  });
});
