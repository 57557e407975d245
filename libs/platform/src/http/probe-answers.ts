import { errorEnvelope, ok } from '@ledgerline/contracts';

/**
 * The answers of `/healthz` and `/readyz`, the same for a service's app (app.ts) and for a process
 * without one, on its metrics port (metrics.ts): alive, ready with its checks, or a 503 in the
 * error envelope naming each check that failed.
 */
export const aliveAnswer = (service: string) => ok({ status: 'alive', service });

export function readinessAnswer(
  service: string,
  report: { ready: boolean; checks: Record<string, string> },
  requestId: string,
): { status: number; body: object } {
  if (report.ready)
    return { status: 200, body: ok({ status: 'ready', service, checks: report.checks }) };
  const details = Object.entries(report.checks).map(([field, message]) => ({ field, message }));
  return {
    status: 503,
    body: errorEnvelope('service_unavailable', `${service} is not ready`, requestId, details),
  };
}
