import {
  closeServer,
  connectDependencies,
  createJwksVerifier,
  createLogger,
  listen,
  runProcess,
  type ReadinessCheck,
} from '@ledgerline/platform';
import { createApp } from './app';
import { loadGatewayConfig } from './config';
import { UPSTREAMS, type Upstream } from './domain/route-table';
import { createUpstreamProxy, type UpstreamProxy } from './proxy';

const config = loadGatewayConfig();
const logger = createLogger('gateway', config.LOG_LEVEL);

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

runProcess('gateway', logger, async () => {
  const deps = await connectDependencies('gateway', config, logger);
  const upstreams = Object.fromEntries(
    UPSTREAMS.map((name) => [
      name,
      createUpstreamProxy(name, URLS[name], {
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        resetMs: config.BREAKER_RESET_MS,
      }),
    ]),
  ) as Record<Upstream, UpstreamProxy>;
  const app = createApp({
    logger,
    verifier: createJwksVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER }),
    upstreams,
    readiness: [...deps.readiness, ...UPSTREAMS.map(upstreamReadiness)],
  });
  const server = await listen(app, config.PORT, config.HOST);
  logger.info({ port: config.PORT }, 'gateway listening');
  return [closeServer(server), ...deps.closers];
});
