import { Router, type Request } from 'express';
import { listQuerySchema, ok, periodWindow, type ListQuery } from '@ledgerline/contracts';
import { callerOf, parseQuery, requirePermission } from '@ledgerline/platform';
import { filterOfQuery, type PaymentStore } from '../store/payments';
import { paymentHistory } from '../use-cases/reports';
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
    const { results, count } = await deps.payments.list(
      callerOf(req).tenantId,
      filterOfQuery(query),
      query,
    );
    res.json(
      ok({ results: results.map(paymentView), count, page: query.page, per_page: query.perPage }),
    );
  });

  router.get('/payment_history', requirePermission('payments:read'), async (req, res) => {
    const query = forCustomer(req);
    res.json(ok(await paymentHistory(deps, callerOf(req).tenantId, filterOfQuery(query), query)));
  });
  return router;
}
