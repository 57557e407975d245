import { z } from 'zod';
import { baseEnv, loadConfig, redisEnv } from '@ledgerline/platform';

const perMinute = (fallback: number) => z.coerce.number().int().positive().default(fallback);

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
    /** Every request, per client IP. */
    RATE_LIMIT_IP_PER_MINUTE: perMinute(1200),
    /** Authenticated requests, per tenant (all its users and API tokens together). */
    RATE_LIMIT_TENANT_PER_MINUTE: perMinute(3000),
    /** Login, register, refresh, invitation: per IP, and per IP and account name. */
    RATE_LIMIT_CREDENTIAL_IP_PER_MINUTE: perMinute(60),
    RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: perMinute(10),
    /** Comma-separated origins allowed by CORS, or "*"; empty: no CORS headers. */
    CORS_ORIGINS: z.string().default(''),
  })
  .transform((c) => ({
    ...c,
    JWKS_URL: c.JWKS_URL ?? `${c.AUTH_URL.replace(/\/$/, '')}/.well-known/jwks.json`,
    CORS_ORIGINS: c.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  }));
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(gatewayConfigSchema, env);
