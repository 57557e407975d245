import { z } from 'zod';
import type {
  EventEnvelope,
  EventType,
  WebhookEventType,
  WebhookPayload,
} from '@ledgerline/contracts';
import { dataFromEvent } from './fallback';
import { INTERNAL_TYPES, planPublicEvents, type PlannedEvent, type Subject } from './mapping';
import { httpOwners, type OwnerUrls } from './owners';

/**
 * The public event catalogue: what the webhooks service sends for each internal event. The
 * mapping (mapping.ts) is pure; the payloads are the owners' public representations, read when
 * the internal event is handled (so the object's state at about that moment, not at the exact
 * event: a receiver that needs the exact moment reads `timestamp` and `type`).
 */
export interface Catalogue {
  /** The internal event types (EVENTS keys) the webhooks consumer must subscribe to. */
  readonly internalTypes: readonly EventType[];
  /**
   * The public events one internal event becomes (0..n); `id` is deterministic (the same internal
   * event always gives the same ids); payloads are the owners' public representations. Throws
   * when an owner cannot be asked (the consumer must retry, never drop). With `wanted`, only the
   * public events it wants are made: a tenant whose endpoints take none of them costs no read of
   * an owner (most events of most tenants).
   */
  publicEventsOf(envelope: EventEnvelope, wanted?: Wanted): Promise<WebhookPayload[]>;
}

/** Whether some endpoint of the tenant takes public events of this type. */
export type Wanted = (tenantId: string, type: WebhookEventType) => Promise<boolean>;

/** credits.low_balance's threshold when none is configured: 100 credits (seed 000 has no setting). */
export const DEFAULT_LOW_BALANCE_THRESHOLD = 100;

/** The catalogue's settings, for the webhooks service's config schema to spread in. */
export const catalogueEnv = {
  /** credits.low_balance is sent when a deduction takes a balance from >= this to below it. */
  CREDITS_LOW_BALANCE_THRESHOLD: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_LOW_BALANCE_THRESHOLD),
};

export interface CatalogueOptions extends OwnerUrls {
  /** Default DEFAULT_LOW_BALANCE_THRESHOLD. */
  lowBalanceThreshold?: number;
}

export function createCatalogue(opts: CatalogueOptions): Catalogue {
  const owners = httpOwners(opts);
  const mapping = {
    lowBalanceThreshold: opts.lowBalanceThreshold ?? DEFAULT_LOW_BALANCE_THRESHOLD,
  };
  return {
    internalTypes: INTERNAL_TYPES,
    async publicEventsOf(envelope, wanted) {
      const all = planPublicEvents(envelope, mapping);
      const kept = wanted && (await Promise.all(all.map((e) => wanted(e.tenant_id, e.type))));
      const planned = kept ? all.filter((_, i) => kept[i]) : all;
      // one read per object: invoice.created and invoice.issued of one event show the same state
      const reads = new Map<string, Promise<Record<string, unknown> | null>>();
      const read = (subject: Subject) => {
        const key = `${subject.kind}:${subject.id}`;
        if (!reads.has(key))
          reads.set(
            key,
            owners.representation(envelope.tenant_id, subject, envelope.correlation_id),
          );
        return reads.get(key)!;
      };
      return Promise.all(
        planned.map(async (event) => toPayload(event, await read(event.subject), envelope)),
      );
    },
  };
}

function toPayload(
  event: PlannedEvent,
  representation: Record<string, unknown> | null,
  envelope: EventEnvelope,
): WebhookPayload {
  const found = representation ?? dataFromEvent(envelope, event.subject);
  // customer.deleted: the owner's last view of the customer, said to be deleted
  const deleted = event.type === 'customer.deleted' ? { deleted: true } : {};
  return {
    id: event.id,
    type: event.type,
    timestamp: event.timestamp,
    tenant_id: event.tenant_id,
    data: { ...found, ...deleted, ...event.extra },
  };
}

export {
  INTERNAL_TYPES,
  planPublicEvents,
  publicEventId,
  type PlannedEvent,
  type Subject,
} from './mapping';
export { dataFromEvent } from './fallback';
export { httpOwners, type OwnerUrls, type Owners } from './owners';
