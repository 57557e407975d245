// Placeholder: replaced by the catalogue at merge (issue 15 part 2 builds the real one in this
// folder). It subscribes to nothing and maps nothing; the interface is the one both parts call.
import type { EventEnvelope, EventType, WebhookPayload } from '@ledgerline/contracts';

export interface Catalogue {
  /** The internal event types (EVENTS keys) the webhooks consumer must subscribe to. */
  readonly internalTypes: readonly EventType[];
  /** The public events one internal event becomes (0..n); `id` is deterministic (the same internal event always gives the same ids); payloads are the owners' public representations. Throws when an owner cannot be asked (the consumer must retry, never drop). */
  publicEventsOf(envelope: EventEnvelope): Promise<WebhookPayload[]>;
}

export function createCatalogue(_opts: {
  billingUrl: string;
  paymentsUrl: string;
  customersUrl: string;
  tenantsUrl: string;
  timeoutMs: number;
}): Catalogue {
  return { internalTypes: [], publicEventsOf: async () => [] };
}
