import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { ok, errorEnvelope } from '@ledgerline/contracts';
import type { Logger } from '../logger';
import type { AuthContext } from './auth';
import { errorHandler, notFoundHandler } from './errors';
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

export async function runReadiness(
  checks: ReadinessCheck[],
): Promise<{ ready: boolean; checks: Record<string, string> }> {
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
 * The express app every service is built on: request and correlation ids, structured request
 * logs, a JSON body limit, health/readiness/metrics endpoints, and the envelope for errors.
 */
export function createServiceApp(opts: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const metrics = createMetrics(opts.name);

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
      autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
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
  if (opts.parseJson !== false)
    app.use(express.json({ limit: opts.bodyLimit ?? '1mb', strict: true }));

  app.get('/healthz', (_req, res) => {
    res.json(ok({ status: 'alive', service: opts.name }));
  });
  app.get('/readyz', async (req, res) => {
    const report = await runReadiness(opts.readiness ?? []);
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
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  opts.routes(app);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
