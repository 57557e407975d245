import { z } from 'zod';
import { currencySchema } from '@ledgerline/contracts';
import { jwksEnv, loadConfig, storeServiceEnv, tenantsEnv } from '@ledgerline/platform';

export const billingConfigSchema = z.object({
  ...storeServiceEnv({ port: 4004, db: 'ledgerline_billing' }),
  ...jwksEnv,
  /** Asked for a tenant's plan limits (invoices) this service's copy does not hold yet. */
  ...tenantsEnv,
  DEFAULT_CURRENCY: currencySchema.default('USD'),
  WORKER_GROUP_ID: z.string().default('billing-worker'),
  /** Checkout "pay now" records its payment through the payments service (behind a breaker). */
  PAYMENTS_URL: z.url().default('http://127.0.0.1:4005'),
  /** Asked whether an invoice's customer/entitlement/utility ids exist when billing's copies lag. */
  CUSTOMERS_URL: z.url().default('http://127.0.0.1:4003'),
  /** Asked for the issuer of a document (a tenant's name, address, tax id and logo). */
  AUTH_URL: z.url().default('http://127.0.0.1:4001'),
  /** Asked for a plan's current price when the cart or checkout prices it. */
  TENANTS_URL: z.url().default('http://127.0.0.1:4002'),
  /**
   * How often the API finishes credit notes left pending (payments was away): holds and numbers
   * them, or on a refusal removes them (or returns a subscription's credit to its balance).
   */
  CREDIT_NOTE_SWEEP_MS: z.coerce.number().int().positive().default(15_000),
  /** How often the workers take the dunning steps that fell due (issue 17). */
  DUNNING_SWEEP_MS: z.coerce.number().int().positive().default(60_000),
  /** The platform's period invoices to tenants are due this many days after the period starts. */
  PLATFORM_INVOICE_DUE_DAYS: z.coerce.number().int().min(0).max(365).default(14),
});
export type BillingConfig = z.infer<typeof billingConfigSchema>;

export const loadBillingConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(billingConfigSchema, env);
