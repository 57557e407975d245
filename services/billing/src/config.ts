import { z } from 'zod';
import { currencySchema } from '@ledgerline/contracts';
import {
  baseEnv,
  jwksEnv,
  kafkaEnv,
  loadConfig,
  mongoEnv,
  redisEnv,
  tenantsEnv,
} from '@ledgerline/platform';

export const billingConfigSchema = z.object({
  ...baseEnv,
  ...mongoEnv,
  ...kafkaEnv,
  ...redisEnv,
  ...jwksEnv,
  /** Asked for a tenant's plan limits (invoices) this service's copy does not hold yet. */
  ...tenantsEnv,
  PORT: baseEnv.PORT.default(4004),
  MONGO_DB: mongoEnv.MONGO_DB.default('ledgerline_billing'),
  DEFAULT_CURRENCY: currencySchema.default('USD'),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
  WORKER_GROUP_ID: z.string().default('billing-worker'),
  /** Checkout "pay now" records its payment through the payments service (behind a breaker). */
  PAYMENTS_URL: z.url().default('http://127.0.0.1:4005'),
  /** Asked whether an invoice's customer/entitlement/utility ids exist when billing's copies lag. */
  CUSTOMERS_URL: z.url().default('http://127.0.0.1:4003'),
  /** Asked for a plan's current price when the cart or checkout prices it. */
  TENANTS_URL: z.url().default('http://127.0.0.1:4002'),
});
export type BillingConfig = z.infer<typeof billingConfigSchema>;

export const loadBillingConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(billingConfigSchema, env);
