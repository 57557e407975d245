import { CREDIT_TRANSACTION_TYPES } from '@ledgerline/contracts';
import type { CreditTransactionType } from './credit-math';

const DAY_MS = 86_400_000;

export interface AnalyticsTransaction {
  transaction_type: CreditTransactionType;
  amount: number;
  created_at: Date;
}

/** The first instant of the window: midnight UTC of the oldest of the last `days` days. */
export function windowStart(days: number, now: Date): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

/**
 * Seed 000 usage analytics over the last `days` days (today included), one row per day oldest
 * first. usage = credits deducted, purchases = credits bought, net = every movement of the day
 * (grants and refunds included), so net = purchases - usage + grants + refunds. Totals per type
 * are signed (deductions negative), as the seed shows.
 */
export function usageAnalytics(
  transactions: readonly AnalyticsTransaction[],
  days: number,
  now: Date,
  currentBalance: number,
) {
  const start = windowStart(days, now);
  const daily = new Map<string, { usage: number; purchases: number; net: number }>();
  for (let i = 0; i < days; i++) {
    daily.set(new Date(start.getTime() + i * DAY_MS).toISOString().slice(0, 10), {
      usage: 0,
      purchases: 0,
      net: 0,
    });
  }
  const byType = new Map<CreditTransactionType, { total: number; count: number }>();
  for (const tx of transactions) {
    const day = daily.get(new Date(tx.created_at).toISOString().slice(0, 10));
    if (!day) continue; // outside the window
    const type = byType.get(tx.transaction_type) ?? { total: 0, count: 0 };
    type.total += tx.amount;
    type.count += 1;
    byType.set(tx.transaction_type, type);
    if (tx.transaction_type === 'deduction') day.usage -= tx.amount;
    if (tx.transaction_type === 'purchase') day.purchases += tx.amount;
    day.net += tx.amount;
  }
  const daily_usage = [...daily].map(([date, d]) => ({ date, ...d }));
  return {
    period_days: days,
    current_balance: currentBalance,
    usage_by_type: CREDIT_TRANSACTION_TYPES.filter((t) => byType.has(t)).map((t) => ({
      transaction_type: t,
      ...(byType.get(t) as { total: number; count: number }),
    })),
    daily_usage,
    total_usage: daily_usage.reduce((sum, d) => sum + d.usage, 0),
    total_purchases: daily_usage.reduce((sum, d) => sum + d.purchases, 0),
  };
}
