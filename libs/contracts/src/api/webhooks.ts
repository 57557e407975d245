import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../webhook-events';
import { component } from '../component';

/**
 * Webhook endpoints, deliveries and their log (issue 15). An endpoint's signing secret is
 * answered once, by the create (and by a rotation); no read ever shows it again.
 */

/** At most this many endpoints per tenant. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

const KNOWN_EVENTS = new Set<string>(WEBHOOK_EVENT_TYPES);

/**
 * Event names from the catalogue, or `["*"]` for all of them; an unknown name is a 422 naming
 * it (details `events.<i>`), so a typo never subscribes to nothing silently.
 */
export const webhookEventsField = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .superRefine((names, ctx) => {
    names.forEach((name, i) => {
      if (name !== '*' && !KNOWN_EVENTS.has(name))
        ctx.addIssue({ code: 'custom', path: [i], message: `unknown event type "${name}"` });
    });
    if (names.includes('*') && names.length > 1)
      ctx.addIssue({ code: 'custom', message: '"*" subscribes to every event: name it alone' });
  })
  .transform((names) => [...new Set(names)]);

const urlField = z.string().trim().min(1).max(2048);

export const webhookEndpointRequest = component(
  'WebhookEndpointCreate',
  z.object({
    url: urlField,
    events: webhookEventsField,
    description: z.string().trim().max(500).default(''),
    enabled: z.boolean().default(true),
  }),
);
export type WebhookEndpointRequest = z.infer<typeof webhookEndpointRequest>;

export const webhookEndpointPatch = z
  .object({
    url: urlField,
    events: webhookEventsField,
    description: z.string().trim().max(500),
    enabled: z.boolean(),
  })
  .partial();
export type WebhookEndpointPatch = z.infer<typeof webhookEndpointPatch>;

export const webhookEndpointView = component(
  'WebhookEndpoint',
  z.object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string(),
    enabled: z.boolean(),
    /** Why the platform disabled it (deliveries failing for days); null when enabled by hand. */
    disabled_reason: z.string().nullable(),
    /** Until when the previous secret still signs too (after a rotation); null when none. */
    previous_secret_expires_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  }),
);
export type WebhookEndpointView = z.infer<typeof webhookEndpointView>;

/** The create's and the rotation's answer: the one time the secret is shown. */
export const webhookEndpointWithSecret = component(
  'WebhookEndpointWithSecret',
  webhookEndpointView.extend({
    /** `whsec_` + base64 of the key: HMAC-SHA256 is keyed with the base64-decoded part. */
    secret: z.string(),
  }),
);

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const webhookAttemptView = component(
  'WebhookAttempt',
  z.object({
    number: z.number().int(),
    at: z.string(),
    /** The receiver's status code; null when none came (timeout, refused address, network). */
    response_code: z.number().int().nullable(),
    latency_ms: z.number().int(),
    error: z.string().nullable(),
    /** The first 1 KB of the receiver's answer. */
    response_body: z.string().nullable(),
  }),
);

export const webhookDeliveryView = component(
  'WebhookDelivery',
  z.object({
    id: z.string(),
    endpoint_id: z.string(),
    /** The public event's id (the payload's `id`): the same for every endpoint it went to. */
    event_id: z.string(),
    type: z.string(),
    /** The `webhook-id` header of every attempt of this delivery. */
    message_id: z.string(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int(),
    last_response_code: z.number().int().nullable(),
    last_latency_ms: z.number().int().nullable(),
    last_error: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    created_at: z.string(),
  }),
);
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryView>;

export const webhookDeliveryDetail = component(
  'WebhookDeliveryDetail',
  webhookDeliveryView.extend({
    /** The exact body every attempt sends (the payload, fixed when the delivery was created). */
    payload: z.record(z.string(), z.unknown()),
    attempt_log: z.array(webhookAttemptView),
  }),
);
export type WebhookDeliveryDetail = z.infer<typeof webhookDeliveryDetail>;
