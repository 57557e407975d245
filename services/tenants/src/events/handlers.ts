import { ownMarker, type EventHandlers } from '@ledgerline/platform';
import type { TenantStore } from '../store/tenants';
import type { UsageStore } from '../store/usage';

/**
 * Tenants learn of sign-ups from auth, count usage from the owning services' events (each fact
 * recorded once by its source event id), and finish a deletion when TenantDeleted comes back.
 */
export function tenantHandlers(deps: { tenants: TenantStore; usage: UsageStore }): EventHandlers {
  /**
   * One usage fact, counted once per (source, sourceId): the fact's id is its own idempotency
   * marker (a replay's insert is refused), so its handlers skip the processed-event markers.
   */
  const fact = async (
    event: { occurred_at: string },
    tenantId: string,
    metric: string,
    quantity: number,
    source: string,
    sourceId: string,
  ) => {
    await deps.usage.record({
      tenantId,
      metric,
      quantity,
      source,
      sourceId,
      occurredAt: new Date(event.occurred_at),
    });
  };
  return {
    TenantRegistered: async (event) => {
      const d = event.data;
      const now = new Date(event.occurred_at);
      await deps.tenants.createRegistered({
        _id: d.tenant_id,
        company_name: d.name,
        subdomain: d.slug,
        type: d.type,
        owner_user_id: d.owner_user_id,
        status: 'active',
        plan_id: null,
        billing_cycle: 'monthly',
        started_at: now,
        expires_at: null,
        trial_ends_at: null,
        billed_through: null,
        created_by: d.owner_user_id,
        updated_by: d.owner_user_id,
      });
    },
    MemberJoined: ownMarker((e) => fact(e, e.data.tenant_id, 'staff', 1, 'member', e.id)),
    MemberLeft: ownMarker((e) => fact(e, e.data.tenant_id, 'staff', -1, 'member', e.id)),
    CustomerCreated: ownMarker((e) =>
      fact(e, e.tenant_id, 'customers', 1, 'customer-created', e.data.customer_id),
    ),
    CustomerDeleted: ownMarker((e) =>
      fact(e, e.tenant_id, 'customers', -1, 'customer-deleted', e.data.customer_id),
    ),
    InvoiceCreated: ownMarker((e) =>
      fact(e, e.tenant_id, 'invoices', 1, 'invoice', e.data.invoice_id),
    ),
    TenantDeleted: async (event) => {
      await deps.usage.removeTenant(event.data.tenant_id);
      await deps.tenants.remove(event.data.tenant_id);
    },
  };
}
