import type { ListQuery } from '@ledgerline/contracts';
import { searchedNames } from '@ledgerline/platform';
import { normalisePaymentMethod } from '../domain/payment-methods';
import type { PaymentFilter, PaymentSearch } from '../store/payments';
import { PLATFORM_STATUS_NAMES } from '../views';
import type { PaymentsDeps } from './deps';

/** What a search of a tenant's payments reads (q_f names); `customer_name` only across customers. */
export const PAYMENT_SEARCH = ['transaction_id', 'remarks', 'payment_method', 'status'] as const;

/**
 * The query's search of the tenant's payments, by their own text fields and, across customers,
 * by the customer's name (matched in the customers projection first, into their ids).
 */
async function paymentSearch(
  deps: Pick<PaymentsDeps, 'customerNames'>,
  tenantId: string,
  query: ListQuery,
  byCustomerName: boolean,
): Promise<PaymentSearch | undefined> {
  if (!query.search) return undefined;
  if (!byCustomerName) return { query, fields: PAYMENT_SEARCH };
  const names = searchedNames(query, [...PAYMENT_SEARCH, 'customer_name']);
  const customerIds = names.includes('customer_name')
    ? await deps.customerNames.idsByName(tenantId, query.search)
    : [];
  return {
    query,
    fields: PAYMENT_SEARCH,
    extras: { customer_name: { customer_id: { $in: customerIds } } },
  };
}

const day = (d?: Date) => d?.toISOString().slice(0, 10);

/**
 * A payment list's filter from its spec's parsed query (toListQuery has applied the date-window
 * rule): seed 002's masters, the spec's filters with the method spelled as stored ("Bank
 * Transfer" finds bank payments), the window's calendar days and the search. One customer's
 * lists (`customerId` from the path) do not search by its name.
 */
export async function paymentFilter(
  deps: Pick<PaymentsDeps, 'customerNames'>,
  tenantId: string,
  query: ListQuery,
  customerId?: string,
): Promise<PaymentFilter> {
  const f = query.filters;
  return {
    customer_id: customerId ?? f.customer_id,
    invoice_id: f.invoice_master_id,
    status: f.status,
    payment_method: f.payment_method
      ? (normalisePaymentMethod(f.payment_method) ?? f.payment_method)
      : undefined,
    start_date: day(query.startDate),
    end_date: day(query.endDate),
    mastersOnly: true,
    search: await paymentSearch(deps, tenantId, query, customerId === undefined),
  };
}

/**
 * Seed 000's payments to the platform: by invoice, method and status as that list shows it
 * ("succeeded" finds completed payments).
 */
export function platformPaymentSearch(query: ListQuery): PaymentSearch | undefined {
  if (!query.search) return undefined;
  const text = query.search.toLowerCase();
  const statuses = Object.entries(PLATFORM_STATUS_NAMES)
    .filter(([, shown]) => shown.includes(text))
    .map(([stored]) => stored);
  return {
    query,
    fields: { invoice_id: 'invoice_id', payment_method: 'payment_method' },
    extras: { status: { status: { $in: statuses } } },
  };
}
