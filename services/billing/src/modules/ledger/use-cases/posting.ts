import type { EventEnvelope } from '@ledgerline/contracts';
import { postingsFor } from '../domain/posting';
import type { LedgerDeps } from './deps';

/**
 * Posts what an event means to the ledger. Safe to run any number of times for the same event
 * (or the same fact under another event id): each entry's source key is unique per tenant.
 */
export async function postEvent(
  deps: Pick<LedgerDeps, 'entries' | 'platformTenantId' | 'logger'>,
  event: EventEnvelope,
): Promise<{ posted: number; duplicates: number }> {
  let posted = 0;
  let duplicates = 0;
  for (const { tenant_id, entry } of postingsFor(event, deps.platformTenantId)) {
    const { result } = await deps.entries.append(tenant_id, entry, {
      eventId: event.id,
      eventType: event.type,
      at: new Date(event.occurred_at),
    });
    if (result === 'posted') posted += 1;
    else duplicates += 1;
  }
  if (duplicates > 0) {
    deps.logger.debug(
      { eventId: event.id, type: event.type, duplicates },
      'ledger entries already posted',
    );
  }
  return { posted, duplicates };
}

/**
 * Posts what many events mean in one insert (a consumer batch): each entry's id is its tenant and
 * source key, so entries already posted are skipped and the order of the events does not matter.
 */
export async function postEvents(
  deps: Pick<LedgerDeps, 'entries' | 'platformTenantId'>,
  events: EventEnvelope[],
): Promise<void> {
  await deps.entries.appendMany(
    events.flatMap((event) =>
      postingsFor(event, deps.platformTenantId).map(({ tenant_id, entry }) => ({
        tenantId: tenant_id,
        entry,
        origin: { eventId: event.id, eventType: event.type, at: new Date(event.occurred_at) },
      })),
    ),
  );
}
