import {
  EVENTS,
  type EventEnvelope,
  type EventType,
  type TopicFamily,
  type WebhookPayload,
} from '@ledgerline/contracts';
import {
  DependencyUnavailableError,
  inBatches,
  type EventHandler,
  type EventHandlers,
} from '@ledgerline/platform';
import type { Catalogue } from '../catalogue';
import type { Enqueuer } from '../delivery/enqueue';

/**
 * The topic families to read: those of the catalogue's internal events, and tenants' for
 * TenantDeleted.
 */
export function familiesOf(catalogue: Catalogue): TopicFamily[] {
  const families = new Set<TopicFamily>(['tenants']);
  for (const type of catalogue.internalTypes) families.add(EVENTS[type].topic as TopicFamily);
  return [...families];
}

/**
 * Internal events become deliveries: the catalogue maps each to the public events some endpoint
 * of its tenant subscribes to (asking the owners for the public representation), then the
 * enqueuer makes one delivery per subscribed endpoint. Both steps are idempotent (deterministic public event ids, delivery ids derived from
 * them), so a batch handled again after a crash or a failure adds nothing twice; an owner that
 * cannot be asked fails the batch, which Kafka redelivers (never dropped).
 */
export function deliveryHandlers(catalogue: Catalogue, enqueuer: Enqueuer): EventHandlers {
  const many = async (events: EventEnvelope[]) => {
    let payloads: WebhookPayload[];
    try {
      // only what some endpoint takes: an event no endpoint of its tenant wants reads no owner
      const made = events.map((e) => catalogue.publicEventsOf(e, enqueuer.wants));
      payloads = (await Promise.all(made)).flat();
    } catch (err) {
      // the catalogue throws only when an owner cannot be asked: the events are redelivered
      // (an outage for the consumer), never dead-lettered
      throw new DependencyUnavailableError(
        `public events of ${events.length} event(s) not mapped: ${(err as Error).message}`,
        { cause: err },
      );
    }
    await enqueuer.enqueue(payloads);
  };
  const handlers: EventHandlers = {};
  for (const type of catalogue.internalTypes) {
    const handler: EventHandler = inBatches((event: EventEnvelope) => many([event]), many);
    (handlers as Record<EventType, EventHandler>)[type] = handler;
  }
  return handlers;
}
