import { Router, type Request } from 'express';
import { AppError, listQuerySchema, ok, periodWindow, type ListQuery } from '@ledgerline/contracts';
import {
  callerOf,
  requestCaller,
  parseQuery,
  requirePermission,
  type CustomersClient,
} from '@ledgerline/platform';
import type { CustomerNameStore } from '../store/customer-names';
import { filterOfQuery, type PaymentFilter, type PaymentStore } from '../store/payments';
import { paymentHistory } from '../use-cases/reports';
import { paymentSearch } from '../use-cases/search';
import { paymentViews } from '../use-cases/payment-views';

function withWindow(query: ListQuery): ListQuery {
  if (!query.period) return query;
  const w = periodWindow(query.period, new Date());
  return { ...query, startDate: w.start, endDate: w.end };
}

/**
 * A customer's payments, answered by payments because it owns them (seed 002's customer
 * sub-resources; the gateway routes them here). A customer the tenant does not have (another
 * tenant's, or none) is a 404, as for any other object. Payments' copy of the customers (from
 * the customers service's events) answers first; a customer it does not hold yet (created a moment
 * ago) is asked of the customers service, so a new customer's empty list is never a 404.
 */
export function customerPaymentRoutes(deps: {
  payments: PaymentStore;
  customerNames: CustomerNameStore;
  customers: CustomersClient;
}): Router {
  const router = Router({ mergeParams: true });
  const requireCustomer = async (req: Request, found: number) => {
    if (found > 0) return;
    const { tenantId, correlationId } = requestCaller(req);
    const customerId = String(req.params.customerId);
    if (await deps.customerNames.known(tenantId, customerId)) return;
    const owner = await deps.customers.existing(
      tenantId,
      { customer_id: customerId },
      correlationId,
    );
    if (!owner.customer_id) throw AppError.notFound('Customer');
  };
  const forCustomer = (req: Request) => {
    const query = withWindow(parseQuery(listQuerySchema, req));
    return { ...query, filters: { ...query.filters, customer_id: String(req.params.customerId) } };
  };
  // one customer's payments: its name is not searched, the payments' own fields are
  const filterOf = async (req: Request, query: ListQuery): Promise<PaymentFilter> => ({
    ...filterOfQuery(query),
    search: await paymentSearch(deps, callerOf(req).tenantId, query, { byCustomerName: false }),
  });

  router.get('/payments', requirePermission('payments:read'), async (req, res) => {
    const query = forCustomer(req);
    const { results, count } = await deps.payments.list(
      callerOf(req).tenantId,
      await filterOf(req, query),
      query,
    );
    await requireCustomer(req, count);
    const views = await paymentViews(deps, callerOf(req).tenantId, results);
    res.json(ok({ results: views, count, page: query.page, per_page: query.perPage }));
  });

  router.get('/payment_history', requirePermission('payments:read'), async (req, res) => {
    const query = forCustomer(req);
    const filter = await filterOf(req, query);
    const history = await paymentHistory(deps, callerOf(req).tenantId, filter, query);
    await requireCustomer(req, history.count);
    res.json(ok(history));
  });
  return router;
}
