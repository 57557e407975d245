'use strict';
/**
 * Store micro-benchmark: find, update and delete by `_id` (with the tenant, as every store sends
 * them) at a small and a large collection, straight through the MongoDB driver to a FerretDB
 * process this script starts on a free port with a data directory of its own (nothing else is
 * touched). Several FerretDB builds can be measured in one run to compare them:
 *
 *   node bench/store-by-id.cjs
 *   BENCH_FERRETDB_BINS=before=/tmp/ferretdb-before,after=.infra/bin/ferretdb node bench/store-by-id.cjs
 *
 * Env: BENCH_SIZES (default "100,100000"), BENCH_OPS (per operation and size, default 200),
 * BENCH_STEP_MS (an operation stops early after this long, at least 10 ops; default 20000).
 * Writes bench/results/store-by-id-<time>.json and bench/results/latest/store-by-id.json with a
 * flat `summary`: `<build>_<op>_<size>_ms` (median) and `<build>_<op>_ratio` (largest / smallest).
 */
const { spawn, execSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { MongoClient } = require('mongodb');

const ROOT = path.resolve(__dirname, '..');
const builds = (process.env.BENCH_FERRETDB_BINS ?? `current=${ROOT}/.infra/bin/ferretdb`)
  .split(',')
  .map((entry) => {
    const [label, bin] = entry.split('=');
    return { label, bin: path.resolve(ROOT, bin) };
  });
const sizes = (process.env.BENCH_SIZES ?? '100,100000').split(',').map(Number);
const OPS = Number(process.env.BENCH_OPS ?? 200);
const STEP_MS = Number(process.env.BENCH_STEP_MS ?? 20000);
const TENANT = 'ten_bench';

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function startFerret(bin) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferret-bench-'));
  fs.mkdirSync(path.join(dir, 'data'));
  const child = spawn(
    bin,
    [
      `--listen-addr=127.0.0.1:${port}`,
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/data/`,
      `--state-dir=${dir}`,
      '--telemetry=disable',
      '--log-level=warn',
      '--debug-addr=-',
    ],
    { stdio: 'ignore' },
  );
  const url = `mongodb://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const client = await MongoClient.connect(url, { serverSelectionTimeoutMS: 500 });
      await client.db('admin').command({ ping: 1 });
      return { client, stop: () => (child.kill('SIGTERM'), fs.rmSync(dir, { recursive: true })) };
    } catch (err) {
      if (i > 40) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timed(n, op) {
  const times = [];
  const t0 = Date.now();
  for (let i = 0; i < n && (i < 10 || Date.now() - t0 < STEP_MS); i++) {
    const start = process.hrtime.bigint();
    await op(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { median_ms: Number(median(times).toFixed(3)), ops: times.length };
}

async function measure(client, size) {
  const coll = client.db(`bench_${size}`).collection('docs');
  const doc = (i) => ({
    _id: `doc_${i}`,
    tenant_id: TENANT,
    version: 1,
    n: 0,
    note: 'x'.repeat(200),
  });
  for (let from = 0; from < size; from += 1000) {
    const batch = [];
    for (let i = from; i < Math.min(size, from + 1000); i++) batch.push(doc(i));
    await coll.insertMany(batch, { ordered: false });
  }
  const id = (i) => `doc_${(i * 7919) % size}`;
  const find = await timed(OPS, (i) => coll.findOne({ _id: id(i), tenant_id: TENANT }));
  const update = await timed(OPS, (i) =>
    coll.updateOne({ _id: id(i), tenant_id: TENANT }, { $inc: { n: 1, version: 1 } }),
  );
  // distinct ids: every delete removes a document
  const del = await timed(Math.min(OPS, size), (i) =>
    coll.deleteOne({ _id: `doc_${size - 1 - i}`, tenant_id: TENANT }),
  );
  await client.db(`bench_${size}`).dropDatabase();
  return { find, update, delete: del };
}

async function main() {
  const results = {};
  const summary = { sizes: sizes.join(',') };
  for (const { label, bin } of builds) {
    const { client, stop } = await startFerret(bin);
    try {
      results[label] = {};
      for (const size of sizes) {
        results[label][size] = await measure(client, size);
        console.log(label, size, JSON.stringify(results[label][size]));
      }
    } finally {
      await client.close();
      stop();
    }
    for (const op of ['find', 'update', 'delete']) {
      for (const size of sizes)
        summary[`${label}_${op}_${size}_ms`] = results[label][size][op].median_ms;
      const small = results[label][sizes[0]][op].median_ms;
      const large = results[label][sizes[sizes.length - 1]][op].median_ms;
      summary[`${label}_${op}_ratio`] = Number((large / small).toFixed(2));
    }
  }
  const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  const out = {
    name: 'store-by-id',
    at: new Date().toISOString(),
    commit,
    machine: { cpus: os.cpus().length, node: process.version },
    builds,
    ops: OPS,
    results,
    summary,
  };
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(path.join(dir, 'latest'), { recursive: true });
  const stamp = out.at.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  fs.writeFileSync(path.join(dir, `store-by-id-${stamp}.json`), JSON.stringify(out, null, 2));
  fs.writeFileSync(path.join(dir, 'latest', 'store-by-id.json'), JSON.stringify(out, null, 2));
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
