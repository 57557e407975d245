import { formatMinor, pageOf, sumMinorExact, type ListQuery } from '@ledgerline/contracts';
import { refundedMinor } from '../domain/payment-effects';
import type { PaymentFilter } from '../store/payments';
import type { PaymentsDeps } from './deps';
import { paymentViews } from './payment-views';

type Received = {
  customer_id: string | null;
  amount_minor: number;
  currency: string;
  refunds: { amount_minor: number }[];
};

const net = (p: Received) => p.amount_minor - refundedMinor(p);

/**
 * Totals per currency of completed payments, the most used currency first. Added in BigInt: a
 * history of any number of payments (each at most MAX_AMOUNT_MINOR) is exact, never refused.
 */
export function totalsOfReceived(payments: readonly Received[]) {
  const byCurrency = new Map<string, number[]>();
  for (const p of payments) {
    const amounts = byCurrency.get(p.currency) ?? [];
    amounts.push(net(p));
    byCurrency.set(p.currency, amounts);
  }
  return [...byCurrency.entries()]
    .map(([currency, amounts]) => ({
      currency,
      total_received: formatMinor(sumMinorExact(amounts), currency),
      payment_count: amounts.length,
    }))
    .sort((a, b) => b.payment_count - a.payment_count || a.currency.localeCompare(b.currency));
}

/** Completed payments' totals per currency, the most used currency first (history's totals). */
export async function receivedTotals(
  deps: Pick<PaymentsDeps, 'payments'>,
  tenantId: string,
  filter: PaymentFilter,
) {
  return totalsOfReceived(await deps.payments.completed(tenantId, filter));
}

/**
 * Seed 002 `by_customer`: per customer (and currency), the money received from completed
 * payments net of refunds and how many there were; names from the customers projection.
 */
export async function totalsByCustomer(
  deps: Pick<PaymentsDeps, 'payments' | 'customerNames'>,
  tenantId: string,
  filter: PaymentFilter,
) {
  const groups = new Map<
    string,
    { customer_id: string | null; currency: string; amounts: number[] }
  >();
  for (const p of await deps.payments.completed(tenantId, { ...filter, status: undefined })) {
    const key = `${p.customer_id ?? ''}\n${p.currency}`;
    const group = groups.get(key) ?? {
      customer_id: p.customer_id,
      currency: p.currency,
      amounts: [],
    };
    group.amounts.push(net(p));
    groups.set(key, group);
  }
  const names = await deps.customerNames.names(
    tenantId,
    [...groups.values()].flatMap((g) => (g.customer_id ? [g.customer_id] : [])),
  );
  return [...groups.values()]
    .map((g) => ({
      customer_id: g.customer_id,
      customer_name: g.customer_id ? (names.get(g.customer_id) ?? null) : null,
      currency: g.currency,
      total_received: formatMinor(sumMinorExact(g.amounts), g.currency),
      payment_count: g.amounts.length,
    }))
    .sort(
      (a, b) =>
        (a.customer_id ?? '').localeCompare(b.customer_id ?? '') ||
        a.currency.localeCompare(b.currency),
    );
}

const day = (d?: Date) => d?.toISOString().slice(0, 10) ?? null;

/**
 * Seed 002 payment history (`/api/payments/payments/history/` and a customer's
 * `payment_history`): a page of payments, the window asked for, and completed totals per currency.
 */
export async function paymentHistory(
  deps: Pick<PaymentsDeps, 'payments'>,
  tenantId: string,
  filter: PaymentFilter,
  query: ListQuery,
) {
  const [{ results, count }, totals] = await Promise.all([
    deps.payments.list(tenantId, filter, query),
    receivedTotals(deps, tenantId, filter),
  ]);
  return {
    ...pageOf(query, { results: await paymentViews(deps, tenantId, results), count }),
    start_date: day(query.startDate),
    end_date: day(query.endDate),
    totals: totals[0] ?? null,
    other_currency_totals: totals.slice(1),
  };
}
