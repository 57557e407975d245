import type { ListQuery } from '@ledgerline/contracts';
import { searchedNames } from '@ledgerline/platform';
import type { PaymentSearch } from '../store/payments';
import { PLATFORM_STATUS_NAMES } from '../views';
import type { PaymentsDeps } from './deps';

/** What a search of a tenant's payments reads (q_f names); `customer_name` only across customers. */
export const PAYMENT_SEARCH = ['transaction_id', 'remarks', 'payment_method', 'status'] as const;

/**
 * The query's search of the tenant's payments, by their own text fields and, across customers,
 * by the customer's name (matched in the customers projection first, into their ids).
 */
export async function paymentSearch(
  deps: Pick<PaymentsDeps, 'customerNames'>,
  tenantId: string,
  query: ListQuery,
  opts: { byCustomerName: boolean },
): Promise<PaymentSearch | undefined> {
  if (!query.search) return undefined;
  if (!opts.byCustomerName) return { query, fields: PAYMENT_SEARCH };
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
