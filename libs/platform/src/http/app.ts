import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger';
import { authenticate, type AuthContext, type TokenVerifier } from './auth';
import { errorHandler, notFoundHandler, writeError } from './errors';
import { aliveAnswer, readinessAnswer } from './probe-answers';
import { exceedsDepth, tooDeepError } from './json-depth';
import { createMetrics, type AppMetrics } from './metrics';

declare module 'http' {
  interface IncomingMessage {
    id: string | number | object;
    /** A child logger naming the request, made on first use (most requests never log). */
    log: Logger;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      correlationId: string;
      auth?: AuthContext;
    }
  }
}

export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface ServiceAppOptions {
  name: string;
  logger: Logger;
  readiness?: ReadinessCheck[];
  bodyLimit?: string;
  /** False for a proxy, which must pass request bodies through untouched. */
  parseJson?: boolean;
  /**
   * Peers whose `X-Forwarded-For` is believed (express `trust proxy`: IPs, CIDRs or `loopback`).
   * Services trust the loopback gateway; the public gateway trusts only configured proxies.
   */
  trustProxy?: string[];
  /** Runs before `/readyz` (the gateway rate limits it per client IP). */
  readinessGuard?: RequestHandler;
  /** Mounts the service's routes; called after the shared middleware and before the 404/error handlers. */
  routes: (app: Express) => void;
  /**
   * A handler that sees every request before express does and answers the ones it takes (returns
   * true) without express: the gateway's proxied hot path. It gets the app's request ids, log
   * line, metrics and error envelope, so its answers look exactly like express's.
   */
  fastPath?: (tools: FastPathTools) => (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface FastPathTools {
  /** Request and correlation ids (request and response headers), the log line and metrics on finish. */
  begin(req: IncomingMessage, res: ServerResponse, route: string): void;
  /** Answers an error in the envelope, as the express error handler does. */
  fail(req: IncomingMessage, res: ServerResponse, err: unknown): void;
}

const SAFE_ID = /^[\w.:-]{1,128}$/;

function headerId(value: unknown): string | undefined {
  return typeof value === 'string' && SAFE_ID.test(value) ? value : undefined;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

export async function runReadiness(checks: ReadinessCheck[]): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        await withTimeout(c.check(), 2000);
        return [c.name, 'ok'] as const;
      } catch (err) {
        return [c.name, `down: ${(err as Error).message}`] as const;
      }
    }),
  );
  return { ready: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
}

/**
 * Readiness answered from a cache: at most one probe of the dependencies per `maxAgeMs` (counted
 * from the probe's start), and callers that arrive while a probe runs share it. A burst of
 * /readyz (a load balancer, or a client hammering it) costs the dependencies one probe, not one
 * per request; the gateway's probe fans out to every service, so this is where it stays cheap.
 */
export function cachedReadiness(
  checks: ReadinessCheck[],
  opts: { maxAgeMs?: number; onProbe?: () => void; now?: () => number } = {},
): () => Promise<ReadinessReport> {
  const maxAgeMs = opts.maxAgeMs ?? 1000;
  const now = opts.now ?? Date.now;
  let last: { startedAt: number; settled: boolean; report: Promise<ReadinessReport> } | undefined;
  return () => {
    if (last && (!last.settled || now() - last.startedAt < maxAgeMs)) return last.report;
    opts.onProbe?.();
    const probe = { startedAt: now(), settled: false, report: runReadiness(checks) };
    void probe.report.finally(() => {
      probe.settled = true;
    });
    last = probe;
    return probe.report;
  };
}

/** The app's Prometheus registry, served on the process's metrics port (see service.ts). */
export function appMetricsRegistry(app: Express): Registry | undefined {
  return app.locals.metricsRegistry as Registry | undefined;
}

const QUIET_PATHS = new Set(['/healthz', '/readyz']);

/**
 * What every request gets, with no per-request allocation beyond the ids unless something is
 * logged: ids, and on finish the request histogram and a log line (debug below 400, info for 4xx,
 * error for 5xx, written only when the level lets it through).
 */
function requestTracking(logger: Logger, metrics: AppMetrics) {
  const finished = (
    req: IncomingMessage & { correlationId?: string; route?: { path?: unknown }; baseUrl?: string },
    res: ServerResponse,
    started: number,
    fixedRoute: string | undefined,
  ) => {
    const seconds = (performance.now() - started) / 1000;
    // route patterns, not raw paths, keep label cardinality bounded
    const route =
      fixedRoute ??
      (req.route?.path ? `${req.baseUrl ?? ''}${String(req.route.path)}` : 'unmatched');
    const status = res.statusCode;
    metrics.observe(req.method ?? '', route, status, seconds);
    const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
    if (!logger.isLevelEnabled(level) || QUIET_PATHS.has(req.url ?? '')) return;
    logger[level](
      {
        req: { id: req.id, method: req.method, url: req.url },
        correlation_id: req.correlationId,
        res: { statusCode: status },
        responseTime: Math.round(seconds * 1000),
      },
      'request completed',
    );
  };
  return (req: IncomingMessage, res: ServerResponse, route?: string) => {
    const id = headerId(req.headers['x-request-id']) ?? randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    const correlationId = headerId(req.headers['x-correlation-id']) ?? id;
    (req as { correlationId?: string }).correlationId = correlationId;
    res.setHeader('x-correlation-id', correlationId);
    const started = performance.now();
    res.once('finish', () => finished(req, res, started, route));
  };
}

/**
 * The express app every service is built on: request and correlation ids, structured request
 * logs, a JSON body limit and depth limit, health and cached readiness endpoints, request metrics
 * (served on a separate port by bootService, never here), and the envelope for errors.
 */
export function createServiceApp(opts: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // express hashes every JSON answer for a weak ETag; the API documents no ETag or conditional
  // GET (If-None-Match) and no client uses them, so that hash was pure cost on every read
  app.set('etag', false);
  app.set('trust proxy', opts.trustProxy ?? 'loopback');
  const metrics = createMetrics(opts.name);
  app.locals.metricsRegistry = metrics.registry;
  const readiness = cachedReadiness(opts.readiness ?? [], {
    onProbe: () => metrics.readinessProbes.inc(),
  });

  const logger = opts.logger;
  // the request's logger exists only once something logs (errors, a route's own line)
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: express.Request) {
      const child = logger.child({
        req: { id: this.id, method: this.method, url: this.originalUrl },
        correlation_id: this.correlationId,
      });
      Object.defineProperty(this, 'log', { value: child, configurable: true });
      return child;
    },
  });
  const track = requestTracking(logger, metrics);
  app.use((req, res, next) => {
    track(req, res);
    next();
  });
  if (opts.parseJson !== false) {
    app.use(express.json({ limit: opts.bodyLimit ?? '1mb', strict: true }));
    // once, before any route: no handler, schema or canonicalisation ever walks a deeper body
    app.use((req, _res, next) => {
      if (exceedsDepth(req.body)) throw tooDeepError();
      next();
    });
  }

  app.get('/healthz', (_req, res) => {
    res.json(aliveAnswer(opts.name));
  });
  const guard: RequestHandler[] = opts.readinessGuard ? [opts.readinessGuard] : [];
  app.get('/readyz', ...guard, async (req, res) => {
    const answer = readinessAnswer(opts.name, await readiness(), String(req.id));
    res.status(answer.status).json(answer.body);
  });
  opts.routes(app);

  app.use(notFoundHandler);
  app.use(errorHandler);
  if (opts.fastPath) {
    const fast = opts.fastPath({
      begin: track,
      fail: (req, res, err) => writeError(req, res, err, logger),
    });
    // express calls app.handle for every request it is given (app is `(req, res) => app.handle(...)`)
    type Handle = (req: IncomingMessage, res: ServerResponse, next?: unknown) => void;
    const handled = app as unknown as { handle: Handle };
    const handle = handled.handle.bind(app);
    handled.handle = (req, res, next) => {
      if (!fast(req, res)) handle(req, res, next);
    };
  }
  return app;
}

/** What a service's createApp takes from its process (ServiceContext.httpDeps) besides its own deps. */
export interface ServiceHttpDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
}

/**
 * A service's app behind the gateway: createServiceApp with the process's logger, readiness checks
 * and body limit. `routes` mounts the routers; it is handed the bearer-token check (`deps.verifier`)
 * to put in front of the authenticated ones.
 */
export function serviceApp(
  name: string,
  deps: ServiceHttpDeps,
  routes: (app: Express, authenticated: RequestHandler) => void,
): Express {
  return createServiceApp({
    name,
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: (app) => routes(app, authenticate(deps.verifier)),
  });
}
