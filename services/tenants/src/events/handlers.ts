import type { EventHandlers } from '@ledgerline/platform';
import type { TenantStore } from '../store/tenants';
import type { UsageStore } from '../store/usage';

/**
 * Tenants learn of sign-ups from auth, count usage from the owning services' events (each fact
 * recorded once by its source event id), and finish a deletion when TenantDeleted comes back.
 */
export function tenantHandlers(deps: { tenants: TenantStore; usage: UsageStore }): EventHandlers {
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
    MemberJoined: async (event) => {
      await deps.usage.record({
        tenantId: event.data.tenant_id,
        metric: 'staff',
        quantity: 1,
        source: 'member',
        sourceId: event.id,
        occurredAt: new Date(event.occurred_at),
      });
    },
    MemberLeft: async (event) => {
      await deps.usage.record({
        tenantId: event.data.tenant_id,
        metric: 'staff',
        quantity: -1,
        source: 'member',
        sourceId: event.id,
        occurredAt: new Date(event.occurred_at),
      });
    },
    CustomerCreated: async (event) => {
      await deps.usage.record({
        tenantId: event.tenant_id,
        metric: 'customers',
        quantity: 1,
        source: 'customer-created',
        sourceId: event.data.customer_id,
        occurredAt: new Date(event.occurred_at),
      });
    },
    CustomerDeleted: async (event) => {
      await deps.usage.record({
        tenantId: event.tenant_id,
        metric: 'customers',
        quantity: -1,
        source: 'customer-deleted',
        sourceId: event.data.customer_id,
        occurredAt: new Date(event.occurred_at),
      });
    },
    InvoiceCreated: async (event) => {
      await deps.usage.record({
        tenantId: event.tenant_id,
        metric: 'invoices',
        quantity: 1,
        source: 'invoice',
        sourceId: event.data.invoice_id,
        occurredAt: new Date(event.occurred_at),
      });
    },
    TenantDeleted: async (event) => {
      await deps.usage.removeTenant(event.data.tenant_id);
      await deps.tenants.remove(event.data.tenant_id);
    },
  };
}
