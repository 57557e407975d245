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
   * How late a usage event may be reported: older timestamps are refused (422). A late event counts
   * in its own period, which may be the one just before the current (never earlier). A provider's
   * subscription is renewed (its usage invoiced) this long, plus USAGE_SETTLE_SECONDS, after its
   * period ends.
   */
  USAGE_LATENESS_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3600),
  /**
   * How long after the lateness window a period's usage is left to settle (the usage consumer's
   * lag) before the renewal invoices it.
   */
  USAGE_SETTLE_SECONDS: z.coerce.number().int().min(0).default(60),
  /** How long an accepted usage batch is kept after its event has left (markers and totals stay). */
  USAGE_BATCH_RETENTION_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 60 * 60 * 1000),
  /** How often unfinished renewal runs are looked for (a run a stopped process left). */
  RENEWAL_RUN_TICK_MS: z.coerce.number().int().positive().default(10_000),
  /** Subscriptions a renewal run reads, renews and saves its progress for at once. */
  RENEWAL_RUN_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /**
   * How long a process holds a renewal run without saving a page: past it, another process (or
   * this one restarted) takes the run over from its cursor. Far above a page's time.
   */
  RENEWAL_RUN_LEASE_MS: z.coerce.number().int().positive().default(60_000),
  /** The usage consumer's own group: folding usage never waits behind the tenants group. */
  USAGE_CONSUMER_GROUP_ID: z.string().default('tenants-usage'),
});

export const loadTenantsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(tenantsConfigSchema, env);
