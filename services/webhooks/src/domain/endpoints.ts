import type { WebhookEventType } from '@ledgerline/contracts';

/** Whether an endpoint subscribed to `events` gets an event of `type`. */
export function subscribesTo(events: readonly string[], type: WebhookEventType): boolean {
  return events.includes('*') || events.includes(type);
}

/**
 * The delivery of one public event to one endpoint: its id is derived from both, so the same
 * internal event handled twice creates no second delivery. It is also the delivery's
 * `webhook-id`, the same on every retry.
 */
export const deliveryIdOf = (eventId: string, endpointId: string): string =>
  `${eventId}:${endpointId}`;

/**
 * The URL rules that need no network: http only when allowed, no credentials in it (they would
 * be sent to the receiver and shown in reads), a host. Answers why it is refused, or null.
 */
export function urlShapeProblem(raw: string, allowHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:'))
    return allowHttp ? 'must be an http or https URL' : 'must be an https URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (!url.hostname) return 'must name a host';
  return null;
}
