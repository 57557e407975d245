import { z } from 'zod';
import { baseEnv, jwksEnv, kafkaEnv, loadConfig, mongoEnv, redisEnv } from '@ledgerline/platform';

export const tenantsConfigSchema = z.object({
  ...baseEnv,
  ...mongoEnv,
  ...kafkaEnv,
  ...redisEnv,
  ...jwksEnv,
  PORT: baseEnv.PORT.default(4002),
  MONGO_DB: mongoEnv.MONGO_DB.default('ledgerline_tenants'),
  CONSUMER_GROUP_ID: z.string().default('tenants'),
  /** Creating a tenant creates its owner in auth: the one synchronous call, behind a breaker. */
  AUTH_URL: z.url(),
  AUTH_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** A tenant's `domain` is `<subdomain>.<TENANT_BASE_DOMAIN>`. */
  TENANT_BASE_DOMAIN: z.string().default('ledgerline.local'),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
  /** How often expired trials and subscriptions are looked for, and renewals are due. */
  SUBSCRIPTION_SWEEP_MS: z.coerce.number().int().positive().default(30_000),
});

export const loadTenantsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(tenantsConfigSchema, env);
