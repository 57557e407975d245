import { Router, type Request } from 'express';
import {
  formatMinor,
  listQuerySchema,
  ok,
  periodWindow,
  sumMinor,
  type ListQuery,
} from '@ledgerline/contracts';
import { callerOf, parseQuery, requirePermission } from '@ledgerline/platform';
import type { PaymentStore } from '../store/payments';
import { paymentView } from '../views';

function withWindow(query: ListQuery): ListQuery {
  if (!query.period) return query;
  const w = periodWindow(query.period, new Date());
  return { ...query, startDate: w.start, endDate: w.end };
}

/**
 * A customer's payments, answered by payments because it owns them (seed 002's customer
 * sub-resources; the gateway routes them here). An unknown customer simply has none.
 */
export function customerPaymentRoutes(deps: { payments: PaymentStore }): Router {
  const router = Router({ mergeParams: true });
  const forCustomer = (req: Request) => {
    const query = withWindow(parseQuery(listQuerySchema, req));
    return { ...query, filters: { ...query.filters, customer_id: String(req.params.customerId) } };
  };

  router.get('/payments', requirePermission('payments:read'), async (req, res) => {
    const query = forCustomer(req);
    const { results, count } = await deps.payments.list(callerOf(req).tenantId, query);
    res.json(
      ok({ results: results.map(paymentView), count, page: query.page, per_page: query.perPage }),
    );
  });

  router.get('/payment_history', requirePermission('payments:read'), async (req, res) => {
    const query = forCustomer(req);
    const tenantId = callerOf(req).tenantId;
    const { results, count } = await deps.payments.list(tenantId, query);
    const received = await deps.payments.completedAmounts(tenantId, query);
    const byCurrency = new Map<string, number[]>();
    for (const p of received)
      byCurrency.set(p.currency, [...(byCurrency.get(p.currency) ?? []), p.amount_minor]);
    const totals = [...byCurrency.entries()]
      .map(([currency, amounts]) => ({
        currency,
        total_received: formatMinor(sumMinor(amounts), currency),
        payment_count: amounts.length,
      }))
      .sort((a, b) => b.payment_count - a.payment_count || a.currency.localeCompare(b.currency));
    res.json(
      ok({
        results: results.map(paymentView),
        count,
        page: query.page,
        per_page: query.perPage,
        start_date: query.startDate?.toISOString().slice(0, 10) ?? null,
        end_date: query.endDate?.toISOString().slice(0, 10) ?? null,
        totals: totals[0] ?? null,
        other_currency_totals: totals.slice(1),
      }),
    );
  });
  return router;
}
