import { Router } from 'express';
import {
  AppError,
  CUSTOMER_PAYMENT_ROUTES as R,
  pageOf,
  toListQuery,
  type ListParams,
} from '@ledgerline/contracts';
import { bindRoute, type CallerIdentity, type CustomersClient } from '@ledgerline/platform';
import type { CustomerNameStore } from '../store/customer-names';
import type { PaymentStore } from '../store/payments';
import { paymentHistory } from '../use-cases/reports';
import { paymentFilter } from '../use-cases/search';
import { paymentViews } from '../use-cases/payment-views';

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
  const router = Router();
  const requireCustomer = async (caller: CallerIdentity, customerId: string, found: number) => {
    if (found > 0) return;
    if (await deps.customerNames.known(caller.tenantId, customerId)) return;
    const owner = await deps.customers.existing(
      caller.tenantId,
      { customer_id: customerId },
      caller.correlationId,
    );
    if (!owner.customer_id) throw AppError.notFound('Customer');
  };
  // toListQuery applies the one date-window rule: explicit dates win over `period`
  const forCustomer = async (caller: CallerIdentity, customerId: string, params: ListParams) => {
    const query = toListQuery(params);
    return { query, filter: await paymentFilter(deps, caller.tenantId, query, customerId) };
  };

  bindRoute(router, R.payments, async ({ caller, params, query: given }) => {
    const { query, filter } = await forCustomer(caller, params.id, given);
    const { results, count } = await deps.payments.list(caller.tenantId, filter, query);
    await requireCustomer(caller, params.id, count);
    const views = await paymentViews(deps, caller.tenantId, results);
    return { data: pageOf(query, { results: views, count }) };
  });

  bindRoute(router, R.paymentHistory, async ({ caller, params, query: given }) => {
    const { query, filter } = await forCustomer(caller, params.id, given);
    const history = await paymentHistory(deps, caller.tenantId, filter, query);
    await requireCustomer(caller, params.id, history.count);
    return { data: history };
  });
  return router;
}
