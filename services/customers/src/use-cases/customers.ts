import {
  AppError,
  buildEvent,
  CUSTOMER_STATUSES,
  CUSTOMER_TYPES,
  formatMinor,
  type CustomerPatchRequest,
  type CustomerRequest,
  type CustomerView,
  type EventEnvelope,
  type ListQuery,
} from '@ledgerline/contracts';
import { isDuplicateKeyError, newId } from '@ledgerline/platform';
import { customerTotals, hasBalanceDue, minorOf } from '../domain/invoice-projection';
import { customerSnapshot } from '../domain/snapshots';
import type { Customer } from '../store/customers';
import { customerView, isEntitlementActive } from '../views';
import { fieldsOf, today, type Caller, type CustomersDeps } from './context';
import { resourceReads } from './reads';
import { softDeleteEntitlement } from './entitlements';
import { boolFilter, enumFilter, textFilter } from './filters';
import { withKam } from './kams';
import { newRevisioned, type StampedFields } from './writes';

const CUSTOMER_DEFAULTS = {
  company_name: null,
  email: null,
  phone: null,
  address: null,
  kam_id: null,
  customer_number: null,
  contact_person: null,
  status: 'active',
  is_active: true,
  remarks: null,
};

type CustomerEvent = 'CustomerCreated' | 'CustomerUpdated' | 'CustomerDeleted';

function customerEvent(type: CustomerEvent, c: Customer, caller: Caller): EventEnvelope {
  return buildEvent(type, {
    tenant_id: c.tenant_id,
    correlation_id: caller.correlationId,
    data: customerSnapshot(c),
  });
}

function numberTaken(number: string | null): AppError {
  return AppError.conflict(
    'duplicate',
    `Customer number ${number} is already used in this account`,
    [{ field: 'customer_number', message: 'is already used by another customer' }],
  );
}

/** Views with what is computed on read: the KAM's name and today's active entitlements. */
export async function customerViews(
  deps: CustomersDeps,
  tenantId: string,
  customers: Customer[],
): Promise<CustomerView[]> {
  const ids = customers.map((c) => c._id);
  const kamIds = [...new Set(customers.map((c) => c.kam_id).filter((k): k is string => !!k))];
  const [kams, entitlements] = await Promise.all([
    deps.kams.findByIds(tenantId, kamIds),
    deps.entitlements.ofCustomers(tenantId, ids),
  ]);
  const day = today(deps);
  const names = new Map(kams.map((k) => [k._id, k.kam_name]));
  const active = new Map<string, number>();
  for (const e of entitlements) {
    if (isEntitlementActive(e, day))
      active.set(e.customer_id, (active.get(e.customer_id) ?? 0) + 1);
  }
  return customers.map((c) =>
    customerView(c, {
      kamName: c.kam_id ? (names.get(c.kam_id) ?? null) : null,
      activeEntitlements: active.get(c._id) ?? 0,
    }),
  );
}

const customerReads = resourceReads({
  label: 'Customer',
  find: (deps, tenantId, id) => deps.customers.findById(tenantId, id),
  views: customerViews,
});
export const findCustomer = customerReads.find;
export const getCustomer = customerReads.get;

export async function listCustomers(deps: CustomersDeps, caller: Caller, query: ListQuery) {
  const { results, count } = await deps.customers.list(caller.tenantId, query, {
    customer_type: enumFilter(query, 'customer_type', CUSTOMER_TYPES),
    status: enumFilter(query, 'status', CUSTOMER_STATUSES),
    kam_id: textFilter(query, 'kam_id'),
    is_active: boolFilter(query, 'is_active'),
  });
  return customerReads.page(deps, caller, { results, count });
}

export async function createCustomer(
  deps: CustomersDeps,
  caller: Caller,
  req: CustomerRequest,
): Promise<CustomerView> {
  const id = newId('cus');
  const fields = fieldsOf(req, true, CUSTOMER_DEFAULTS) as Omit<
    Customer,
    StampedFields | 'number_key' | 'currency' | 'totals' | 'last_bill_invoice_date'
  >;
  const customer: Customer = newRevisioned(id, caller, {
    ...fields,
    number_key: fields.customer_number ?? `none:${id}`,
    currency: req.currency ?? deps.defaultCurrency,
    totals: [],
    last_bill_invoice_date: null,
  });
  // the plan's customer limit (403 plan_limit_reached) is checked and taken in one locked step
  const saved = await deps.limits.withinLimit(
    caller.tenantId,
    'customers',
    () => deps.customers.countLive(caller.tenantId),
    () =>
      withKam(deps, caller, customer.kam_id, async () => {
        try {
          return await deps.customers.insert(customer, [
            customerEvent('CustomerCreated', customer, caller),
          ]);
        } catch (err) {
          if (isDuplicateKeyError(err)) throw numberTaken(customer.customer_number);
          throw err;
        }
      }),
  );
  deps.publishSoon([saved._id]);
  const [view] = await customerViews(deps, caller.tenantId, [saved]);
  return view!;
}

/**
 * PATCH (`full` false) or PUT (`full` true). A customer's type cannot change while it has
 * entitlement rows (they were validated for its type), nor its currency while it has
 * entitlements or invoices (their amounts are in it).
 */
export async function updateCustomer(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
  req: CustomerPatchRequest,
  full: boolean,
): Promise<CustomerView> {
  const set = fieldsOf(req, full, CUSTOMER_DEFAULTS) as Partial<Customer>;
  if (set.customer_number !== undefined) set.number_key = set.customer_number ?? `none:${id}`;
  // the customer's lock, not only its version: new entitlements (which hold it) change the answer
  const change = () =>
    deps.aggregates.guard(deps.customers.aggregate, id, (held) =>
      held.change<Customer>(caller.tenantId, async (current) => {
        const typeChanged =
          set.customer_type !== undefined && set.customer_type !== current.customer_type;
        const currencyChanged = set.currency !== undefined && set.currency !== current.currency;
        if (typeChanged || currencyChanged) {
          const entitlements = await deps.entitlements.ofCustomers(caller.tenantId, [id]);
          if (typeChanged && entitlements.some((e) => e.details.length > 0)) {
            throw AppError.conflict(
              'in_use',
              'The customer type cannot change while the customer has entitlement details',
              [{ field: 'customer_type', message: 'has entitlement details of the current type' }],
            );
          }
          const invoiced = (await deps.snapshots.ofCustomer(caller.tenantId, id)).length > 0;
          if (currencyChanged && (entitlements.length > 0 || invoiced)) {
            throw AppError.conflict(
              'in_use',
              'The currency cannot change once the customer has entitlements or invoices',
              [{ field: 'currency', message: `amounts are already in ${current.currency}` }],
            );
          }
        }
        const next: Customer = {
          ...current,
          ...set,
          revision: current.revision + 1,
          updated_by: caller.userId,
        };
        return {
          set: { ...set, updated_by: caller.userId },
          events: [customerEvent('CustomerUpdated', next, caller)],
        };
      }),
    );
  try {
    // a KAM named by the change is checked and kept from being deleted until it is written
    await withKam(deps, caller, set.kam_id, change);
  } catch (err) {
    if (isDuplicateKeyError(err)) throw numberTaken(set.customer_number ?? null);
    throw err;
  }
  return getCustomer(deps, caller, id);
}

/**
 * Deletes a customer unless money is still owed on its invoices: the receivable must keep the
 * customer it is owed by (409). Its entitlements go first, each with its rows' events, so a
 * failure half-way leaves the customer in place and a retry finishes the job.
 */
export async function deleteCustomer(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
): Promise<void> {
  await deps.aggregates.guard(deps.customers.aggregate, id, async (held) => {
    await findCustomer(deps, caller, id);
    // fresh from the invoice snapshots, not the copy on the customer
    const { totals } = customerTotals(await deps.snapshots.ofCustomer(caller.tenantId, id));
    if (hasBalanceDue(totals)) {
      const owed = totals
        .filter((t) => minorOf(t.due_minor) > 0n)
        .map((t) => `${formatMinor(minorOf(t.due_minor), t.currency)} ${t.currency}`)
        .join(', ');
      throw AppError.conflict(
        'balance_due',
        `The customer still owes ${owed}; a customer with a balance due cannot be deleted`,
        [{ field: 'total_due', message: `must be zero to delete (is ${owed})` }],
      );
    }
    for (const entitlement of await deps.entitlements.ofCustomers(caller.tenantId, [id])) {
      await softDeleteEntitlement(deps, caller, entitlement._id);
    }
    await held.change<Customer>(caller.tenantId, (customer) => {
      const set = {
        deleted_at: new Date(),
        number_key: `deleted:${id}`,
        updated_by: caller.userId,
      };
      const deleted: Customer = { ...customer, ...set, revision: customer.revision + 1 };
      return { set, events: [customerEvent('CustomerDeleted', deleted, caller)] };
    });
  });
}
