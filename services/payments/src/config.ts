import { z } from 'zod';
import { jwksEnv, loadConfig, storeServiceEnv } from '@ledgerline/platform';

export const paymentsConfigSchema = z.object({
  ...storeServiceEnv({ port: 4005, db: 'ledgerline_payments' }),
  ...jwksEnv,
  BILLING_URL: z.url(),
  BILLING_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  /** Asked whether a payment's entitlement id exists in the tenant when it is not its invoice's. */
  CUSTOMERS_URL: z.url().default('http://127.0.0.1:4003'),
  CUSTOMERS_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  CONSUMER_GROUP_ID: z.string().default('payments'),
  /** Idempotency keys are replayed this long (Stripe keeps them 24 h). */
  IDEMPOTENCY_TTL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 60 * 60 * 1000),
  IDEMPOTENCY_SWEEP_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 60 * 1000),
  /** An in-flight key older than this belongs to a crashed request and may be taken over. */
  IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  RECONCILIATION_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
  RECONCILIATION_GRACE_MS: z.coerce.number().int().nonnegative().default(30_000),
});
export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

export const loadPaymentsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(paymentsConfigSchema, env);
