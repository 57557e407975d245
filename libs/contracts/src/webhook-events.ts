/**
 * The public event catalogue of webhooks (issue 15): what a tenant's endpoint may subscribe to.
 * Names are `<resource>.<what happened>`, the payload's `data` is the resource as its GET answers
 * it. These are not the bus's internal events (EVENTS): the webhooks service maps those onto these.
 */
export const WEBHOOK_EVENT_TYPES = [
  'invoice.created',
  'invoice.issued',
  'invoice.paid',
  'invoice.partially_paid',
  'invoice.voided',
  'invoice.overdue',
  'payment.recorded',
  'payment.refunded',
  'payment.voided',
  'credits.low_balance',
  'credits.purchased',
  'subscription.started',
  'subscription.renewed',
  'subscription.canceled',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  /** A credit note was issued against an invoice (issue 17). */
  'credit_note.issued',
  /** A test delivery asked for with POST /api/webhooks/endpoints/{id}/test/. */
  'webhook.test',
  /** Recorded when an endpoint failing for days is disabled (sent to the tenant's other endpoints). */
  'endpoint.disabled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The body of every delivery (Standard Webhooks' payload shape). */
export interface WebhookPayload {
  /** The public event's id, the same on every endpoint and retry: receivers dedupe on it. */
  id: string;
  type: WebhookEventType;
  /** When the change happened (the internal event's occurred_at), ISO 8601. */
  timestamp: string;
  tenant_id: string;
  data: Record<string, unknown>;
}
