'use strict';
/**
 * Starts every Ledgerline process (the seven services, with billing as API + worker) from their
 * compiled output, wired to the local infrastructure, and waits until the gateway reports every
 * upstream ready. Used by `npm start` and by the end-to-end tests, so both run the same platform.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

// `metrics`: each process's internal /metrics port is basePort + 90 + metrics (4090 gateway,
// 4091-4095 the services, 4096 the billing worker, 4097... more workers with `npm start`;
// webhooks, added after the workers' range was taken, 4089)
const PROCESSES = [
  { name: 'auth', entry: 'services/auth/dist/main.js', port: 1, metrics: 1 },
  { name: 'tenants', entry: 'services/tenants/dist/main.js', port: 2, metrics: 2 },
  { name: 'customers', entry: 'services/customers/dist/main.js', port: 3, metrics: 3 },
  { name: 'billing', entry: 'services/billing/dist/main.js', port: 4, metrics: 4 },
  { name: 'billing-worker', entry: 'services/billing/dist/worker.js', port: null, metrics: 6 },
  { name: 'payments', entry: 'services/payments/dist/main.js', port: 5, metrics: 5 },
  { name: 'webhooks', entry: 'services/webhooks/dist/main.js', port: 6, metrics: -1 },
  { name: 'gateway', entry: 'services/gateway/dist/main.js', port: 0, metrics: 0 },
];
const METRICS_OFFSET = 90;

/**
 * @param {object} opts
 * @param {number} [opts.basePort=4000] services listen on basePort+1..6, /metrics on basePort+89..
 * @param {number} [opts.gatewayPort=8080]
 * @param {string} [opts.dbPrefix='ledgerline'] database name prefix (one database per service)
 * @param {string} [opts.topicPrefix=''] Kafka topic prefix
 * @param {string} [opts.logDir] where each process writes its log
 * @param {Record<string,string>} [opts.env] extra environment for every process
 * @param {number} [opts.billingWorkers=1] billing worker processes ('billing-worker', then
 *   'billing-worker-2', ...): they join the same consumer groups and share the partitions
 */
function platformEnv(opts = {}) {
  const basePort = opts.basePort ?? 4000;
  const url = (n) => `http://127.0.0.1:${basePort + n}`;
  const common = {
    NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    MONGO_URL: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:29092',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6391',
    KAFKA_TOPIC_PREFIX: opts.topicPrefix ?? '',
    JWKS_URL: `${url(1)}/.well-known/jwks.json`,
    AUTH_URL: url(1),
    TENANTS_URL: url(2),
    CUSTOMERS_URL: url(3),
    BILLING_URL: url(4),
    PAYMENTS_URL: url(5),
    WEBHOOKS_URL: url(6),
    // local receivers (http, 127.0.0.1) for `npm start` and the tests; production leaves both
    // false (https only, no private addresses); a test checking the refusals sets them false
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    // a process warning (a negative timeout, a listener leak) comes with its stack in the log:
    // one was seen once, in a run beside a Kafka outage, with nothing to say where it came from
    NODE_OPTIONS: process.env.LEDGERLINE_NODE_OPTIONS ?? '--trace-warnings',
    ...opts.env,
  };
  const db = (service) => `${opts.dbPrefix ?? 'ledgerline'}_${service}`;
  const extraWorkers = Array.from(
    { length: Math.max(0, (opts.billingWorkers ?? 1) - 1) },
    (_, i) => ({
      name: `billing-worker-${i + 2}`,
      entry: 'services/billing/dist/worker.js',
      port: null,
      metrics: 7 + i,
    }),
  );
  const processes = [...PROCESSES];
  processes.splice(processes.findIndex((p) => p.name === 'billing-worker') + 1, 0, ...extraWorkers);
  return processes.map((p) => ({
    ...p,
    env: {
      ...common,
      PORT: String(
        p.port === 0 ? (opts.gatewayPort ?? 8080) : p.port === null ? 0 : basePort + p.port,
      ),
      METRICS_PORT: String(basePort + METRICS_OFFSET + p.metrics),
      MONGO_DB: db(p.name.replace(/-worker(-\d+)?$/, '')),
      ...(opts.envFor?.[p.name] ?? {}),
    },
  }));
}

async function waitReady(url, timeoutMs, children) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const dead = children.find((c) => c.child.exitCode !== null);
    if (dead)
      throw new Error(
        `${dead.name} exited with code ${dead.child.exitCode} during start; see ${dead.logFile}`,
      );
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      last = await res.text();
      if (res.ok) return JSON.parse(last);
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`platform not ready after ${timeoutMs} ms: ${last}`);
}

function startProcess(spec, logDir, inheritOutput) {
  const logFile = path.join(logDir, `${spec.name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [path.join(ROOT, spec.entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...spec.env },
    stdio: ['ignore', inheritOutput ? 'inherit' : out, inheritOutput ? 'inherit' : out],
  });
  fs.closeSync(out);
  return { name: spec.name, child, logFile, spec };
}

function stopChild(entry, signal = 'SIGTERM', graceMs = 15_000) {
  const { child } = entry;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Starts the platform and resolves once the gateway is ready. */
async function startPlatform(opts = {}) {
  const logDir = opts.logDir ?? path.join(ROOT, '.run', 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const specs = platformEnv(opts);
  const children = new Map();
  for (const spec of specs) children.set(spec.name, startProcess(spec, logDir, opts.inheritOutput));
  const gatewayUrl = `http://127.0.0.1:${opts.gatewayPort ?? 8080}`;
  const platform = {
    gatewayUrl,
    logDir,
    children,
    /** Where a process (by name) serves its Prometheus metrics. */
    metricsUrl(name) {
      return `http://127.0.0.1:${children.get(name).spec.env.METRICS_PORT}/metrics`;
    },
    /** Stops every process gracefully (gateway first, so no request reaches a stopped service). */
    async stop() {
      for (const entry of [...children.values()].reverse()) await stopChild(entry);
    },
    /** Stops one process, e.g. with SIGKILL for crash tests. */
    async stopOne(name, signal = 'SIGTERM') {
      await stopChild(children.get(name), signal);
    },
    /** Starts a process that was stopped, with the same environment. */
    startOne(name) {
      const previous = children.get(name);
      children.set(name, startProcess(previous.spec, logDir, opts.inheritOutput));
    },
  };
  // a caller stopped while the platform starts (Ctrl-C during `npm start`) can stop what runs
  opts.onSpawned?.(platform);
  try {
    await waitReady(`${gatewayUrl}/readyz`, opts.readyTimeoutMs ?? 90_000, [...children.values()]);
  } catch (err) {
    await platform.stop();
    throw err;
  }
  return platform;
}

module.exports = { startPlatform, platformEnv };

if (require.main === module) {
  // handlers first: a signal while the services start must stop them too, not orphan them
  let platform;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('Stopping Ledgerline...\n');
    await platform?.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  startPlatform({
    inheritOutput: process.env.LEDGERLINE_LOGS === 'inherit',
    onSpawned: (started) => {
      platform = started;
    },
  })
    .then(() => {
      if (stopping) return;
      process.stdout.write(
        `\nLedgerline is up: gateway ${platform.gatewayUrl} (readiness ${platform.gatewayUrl}/readyz); logs in ${platform.logDir}\nPress Ctrl-C to stop.\n`,
      );
    })
    .catch((err) => {
      if (stopping) return;
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    });
}
