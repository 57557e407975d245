'use strict';
/**
 * Billing-run throughput: invoices generated per second by a billing run with one and with two
 * billing workers, beside the store's raw bulk-insert rate (insertMany of equivalent invoice
 * documents into the same database server). Assumes the infrastructure is up and the services are
 * built; starts its own platform (ports 8500/8580, own databases and topics).
 *
 *   node bench/billing-run.cjs            (ENTITLEMENTS=5000 ROUNDS=1 WORKERS=1,2 by default)
 *
 * Besides invoices/s it reports the billing workers' CPU time per invoice (user+sys from
 * /proc/<pid>/stat around the run), the steadier figure on a shared machine. BENCH_CPU_PROF=1 also
 * writes a V8 profile of each billing worker into the platform's log directory (then no results
 * file: profiling slows the worker); `node bench/support/cpu-profile.cjs <file>` prints its top-N.
 * Writes bench/results/billing-run-<time>.json and bench/results/latest/billing-run.json (flat
 * `summary`: entitlements, one_worker_per_s, two_workers_per_s, raw_insert_per_s, ...).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execSync } = require('node:child_process');
const { MongoClient } = require('mongodb');
const { startPlatform } = require('../scripts/platform.cjs');
const { dropRunData, warnIfBrokerCrowded } = require('./support/run-data.cjs');
const {
  cpuMs,
  cpuOf,
  cpuPerOp,
  storeCommandsOf,
  commandsPerOp,
} = require('./support/processes.cjs');

const ROOT = path.resolve(__dirname, '..');
const ENTITLEMENTS = Number(process.env.ENTITLEMENTS ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 1);
const WORKERS = (process.env.WORKERS ?? '1,2').split(',').map(Number);
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function api(base, token, method, url, body) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: body && JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (res.status === 409 && /busy/.test(json.error ?? '') && attempt < 5) continue;
    // auth limits registrations per address (in Redis, so across runs): wait for the window
    if (res.status === 429 && attempt < 8) {
      await sleep(10_000);
      continue;
    }
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${json.error}`);
    return json.data;
  }
}

/**
 * A tenant with `n` entitlements (one bandwidth row each), known to billing. Made through the API
 * only for the first few (one per customer): making thousands that way takes longer than the run
 * measured. The rest are copies of those rows written straight into billing's entitlement copy,
 * exactly as its consumer stores them (a run bills from that copy and never asks customers).
 */
async function tenantWithEntitlements(base, db, label, n) {
  const username = `${label}${Date.now().toString(36)}`;
  await api(base, null, 'POST', '/api/auth/register', {
    username,
    password: 'correct horse battery staple',
    email: `${username}@example.com`,
    full_name: 'Bench',
    type: 'organization',
    organization_name: `${label} Ltd`,
  });
  const login = await api(base, null, 'POST', '/api/auth/login', {
    username,
    password: 'correct horse battery staple',
  });
  const token = login.token;
  const tenantId = login.tenant.id;
  const lanes = Math.min(6, n);
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      const customer = await api(base, token, 'POST', '/api/customers/customers/', {
        customer_name: `Bench ${lane}`,
        customer_type: 'bw',
      });
      const e = await api(base, token, 'POST', '/api/customers/entitlements/', {
        customer_master_id: customer.id,
        bill_number: `BENCH-${lane}`,
      });
      await api(base, token, 'POST', `/api/customers/entitlements/${e.id}/details/`, {
        entitlement_master_id: e.id,
        bandwidth_details: [
          {
            bandwidth_type: 'ipt',
            mbps: 10,
            unit_price: 20,
            start_date: '2025-01-01',
            status: 'active',
            is_active: true,
          },
        ],
      });
    }),
  );
  const copy = db.collection('entitlement_details');
  let rows;
  while ((rows = await copy.find({ tenant_id: tenantId }).toArray()).length < lanes)
    await sleep(250);
  const clones = [];
  for (let i = lanes; i < n; i++) {
    const row = rows[i % lanes];
    const detailId = `end_bench${String(i).padStart(7, '0')}`;
    clones.push({
      ...row,
      _id: `${tenantId}:${detailId}`,
      detail_id: detailId,
      entitlement_id: `ent_bench${String(i).padStart(7, '0')}`,
      bill_number: `BENCH-${i}`,
    });
  }
  for (let i = 0; i < clones.length; i += 1000)
    await copy.insertMany(clones.slice(i, i + 1000), { ordered: false });
  return { token, tenantId };
}

/** CPU milliseconds (user+sys) a process has used so far. */
function workerPids(platform) {
  return [...platform.children.values()]
    .filter((c) => c.name.startsWith('billing-worker'))
    .map((c) => c.child.pid);
}

/** Invoices per second of one billing run (issued, gapless numbers), from 202 to completed. */
async function runRate(base, token) {
  const started = Date.now();
  const run = await api(base, token, 'POST', '/api/bills/billing-runs/', {
    period_start: '2025-01-01',
    period_end: '2025-01-31',
    issue: true,
  });
  let shown = Date.now();
  for (;;) {
    const now = await api(base, token, 'GET', `/api/bills/billing-runs/${run.id}/`);
    if (Date.now() - shown > 10_000) {
      shown = Date.now();
      console.log(`  ${Math.round((shown - started) / 1000)} s: ${now.generated} invoices`);
    }
    if (now.status.startsWith('completed')) {
      if (now.generated !== ENTITLEMENTS) throw new Error(`run made ${now.generated} invoices`);
      return ENTITLEMENTS / ((Date.now() - started) / 1000);
    }
    await sleep(200);
  }
}

/**
 * FerretDB's command counters (`serverStatus.metrics.commands`, totals since it started). They
 * count every database on the server, so on a shared machine other work adds to them.
 */
async function storeCommands(client) {
  const status = await client.db('admin').command({ serverStatus: 1 });
  const counts = {};
  for (const [name, c] of Object.entries(status.metrics?.commands ?? {}))
    if (Number(c.total)) counts[name] = Number(c.total);
  return counts;
}

/** Commands per invoice between two readings, by name (only those that grew). */
function commandsPer(before, after, n) {
  const per = {};
  for (const [name, total] of Object.entries(after)) {
    const d = total - (before[name] ?? 0);
    if (d > 0) per[name] = Number((d / n).toFixed(2));
  }
  return per;
}

/** insertMany of invoice-shaped documents: the store's ceiling on this server. */
async function rawInsertRate(client, dbName) {
  const coll = client.db(dbName).collection('bench_raw_invoices');
  const docs = Array.from({ length: ENTITLEMENTS }, (_, i) => ({
    _id: `raw_${Date.now()}_${i}`,
    tenant_id: 'bench',
    invoice_number: `INV-${String(i + 1).padStart(6, '0')}`,
    number_seq: i + 1,
    number_key: `INV-${i + 1}`,
    status: 'unpaid',
    currency: 'USD',
    details: [
      {
        id: `l${i}`,
        sub_total_minor: 20000,
        vat_rate: 0,
        discount_rate: 0,
        vat_minor: 0,
        discount_minor: 0,
        line_total_minor: 20000,
      },
    ],
    sub_total_minor: 20000,
    vat_minor: 0,
    discount_minor: 0,
    total_minor: 20000,
    paid_minor: 0,
    balance_due_minor: 20000,
    _outbox: [{ id: `e${i}`, type: 'InvoiceCreated' }],
    _outbox_pending: true,
    created_at: new Date(),
  }));
  const started = Date.now();
  await coll.insertMany(docs, { ordered: false });
  const rate = ENTITLEMENTS / ((Date.now() - started) / 1000);
  await coll.drop().catch(() => undefined);
  return rate;
}

async function main() {
  const id = `bench${Date.now().toString(36)}`;
  const client = await MongoClient.connect(MONGO_URL);
  await warnIfBrokerCrowded((m) => console.error(m));
  const results = {
    ...{ one: [], two: [], raw: [], cpu1: [], cpu2: [], cmd1: [], cmd2: [] },
    ...{ all1: [], all2: [], run_cmd1: [], run_cmd2: [] },
  };
  for (const workers of WORKERS) {
    const logDir = path.join(ROOT, '.run', 'bench-logs', `${id}-${workers}`);
    const platform = await startWithRetry({
      basePort: 8500,
      gatewayPort: 8580,
      dbPrefix: `${id}_${workers}`,
      topicPrefix: `${id}${workers}.`,
      logDir,
      billingWorkers: workers,
      env: {
        LOG_LEVEL: 'warn',
        OUTBOX_INTERVAL_MS: '500',
        STORE_COMMAND_METRICS: '1',
        RATE_LIMIT_IP_PER_MINUTE: '1000000',
        RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
      },
      envFor: {
        gateway: { UPSTREAM_TIMEOUT_MS: '60000' },
        ...Object.fromEntries(
          ['billing-worker', 'billing-worker-2'].map((name) => [
            name,
            CPU_PROF ? profEnv(logDir) : {},
          ]),
        ),
      },
    });
    try {
      const db = client.db(`${id}_${workers}_billing`);
      for (let round = 0; round < ROUNDS; round++) {
        const { token } = await tenantWithEntitlements(
          platform.gatewayUrl,
          db,
          `bench${workers}r${round}`,
          ENTITLEMENTS,
        );
        const pids = workerPids(platform);
        const cpuBefore = pids.map(cpuMs);
        const allBefore = cpuOf(platform);
        const commandsBefore = await storeCommands(client);
        const byProcessBefore = await storeCommandsOf(platform);
        results[workers === 1 ? 'one' : 'two'].push(await runRate(platform.gatewayUrl, token));
        const cpu = pids.reduce((sum, pid, i) => sum + cpuMs(pid) - cpuBefore[i], 0);
        results[`cpu${workers}`].push(cpu / ENTITLEMENTS);
        // every process from 202 to completed, the infrastructure's servers included
        const during = cpuPerOp(allBefore, cpuOf(platform), ENTITLEMENTS);
        console.log(
          `  CPU ms per invoice during the run (${workers} worker(s)):`,
          JSON.stringify(during),
        );
        results[`all${workers}`].push(during);
        const runCommands = commandsPerOp(
          byProcessBefore,
          await storeCommandsOf(platform),
          ENTITLEMENTS,
        );
        console.log(
          '  store commands per invoice during the run, by process:',
          JSON.stringify(runCommands.perProcess),
        );
        console.log(
          '  busiest:',
          JSON.stringify(Object.fromEntries(Object.entries(runCommands.detail).slice(0, 12))),
        );
        results[`run_cmd${workers}`].push(runCommands);
        // the consumers (customers' totals, ledger, ...) finish after the run: let them settle
        await sleep(Number(process.env.BENCH_SETTLE_MS ?? 20000));
        const per = commandsPer(commandsBefore, await storeCommands(client), ENTITLEMENTS);
        console.log(`  store commands per invoice (${workers} worker(s)):`, JSON.stringify(per));
        results[`cmd${workers}`].push(per);
        results.raw.push(await rawInsertRate(client, `${id}_${workers}_billing`));
      }
    } finally {
      await platform.stop();
      await dropRunData({ dbPrefix: `${id}_${workers}`, topicPrefix: `${id}${workers}.` }, (m) =>
        console.error(m),
      );
      if (CPU_PROF) console.log(`worker CPU profiles (*.cpuprofile) in ${logDir}`);
    }
  }
  await client.close();
  const fig = (xs, digits = 1) => (xs.length ? Number(median(xs).toFixed(digits)) : null);
  const summary = {
    entitlements: ENTITLEMENTS,
    rounds: ROUNDS,
    one_worker_per_s: fig(results.one),
    two_workers_per_s: fig(results.two),
    two_over_one:
      results.one.length && results.two.length
        ? fig([median(results.two) / median(results.one)], 2)
        : null,
    raw_insert_per_s: fig(results.raw),
    one_worker_cpu_ms_per_invoice: fig(results.cpu1, 2),
    two_workers_cpu_ms_per_invoice: fig(results.cpu2, 2),
    one_worker_store_commands_per_invoice: totalCommands(results.cmd1),
    two_workers_store_commands_per_invoice: totalCommands(results.cmd2),
    one_worker_platform_cpu_ms_per_invoice: fig(
      results.all1.map((a) => a.total),
      2,
    ),
    two_workers_platform_cpu_ms_per_invoice: fig(
      results.all2.map((a) => a.total),
      2,
    ),
  };
  console.log(`\n${ENTITLEMENTS} entitlements per run, ${ROUNDS} round(s); medians`);
  for (const [name, value] of Object.entries(summary)) console.log(`${name.padEnd(34)} ${value}`);
  if (!CPU_PROF) writeResults(summary, results);
}

/** Median over rounds of all store commands per invoice (FerretDB's counters, see storeCommands). */
function totalCommands(rounds) {
  if (!rounds.length) return null;
  const sums = rounds.map((per) => Object.values(per).reduce((a, b) => a + b, 0));
  return Number(median(sums).toFixed(1));
}

/**
 * The platform's ports lie in Linux's ephemeral range, so an outgoing connection of any process
 * on the machine can hold one for a moment (EADDRINUSE at start): start again, a few times.
 */
async function startWithRetry(opts) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPlatform(opts);
    } catch (err) {
      if (attempt >= 3) throw err;
      console.error(`platform start failed (${err.message}); starting again`);
      await sleep(5000);
    }
  }
}

/** Preloads the profiler into a billing worker (written when the worker exits). */
function profEnv(logDir) {
  return {
    NODE_OPTIONS: `--require ${path.join(__dirname, 'support', 'cpu-profile.cjs')}`,
    BENCH_CPU_PROF_DIR: logDir,
  };
}

function writeResults(summary, rounds) {
  const at = new Date().toISOString();
  const git = (cmd) => execSync(cmd, { cwd: ROOT }).toString().trim();
  const out = {
    name: 'billing-run',
    at,
    commit: git('git rev-parse --short HEAD'),
    uncommitted: git('git status --porcelain -- services libs scripts').split('\n').filter(Boolean),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, load: os.loadavg() },
    summary,
    rounds,
  };
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(path.join(dir, 'latest'), { recursive: true });
  const stamp = at.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  fs.writeFileSync(path.join(dir, `billing-run-${stamp}.json`), JSON.stringify(out, null, 2));
  fs.writeFileSync(path.join(dir, 'latest', 'billing-run.json'), JSON.stringify(out, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
