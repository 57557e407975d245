import type {
  WebhookDeliveryDetail,
  WebhookDeliveryView,
  WebhookEndpointView,
} from '@ledgerline/contracts';
import type { Delivery } from './store/deliveries';
import type { EndpointView } from './store/endpoints';

const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/** An endpoint as the API shows it: never its secrets (EndpointView has none to show). */
export function toEndpointView(e: EndpointView): WebhookEndpointView {
  return {
    id: e._id,
    url: e.url,
    events: e.events,
    description: e.description ?? '',
    enabled: e.enabled,
    disabled_reason: e.disabled_reason ?? null,
    previous_secret_expires_at: iso(e.previous_secret_expires_at),
    created_at: iso(e.created_at) ?? '',
    updated_at: iso(e.updated_at) ?? '',
  };
}

export function toDeliveryView(
  d: Omit<Delivery, 'body' | 'attempt_log' | 'updated_at'>,
): WebhookDeliveryView {
  return {
    id: d._id,
    endpoint_id: d.endpoint_id,
    event_id: d.event_id,
    type: d.type,
    message_id: d._id,
    status: d.status,
    attempts: d.attempts,
    last_response_code: d.last_response_code ?? null,
    last_latency_ms: d.last_latency_ms ?? null,
    last_error: d.last_error ?? null,
    next_attempt_at: iso(d.next_attempt_at),
    created_at: iso(d.created_at) ?? '',
  };
}

export function toDeliveryDetail(d: Delivery): WebhookDeliveryDetail {
  return {
    ...toDeliveryView(d),
    payload: JSON.parse(d.body) as Record<string, unknown>,
    attempt_log: (d.attempt_log ?? []).map((a) => ({
      number: a.number,
      at: iso(a.at) ?? '',
      response_code: a.response_code ?? null,
      latency_ms: a.latency_ms,
      error: a.error ?? null,
      response_body: a.response_body ?? null,
    })),
  };
}
