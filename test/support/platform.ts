import fs from 'node:fs';
import path from 'node:path';
import { ROOT, uniqueId } from './infra';

export interface RunningPlatform {
  gatewayUrl: string;
  logDir: string;
  children: Map<string, { child: { pid?: number } }>;
  /** A process's internal Prometheus endpoint (its METRICS_PORT; never the gateway's public port). */
  metricsUrl(name: string): string;
  stop(): Promise<void>;
  stopOne(name: string, signal?: NodeJS.Signals): Promise<void>;
  startOne(name: string): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startPlatform } = require(path.join(ROOT, 'scripts', 'platform.cjs')) as {
  startPlatform(opts: Record<string, unknown>): Promise<RunningPlatform>;
};

/**
 * Starts the whole platform from its compiled output with databases and topics of its own, on
 * ports away from `npm start`'s, so a test run never touches a developer's data.
 */
export async function startTestPlatform(
  label: string,
  opts: {
    basePort: number;
    gatewayPort: number;
    env?: Record<string, string>;
    envFor?: Record<string, Record<string, string>>;
    /** Billing worker processes (default 1); the second is 'billing-worker-2'. */
    billingWorkers?: number;
  },
): Promise<RunningPlatform & { dbPrefix: string; topicPrefix: string }> {
  const id = uniqueId(label);
  const dbPrefix = `t_${id}`;
  const topicPrefix = `${id}.`;
  const platform = await startPlatform({
    basePort: opts.basePort,
    gatewayPort: opts.gatewayPort,
    dbPrefix,
    topicPrefix,
    logDir: path.join(ROOT, '.run', 'test-logs', id),
    env: {
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      OUTBOX_INTERVAL_MS: '500',
      SUBSCRIPTION_SWEEP_MS: '500',
      // dunning marks invoices overdue once their due date passes (seed examples have past dates):
      // only the dunning tests run its sweep, so other suites read invoices as they wrote them
      DUNNING_SWEEP_MS: '3600000',
      // every test request comes from 127.0.0.1: the per-IP limits would couple unrelated tests,
      // so they are raised; the per-account login limit (what brute-force tests use) keeps its default
      RATE_LIMIT_IP_PER_MINUTE: '100000',
      RATE_LIMIT_CREDENTIAL_IP_PER_MINUTE: '5000',
      ...opts.env,
    },
    envFor: opts.envFor,
    billingWorkers: opts.billingWorkers,
  });
  return Object.assign(platform, { dbPrefix, topicPrefix });
}

/**
 * The warnings and errors a test platform's processes logged (pino level >= 40), oldest first,
 * the last `limit` of them: printed when a test gives up waiting on an eventual effect, so a
 * CI log says which consumer or relay stalled. kafkajs's start-up notices are left out.
 */
export function platformWarnings(logDir: string, limit = 60): string[] {
  const startup = /Limiting retries|Topic creation errors|does not host this topic-partition/;
  const lines: { time: string; line: string }[] = [];
  for (const file of fs.existsSync(logDir) ? fs.readdirSync(logDir) : []) {
    for (const raw of fs.readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
      if (!raw.startsWith('{') || startup.test(raw)) continue;
      try {
        const entry = JSON.parse(raw) as { level?: number; time?: string };
        if ((entry.level ?? 0) >= 40)
          lines.push({ time: entry.time ?? '', line: raw.slice(0, 600) });
      } catch {
        // a line cut short by a process that was killed
      }
    }
  }
  return lines
    .sort((a, b) => a.time.localeCompare(b.time))
    .slice(-limit)
    .map((l) => l.line);
}
