'use strict';
/**
 * Gateway overhead: the latency and CPU the gateway adds to one authenticated read.
 *
 *   node bench/gateway-overhead.cjs
 *
 * Starts the local infra (if not running) and the whole platform on ports of its own, creates one
 * invoice, then sends the same `GET /api/bills/invoices/{id}/` with the same load generator
 * straight to billing, through the gateway, and through nginx (Debian's, installed with apt-get if
 * missing) proxying the same upstream with no authentication, in interleaved rounds. Prints a table and writes
 * bench/results/gateway-overhead-<date>.json. Knobs (environment): BENCH_REQUESTS (3000),
 * BENCH_WARMUP (300), BENCH_CONCURRENCY (16), BENCH_ROUNDS (3), BENCH_REST_SECONDS (20: how long
 * after start the resident memory of the gateway and billing is read, before any request). BENCH_CPU_PROF=1 also writes a V8
 * CPU profile of the gateway into the run's log folder (and no results file: profiling skews them).
 * BENCH_GATEWAY_B=<folder with another build's gateway main.js, or a script> also starts that gateway (same
 * environment, port 25582) as a fourth path, `gateway_b`: two builds compared in the same run
 * (bench/bare-proxy.cjs: the floor of a Node proxy, with none of the gateway's work).
 */
const { dropRunData, warnIfBrokerCrowded } = require('./support/run-data.cjs');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { startPlatform } = require(path.join(ROOT, 'scripts', 'platform.cjs'));

const BASE_PORT = 25500; // services on 25501..25505, away from npm start (4000) and the e2e tests
const GATEWAY_PORT = 25580;
const NGINX_PORT = 25581; // nginx (Debian) proxying the same billing upstream, for comparison
const BILLING_PORT = BASE_PORT + 4;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const REST_SECONDS = Number(process.env.BENCH_REST_SECONDS ?? 20);
const GATEWAY_B_DIR = process.env.BENCH_GATEWAY_B;
const GATEWAY_B_PORT = 25582; // BENCH_GATEWAY_B: a second gateway build beside the first
const STARTED_FILE = path.join(ROOT, '.run', 'infra-started-by-bench.txt');

let interrupted = false;

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const sh = (cmd, args, stdio = 'inherit') =>
  execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio });

// ---------------------------------------------------------------------------------------------
// Load generator: a closed loop of CONCURRENCY workers over one keep-alive agent per target, so
// both paths pay exactly the same client cost and no connection set-up is measured.

function getOnce(agent, port, urlPath, token) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        agent,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.once('end', () => {
          // A benchmark of error answers (401, 429, 503) would be meaningless: stop instead.
          if (res.statusCode !== 200)
            reject(new Error(`GET ${urlPath} on :${port} answered ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - t0) / 1000); // µs
        });
      },
    );
    req.once('error', reject);
  });
}

async function load(target, n) {
  let next = 0;
  const latencies = new Array(n);
  const worker = async () => {
    while (next < n) {
      if (interrupted) throw new Error('interrupted');
      const i = next++;
      latencies[i] = await getOnce(target.agent, target.port, target.path, target.token);
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { latencies, rps: n / wallSeconds };
}

// ---------------------------------------------------------------------------------------------
// Statistics and process CPU time.

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]; // nearest rank
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const CLK_TCK = Number(sh('getconf', ['CLK_TCK'], 'pipe').trim()) || 100;

/**
 * CPU time of a process in µs, from /proc/<pid>/stat (utime, stime in clock ticks): user+sys, or
 * with `kernelOnly` sys alone (the socket system calls' share).
 */
function cpuMicros(pid, kernelOnly = false) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after it are space-separated from 3 on.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (kernelOnly ? 0 : Number(fields[14 - 3])) + Number(fields[15 - 3]);
  return (ticks * 1e6) / CLK_TCK;
}

/** Resident memory of a process in MiB (VmRSS from /proc/<pid>/status). */
function rssMiB(pid) {
  const kib = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round((Number(kib) / 1024) * 10) / 10;
}

// ---------------------------------------------------------------------------------------------
// Set-up through the public API, as a client would.

async function api(method, url, body, token) {
  const res = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body && JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${JSON.stringify(json)}`);
  return json.data;
}

async function seed(gatewayUrl, id) {
  const username = `bench${id}`;
  const password = 'a long benchmark password';
  await api('POST', `${gatewayUrl}/api/auth/register`, {
    username,
    password,
    email: `${username}@example.com`,
    full_name: 'Bench Mark',
    type: 'organization',
    organization_name: 'Bench Ltd',
  });
  const { token } = await api('POST', `${gatewayUrl}/api/auth`, { username, password });
  const invoice = await api(
    'POST',
    `${gatewayUrl}/api/bills/invoices/`,
    { status: 'unpaid', currency: 'USD', details: [{ sub_total: '10.00' }] },
    token,
  );
  return { token, invoiceId: invoice.id };
}

// ---------------------------------------------------------------------------------------------

function summarize(target, rounds) {
  const mine = rounds.filter((r) => r.target === target);
  const total = (proc) => mine.reduce((sum, r) => sum + (r.cpu_us[proc] ?? 0), 0);
  const requests = mine.length * REQUESTS;
  return {
    p50_ms: median(mine.map((r) => r.p50_ms)),
    p90_ms: median(mine.map((r) => r.p90_ms)),
    p99_ms: median(mine.map((r) => r.p99_ms)),
    rps: median(mine.map((r) => r.rps)),
    // CPU over all rounds of this target divided by all their requests: more ticks, less rounding.
    cpu_us_per_request: {
      gateway: total('gateway') / requests,
      nginx: total('nginx') / requests,
      billing: total('billing') / requests,
      gateway_b: total('gateway_b') / requests,
      gateway_sys: total('gateway_sys') / requests,
      nginx_sys: total('nginx_sys') / requests,
      billing_sys: total('billing_sys') / requests,
      load_generator: total('load_generator') / requests,
    },
  };
}

function printTable(summary) {
  const f = (x, d = 2) => x.toFixed(d).padStart(9);
  const row = (label, s, proxy) =>
    `${label.padEnd(22)}${f(s.p50_ms)}${f(s.p90_ms)}${f(s.p99_ms)}${f(s.rps, 0)}` +
    `${proxy ? f(s.cpu_us_per_request[proxy], 0) : '—'.padStart(9)}${f(s.cpu_us_per_request.billing, 0)}`;
  const lines = [
    '',
    `GET /api/bills/invoices/{id}/ (authenticated), ${ROUNDS} rounds × ${REQUESTS} requests, concurrency ${CONCURRENCY}; medians over rounds`,
    '',
    `${''.padEnd(22)}${'p50 ms'.padStart(9)}${'p90 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'req/s'.padStart(9)}${'proxy µs'.padStart(9)}${'bill µs'.padStart(9)}`,
    row('direct to billing', summary.direct),
    row('through gateway', summary.gateway, 'gateway'),
    ...(summary.gateway_b ? [row('through gateway B', summary.gateway_b, 'gateway_b')] : []),
    row('through nginx', summary.nginx, 'nginx'),
    `${'added by gateway'.padEnd(22)}${f(summary.added.p50_ms)}${''.padStart(9)}${f(summary.added.p99_ms)}`,
    `${'added by nginx'.padEnd(22)}${f(summary.added_nginx.p50_ms)}${''.padStart(9)}${f(summary.added_nginx.p99_ms)}`,
    '',
    'proxy µs / bill µs: CPU time (user+sys) of the proxy (gateway, or nginx master+worker) / billing per request.',
    `of which in the kernel (sys): gateway ${summary.gateway.cpu_us_per_request.gateway_sys.toFixed(0)} µs, ` +
      `nginx ${summary.nginx.cpu_us_per_request.nginx_sys.toFixed(0)} µs, ` +
      `billing ${summary.direct.cpu_us_per_request.billing_sys.toFixed(0)} µs (direct).`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

async function main() {
  const cleanups = []; // run in reverse order, even on failure or Ctrl-C
  const cleanup = async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()();
      } catch (err) {
        log(`cleanup: ${err.message}`);
      }
    }
  };
  // Ctrl-C ends the run at the next step (the load loops check it), so that clean-up happens once,
  // in order, in `finally`, and never while the platform is half started. A second one kills.
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => {
      log(`${signal}: finishing the current step, then stopping what this run started`);
      interrupted = true;
      process.exitCode = 130;
    });
  const step = () => {
    if (interrupted) throw new Error('interrupted');
  };

  try {
    // Infra: reuse what runs, remember what this run started so only that is stopped.
    log('starting infra (reusing servers that already run)');
    cleanups.push(() => sh('bash', ['scripts/infra/down.sh', '--from', STARTED_FILE]));
    const exports = sh(
      'bash',
      ['scripts/infra/up.sh', STARTED_FILE],
      ['ignore', 'pipe', 'inherit'],
    );
    for (const [, key, value] of exports.matchAll(/^export (\w+)=(.*)$/gm))
      process.env[key] = value;

    if (!fs.existsSync(path.join(ROOT, 'services/gateway/dist/main.js'))) {
      log('no build found: npx turbo run build');
      sh('npx', ['turbo', 'run', 'build']);
    }

    step();
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const dbPrefix = `bench_${id}`;
    const topicPrefix = `${dbPrefix}.`;
    const logDir = path.join(ROOT, '.run', 'bench-logs', id);
    log(
      `starting the platform (gateway :${GATEWAY_PORT}, services :${BASE_PORT + 1}-${BASE_PORT + 5})`,
    );
    await warnIfBrokerCrowded(log);
    const platformStarted = Date.now();
    const platform = await startPlatform({
      basePort: BASE_PORT,
      gatewayPort: GATEWAY_PORT,
      dbPrefix,
      topicPrefix,
      logDir,
      // warn: successful requests are logged at debug, so the hot path writes no log lines.
      env: { LOG_LEVEL: 'warn' },
      envFor: { gateway: gatewayEnv(logDir), billing: profileEnv(logDir) },
    });
    cleanups.push(() => dropRunData({ dbPrefix, topicPrefix }, log));
    cleanups.push(() => platform.stop());
    const gatewayB = GATEWAY_B_DIR ? await startGatewayB(platform, logDir) : undefined;
    if (gatewayB) cleanups.push(() => gatewayB.stop());
    step();
    const nginx = await startNginx(logDir);
    cleanups.push(() => nginx.stop());
    step();

    // resident memory at rest: ready, nothing asked yet (the issue: no more than before)
    await new Promise((r) => setTimeout(r, REST_SECONDS * 1000));
    const rssAtRest = {
      gateway: rssMiB(platform.children.get('gateway').child.pid),
      billing: rssMiB(platform.children.get('billing').child.pid),
    };
    log(`at rest: gateway ${rssAtRest.gateway} MiB, billing ${rssAtRest.billing} MiB resident`);
    step();
    const { token, invoiceId } = await seed(platform.gatewayUrl, id);
    step();
    const urlPath = `/api/bills/invoices/${invoiceId}/`;
    const agentFor = () => new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const targets = {
      direct: { port: BILLING_PORT, path: urlPath, token, agent: agentFor() },
      gateway: { port: GATEWAY_PORT, path: urlPath, token, agent: agentFor() },
      nginx: { port: NGINX_PORT, path: urlPath, token, agent: agentFor() },
      ...(gatewayB && {
        gateway_b: { port: GATEWAY_B_PORT, path: urlPath, token, agent: agentFor() },
      }),
    };
    cleanups.push(() => Object.values(targets).forEach((t) => t.agent.destroy()));
    const pids = {
      gateway: [platform.children.get('gateway').child.pid],
      nginx: nginx.pids(),
      billing: [platform.children.get('billing').child.pid],
      gateway_b: gatewayB ? [gatewayB.pid] : [],
    };
    const cpuOf = (name) => pids[name].reduce((sum, pid) => sum + cpuMicros(pid), 0);
    const sysOf = (name) => pids[name].reduce((sum, pid) => sum + cpuMicros(pid, true), 0);

    // First use is slow (JIT, FerretDB's caches, connection pools): without this, round 1 of
    // whichever path went first came out consistently slower than its later rounds.
    for (const target of Object.values(targets)) await load(target, REQUESTS);

    // the profiles' tables cover the measured rounds only, not start-up and the first warm-up
    const measuredFrom = (Date.now() - platformStarted) / 1000;
    const rounds = [];
    for (let r = 1; r <= ROUNDS; r++) {
      // ABC CBA order, so a slow drift of the shared machine does not favour one path.
      const forward = ['direct', 'gateway', ...(gatewayB ? ['gateway_b'] : []), 'nginx'];
      const order = r % 2 ? forward : [...forward].reverse();
      for (const name of order) {
        await load(targets[name], WARMUP);
        const cpu0 = {
          gateway: cpuOf('gateway'),
          nginx: cpuOf('nginx'),
          billing: cpuOf('billing'),
          gateway_b: cpuOf('gateway_b'),
          gateway_sys: sysOf('gateway'),
          nginx_sys: sysOf('nginx'),
          billing_sys: sysOf('billing'),
        };
        const client0 = process.cpuUsage();
        const { latencies, rps } = await load(targets[name], REQUESTS);
        const client = process.cpuUsage(client0);
        const cpu_us = {
          gateway: cpuOf('gateway') - cpu0.gateway,
          nginx: cpuOf('nginx') - cpu0.nginx,
          billing: cpuOf('billing') - cpu0.billing,
          ...(gatewayB && { gateway_b: cpuOf('gateway_b') - cpu0.gateway_b }),
          gateway_sys: sysOf('gateway') - cpu0.gateway_sys,
          nginx_sys: sysOf('nginx') - cpu0.nginx_sys,
          billing_sys: sysOf('billing') - cpu0.billing_sys,
          load_generator: client.user + client.system,
        };
        const sorted = latencies.sort((a, b) => a - b);
        const ms = (q) => percentile(sorted, q) / 1000;
        const round = {
          round: r,
          target: name,
          p50_ms: ms(0.5),
          p90_ms: ms(0.9),
          p99_ms: ms(0.99),
          max_ms: ms(1),
          rps,
          cpu_us,
        };
        rounds.push(round);
        log(
          `round ${r} ${name.padEnd(7)} p50 ${round.p50_ms.toFixed(2)} ms  p99 ${round.p99_ms.toFixed(2)} ms  ${rps.toFixed(0)} req/s`,
        );
      }
    }

    const direct = summarize('direct', rounds);
    const gateway = summarize('gateway', rounds);
    const viaNginx = summarize('nginx', rounds);
    const summary = {
      direct,
      gateway,
      nginx: viaNginx,
      added: { p50_ms: gateway.p50_ms - direct.p50_ms, p99_ms: gateway.p99_ms - direct.p99_ms },
      rss_at_rest_mib: rssAtRest,
      ...(gatewayB && { gateway_b: summarize('gateway_b', rounds) }),
      added_nginx: {
        p50_ms: viaNginx.p50_ms - direct.p50_ms,
        p99_ms: viaNginx.p99_ms - direct.p99_ms,
      },
    };
    printTable(summary);
    if (!CPU_PROF) writeResults({ summary, rounds });
    else {
      // The profiles are written when the processes exit: stop the platform first.
      await cleanup();
      printProfiles(logDir, platform, measuredFrom);
    }
  } finally {
    await cleanup();
  }
}

/** The top-N self-time table of the gateway's and billing's profiles (BENCH_CPU_PROF=1). */
function printProfiles(logDir, platform, fromSeconds) {
  const { byPackage, topN } = require('./support/cpu-profile-top.cjs');
  for (const name of ['gateway', 'billing']) {
    const file = path.join(logDir, `main-${platform.children.get(name).child.pid}.cpuprofile`);
    if (!fs.existsSync(file)) continue;
    process.stdout.write(
      `\n${name}: ${path.relative(ROOT, file)}\n${topN(file, 15, { fromSeconds })}\n\n${byPackage(file, 15, { fromSeconds })}\n`,
    );
  }
}

/**
 * nginx from Debian, one worker (the gateway is one Node process), keep-alive to the upstream,
 * no access log (the gateway logs nothing per request at warn either). Installed when missing.
 */
async function startNginx(logDir) {
  if (!fs.existsSync('/usr/sbin/nginx')) {
    log('nginx missing: apt-get install nginx-core');
    sh('apt-get', ['update', '-qq']);
    sh('apt-get', ['install', '-y', '-qq', 'nginx-core'], ['ignore', 'inherit', 'inherit']);
  }
  const dir = path.join(logDir, 'nginx');
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream billing { server 127.0.0.1:${BILLING_PORT}; keepalive 32; }
  server {
    listen 127.0.0.1:${NGINX_PORT};
    location / {
      proxy_pass http://billing;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
`,
  );
  const { spawn } = require('node:child_process');
  const child = spawn('/usr/sbin/nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${NGINX_PORT}/healthz`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const children = () =>
    fs
      .readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  return {
    pids: () => [child.pid, ...children()],
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGQUIT');
      }),
  };
}

/** BENCH_GATEWAY_B: another build's gateway, with exactly the platform gateway's environment. */
async function startGatewayB(platform, logDir) {
  const { spawn } = require('node:child_process');
  const spec = platform.children.get('gateway').spec;
  const out = fs.openSync(path.join(logDir, 'gateway-b.log'), 'a');
  // a build's folder (its main.js) or one script (bench/bare-proxy.cjs)
  const entry = path.resolve(GATEWAY_B_DIR);
  const script = fs.statSync(entry).isDirectory() ? path.join(entry, 'main.js') : entry;
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...spec.env,
      PORT: String(GATEWAY_B_PORT),
      METRICS_PORT: String(GATEWAY_B_PORT + 1),
    },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null)
      throw new Error('gateway B exited during start; see gateway-b.log');
    const ready = await fetch(`http://127.0.0.1:${GATEWAY_B_PORT}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`gateway B (${GATEWAY_B_DIR}) on :${GATEWAY_B_PORT}`);
  return {
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

function gatewayEnv(logDir) {
  return {
    // The gateway's per-IP and per-tenant rate limits (identity issue) would refuse a benchmark's
    // thousands of requests from one IP and tenant. Raised rather than disabled, so their Redis
    // round trips stay in the measured cost; unknown settings are ignored by older gateways.
    RATE_LIMIT_IP_PER_MINUTE: '1000000000',
    RATE_LIMIT_TENANT_PER_MINUTE: '1000000000',
    RATE_LIMIT_CREDENTIAL_IP_PER_MINUTE: '1000000',
    RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: '1000000',
    ...profileEnv(logDir),
  };
}

// The profile is written when the process exits, i.e. when the platform is stopped.
function profileEnv(logDir) {
  return CPU_PROF
    ? {
        NODE_OPTIONS: `--require ${path.join(__dirname, 'support', 'cpu-profile.cjs')}`,
        BENCH_CPU_PROF_DIR: logDir,
      }
    : {};
}

function writeResults({ summary, rounds }) {
  const now = new Date();
  const git = (...args) => {
    try {
      return sh('git', args, 'pipe').trim();
    } catch {
      return null; // not a git checkout (e.g. an exported tree)
    }
  };
  const result = {
    benchmark: 'gateway-overhead',
    date: now.toISOString(),
    // Others commit while benchmarks run: record exactly which code was measured.
    commit: git('rev-parse', 'HEAD'),
    dirty_paths: git('status', '--porcelain', '--', 'services', 'libs', 'scripts')
      ?.split('\n')
      .filter(Boolean),
    machine: {
      nproc: Number(sh('nproc', [], 'pipe').trim()),
      cpu: os.cpus()[0]?.model,
      memory_gib: +(os.totalmem() / 2 ** 30).toFixed(1),
      node: process.version,
      kernel: os.release(),
    },
    config: {
      request: 'GET /api/bills/invoices/{id}/ with Authorization: Bearer <RS256 access token>',
      nginx: 'Debian nginx, 1 worker, keep-alive upstream, access_log off, no authentication',
      requests_per_round: REQUESTS,
      warmup_per_round: WARMUP,
      initial_warmup_per_target: REQUESTS,
      concurrency: CONCURRENCY,
      rounds_per_target: ROUNDS,
      log_level: 'warn',
      gateway_env: gatewayEnv(null), // rate limits raised out of reach, where the gateway has them
      clk_tck: CLK_TCK,
    },
    summary,
    rounds,
  };
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  const file = path.join(dir, `gateway-overhead-${stamp}Z.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  // The flat figures the issue tracks, beside the full result, for tools comparing runs.
  const round1 = (x) => Math.round(x * 1000) / 1000;
  const flat = {
    gateway_cpu_us: round1(summary.gateway.cpu_us_per_request.gateway),
    nginx_cpu_us: round1(summary.nginx.cpu_us_per_request.nginx),
    gateway_to_nginx_cpu: round1(
      summary.gateway.cpu_us_per_request.gateway / summary.nginx.cpu_us_per_request.nginx,
    ),
    service_cpu_us: round1(summary.direct.cpu_us_per_request.billing),
    // of which in the kernel (system time): the socket calls, which no JavaScript change removes
    gateway_sys_us: round1(summary.gateway.cpu_us_per_request.gateway_sys),
    nginx_sys_us: round1(summary.nginx.cpu_us_per_request.nginx_sys),
    service_sys_us: round1(summary.direct.cpu_us_per_request.billing_sys),
    added_p50_ms: round1(summary.added.p50_ms),
    added_p99_ms: round1(summary.added.p99_ms),
    gateway_rss_at_rest_mib: summary.rss_at_rest_mib.gateway,
    billing_rss_at_rest_mib: summary.rss_at_rest_mib.billing,
    ...(summary.gateway_b && {
      gateway_b_cpu_us: round1(summary.gateway_b.cpu_us_per_request.gateway_b),
      gateway_b_dir: GATEWAY_B_DIR,
    }),
    direct_p50_ms: round1(summary.direct.p50_ms),
    gateway_p50_ms: round1(summary.gateway.p50_ms),
    nginx_p50_ms: round1(summary.nginx.p50_ms),
  };
  fs.mkdirSync(path.join(dir, 'latest'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'latest', 'gateway-overhead.json'),
    `${JSON.stringify({ ...result, summary: flat, full_summary: summary }, null, 2)}\n`,
  );
  process.stdout.write(`${JSON.stringify(flat, null, 2)}\n`);
  log(`results written to ${path.relative(ROOT, file)} and bench/results/latest/`);
}

main().catch((err) => {
  if (interrupted) return log('interrupted; nothing written');
  log(`FAILED: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
