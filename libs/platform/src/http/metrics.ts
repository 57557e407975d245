import { randomUUID } from 'node:crypto';
import http, { type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, register, Registry } from 'prom-client';
import { aliveAnswer, readinessAnswer } from './probe-answers';

/**
 * Metrics that belong to the process rather than to one express app (token rejections, for
 * instance, counted by verifiers built before the app): prom-client's global registry. The metrics
 * port serves it next to the app's own registry.
 */
export const processRegistry: Registry = register;

export interface AppMetrics {
  registry: Registry;
  /** One request into the duration histogram (by method, route pattern and status). */
  observe(method: string, route: string, status: number, seconds: number): void;
  /** Readiness probes actually run (answers served from the cache are not counted). */
  readinessProbes: Counter;
}

/**
 * The event-loop lag histogram samples on a timer of this resolution: prom-client's default (10 ms)
 * wakes an idle process 100 times a second for it; 100 ms still sees every stall that matters.
 */
const EVENT_LOOP_MONITORING_MS = 100;

function defaultMetrics(registry: Registry): void {
  collectDefaultMetrics({
    register: registry,
    eventLoopMonitoringPrecision: EVENT_LOOP_MONITORING_MS,
  });
}

export function createMetrics(service: string): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  defaultMetrics(registry);
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const readinessProbes = new Counter({
    name: 'readiness_probes_total',
    help: 'Readiness probes run against the dependencies (cached /readyz answers excluded)',
    registers: [registry],
  });
  // a label set's child is looked up once: prom-client hashes the labels on every labelled call
  const children = new Map<string, Histogram.Internal<'method' | 'route' | 'status'>>();
  const observe = (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${status} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = duration.labels({ method, route, status: String(status) });
      children.set(key, child);
    }
    child.observe(seconds);
  };
  return { registry, observe, readinessProbes };
}

/** A registry for a process without an HTTP app (the billing worker): default process metrics. */
export function createProcessMetrics(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  defaultMetrics(registry);
  return registry;
}

/** For a process without an HTTP app (the billing worker): its probes on the metrics port. */
export interface ProcessProbes {
  name: string;
  readiness: () => Promise<{ ready: boolean; checks: Record<string, string> }>;
}

/**
 * Serves `GET /metrics` (Prometheus text) on its own port, never on a public one: process and
 * request figures are for the operator's scraper, not for clients. A process without an HTTP app
 * also answers `/healthz` (alive: the port opens once the process is wired, its consumers
 * joined) and `/readyz` (its dependencies) there, for its orchestrator's probes. Everything else
 * is a 404.
 */
export function serveMetrics(
  registries: Registry[],
  port: number,
  host: string,
  probes?: ProcessProbes,
): Promise<Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const json = (status: number, body: object) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (probes && req.method === 'GET' && path === '/healthz') {
      json(200, aliveAnswer(probes.name));
      return;
    }
    if (probes && req.method === 'GET' && path === '/readyz') {
      const answer = (report: { ready: boolean; checks: Record<string, string> }) => {
        const { status, body } = readinessAnswer(probes.name, report, randomUUID());
        json(status, body);
      };
      probes
        .readiness()
        .then(answer)
        .catch(() => answer({ ready: false, checks: {} }));
      return;
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    Promise.all(registries.map((r) => r.metrics()))
      .then((texts) => {
        res.writeHead(200, { 'content-type': register.contentType }).end(texts.join('\n'));
      })
      .catch(() => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
