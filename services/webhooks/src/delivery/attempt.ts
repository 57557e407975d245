import type { WebhookPayload } from '@ledgerline/contracts';
import {
  ignoreNotFound,
  type AggregateWriter,
  type Change,
  type Logger,
} from '@ledgerline/platform';
import { nextAttemptAt } from '../domain/retry-schedule';
import { signatureHeader, signingSecrets } from '../domain/signing';
import type { Attempt, Delivery, DeliveryStore } from '../store/deliveries';
import type { Endpoint, EndpointStore } from '../store/endpoints';
import type { QueueEntry, QueueStore } from '../store/queue';
import { toEndpointView } from '../views';
import type { Enqueuer } from './enqueue';
import { sendWebhook, type AttemptOutcome } from './http-sender';

export interface AttemptDeps {
  endpoints: EndpointStore;
  deliveries: DeliveryStore;
  queue: QueueStore;
  aggregates: AggregateWriter;
  enqueuer: Enqueuer;
  logger: Logger;
  config: {
    WEBHOOK_TIMEOUT_MS: number;
    WEBHOOK_ALLOW_PRIVATE_URLS: boolean;
    WEBHOOK_RETRY_SCHEDULE: number[];
    WEBHOOK_DISABLE_AFTER_SECONDS: number;
  };
}

export const USER_AGENT = 'Ledgerline-Webhooks/1';

/** The headers of one attempt (Standard Webhooks): same webhook-id on every retry. */
export function deliveryHeaders(
  endpoint: Pick<Endpoint, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>,
  msgId: string,
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(signingSecrets(endpoint, now), msgId, timestamp, body),
  };
}

/**
 * One attempt of a queued delivery, then its record and the queue entry's next state.
 *
 * The delivery is read, the attempt sent and its record written in one aggregate change (one
 * read, one version-fenced write, under the delivery's lock on FerretDB), so a replay asked for
 * meanwhile waits for the record instead of being overwritten by it. Crash safety, in write
 * order: (1) the attempt is sent; (2) it is recorded on the delivery (status, attempts, next
 * attempt); (3) the queue entry is moved to the next attempt's time or removed. A crash before
 * (2) leaves the entry due: the attempt is made again after the restart with the same webhook-id
 * (at-least-once; receivers dedupe on it). A crash between (2) and (3) leaves the entry due too:
 * the next pass reads the delivery and only moves or drops the entry (done, or its next attempt
 * not due yet), sending nothing.
 */
export async function attemptDelivery(deps: AttemptDeps, entry: QueueEntry): Promise<void> {
  // the decision may run again on fresh data after a lost race (MongoDB): the request is sent once
  let sent: { outcome: AttemptOutcome; endpoint: Endpoint | null } | undefined;
  let notDueUntil: Date | undefined;
  const changed = await deps.aggregates
    .change<Delivery>(
      deps.deliveries.aggregate,
      { id: entry._id, tenantId: entry.tenant_id },
      async (delivery) => {
        if (delivery.status !== 'pending') return undefined;
        if (
          !sent &&
          delivery.next_attempt_at &&
          delivery.next_attempt_at.getTime() > Date.now() + 1000
        ) {
          notDueUntil = delivery.next_attempt_at;
          return undefined;
        }
        sent ??= await send(deps, delivery);
        const final = !sent.endpoint?.enabled;
        return recordOf(deps, delivery, sent.outcome, final);
      },
    )
    .catch(ignoreNotFound); // its tenant was deleted: nothing to send
  if (notDueUntil) await deps.queue.reschedule(entry._id, notDueUntil);
  else if (changed?.changed && changed.after.status === 'pending' && changed.after.next_attempt_at)
    await deps.queue.reschedule(entry._id, changed.after.next_attempt_at);
  else await deps.queue.remove(entry._id);
  if (sent?.endpoint?.enabled && changed?.changed)
    await followHealth(deps, sent.endpoint, sent.outcome.ok);
}

/** Sends one attempt to the delivery's endpoint; nothing is sent to a deleted or disabled one. */
async function send(deps: AttemptDeps, delivery: Delivery) {
  const endpoint =
    (await deps.enqueuer.enabledEndpoint(delivery.tenant_id, delivery.endpoint_id)) ??
    (await deps.endpoints.findForDelivery(delivery.tenant_id, delivery.endpoint_id));
  if (!endpoint || !endpoint.enabled) {
    const outcome: AttemptOutcome = {
      ok: false,
      status: null,
      latencyMs: 0,
      error: endpoint ? 'endpoint disabled' : 'endpoint deleted',
      body: null,
    };
    return { outcome, endpoint };
  }
  const now = new Date();
  const outcome = await sendWebhook(
    endpoint.url,
    deliveryHeaders(endpoint, delivery._id, delivery.body, now),
    delivery.body,
    {
      timeoutMs: deps.config.WEBHOOK_TIMEOUT_MS,
      allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE_URLS,
    },
  );
  return { outcome, endpoint };
}

/** The attempt's record: counters, status, next attempt (none after the schedule) and its log line. */
function recordOf(
  deps: AttemptDeps,
  current: Delivery,
  outcome: AttemptOutcome,
  final: boolean,
): Change<Delivery> {
  const number = current.attempts + 1;
  const at = new Date();
  const next =
    outcome.ok || final ? null : nextAttemptAt(deps.config.WEBHOOK_RETRY_SCHEDULE, number, at);
  const attempt: Attempt = {
    number,
    at,
    response_code: outcome.status,
    latency_ms: outcome.latencyMs,
    error: outcome.error,
    response_body: outcome.body,
  };
  return {
    set: {
      attempts: number,
      status: outcome.ok ? 'succeeded' : next ? 'pending' : 'failed',
      last_response_code: outcome.status,
      last_latency_ms: outcome.latencyMs,
      last_error: outcome.error,
      next_attempt_at: next,
    },
    push: { attempt_log: attempt },
  };
}

/**
 * An endpoint's run of failures: its first failure is remembered, a success forgets it, and a
 * run longer than WEBHOOK_DISABLE_AFTER_SECONDS disables it and records `endpoint.disabled` for
 * the tenant's other endpoints. Only the first failure and the end of a run write.
 */
async function followHealth(deps: AttemptDeps, endpoint: Endpoint, ok: boolean): Promise<void> {
  const key = { id: endpoint._id, tenantId: endpoint.tenant_id };
  const now = new Date();
  if (ok) {
    if (endpoint.failing_since)
      await deps.aggregates.change<Endpoint>(deps.endpoints.aggregate, key, () => ({
        set: { failing_since: null },
        touch: false,
      }));
    return;
  }
  if (!endpoint.failing_since) {
    await deps.aggregates.change<Endpoint>(deps.endpoints.aggregate, key, (current) =>
      current.failing_since ? undefined : { set: { failing_since: now }, touch: false },
    );
    return;
  }
  const failingMs = now.getTime() - endpoint.failing_since.getTime();
  if (failingMs < deps.config.WEBHOOK_DISABLE_AFTER_SECONDS * 1000) return;
  const reason = `every delivery failed for ${Math.floor(failingMs / 3_600_000)} hours in a row`;
  // the event first, then the disabling: a crash in between finds the endpoint still enabled and
  // failing, disables it at its next failure and records the same event id again (no second one)
  const payload: WebhookPayload = {
    id: `evt_disabled_${endpoint._id}_${endpoint.version}`,
    type: 'endpoint.disabled',
    timestamp: now.toISOString(),
    tenant_id: endpoint.tenant_id,
    data: toEndpointView({ ...endpoint, enabled: false, disabled_reason: reason }),
  };
  await deps.enqueuer.enqueue([payload], now, endpoint._id);
  const changed = await deps.aggregates.change<Endpoint>(
    deps.endpoints.aggregate,
    key,
    (current) =>
      current.enabled && current.failing_since
        ? { set: { enabled: false, disabled_reason: reason } }
        : undefined,
  );
  if (!changed.changed) return;
  deps.enqueuer.forget(endpoint.tenant_id);
  deps.logger.warn(
    { endpointId: endpoint._id, tenantId: endpoint.tenant_id },
    'webhook endpoint disabled',
  );
}
