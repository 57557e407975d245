import { z } from 'zod';
import { jwksEnv, loadConfig, storeServiceEnv } from '@ledgerline/platform';
import { catalogueEnv } from './catalogue';
import { parseRetrySchedule } from './domain/retry-schedule';

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['0', '1', 'false', 'true'])
    .default(fallback)
    .transform((v) => v === '1' || v === 'true');
const positiveInt = z.coerce.number().int().positive();

export const webhooksConfigSchema = z.object({
  ...storeServiceEnv({ port: 4006, db: 'ledgerline_webhooks' }),
  ...jwksEnv,
  /** Owners the catalogue asks for an event's public representation. */
  BILLING_URL: z.url(),
  PAYMENTS_URL: z.url(),
  CUSTOMERS_URL: z.url(),
  TENANTS_URL: z.url(),
  /** Timeout of one such read (the consumer retries the event when an owner does not answer). */
  WEBHOOK_OWNER_TIMEOUT_MS: positiveInt.default(5000),
  /** credits.low_balance: a deduction taking the balance from at least this to below it. */
  ...catalogueEnv,
  /** Kafka consumer group turning internal events into deliveries. */
  CONSUMER_GROUP_ID: z.string().min(1).default('webhooks'),
  /** http:// endpoints (local receivers only; production refuses them). */
  WEBHOOK_ALLOW_HTTP: flag('false'),
  /** Endpoints resolving to private, loopback or link-local addresses (SSRF guard off). */
  WEBHOOK_ALLOW_PRIVATE_URLS: flag('false'),
  /**
   * A 2xx within this is a success. At most 12 s: an attempt holds its delivery's Redis lock
   * (15 s) while it waits for the answer, and must record it before the lock can expire.
   */
  WEBHOOK_TIMEOUT_MS: positiveInt.max(12_000).default(10_000),
  /** Seconds before each retry (+-10 % jitter): 12 retries over about 3 days by default. */
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default('5,300,1800,7200,18000,36000,36000,36000,36000,36000,36000,36000')
    .transform((text, ctx) => {
      try {
        return parseRetrySchedule(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** How long a rotated-out secret keeps signing (a second signature). */
  WEBHOOK_SECRET_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(86_400),
  /** An endpoint whose deliveries all failed this long in a row is disabled (5 days). */
  WEBHOOK_DISABLE_AFTER_SECONDS: positiveInt.default(5 * 86_400),
  /** Attempts in flight to one endpoint; one at its cap is skipped, not waited on. */
  WEBHOOK_ENDPOINT_CONCURRENCY: positiveInt.default(4),
  /** Attempts in flight in this process. */
  WEBHOOK_CONCURRENCY: positiveInt.default(64),
  /** How often the dispatcher looks for due deliveries when nothing woke it. */
  WEBHOOK_POLL_MS: positiveInt.default(250),
  /** At most this many endpoints per tenant. */
  WEBHOOK_MAX_ENDPOINTS: positiveInt.default(20),
});
export type WebhooksConfig = z.infer<typeof webhooksConfigSchema>;

export const loadWebhooksConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(webhooksConfigSchema, env);
