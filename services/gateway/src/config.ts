import { z } from 'zod';
import { baseEnv, loadConfig, redisEnv } from '@ledgerline/platform';

export const gatewayConfigSchema = z
  .object({
    ...baseEnv,
    ...redisEnv,
    PORT: baseEnv.PORT.default(8080),
    AUTH_URL: z.url(),
    TENANTS_URL: z.url(),
    CUSTOMERS_URL: z.url(),
    BILLING_URL: z.url(),
    PAYMENTS_URL: z.url(),
    JWKS_URL: z.url().optional(),
    JWT_ISSUER: z.string().default('ledgerline-auth'),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    BREAKER_RESET_MS: z.coerce.number().int().positive().default(5000),
  })
  .transform((c) => ({
    ...c,
    JWKS_URL: c.JWKS_URL ?? `${c.AUTH_URL.replace(/\/$/, '')}/.well-known/jwks.json`,
  }));
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(gatewayConfigSchema, env);
