import { MAX_AMOUNT_MINOR } from '@ledgerline/contracts';
import {
  applyChange,
  balanceSummary,
  creditValueMinor,
  DEFAULT_UNIT_PRICE,
  monthKey,
} from './credit-math';

const at = new Date('2025-12-05T10:00:00Z');
const empty = { balance: 0, seq: 0, usage_month: '', month_used: 0 };

describe('credit balance arithmetic', () => {
  test.each([
    {
      when: 'credits are granted to an empty account',
      then: 'the balance and sequence advance',
      account: empty,
      change: { transaction_type: 'grant', amount: 100 },
      after: { balance: 100, seq: 1, usage_month: '2025-12', month_used: 0 },
    },
    {
      when: 'a deduction fits the balance',
      then: 'it is counted as this month’s usage',
      account: { balance: 100, seq: 4, usage_month: '2025-12', month_used: 15 },
      change: { transaction_type: 'deduction', amount: -10 },
      after: { balance: 90, seq: 5, usage_month: '2025-12', month_used: 25 },
    },
    {
      when: 'the first deduction of a new month comes',
      then: 'the month’s usage restarts',
      account: { balance: 50, seq: 9, usage_month: '2025-11', month_used: 40 },
      change: { transaction_type: 'deduction', amount: -5 },
      after: { balance: 45, seq: 10, usage_month: '2025-12', month_used: 5 },
    },
  ] as const)('when $when, then $then', ({ account, change, after }) => {
    expect(applyChange(account, change, at)).toEqual(after);
  });

  test('when a deduction takes exactly the balance, then it ends at 0; one more credit is refused', () => {
    const account = { balance: 1, seq: 1, usage_month: '2025-12', month_used: 0 };
    const after = applyChange(account, { transaction_type: 'deduction', amount: -1 }, at);
    expect(after?.balance).toBe(0);
    expect(applyChange(after!, { transaction_type: 'deduction', amount: -1 }, at)).toBeNull();
  });

  test('when a change has the wrong sign or no credits, then it is a programming error', () => {
    expect(() => applyChange(empty, { transaction_type: 'deduction', amount: 5 }, at)).toThrow();
    expect(() => applyChange(empty, { transaction_type: 'purchase', amount: -5 }, at)).toThrow();
    expect(() => applyChange(empty, { transaction_type: 'grant', amount: 0 }, at)).toThrow();
    expect(() => applyChange(empty, { transaction_type: 'grant', amount: 1.5 }, at)).toThrow();
  });

  test('when the balance is shown in a later month, then this month’s usage reads 0', () => {
    const account = { balance: 70, seq: 3, usage_month: '2025-11', month_used: 30 };
    expect(balanceSummary(account, 100, at)).toEqual({
      credits: 70,
      plan_credits_per_month: 100,
      credits_used_this_month: 0,
      credits_remaining: 70,
    });
    expect(balanceSummary({ ...account, usage_month: '2025-12' }, 100, at)).toEqual({
      credits: 70,
      plan_credits_per_month: 100,
      credits_used_this_month: 30,
      credits_remaining: 70,
    });
  });

  test('when the month key of an instant is taken, then it is the UTC calendar month', () => {
    expect(monthKey(new Date('2025-12-31T23:59:59.999Z'))).toBe('2025-12');
    expect(monthKey(new Date('2026-01-01T00:00:00.000Z'))).toBe('2026-01');
  });
});

describe('money value of credits', () => {
  test('when no purchase price is known, then a credit is worth one US cent', () => {
    expect(creditValueMinor(10, DEFAULT_UNIT_PRICE)).toBe(10);
  });

  test('when the last package cost 9.00 for 500 credits, then 10 credits are worth 0.18 exactly', () => {
    expect(creditValueMinor(10, { price_minor: 900, credits: 500, currency: 'USD' })).toBe(18);
  });

  test('when the value falls on half a minor unit, then it rounds half away from zero', () => {
    // 1 credit at 1.00 per 8 credits = 12.5 cents
    expect(creditValueMinor(1, { price_minor: 100, credits: 8, currency: 'USD' })).toBe(13);
    // 1 credit at 1.00 per 3 credits = 33.33 cents
    expect(creditValueMinor(1, { price_minor: 100, credits: 3, currency: 'USD' })).toBe(33);
  });

  test('when the value of credits used would exceed the maximum amount, then it is a 422, not rounded', () => {
    const dear = { price_minor: MAX_AMOUNT_MINOR, credits: 1, currency: 'USD' };
    expect(creditValueMinor(1, dear)).toBe(MAX_AMOUNT_MINOR);
    expect(() => creditValueMinor(1_000_000_000, dear)).toThrow(
      expect.objectContaining({ status: 422 }),
    );
  });
});
