import { usageAnalytics, windowStart } from './analytics';

const now = new Date('2025-12-05T10:00:00Z');

describe('usage analytics', () => {
  test('when the window is 3 days, then it starts at midnight UTC two days ago', () => {
    expect(windowStart(3, now).toISOString()).toBe('2025-12-03T00:00:00.000Z');
    expect(windowStart(1, now).toISOString()).toBe('2025-12-05T00:00:00.000Z');
  });

  test('when transactions fall on several days, then each day and type is summed and every day of the window is listed', () => {
    const result = usageAnalytics(
      [
        { transaction_type: 'grant', amount: 100, created_at: new Date('2025-12-03T01:00:00Z') },
        {
          transaction_type: 'deduction',
          amount: -10,
          created_at: new Date('2025-12-03T02:00:00Z'),
        },
        { transaction_type: 'purchase', amount: 500, created_at: new Date('2025-12-05T09:00:00Z') },
        {
          transaction_type: 'deduction',
          amount: -40,
          created_at: new Date('2025-12-05T09:30:00Z'),
        },
        { transaction_type: 'refund', amount: 5, created_at: new Date('2025-12-05T09:45:00Z') },
        // before the window: ignored
        { transaction_type: 'deduction', amount: -7, created_at: new Date('2025-12-02T23:59:59Z') },
      ],
      3,
      now,
      555,
    );
    expect(result).toEqual({
      period_days: 3,
      current_balance: 555,
      usage_by_type: [
        { transaction_type: 'grant', total: 100, count: 1 },
        { transaction_type: 'purchase', total: 500, count: 1 },
        { transaction_type: 'deduction', total: -50, count: 2 },
        { transaction_type: 'refund', total: 5, count: 1 },
      ],
      daily_usage: [
        { date: '2025-12-03', usage: 10, purchases: 0, net: 90 },
        { date: '2025-12-04', usage: 0, purchases: 0, net: 0 },
        { date: '2025-12-05', usage: 40, purchases: 500, net: 465 },
      ],
      total_usage: 50,
      total_purchases: 500,
    });
  });

  test('when there are no transactions, then every day reads zero and no type is listed', () => {
    const result = usageAnalytics([], 2, now, 0);
    expect(result.usage_by_type).toEqual([]);
    expect(result.daily_usage).toEqual([
      { date: '2025-12-04', usage: 0, purchases: 0, net: 0 },
      { date: '2025-12-05', usage: 0, purchases: 0, net: 0 },
    ]);
    expect([result.total_usage, result.total_purchases]).toEqual([0, 0]);
  });
});
