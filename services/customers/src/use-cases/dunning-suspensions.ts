import type { EventEnvelope } from '@ledgerline/contracts';
import { ignoreNotFound } from '@ledgerline/platform';
import type { Customer } from '../store/customers';
import type { DetailRow, Entitlement } from '../store/entitlement-model';
import type { CustomersDeps } from './context';
import { detailEvent } from './entitlements';

/**
 * The dunning final action `suspend_entitlements` (issue 17): a tenant's overdue invoice to a
 * customer suspends the customer's active entitlement rows (EntitlementDetailUpdated for each, so
 * billing stops billing them); paying or voiding the invoice restores exactly the rows it
 * suspended that are still suspended and held by no other overdue invoice. The customer lists
 * the invoices (first, so a payment finds them by the customer's id), each entitlement the rows
 * per invoice: every step is idempotent, so a redelivered event changes nothing.
 */
const system = (correlationId: string) => ({ correlationId });

async function markCustomer(
  deps: CustomersDeps,
  tenantId: string,
  customerId: string,
  change: (held: string[]) => string[] | undefined,
): Promise<void> {
  await deps.aggregates
    .change<Customer>(deps.customers.aggregate, { id: customerId, tenantId }, (c) => {
      const next = change(c.dunning_suspended_by ?? []);
      return next && { set: { dunning_suspended_by: next }, touch: false };
    })
    .catch(ignoreNotFound);
}

const withStatus = (row: DetailRow, status: DetailRow['status']): DetailRow => ({
  ...row,
  status,
  revision: row.revision + 1,
  updated_by: 'system:dunning',
  updated_at: new Date(),
});

export async function suspendEntitlements(
  deps: CustomersDeps,
  event: EventEnvelope<'InvoiceDunningStep'>,
): Promise<void> {
  const { action, customer_id: customerId, invoice_id: invoiceId } = event.data;
  if (action !== 'suspend_entitlements' || !customerId) return;
  const tenantId = event.tenant_id;
  await markCustomer(deps, tenantId, customerId, (held) =>
    held.includes(invoiceId) ? undefined : [...held, invoiceId],
  );
  for (const { _id } of await deps.entitlements.ofCustomers(tenantId, [customerId])) {
    await deps.aggregates
      .change<Entitlement>(deps.entitlements.aggregate, { id: _id, tenantId }, (e) => {
        const marks = e.dunning_suspensions ?? [];
        if (marks.some((m) => m.invoice_id === invoiceId)) return undefined;
        const rows = e.details.filter((r) => r.status === 'active').map((r) => r.id);
        const details = e.details.map((r) =>
          rows.includes(r.id) ? withStatus(r, 'suspended') : r,
        );
        return {
          set: { details, dunning_suspensions: [...marks, { invoice_id: invoiceId, rows }] },
          events: details
            .filter((r) => rows.includes(r.id))
            .map((r) =>
              detailEvent('EntitlementDetailUpdated', r, e, system(event.correlation_id)),
            ),
        };
      })
      .catch(ignoreNotFound);
  }
}

export async function liftEntitlementSuspension(
  deps: CustomersDeps,
  event: EventEnvelope<'InvoiceStatusChanged'>,
): Promise<void> {
  const { status, customer_id: customerId, invoice_id: invoiceId } = event.data;
  if ((status !== 'paid' && status !== 'void') || !customerId) return;
  // the invoice says whether its dunning suspended anything: no read for every other invoice
  if (event.data.dunning_action !== 'suspend_entitlements') return;
  const tenantId = event.tenant_id;
  const customer = await deps.customers.findById(tenantId, customerId);
  if (!customer?.dunning_suspended_by?.includes(invoiceId)) return;
  for (const { _id } of await deps.entitlements.ofCustomers(tenantId, [customerId])) {
    await deps.aggregates
      .change<Entitlement>(deps.entitlements.aggregate, { id: _id, tenantId }, (e) => {
        const marks = e.dunning_suspensions ?? [];
        const mine = marks.find((m) => m.invoice_id === invoiceId);
        if (!mine) return undefined;
        const others = marks.filter((m) => m !== mine);
        const heldElsewhere = new Set(others.flatMap((m) => m.rows));
        const back = mine.rows.filter((id) => !heldElsewhere.has(id));
        const details = e.details.map((r) =>
          back.includes(r.id) && r.status === 'suspended' ? withStatus(r, 'active') : r,
        );
        const changed = details.filter((r, i) => r !== e.details[i]);
        return {
          set: { details, dunning_suspensions: others },
          events: changed.map((r) =>
            detailEvent('EntitlementDetailUpdated', r, e, system(event.correlation_id)),
          ),
        };
      })
      .catch(ignoreNotFound);
  }
  await markCustomer(deps, tenantId, customerId, (held) =>
    held.includes(invoiceId) ? held.filter((i) => i !== invoiceId) : undefined,
  );
}
