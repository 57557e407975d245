import { PLATFORM_TENANT_ID, type EventEnvelope } from '@ledgerline/contracts';
import type { TenantsDeps } from './deps';
import { changeTenant, unlessGone } from './tenants';

/**
 * The platform's dunning final action `suspend_subscription` (issue 17): an overdue invoice of
 * the platform to a tenant (its customer id is the tenant) suspends the tenant; paying or voiding
 * every invoice that did so makes it active again. Only a suspension dunning caused is lifted:
 * the tenant remembers the invoices (`suspended_by_invoices`), and a tenant suspended for another
 * reason (expiry, an administrator) before dunning stays suspended. Both are idempotent: the
 * invoice id is in the list or it is not.
 */
const system = (correlationId: string) => ({
  userId: 'system:dunning',
  tenantId: PLATFORM_TENANT_ID,
  platformAdmin: true,
  role: 'owner' as const,
  requestId: 'dunning',
  correlationId,
});

export async function suspendForInvoice(
  deps: TenantsDeps,
  event: EventEnvelope<'InvoiceDunningStep'>,
): Promise<void> {
  const d = event.data;
  if (event.tenant_id !== PLATFORM_TENANT_ID || d.action !== 'suspend_subscription') return;
  if (!d.customer_id) return;
  const tenant = await deps.tenants.findById(d.customer_id);
  if (!tenant || (tenant.suspended_by_invoices ?? []).includes(d.invoice_id)) return;
  // an active tenant is suspended; one suspended already remembers the invoice only if dunning
  // suspended it (so paying cannot lift someone else's suspension)
  if (tenant.status !== 'active' && (tenant.suspended_by_invoices ?? []).length === 0) return;
  await changeTenant(deps, system(event.correlation_id), d.customer_id, async (t) => ({
    suspended_by_invoices: [...(t.suspended_by_invoices ?? []), d.invoice_id],
    status: 'suspended',
  })).catch(unlessGone);
}

export async function liftForInvoice(
  deps: TenantsDeps,
  event: EventEnvelope<'InvoiceStatusChanged'>,
): Promise<void> {
  const d = event.data;
  if (event.tenant_id !== PLATFORM_TENANT_ID || !d.customer_id) return;
  if (d.status !== 'paid' && d.status !== 'void') return;
  // the invoice says whether its dunning suspended anything: no read for every other invoice
  if (d.dunning_action !== 'suspend_subscription') return;
  const tenant = await deps.tenants.findById(d.customer_id);
  if (!(tenant?.suspended_by_invoices ?? []).includes(d.invoice_id)) return;
  await changeTenant(deps, system(event.correlation_id), d.customer_id, async (t) => {
    const left = (t.suspended_by_invoices ?? []).filter((i) => i !== d.invoice_id);
    return {
      suspended_by_invoices: left,
      ...(left.length === 0 && t.status === 'suspended' && { status: 'active' as const }),
    };
  }).catch(unlessGone);
}
