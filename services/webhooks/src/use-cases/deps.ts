import type { AggregateWriter, Logger } from '@ledgerline/platform';
import type { Enqueuer } from '../delivery/enqueue';
import type { DeliveryStore } from '../store/deliveries';
import type { EndpointStore } from '../store/endpoints';
import type { QueueStore } from '../store/queue';

export interface WebhooksDeps {
  endpoints: EndpointStore;
  deliveries: DeliveryStore;
  queue: QueueStore;
  aggregates: AggregateWriter;
  enqueuer: Enqueuer;
  /** Wakes the dispatcher (a replay is due now). */
  wake(): void;
  logger?: Logger;
  settings: {
    allowHttp: boolean;
    allowPrivate: boolean;
    maxEndpoints: number;
    secretOverlapSeconds: number;
  };
}
