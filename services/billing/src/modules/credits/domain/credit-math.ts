import { assertAmountMax, divRoundHalfAwayFromZero } from '@ledgerline/contracts';

export type CreditTransactionType = 'grant' | 'purchase' | 'deduction' | 'refund';

/** The per-tenant credit account as the balance arithmetic sees it. */
export interface CreditAccountState {
  balance: number;
  seq: number;
  /** The calendar month (YYYY-MM, UTC) that month_used counts. */
  usage_month: string;
  month_used: number;
}

export interface CreditChange {
  transaction_type: CreditTransactionType;
  /** Signed: negative for deductions. */
  amount: number;
}

/** The calendar month of a moment, UTC: the key of the monthly grant and of monthly usage. */
export function monthKey(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/**
 * The account after one change, or null when a deduction is more than the balance: a balance
 * never goes negative. Usage counts deductions in the month the change happens in.
 */
export function applyChange(
  account: CreditAccountState,
  change: CreditChange,
  at: Date,
): CreditAccountState | null {
  if (!Number.isSafeInteger(change.amount) || change.amount === 0) {
    throw new Error(
      `a credit change moves a non-zero whole number of credits, not ${change.amount}`,
    );
  }
  const isDeduction = change.transaction_type === 'deduction';
  if (isDeduction !== change.amount < 0) {
    throw new Error(`${change.transaction_type} cannot move ${change.amount} credits`);
  }
  const balance = account.balance + change.amount;
  if (balance < 0) return null;
  const month = monthKey(at);
  const usedBefore = account.usage_month === month ? account.month_used : 0;
  return {
    balance,
    seq: account.seq + 1,
    usage_month: month,
    month_used: isDeduction ? usedBefore - change.amount : usedBefore,
  };
}

/** What the balance endpoint shows: usage of another month than `now`'s is not this month's. */
export function balanceSummary(
  account: CreditAccountState,
  planCreditsPerMonth: number,
  now: Date,
) {
  return {
    credits: account.balance,
    plan_credits_per_month: planCreditsPerMonth,
    credits_used_this_month: account.usage_month === monthKey(now) ? account.month_used : 0,
    credits_remaining: account.balance,
  };
}

/** A price per credit kept as a fraction (price of a package / its credits), so it stays exact. */
export interface UnitPrice {
  price_minor: number;
  credits: number;
  currency: string;
}

/** The default value of one credit when the tenant never bought any in USD: one US cent. */
export const DEFAULT_UNIT_PRICE: UnitPrice = { price_minor: 1, credits: 1, currency: 'USD' };

/**
 * The money value of `credits` at `unit`, rounded half away from zero to a minor unit. It is one
 * amount like any other: above MAX_AMOUNT_MINOR it is a 422, never a silently rounded number.
 */
export function creditValueMinor(credits: number, unit: UnitPrice): number {
  const value = divRoundHalfAwayFromZero(
    BigInt(credits) * BigInt(unit.price_minor),
    BigInt(unit.credits),
  );
  assertAmountMax(value, unit.currency, 'credits');
  return Number(value);
}
