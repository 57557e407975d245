import { z } from 'zod';
import { jwksEnv, loadConfig, storeServiceEnv } from '@ledgerline/platform';

export const tenantsConfigSchema = z.object({
  ...storeServiceEnv({ port: 4002, db: 'ledgerline_tenants' }),
  ...jwksEnv,
  CONSUMER_GROUP_ID: z.string().default('tenants'),
  /** Creating a tenant creates its owner in auth: the one synchronous call, behind a breaker. */
  AUTH_URL: z.url(),
  AUTH_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** A provider's customer subscriber is checked with customers (behind a breaker). */
  CUSTOMERS_URL: z.url().default('http://127.0.0.1:4003'),
  CUSTOMERS_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  /** A tenant's `domain` is `<subdomain>.<TENANT_BASE_DOMAIN>`. */
  TENANT_BASE_DOMAIN: z.string().default('ledgerline.local'),
  /** How often expired trials and subscriptions are looked for, and renewals are due. */
  SUBSCRIPTION_SWEEP_MS: z.coerce.number().int().positive().default(30_000),
  /**
   * How late a metered usage event may arrive and still count in its period; a provider's
   * subscription is renewed (its usage invoiced) this long, plus a minute, after its period ends.
   */
  USAGE_LATENESS_SECONDS: z.coerce.number().int().min(0).default(3600),
});

export const loadTenantsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(tenantsConfigSchema, env);
