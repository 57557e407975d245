import cors from 'cors';
import type { Express, Request, RequestHandler } from 'express';
import { AppError } from '@ledgerline/contracts';
import { createServiceApp, type Logger, type ReadinessCheck } from '@ledgerline/platform';
import type { Authenticator } from './authenticate';
import { docsRoutes } from './docs';
import { allowedMethods } from './domain/allowed-methods';
import { resolveRoute, type Upstream } from './domain/route-table';
import type { UpstreamProxy } from './proxy';
import type { RateLimit, RateLimiter } from './rate-limit';

export interface GatewayLimits {
  ip: RateLimit;
  tenant: RateLimit;
  credentialIp: RateLimit;
  credentialAccount: RateLimit;
}

export interface GatewayDeps {
  logger: Logger;
  authenticator: Authenticator;
  limiter: RateLimiter;
  limits: GatewayLimits;
  upstreams: Record<Upstream, UpstreamProxy>;
  readiness: ReadinessCheck[];
  corsOrigins: string[];
  bodyLimitBytes?: number;
  /** Proxies whose X-Forwarded-For is believed; none by default. */
  trustedProxies?: string[];
}

/** Reads a small body (login forms) so the account name can be rate limited; it is forwarded as read. */
async function readBody(req: Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AppError('payload_too_large', 'Request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function accountName(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { username?: unknown; email?: unknown };
    const name =
      typeof parsed.username === 'string'
        ? parsed.username
        : typeof parsed.email === 'string'
          ? parsed.email
          : undefined;
    return name?.trim().toLowerCase().slice(0, 254) || undefined;
  } catch {
    return undefined; // the service answers malformed JSON with a 400
  }
}

/** The client as `trust proxy` decides it: the peer, or what a trusted proxy says. */
const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * The only public entry point: resolves the owning service, limits the rate per IP (strictly
 * for credentials) and per tenant, refuses unauthenticated or revoked callers before they reach a
 * service, and proxies through a per-upstream breaker.
 */
export function createApp(deps: GatewayDeps): Express {
  const route: RequestHandler = async (req, res) => {
    const resolved = resolveRoute(req.method, req.path);
    if (!resolved) throw new AppError('not_found', `No route for ${req.method} ${req.path}`);
    const allowed = allowedMethods(req.path);
    if (allowed && req.method === 'OPTIONS') {
      // what the public API documents for the path, not what a service's router happens to have
      res.setHeader('Allow', allowed.join(', '));
      res.status(204).end();
      return;
    }
    if (allowed && !allowed.includes(req.method)) {
      throw new AppError('method_not_allowed', `${req.method} is not allowed on ${req.path}`, {
        headers: { Allow: allowed.join(', ') },
      });
    }
    const declaredLength = Number(req.headers['content-length'] ?? 0);
    if (declaredLength > (deps.bodyLimitBytes ?? 1024 * 1024))
      throw new AppError('payload_too_large', 'Request body is too large');
    const ip = clientIp(req);
    await deps.limiter.hit(res, `ip:${ip}`, deps.limits.ip);
    let body: Buffer | undefined;
    if (resolved.credential) {
      await deps.limiter.hit(res, `cred-ip:${ip}`, deps.limits.credentialIp);
      body = await readBody(req, deps.bodyLimitBytes ?? 64 * 1024);
      const account = accountName(body);
      if (account)
        await deps.limiter.hit(res, `cred-acct:${ip}:${account}`, deps.limits.credentialAccount);
    }
    if (!resolved.isPublic) {
      const caller = await deps.authenticator.authenticate(req.headers);
      req.auth = caller;
      await deps.limiter.hit(res, `tenant:${caller.tenantId}`, deps.limits.tenant);
    }
    await deps.upstreams[resolved.upstream].forward(req, res, body);
  };

  return createServiceApp({
    name: 'gateway',
    logger: deps.logger,
    readiness: deps.readiness,
    parseJson: false,
    // X-Forwarded-For only from configured proxies: otherwise any client names its own IP and
    // with it its rate-limit buckets
    trustProxy: deps.trustedProxies ?? [],
    // public and it fans out to every service: limited per IP like every other public route
    readinessGuard: async (req, res, next) => {
      await deps.limiter.hit(res, `ip:${clientIp(req)}`, deps.limits.ip);
      next();
    },
    routes: (app) => {
      if (deps.corsOrigins.length > 0) {
        app.use(
          cors({
            origin: deps.corsOrigins.includes('*') ? true : deps.corsOrigins,
            exposedHeaders: [
              'x-request-id',
              'Retry-After',
              'RateLimit-Limit',
              'RateLimit-Remaining',
              'RateLimit-Reset',
              'Idempotent-Replayed',
            ],
            // no allowedHeaders: the preflight's requested headers (Idempotency-Key among them) are reflected
            maxAge: 600,
          }),
        );
      }
      app.use(docsRoutes());
      app.use(route);
    },
  });
}
