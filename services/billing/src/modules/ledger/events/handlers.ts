import type { EventEnvelope } from '@ledgerline/contracts';
import { inBatches, type EventHandlers } from '@ledgerline/platform';
import { postEvent, postEvents } from '../use-cases/posting';
import type { LedgerDeps } from '../use-cases/deps';

/** The ledger worker: posts billing events, keeps the customer and plan projections. */
export function ledgerHandlers(
  deps: Pick<LedgerDeps, 'entries' | 'projections' | 'carts' | 'platformTenantId' | 'logger'>,
): EventHandlers {
  // an entry's id is its tenant and source key: a replayed event finds its entries posted, so
  // no processed-event marker is looked up or written for postings, and a batch's postings go
  // in one insert (the entries do not depend on each other's order)
  const post = inBatches(
    async (event: EventEnvelope) => {
      await postEvent(deps, event);
    },
    (events) => postEvents(deps, events),
  );
  const customer =
    (deleted: boolean) =>
    async (event: EventEnvelope<'CustomerCreated' | 'CustomerUpdated' | 'CustomerDeleted'>) =>
      deps.projections.applyCustomer(
        event.tenant_id,
        event.data,
        deleted,
        new Date(event.occurred_at),
      );
  const plan = (deleted: boolean) => async (event: EventEnvelope<'PlanChanged' | 'PlanDeleted'>) =>
    deps.projections.applyPlan(deps.platformTenantId, event.data, deleted);
  return {
    InvoiceCreated: post,
    InvoiceStatusChanged: post,
    CreditTransactionRecorded: post,
    CustomerCreated: customer(false),
    CustomerUpdated: customer(false),
    CustomerDeleted: customer(true),
    PlanChanged: plan(false),
    PlanDeleted: plan(true),
    TenantDeleted: async (event) => {
      await deps.entries.deleteTenant(event.data.tenant_id);
      await deps.projections.deleteTenant(event.data.tenant_id);
      await deps.carts.deleteTenant(event.data.tenant_id);
    },
  };
}
