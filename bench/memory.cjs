'use strict';
/**
 * Memory per process: resident memory of every Ledgerline process at rest, under a mixed
 * authenticated load through the gateway, and after the load.
 *
 *   node bench/memory.cjs        (infra up: Kafka, FerretDB, Redis; services built)
 *
 * Starts the whole platform on ports of its own (services 23501-23505, gateway 23580) with its own
 * databases (`bench_<id>_*`, dropped at the end) and topic prefix, then:
 *   1. at rest: BENCH_REST_SECONDS (20) after the gateway reports ready, before any request;
 *   2. under load: a few tenants (created by the platform admin on a plan with credits), then for
 *      BENCH_LOAD_SECONDS (30) a closed loop of BENCH_CONCURRENCY (16) GETs of lists and details
 *      beside a steady stream of BENCH_WRITE_RATE (12/s) writes, at most BENCH_WRITES_IN_FLIGHT (8)
 *      unanswered: customers, invoices created as drafts and issued, payments with an
 *      Idempotency-Key, credit consumptions. RSS is sampled every second; the median and the
 *      peak of the samples are reported, with each request kind's count and latency;
 *   3. after: BENCH_AFTER_SECONDS (80) after the last request answered: a process that has served
 *      load gives its young generation back after 60 s at rest (IDLE_HEAP_REST_MS), so this reads
 *      memory after that.
 * VmRSS and VmHWM come from /proc/<pid>/status of the processes scripts/platform.cjs spawned;
 * Kafka, FerretDB and Redis are read from .infra/run/*.pid when those exist. Any answer that is
 * not 2xx counts as an error and makes the exit code 1. BENCH_LOG_LEVEL (warn) is the services' log
 * level: at debug their logs (.run/bench-logs/<run>/) show each 'idle: heap reduced'.
 */
const { dropRunData, warnIfBrokerCrowded } = require('./support/run-data.cjs');
const { provenance, writeResults } = require('./support/results.cjs');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { setInterval, clearInterval } = require('node:timers');

const ROOT = path.resolve(__dirname, '..');
const { startPlatform } = require(path.join(ROOT, 'scripts', 'platform.cjs'));

const BASE_PORT = 23500; // services on 23501..23505
const GATEWAY_PORT = 23580;
const REST_SECONDS = Number(process.env.BENCH_REST_SECONDS ?? 20);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
const AFTER_SECONDS = Number(process.env.BENCH_AFTER_SECONDS ?? 80);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WRITE_RATE = Number(process.env.BENCH_WRITE_RATE ?? 12);
const WRITES_IN_FLIGHT = Number(process.env.BENCH_WRITES_IN_FLIGHT ?? 8);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 3);
const SEED_CUSTOMERS = 5;
const SEED_INVOICES = 5;
const PASSWORD = 'a long memory bench password';

/** The platform's processes, in the order of the table, with the name scripts/platform.cjs uses. */
const PROCESSES = [
  ['gateway', 'gateway'],
  ['auth', 'auth'],
  ['tenants', 'tenants'],
  ['customers', 'customers'],
  ['billing API', 'billing'],
  ['billing worker', 'billing-worker'],
  ['payments', 'payments'],
  ['webhooks', 'webhooks'],
];
const INFRA = [
  ['Kafka', 'kafka'],
  ['FerretDB', 'mongo'],
  ['Redis', 'redis'],
];

let interrupted = false;
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const step = () => {
  if (interrupted) throw new Error('interrupted');
};

// ---------------------------------------------------------------------------------------------
// Memory from /proc.

/** VmRSS and VmHWM of a process in KiB, or null once it is gone. */
function memoryOf(pid) {
  let status;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** The infra servers' pids from the files scripts/infra writes, when they name a live process. */
function infraPids() {
  const pids = {};
  for (const [label, file] of INFRA) {
    try {
      const pid = Number(fs.readFileSync(path.join(ROOT, '.infra', 'run', `${file}.pid`), 'utf8'));
      if (pid > 0 && memoryOf(pid)) pids[label] = pid;
    } catch {
      // not started by scripts/infra here: left out of the table
    }
  }
  return pids;
}

function snapshot(pids) {
  return Object.fromEntries(Object.entries(pids).map(([label, pid]) => [label, memoryOf(pid)]));
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// ---------------------------------------------------------------------------------------------
// HTTP through the gateway: one keep-alive agent, so the load measures the services and not
// connection set-up.

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 64 });

function send(method, urlPath, { token, body, headers = {}, parse = true } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: GATEWAY_PORT,
        method,
        path: urlPath,
        agent,
        headers: {
          ...(payload !== undefined && {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          }),
          ...(token && { authorization: `Bearer ${token}` }),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.once('end', () => {
          let json;
          if (parse || res.statusCode >= 300) {
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode, body: json });
        });
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}

/** Set-up calls: anything but a 2xx stops the run. */
async function api(method, urlPath, token, body) {
  const res = await send(method, urlPath, { token, body });
  if (res.status >= 300)
    throw new Error(`${method} ${urlPath} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data;
}

async function eventually(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    step();
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------
// Set-up: tenants with customers, issued invoices, payments and credits to read and write.

async function seedTenants(id) {
  const admin = (
    await api('POST', '/api/auth', undefined, { username: 'admin', password: 'ledgerline-admin' })
  ).token;
  const plan = await api('POST', '/api/saas/plans', admin, {
    name: `Memory bench ${id}`,
    price_monthly: '10.00',
    price_yearly: '100.00',
    billing_cycle: 'monthly',
    trial_enabled: false,
    limits: { credits: 100_000_000 }, // consumptions must never run out during the load
  });
  const tenants = [];
  for (let t = 0; t < TENANTS; t++) {
    step();
    const subdomain = `mem${id}${t}`;
    const email = `${subdomain}@example.com`;
    await api('POST', '/api/saas/tenants', admin, {
      company_name: `Memory Bench ${t}`,
      email,
      first_name: 'Mem',
      last_name: 'Bench',
      plan_id: plan.id,
      subdomain,
      password: PASSWORD,
    });
    const session = await api('POST', '/api/auth/login', undefined, {
      username: email,
      password: PASSWORD,
    });
    const tenant = {
      id: session.tenant.id,
      token: session.token,
      customers: [],
      invoices: [],
      payments: [],
    };
    for (let i = 0; i < SEED_CUSTOMERS; i++) await createCustomer(tenant, i);
    for (let i = 0; i < SEED_INVOICES; i++) await createAndIssueInvoice(tenant);
    for (let i = 0; i < SEED_INVOICES; i++) await pay(tenant);
    tenants.push(tenant);
  }
  // The plan's credits are granted by the billing worker from TenantPlanChanged.
  for (const tenant of tenants)
    await eventually('the plan credits', async () => {
      const balance = await api('GET', '/v1/billing/credits/balance/balance/', tenant.token);
      return balance.credits > 0;
    });
  return tenants;
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

/** Each write answers through `api`, so a refusal throws with its status and body. */
async function createCustomer(tenant, n) {
  const customer = await api('POST', '/api/customers/customers/', tenant.token, {
    customer_name: `Bench Customer ${n}`,
    customer_type: 'bw',
  });
  tenant.customers.push(customer.id);
}

async function createAndIssueInvoice(tenant) {
  const draft = await api('POST', '/api/bills/invoices/', tenant.token, {
    customer_id: pick(tenant.customers),
    currency: 'USD',
    details: [{ sub_total: '100000.00' }, { sub_total: '250.50', vat_rate: '15' }],
  });
  await api('PATCH', `/api/bills/invoices/${draft.id}/`, tenant.token, { status: 'unpaid' });
  tenant.invoices.push(draft.id);
}

async function pay(tenant) {
  // 1.00 against a balance over 100,000.00: the load never settles an invoice.
  const res = await send('POST', '/api/payments/payments/', {
    token: tenant.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { invoice_master_id: pick(tenant.invoices), payment_method: 'cash', amount: '1.00' },
  });
  if (res.status !== 201)
    throw new Error(
      `POST /api/payments/payments/ answered ${res.status}: ${JSON.stringify(res.body)}`,
    );
  tenant.payments.push(res.body.data.id);
}

async function consumeCredits(tenant) {
  await api('POST', '/v1/billing/credits/usage/', tenant.token, {
    operation_type: 'memory_bench',
    credits: 1,
    description: 'bench',
  });
}

// ---------------------------------------------------------------------------------------------
// The load.

const READS = [
  ['customers list', () => '/api/customers/customers/?per_page=25'],
  ['customer', (t) => `/api/customers/customers/${pick(t.customers)}/`],
  ['invoices list', () => '/api/bills/invoices/?per_page=25'],
  ['invoice', (t) => `/api/bills/invoices/${pick(t.invoices)}/`],
  ['payments list', () => '/api/payments/payments/?per_page=25'],
  ['payment', (t) => `/api/payments/payments/${pick(t.payments)}/`],
  ['credit balance', () => '/v1/billing/credits/balance/balance/'],
  ['credit transactions', () => '/v1/billing/transactions/?per_page=25'],
  ['me', () => '/api/auth/me'],
  ['subscription', (t) => `/api/saas/tenants/${t.id}/subscription`],
];

const WRITES = [
  ['customer', (t) => createCustomer(t, t.customers.length)],
  ['invoice (create + issue)', createAndIssueInvoice],
  ['payment', pay],
  ['credit consumption', consumeCredits],
];

async function runLoad(tenants, pidsNow) {
  const errors = new Map(); // "what: message" -> count
  const fail = (what, err) => {
    const key = `${what}: ${err.message.slice(0, 160)}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
  };
  const kinds = new Map(); // "GET customer" -> { requests, ms: [...] } of the ones that succeeded
  const done = (what, requests, startedNs) => {
    const kind = kinds.get(what) ?? { requests: 0, ms: [] };
    kind.requests += requests;
    kind.ms.push(Number(process.hrtime.bigint() - startedNs) / 1e6);
    kinds.set(what, kind);
  };
  const samples = {};
  const sample = () => {
    for (const [label, mem] of Object.entries(snapshot(pidsNow())))
      if (mem) (samples[label] ??= []).push(mem.rss);
  };

  const endAt = Date.now() + LOAD_SECONDS * 1000;
  const running = () => Date.now() < endAt && !interrupted;
  const t0 = process.hrtime.bigint();
  const loadavgBefore = os.loadavg()[0];

  const reader = async () => {
    while (running()) {
      const tenant = pick(tenants);
      const [what, urlFor] = pick(READS);
      const started = process.hrtime.bigint();
      try {
        const res = await send('GET', urlFor(tenant), { token: tenant.token, parse: false });
        if (res.status !== 200) fail(`GET ${what}`, new Error(`${res.status} ${res.body?.error}`));
        else done(`GET ${what}`, 1, started);
      } catch (err) {
        fail(`GET ${what}`, err);
      }
    }
  };

  // Writes go out at a steady rate whatever the reads do, round-robin over kinds and tenants,
  // with at most WRITES_IN_FLIGHT unanswered: on a machine too busy to keep up, the rate drops
  // instead of a queue growing until the gateway's upstream timeout answers 504. An invoice is two
  // requests (create, then issue), timed together.
  const writes = new Set();
  const interval = 1000 / WRITE_RATE;
  const writer = async () => {
    let due = Date.now();
    for (let i = 0; running(); i++) {
      due += interval;
      if (due > Date.now()) await sleep(due - Date.now());
      while (writes.size >= WRITES_IN_FLIGHT) await Promise.race(writes);
      if (!running()) break;
      if (Date.now() - due > interval) due = Date.now(); // fell behind: no burst to catch up
      const [what, write] = WRITES[i % WRITES.length];
      const tenant = tenants[Math.floor(i / WRITES.length) % tenants.length];
      const started = process.hrtime.bigint();
      const pending = write(tenant)
        .then(() => done(`POST ${what}`, what.startsWith('invoice') ? 2 : 1, started))
        .catch((err) => fail(`POST ${what}`, err))
        .finally(() => writes.delete(pending));
      writes.add(pending);
    }
  };

  sample();
  const sampler = setInterval(sample, 1000);
  try {
    await Promise.all([...Array.from({ length: CONCURRENCY }, reader), writer()]);
    await Promise.all([...writes]);
  } finally {
    clearInterval(sampler);
  }
  sample();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // The machine is shared: how busy it was tells how far the latencies are the platform's own.
  return { samples, kinds, seconds, errors, loadavg: [loadavgBefore, os.loadavg()[0]] };
}

// ---------------------------------------------------------------------------------------------
// Report.

const mib = (kib) =>
  kib === undefined || kib === null || Number.isNaN(kib) ? '—' : (kib / 1024).toFixed(1);

function table(labels, rest, load, after) {
  const rows = labels.map((label) => {
    const s = load.samples[label] ?? [];
    return [
      label,
      mib(rest[label]?.rss),
      mib(s.length ? median(s) : undefined),
      mib(s.length ? Math.max(...s) : undefined),
      mib(after[label]?.rss),
      mib(after[label]?.hwm),
    ];
  });
  return rows;
}

const MEMORY_HEADER = [
  'process',
  'at rest MiB',
  'under load median MiB',
  'under load peak MiB',
  'after MiB',
  'VmHWM MiB',
];

function markdown(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map((h, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map(line),
  ].join('\n');
}

function sumRow(label, labels, rest, load, after) {
  const total = (snap, field) => labels.reduce((sum, l) => sum + (snap[l]?.[field] ?? 0), 0);
  // the per-second samples line up across processes, so the sum of each second is meaningful
  const perSecond = (load.samples[labels[0]] ?? []).map((_, i) =>
    labels.reduce((sum, l) => sum + (load.samples[l]?.[i] ?? 0), 0),
  );
  return [
    label,
    mib(total(rest, 'rss')),
    mib(median(perSecond)),
    mib(Math.max(...perSecond)),
    mib(total(after, 'rss')),
    mib(total(after, 'hwm')),
  ];
}

const SETTINGS = {
  rest_seconds: REST_SECONDS,
  load_seconds: LOAD_SECONDS,
  after_seconds: AFTER_SECONDS,
  concurrency: CONCURRENCY,
  write_rate: WRITE_RATE,
  tenants: TENANTS,
};

const mibNumber = (kib) => Number(((kib ?? 0) / 1024).toFixed(1));
const key = (label) => label.toLowerCase().replace(/[^a-z]+/g, '_');

/** Flat figures: the platform's processes together and each one, at rest and at its peak under load. */
function memorySummary(labels, rest, load, after, counts) {
  const perSecond = (load.samples[labels[0]] ?? []).map((_, i) =>
    labels.reduce((sum, l) => sum + (load.samples[l]?.[i] ?? 0), 0),
  );
  const summary = {
    rest_total_mib: mibNumber(labels.reduce((sum, l) => sum + (rest[l]?.rss ?? 0), 0)),
    load_peak_total_mib: mibNumber(Math.max(0, ...perSecond)),
    after_total_mib: mibNumber(labels.reduce((sum, l) => sum + (after[l]?.rss ?? 0), 0)),
    requests: counts.requests,
    errors: counts.errors,
  };
  for (const label of labels) {
    summary[`${key(label)}_rest_mib`] = mibNumber(rest[label]?.rss);
    summary[`${key(label)}_peak_mib`] = mibNumber(Math.max(0, ...(load.samples[label] ?? [])));
  }
  return summary;
}

function machineLine() {
  const { commit, uncommitted, machine } = provenance();
  return [
    `machine: ${machine.cores} cores (${machine.cpu ?? 'unknown CPU'})`,
    `${machine.memory_gib} GiB RAM`,
    `Node ${machine.node}`,
    new Date().toISOString(),
    `commit ${commit ?? 'unknown'}${uncommitted.length ? ' (+ uncommitted changes in services/libs/scripts)' : ''}`,
  ].join(', ');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => {
      log(`${signal}: stopping after the current step`);
      interrupted = true;
      process.exitCode = 130;
    });
  if (!fs.existsSync(path.join(ROOT, 'services/gateway/dist/main.js')))
    throw new Error('no build: run `npx turbo run build` first');

  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const dbPrefix = `bench_${id}`;
  log(
    `starting the platform (gateway :${GATEWAY_PORT}, services :${BASE_PORT + 1}-${BASE_PORT + 5})`,
  );
  // a service that started may have created its database and topics
  const topicPrefix = `${dbPrefix}.`;
  const dropOwnData = () => dropRunData({ dbPrefix, topicPrefix }, log);
  await warnIfBrokerCrowded(log);
  const platform = await startPlatform({
    basePort: BASE_PORT,
    gatewayPort: GATEWAY_PORT,
    dbPrefix,
    topicPrefix,
    logDir: path.join(ROOT, '.run', 'bench-logs', id),
    // warn: successful requests are logged at debug, so the load writes no log lines.
    env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
    envFor: {
      gateway: {
        RATE_LIMIT_IP_PER_MINUTE: '1000000000',
        RATE_LIMIT_TENANT_PER_MINUTE: '1000000000',
        RATE_LIMIT_CREDENTIAL_IP_PER_MINUTE: '1000000',
        RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: '1000000',
      },
    },
  }).catch(async (err) => {
    await dropOwnData();
    throw err;
  });
  try {
    const pids = Object.fromEntries(
      PROCESSES.map(([label, name]) => [label, platform.children.get(name).child.pid]),
    );
    // The infra is shared: another session may restart a server, so its pid file is read anew
    // at every sample, and a change is reported.
    const infraSeen = new Map(); // label -> every pid its pid file named
    const pidsNow = () => {
      const infra = infraPids();
      for (const [label, pid] of Object.entries(infra))
        infraSeen.set(label, new Set([...(infraSeen.get(label) ?? []), pid]));
      return { ...pids, ...infra };
    };

    log(`idle for ${REST_SECONDS} s`);
    await sleep(REST_SECONDS * 1000);
    step();
    const rest = snapshot(pidsNow());

    log(`seeding ${TENANTS} tenants`);
    const tenants = await seedTenants(id);
    step();

    log(
      `load for ${LOAD_SECONDS} s: ${CONCURRENCY} concurrent GETs + ${WRITE_RATE} writes/s through the gateway`,
    );
    const load = await runLoad(tenants, pidsNow);
    step();
    log(`load done; idle for ${AFTER_SECONDS} s`);
    await sleep(AFTER_SECONDS * 1000);
    step();
    const after = snapshot(pidsNow());

    const serviceLabels = PROCESSES.map(([label]) => label);
    const rows = table(serviceLabels, rest, load, after);
    rows.push(sumRow('**all eight**', serviceLabels, rest, load, after));
    const infraLabels = INFRA.map(([label]) => label).filter((label) => infraSeen.has(label));
    const errorCount = [...load.errors.values()].reduce((a, b) => a + b, 0);
    const out = [
      '',
      `Resident memory (VmRSS) per process: at rest (${REST_SECONDS} s after ready, before any request), ` +
        `under load (${LOAD_SECONDS} s, ${TENANTS} tenants, ${CONCURRENCY} concurrent GETs + up to ${WRITE_RATE} writes/s (${WRITES_IN_FLIGHT} in flight), ` +
        `sampled every second), after (${AFTER_SECONDS} s idle after the load). VmHWM = peak RSS since start.`,
      '',
      markdown(MEMORY_HEADER, rows),
      '',
    ];
    if (infraLabels.length)
      out.push(
        'Shared infrastructure (also serving whatever else runs on the machine):',
        '',
        markdown(MEMORY_HEADER, table(infraLabels, rest, load, after)),
        '',
        ...infraLabels
          .filter((label) => infraSeen.get(label).size > 1)
          .map(
            (label) =>
              `${label} was restarted during the run (pids ${[...infraSeen.get(label)].join(', ')}): its row mixes them.`,
          ),
      );
    const kinds = [...load.kinds.entries()].sort(([a], [b]) => a.localeCompare(b));
    const requests = kinds.reduce((sum, [, k]) => sum + k.requests, 0);
    const reads = kinds
      .filter(([w]) => w.startsWith('GET'))
      .reduce((n, [, k]) => n + k.ms.length, 0);
    const ms = (x) => x.toFixed(0);
    out.push(
      `load: ${requests} requests answered 2xx in ${load.seconds.toFixed(1)} s = ${(requests / load.seconds).toFixed(0)} req/s ` +
        `(${reads} GETs, ${requests - reads} write requests); errors (non-2xx or failed): ${errorCount}; ` +
        `machine 1-min load average ${load.loadavg.map((l) => l.toFixed(1)).join(' -> ')} over the load`,
      '',
      markdown(
        ['request', 'n', 'p50 ms', 'p99 ms', 'max ms'],
        kinds.map(([what, k]) => {
          const sorted = k.ms.sort((a, b) => a - b);
          const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
          return [what, k.ms.length, ms(at(0.5)), ms(at(0.99)), ms(sorted.at(-1))];
        }),
      ),
      '',
      machineLine(),
      '',
    );
    const exited = PROCESSES.filter(
      ([, name]) => platform.children.get(name).child.exitCode !== null,
    );
    for (const [label] of exited)
      out.push(`${label} EXITED during the run: its figures stop there.`);
    if (errorCount || exited.length) process.exitCode = 1;
    if (errorCount) {
      out.push('errors:');
      for (const [what, n] of load.errors) out.push(`  ${n} × ${what}`);
      out.push('');
    }
    process.stdout.write(out.join('\n'));
    const file = writeResults(
      'memory',
      memorySummary(serviceLabels, rest, load, after, { requests, errors: errorCount }),
      { rest, after, samples: load.samples, settings: SETTINGS },
    );
    log(`results: ${path.relative(ROOT, file)}`);
  } finally {
    agent.destroy();
    await platform.stop();
    await dropOwnData();
  }
}

main().catch((err) => {
  if (interrupted) return log('interrupted');
  log(`FAILED: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
