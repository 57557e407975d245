import type { Express, RequestHandler } from 'express';
import { AppError } from '@ledgerline/contracts';
import {
  bearerToken,
  createServiceApp,
  type Logger,
  type ReadinessCheck,
  type TokenVerifier,
} from '@ledgerline/platform';
import { resolveRoute, type Upstream } from './domain/route-table';
import type { UpstreamProxy } from './proxy';

export interface GatewayDeps {
  logger: Logger;
  verifier: TokenVerifier;
  upstreams: Record<Upstream, UpstreamProxy>;
  readiness: ReadinessCheck[];
}

/**
 * The only public entry point: resolves the owning service, refuses unauthenticated calls to
 * private routes before they reach a service, and proxies through a per-upstream breaker.
 */
export function createApp(deps: GatewayDeps): Express {
  const route: RequestHandler = async (req, res) => {
    const resolved = resolveRoute(req.method, req.path);
    if (!resolved) throw new AppError('not_found', `No route for ${req.method} ${req.path}`);
    if (!resolved.isPublic) {
      const token = bearerToken(req.headers.authorization);
      if (!token) throw AppError.unauthorized('Authentication credentials were not provided');
      req.auth = await deps.verifier.verify(token);
    }
    await deps.upstreams[resolved.upstream].forward(req, res);
  };

  return createServiceApp({
    name: 'gateway',
    logger: deps.logger,
    readiness: deps.readiness,
    parseJson: false,
    routes: (app) => {
      app.use(route);
    },
  });
}
