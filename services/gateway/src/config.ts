import { isIP } from 'node:net';
import { z } from 'zod';
import { baseEnv, loadConfig, redisEnv } from '@ledgerline/platform';

/** An IP, a CIDR (`10.0.0.0/8`) or one of express's names for a range (`loopback`, ...). */
function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [ip = '', prefix, ...rest] = entry.split('/');
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

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
    WEBHOOKS_URL: z.url(),
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
    /** The built web dashboard served at /app/; default: apps/dashboard/dist of this checkout. */
    DASHBOARD_DIR: z.string().min(1).optional(),
    /** Comma-separated origins allowed by CORS, or "*"; empty: no CORS headers. */
    CORS_ORIGINS: z.string().default(''),
    /**
     * Comma-separated proxies (IPs, CIDRs) whose X-Forwarded-For names the client; empty (the
     * default): the peer's own address is the client, whatever headers it sends.
     */
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      )
      .refine((list) => list.every(isProxyAddress), {
        message: 'must be comma-separated IP addresses or CIDR ranges',
      }),
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
