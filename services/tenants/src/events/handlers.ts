import type { EventEnvelope, EventType } from '@ledgerline/contracts';
import {
  inBatches,
  ownMarker,
  type EventHandler,
  type EventHandlers,
  type Logger,
} from '@ledgerline/platform';
import type { TenantsDeps } from '../use-cases/deps';
import { returnCreditToBalance } from '../use-cases/subscription-credit-returns';
import { clearPastDue, markPastDue } from '../use-cases/subscription-dunning';
import { liftForInvoice, suspendForInvoice } from '../use-cases/tenant-dunning';
import type { UsageFactInput } from '../store/usage';

/**
 * Tenants learn of sign-ups from auth, count usage from the owning services' events (each fact
 * recorded once by its source event id), finish a deletion when TenantDeleted comes back, and
 * follow billing's dunning (past_due subscriptions, suspended tenants) and the credit a refused
 * credit note gives back to a subscription's balance.
 */
export function tenantHandlers(deps: TenantsDeps, logger: Logger): EventHandlers {
  /**
   * A usage fact, counted once per (source, sourceId): the fact's id is its own idempotency
   * marker (a replay's insert is refused), and facts add up in any order, so a batch's facts of
   * one kind go in one insert (`inBatches`).
   */
  const counted = <T extends EventType>(
    factOf: (event: EventEnvelope<T>) => Omit<UsageFactInput, 'occurredAt'>,
  ): EventHandler<T> => {
    const dated = (event: EventEnvelope<T>) => ({
      ...factOf(event),
      occurredAt: new Date(event.occurred_at),
    });
    return inBatches<T>(
      async (event) => {
        await deps.usage.record(dated(event));
      },
      (events) => deps.usage.recordMany(events.map(dated)),
    );
  };
  const fact = (
    tenantId: string,
    metric: string,
    quantity: number,
    source: string,
    sourceId: string,
  ) => ({
    tenantId,
    metric,
    quantity,
    source,
    sourceId,
  });
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
    MemberJoined: counted((e) => fact(e.data.tenant_id, 'staff', 1, 'member', e.id)),
    MemberLeft: counted((e) => fact(e.data.tenant_id, 'staff', -1, 'member', e.id)),
    CustomerCreated: counted((e) =>
      fact(e.tenant_id, 'customers', 1, 'customer-created', e.data.customer_id),
    ),
    CustomerDeleted: counted((e) =>
      fact(e.tenant_id, 'customers', -1, 'customer-deleted', e.data.customer_id),
    ),
    InvoiceCreated: counted((e) => fact(e.tenant_id, 'invoices', 1, 'invoice', e.data.invoice_id)),
    // dunning (issue 17): a provider subscription with an overdue invoice is past_due until it is
    // paid; the platform's final action suspends a tenant until its overdue invoices are paid
    InvoiceOverdue: (event) => markPastDue(deps, event),
    InvoiceDunningStep: (event) => suspendForInvoice(deps, event),
    // both conditional on a list naming the invoice (a replay finds it gone and writes nothing),
    // and a redelivery replays the partition in order: no processed-event marker to look up and
    // write for every invoice change (two store commands per payment, almost always for nothing)
    InvoiceStatusChanged: ownMarker(async (event) => {
      await clearPastDue(deps, event);
      await liftForInvoice(deps, event);
    }),
    // a subscription's credit whose credit note payments refused goes back to its balance, once
    SubscriptionCreditReturned: (event) => returnCreditToBalance({ ...deps, logger }, event),
    TenantDeleted: async (event) => {
      await deps.usage.removeTenant(event.data.tenant_id);
      // as a provider: its metrics, plans and the subscriptions it granted
      await deps.providerPlans.removeTenant(event.data.tenant_id);
      await deps.subscriptions.removeTenant(event.data.tenant_id);
      await deps.renewalRuns.removeTenant(event.data.tenant_id);
      await deps.tenants.remove(event.data.tenant_id);
    },
  };
}
