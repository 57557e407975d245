import { Router } from 'express';
import {
  AppError,
  CUSTOMER_BILL_ROUTES as R,
  formatMinor,
  pageOf,
  toListQuery,
  type ListParams,
  type ListQuery,
} from '@ledgerline/contracts';
import { bindRoute, type CallerIdentity } from '@ledgerline/platform';
import { totalsByCurrency } from '../domain/bill-totals';
import type { Invoice, InvoiceStore } from '../store/invoices';
import { invoiceView } from '../views';

/** The calendar days of a history request's window (toListQuery has applied the period rule). */
function windowOf(query: ListQuery): { start?: string; end?: string } {
  return {
    start: query.startDate?.toISOString().slice(0, 10),
    end: query.endDate?.toISOString().slice(0, 10),
  };
}

function currencyTotals(bills: Invoice[]) {
  return totalsByCurrency(bills).map((t) => ({
    currency: t.currency,
    total_billed: formatMinor(t.billedMinor, t.currency),
    total_paid: formatMinor(t.paidMinor, t.currency),
    total_credited: formatMinor(t.creditedMinor, t.currency),
    total_due: formatMinor(t.dueMinor, t.currency),
    count: t.count,
  }));
}

/**
 * Seed 002 GET /api/bills/invoices/history/: issued invoices (optionally of `customer_id`, or
 * matching `search`) in a window or period, with their totals. Amounts in different currencies are never added: `totals` is the
 * currency with the most invoices, `other_currency_totals` the rest.
 */
export async function invoiceHistory(invoices: InvoiceStore, tenantId: string, query: ListQuery) {
  const all = await invoices.history(tenantId, {
    customerId: query.filters.customer_id,
    ...windowOf(query),
    search: query,
  });
  const { items, ...rest } = historyPage(all, query);
  return { invoices: items, ...rest };
}

const pageItems = <T>(items: T[], q: ListQuery) =>
  items.slice((q.page - 1) * q.perPage, q.page * q.perPage);

/** One page of a bill history, the window it covers, and its totals per currency. */
function historyPage(all: Invoice[], query: ListQuery) {
  const window = windowOf(query);
  const [main, ...others] = currencyTotals(all);
  return {
    items: pageItems(all, query).map(invoiceView),
    count: all.length,
    page: query.page,
    per_page: query.perPage,
    start_date: window.start ?? null,
    end_date: window.end ?? null,
    totals: main ?? null,
    other_currency_totals: others,
  };
}

/**
 * A customer's bills, answered by billing because billing owns invoices (seed 002's customer
 * sub-resources; the gateway routes them here). A customer the tenant does not have (another
 * tenant's, or none) is a 404, as for any other object; billing learns customers from the
 * customers service's events and asks that service about one its copy does not hold yet.
 */
export function customerBillRoutes(deps: {
  invoices: InvoiceStore;
  customerKnown: (tenantId: string, customerId: string, correlationId: string) => Promise<boolean>;
}): Router {
  const router = Router();
  const bills = async (caller: CallerIdentity, customerId: string, params: ListParams) => {
    const query = toListQuery(params);
    const all = await deps.invoices.customerBills(caller.tenantId, customerId, {
      ...windowOf(query),
      search: query,
    });
    if (
      all.length === 0 &&
      !(await deps.customerKnown(caller.tenantId, customerId, caller.correlationId))
    )
      throw AppError.notFound('Customer');
    return { query, all };
  };

  bindRoute(router, R.invoices, async ({ caller, params, query }) => {
    const found = await bills(caller, params.id, query);
    return {
      data: pageOf(found.query, {
        results: pageItems(found.all, found.query).map(invoiceView),
        count: found.all.length,
      }),
    };
  });

  bindRoute(router, R.billHistory, async ({ caller, params, query }) => {
    const found = await bills(caller, params.id, query);
    const { items, ...rest } = historyPage(found.all, found.query);
    return { data: { results: items, ...rest } };
  });

  bindRoute(router, R.lastBill, async ({ caller, params }) => {
    const [last] = await deps.invoices.customerBills(caller.tenantId, params.id);
    if (!last) throw AppError.notFound('Bill');
    return { data: invoiceView(last) };
  });

  bindRoute(router, R.previousBill, async ({ caller, params }) => {
    const [, previous] = await deps.invoices.customerBills(caller.tenantId, params.id);
    if (!previous) throw AppError.notFound('Previous bill');
    return { data: invoiceView(previous) };
  });

  return router;
}
