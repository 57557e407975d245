import path from 'node:path';
import bytes from 'bytes';
import { bootService, createJwksVerifier, type ReadinessCheck } from '@ledgerline/platform';
import { createApp } from './app';
import { createAuthenticator } from './authenticate';
import { loadGatewayConfig } from './config';
import { UPSTREAMS, type Upstream } from './domain/route-table';
import { createUpstreamProxy, type UpstreamProxy } from './proxy';
import { redisRateLimiter } from './rate-limit';

const config = loadGatewayConfig();

const URLS: Record<Upstream, string> = {
  auth: config.AUTH_URL,
  tenants: config.TENANTS_URL,
  customers: config.CUSTOMERS_URL,
  billing: config.BILLING_URL,
  payments: config.PAYMENTS_URL,
  webhooks: config.WEBHOOKS_URL,
};

/** The gateway is ready when Redis and every upstream say they are ready. */
function upstreamReadiness(name: Upstream): ReadinessCheck {
  return {
    name,
    check: async () => {
      const res = await fetch(`${URLS[name]}/readyz`, { signal: AbortSignal.timeout(1500) });
      if (!res.ok) throw new Error(`answered ${res.status}`);
    },
  };
}

const minute = (limit: number) => ({ limit, windowMs: 60_000 });

bootService('gateway', config, async (ctx) => {
  const upstreams = Object.fromEntries(
    UPSTREAMS.map((name) => [
      name,
      createUpstreamProxy(name, URLS[name], {
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        resetMs: config.BREAKER_RESET_MS,
      }),
    ]),
  ) as Record<Upstream, UpstreamProxy>;
  for (const proxy of Object.values(upstreams)) ctx.stops.push(() => proxy.close());
  return createApp({
    logger: ctx.logger,
    authenticator: createAuthenticator({
      verifier: createJwksVerifier({
        jwksUrl: config.JWKS_URL,
        issuer: config.JWT_ISSUER,
        logger: ctx.logger,
      }),
      authUrl: config.AUTH_URL,
      timeoutMs: Math.min(config.UPSTREAM_TIMEOUT_MS, 3000),
      logger: ctx.logger,
    }),
    limiter: redisRateLimiter(ctx.redis, ctx.logger),
    limits: {
      ip: minute(config.RATE_LIMIT_IP_PER_MINUTE),
      tenant: minute(config.RATE_LIMIT_TENANT_PER_MINUTE),
      credentialIp: minute(config.RATE_LIMIT_CREDENTIAL_IP_PER_MINUTE),
      credentialAccount: minute(config.RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE),
    },
    upstreams,
    readiness: [...ctx.readiness, ...UPSTREAMS.map(upstreamReadiness)],
    corsOrigins: config.CORS_ORIGINS,
    trustedProxies: config.TRUSTED_PROXIES,
    bodyLimitBytes: bytes.parse(config.BODY_LIMIT) ?? 1024 * 1024,
    // dist/main.js -> the repository's apps/dashboard/dist
    dashboardDir:
      config.DASHBOARD_DIR ??
      path.resolve(__dirname, '..', '..', '..', 'apps', 'dashboard', 'dist'),
  });
});
