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
