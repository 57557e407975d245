import { bootService, createJwksVerifier, type ReadinessCheck } from '@ledgerline/platform';
import { createApp } from './app';
import { loadGatewayConfig } from './config';
import { UPSTREAMS, type Upstream } from './domain/route-table';
import { createUpstreamProxy, type UpstreamProxy } from './proxy';

const config = loadGatewayConfig();

const URLS: Record<Upstream, string> = {
  auth: config.AUTH_URL,
  tenants: config.TENANTS_URL,
  customers: config.CUSTOMERS_URL,
  billing: config.BILLING_URL,
  payments: config.PAYMENTS_URL,
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
  return createApp({
    logger: ctx.logger,
    verifier: createJwksVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER }),
    upstreams,
    readiness: [...ctx.readiness, ...UPSTREAMS.map(upstreamReadiness)],
  });
});
