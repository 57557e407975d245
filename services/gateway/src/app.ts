import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import type { Express, RequestHandler } from 'express';
import proxyaddr from 'proxy-addr';
import { AppError, revokedSessionKey } from '@ledgerline/contracts';
import {
  createServiceApp,
  type AuthContext,
  type FastPathTools,
  type Logger,
  type ReadinessCheck,
} from '@ledgerline/platform';
import type { Authenticator } from './authenticate';
import { docsRoutes } from './docs';
import { dashboardRoutes } from './static-app';
import { allowedMethods } from './domain/allowed-methods';
import { resolveRoute, type ResolvedRoute, type Upstream } from './domain/route-table';
import type { UpstreamProxy } from './proxy';
import type { Check, RateLimit, RateLimiter } from './rate-limit';

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
  /** The built web dashboard served at /app/ (apps/dashboard/dist); absent: no /app/ routes. */
  dashboardDir?: string;
}

/** Reads a small body (login forms) so the account name can be rate limited; it is forwarded as read. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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

/**
 * The only public entry point: resolves the owning service, limits the rate per IP (strictly
 * for credentials) and per tenant, refuses unauthenticated or revoked callers before they reach a
 * service, and proxies through a per-upstream breaker.
 *
 * Proxied requests are served by a plain node handler in front of express (`fastPath`): express,
 * its router and the cors middleware cost more than the rest of the hop. express still serves the
 * gateway's own routes (docs, health, readiness), the 404s, and CORS requests (those carrying an
 * `Origin` when CORS is configured), through the same `proxied` function.
 */
export function createApp(deps: GatewayDeps): Express {
  const trusted = deps.trustedProxies ?? [];
  const trust = proxyaddr.compile(trusted);
  // X-Forwarded-For only from configured proxies: otherwise any client names its own IP and with
  // it its rate-limit buckets (what express's `trust proxy` decides for req.ip, computed the same way)
  const clientIp = (req: IncomingMessage) =>
    (trusted.length > 0 ? proxyaddr(req, trust) : req.socket.remoteAddress) ?? 'unknown';
  const protocolOf = (req: IncomingMessage) => {
    const own = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    if (trusted.length === 0 || !trust(req.socket.remoteAddress ?? '', 0)) return own;
    const header = req.headers['x-forwarded-proto'];
    return (typeof header === 'string' && header.split(',')[0]!.trim()) || own;
  };
  const bodyLimit = deps.bodyLimitBytes ?? 1024 * 1024;
  const { limiter, limits, authenticator } = deps;

  async function proxied(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    resolved: ResolvedRoute,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const allowed = allowedMethods(path);
    if (allowed && method === 'OPTIONS') {
      // what the public API documents for the path, not what a service's router happens to have
      res.setHeader('Allow', allowed.join(', '));
      res.statusCode = 204;
      res.end();
      return;
    }
    if (allowed && !allowed.includes(method)) {
      throw new AppError('method_not_allowed', `${method} is not allowed on ${path}`, {
        headers: { Allow: allowed.join(', ') },
      });
    }
    if (Number(req.headers['content-length'] ?? 0) > bodyLimit)
      throw new AppError('payload_too_large', 'Request body is too large');
    const ip = clientIp(req);
    const ipCheck: Check = { bucket: `ip:${ip}`, rule: limits.ip };
    let body: Buffer | undefined;
    if (resolved.credential) {
      await limiter.check(res, [ipCheck, { bucket: `cred-ip:${ip}`, rule: limits.credentialIp }]);
      body = await readBody(req, deps.bodyLimitBytes ?? 64 * 1024);
      const account = accountName(body);
      if (account)
        await limiter.check(res, [
          { bucket: `cred-acct:${ip}:${account}`, rule: limits.credentialAccount },
        ]);
    } else if (resolved.isPublic) {
      await limiter.check(res, [ipCheck]);
    } else {
      const presented = req.headers.authorization;
      let ipCounted = false;
      const countIp = async () => {
        ipCounted = true;
        await limiter.check(res, [ipCheck]);
      };
      let caller: AuthContext;
      try {
        caller = await authenticator.authenticate(req.headers, countIp);
      } catch (err) {
        // a refused caller still counts against its IP, and over the limit it is told so first
        if (!ipCounted) await countIp();
        throw err;
      }
      // one round trip: the IP's bucket, the session's revocation, then the tenant's bucket
      const { revoked } = await limiter.check(res, [
        ...(ipCounted ? [] : [ipCheck]),
        { revokedKey: revokedSessionKey(caller.sessionId) },
        { bucket: `tenant:${caller.tenantId}`, rule: limits.tenant },
      ]);
      if (revoked) authenticator.revoked(presented);
    }
    await deps.upstreams[resolved.upstream].forward(
      req,
      res,
      {
        requestId: String(req.id),
        correlationId: (req as { correlationId?: string }).correlationId ?? String(req.id),
        clientIp: ip,
        protocol: protocolOf(req),
      },
      body,
    );
  }

  const corsOn = deps.corsOrigins.length > 0;
  const fastPath = (tools: FastPathTools) => (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    // absolute-form URLs and CORS requests take the express path
    if (url.charCodeAt(0) !== 0x2f || (corsOn && req.headers.origin !== undefined)) return false;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const resolved = resolveRoute(req.method ?? 'GET', path);
    if (!resolved) return false; // the gateway's own routes, or express's 404
    tools.begin(req, res, `proxy:${resolved.upstream}`);
    proxied(req, res, path, resolved).catch((err: unknown) => tools.fail(req, res, err));
    return true;
  };

  const route: RequestHandler = async (req, res) => {
    const resolved = resolveRoute(req.method, req.path);
    if (!resolved) throw new AppError('not_found', `No route for ${req.method} ${req.path}`);
    await proxied(req, res, req.path, resolved);
  };

  return createServiceApp({
    name: 'gateway',
    logger: deps.logger,
    readiness: deps.readiness,
    parseJson: false,
    trustProxy: trusted,
    fastPath,
    // public and it fans out to every service: limited per IP like every other public route
    readinessGuard: async (req, res, next) => {
      await limiter.hit(res, `ip:${clientIp(req)}`, limits.ip);
      next();
    },
    routes: (app) => {
      if (corsOn) {
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
      if (deps.dashboardDir) app.use(dashboardRoutes(deps.dashboardDir));
      app.use(route);
    },
  });
}
