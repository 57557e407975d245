import { randomUUID } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { pinoHttp } from 'pino-http';
import { ok, errorEnvelope } from '@ledgerline/contracts';
import type { Logger } from '../logger';
import type { AuthContext } from './auth';
import { errorHandler, notFoundHandler } from './errors';
import { exceedsDepth, tooDeepError } from './json-depth';
import { createMetrics } from './metrics';

declare module 'http' {
  interface IncomingMessage {
    id: string | number | object;
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

/**
 * The express app every service is built on: request and correlation ids, structured request
 * logs, a JSON body limit and depth limit, health and cached readiness endpoints, request metrics
 * (served on a separate port by bootService, never here), and the envelope for errors.
 */
export function createServiceApp(opts: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy ?? 'loopback');
  const metrics = createMetrics(opts.name);
  app.locals.metricsRegistry = metrics.registry;
  const readiness = cachedReadiness(opts.readiness ?? [], {
    onProbe: () => metrics.readinessProbes.inc(),
  });

  app.use(
    pinoHttp({
      logger: opts.logger,
      genReqId: (req, res) => {
        const id = headerId(req.headers['x-request-id']) ?? randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customProps: (req) => ({
        correlation_id: headerId(req.headers['x-correlation-id']) ?? String(req.id),
      }),
      autoLogging: { ignore: (req) => ['/healthz', '/readyz'].includes(req.url ?? '') },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    }),
  );
  app.use((req, res, next) => {
    req.correlationId = headerId(req.headers['x-correlation-id']) ?? String(req.id);
    res.setHeader('x-correlation-id', req.correlationId);
    next();
  });
  app.use(metrics.middleware);
  if (opts.parseJson !== false) {
    app.use(express.json({ limit: opts.bodyLimit ?? '1mb', strict: true }));
    // once, before any route: no handler, schema or canonicalisation ever walks a deeper body
    app.use((req, _res, next) => {
      if (exceedsDepth(req.body)) throw tooDeepError();
      next();
    });
  }

  app.get('/healthz', (_req, res) => {
    res.json(ok({ status: 'alive', service: opts.name }));
  });
  const guard: RequestHandler[] = opts.readinessGuard ? [opts.readinessGuard] : [];
  app.get('/readyz', ...guard, async (req, res) => {
    const report = await readiness();
    if (report.ready) {
      res.json(ok({ status: 'ready', service: opts.name, checks: report.checks }));
      return;
    }
    const details = Object.entries(report.checks).map(([field, message]) => ({ field, message }));
    res
      .status(503)
      .json(
        errorEnvelope('service_unavailable', `${opts.name} is not ready`, String(req.id), details),
      );
  });
  opts.routes(app);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
