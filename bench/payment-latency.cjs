'use strict';
/**
 * Payment settlement latency: how long after a payment's 201 billing has applied it to the invoice.
 *
 *   node bench/payment-latency.cjs        (infra up: Kafka, FerretDB, Redis)
 *
 * Starts the whole platform on ports of its own (services 21501-21505, gateway 21580) with its own
 * databases and topic prefix, registers a tenant, issues invoices, then POSTs payments at a steady
 * rate (open loop) and listens to billing's InvoiceStatusChanged on Kafka: latency = the event
 * naming the payment arrives - the POST's 201 arrived. Beside it, in the same run on the same
 * broker, a raw kafkajs probe measures produce -> consume at the same rate: the floor that the
 * outbox relay, the billing worker and its relay add to. Knobs: BENCH_RATE (20/s),
 * BENCH_SECONDS (30), BENCH_INVOICES (20: the invoices paid in turn), BENCH_PRELOAD_INVOICES (0: that many more invoices of the tenant inserted
 * straight into the bench's billing database before the timed part, to show that settling costs
 * the same however many invoices there are), BENCH_WARMUP_SECONDS (20: payments at the same rate,
 * not measured, before the timed part; 0 for none), BENCH_CPU_PROF=1 (a .cpuprofile per process in
 * the run's log directory). Writes bench/results/payment-latency-<time>.json and
 * bench/results/latest/payment-latency.json with a flat `summary` (rate, payments, settled,
 * p50_ms, p99_ms, raw_kafka_p50_ms, sustained, preloaded_invoices, warmup_seconds) and the CPU milliseconds each
 * process spent per payment during the timed part (`cpu_ms_per_payment`).
 */
const fs = require('node:fs');
const path = require('node:path');
const { execSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { Kafka, logLevel } = require('kafkajs');

const ROOT = path.resolve(__dirname, '..');
const { MongoClient } = require('mongodb');
const { Redis } = require('ioredis');
const { benchRun, startBenchPlatform } = require('./support/bench-platform.cjs');
const { applyKafkajsIdleFix, stopAndDrop } = require('./support/run-data.cjs');
const {
  cpuMs,
  cpuOf,
  infraPids,
  storeCommandsOf,
  commandsPerOp,
} = require('./support/processes.cjs');

const BASE_PORT = 21500;
const GATEWAY_PORT = 21580;
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(',');
const GATEWAY = `http://127.0.0.1:${GATEWAY_PORT}`;
// the invoices paid in turn: 20 by default (each paid RATE * SECONDS / 20 times, so its lists of
// applied payments grow long); BENCH_INVOICES=1000 pays each a few times, as real invoices are
const INVOICES = Number(process.env.BENCH_INVOICES ?? 20);
const PRELOAD = Number(process.env.BENCH_PRELOAD_INVOICES ?? 0);
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
// unmeasured payments at the same rate first: a new platform's processes and a new broker are
// still compiling their hot code (docs/benchmarks.md, "Kafka's heap and compiler")
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 20);
const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
// the bench's own two consumers (billing's events, the raw probe) are observers: the broker answers
// a waiting fetch as soon as a message arrives, so a long wait adds no latency, while a 20 ms wait
// polled 50 times a second each and a commit after every fetch went to the group coordinator. Both
// were Kafka CPU counted against the platform (docs/benchmarks.md, fifteenth pass); the old
// observer: BENCH_OBSERVER_WAIT_MS=20 BENCH_OBSERVER_COMMITS=1
const OBSERVER_WAIT_MS = Number(process.env.BENCH_OBSERVER_WAIT_MS ?? 500);
const OBSERVER_COMMITS = process.env.BENCH_OBSERVER_COMMITS === '1';

const {
  gatewayClient,
  percentile,
  log,
  sleep,
  nowMs,
  runMain,
} = require('./support/gateway-client.cjs');

// every set-up call must succeed
const { must: call } = gatewayClient(GATEWAY);

function summary(name, samples, expected) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    measure: name,
    n: `${sorted.length}/${expected}`,
    p50_ms: percentile(sorted, 50).toFixed(1),
    p99_ms: percentile(sorted, 99).toFixed(1),
    max_ms: (sorted[sorted.length - 1] ?? NaN).toFixed(1),
  };
}

const median = (xs) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** CPU milliseconds (user + system) a process has used so far, from /proc (Linux). */
/** Commands the Redis server has run so far, from INFO commandstats (every client's). */
async function redisCommands() {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6391', { lazyConnect: true });
  try {
    await redis.connect();
    const info = await redis.info('commandstats');
    return [...info.matchAll(/^cmdstat_\w+:calls=(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  } catch {
    return NaN;
  } finally {
    redis.disconnect();
  }
}

/**
 * Inserts `count` more invoices of the tenant straight into its billing database, each a copy of
 * one the API issued (new id and number), so the tenant's collection is that large when timing.
 */
async function preloadInvoices(dbName, tenantInvoiceId, count) {
  const client = await MongoClient.connect(MONGO_URL);
  try {
    const invoices = client.db(dbName).collection('invoices');
    const model = await invoices.findOne({ _id: tenantInvoiceId });
    for (let done = 0; done < count;) {
      const batch = [];
      for (let i = 0; i < 1000 && done < count; i++, done++) {
        const seq = 1_000_000 + done;
        const number = `PRE-${String(seq).padStart(7, '0')}`;
        batch.push({
          ...model,
          _id: `inv_pre_${done}`,
          invoice_number: number,
          number_seq: seq,
          number_key: number,
          applied_payments: [],
          _outbox: [],
          _outbox_pending: false,
        });
      }
      await invoices.insertMany(batch, { ordered: false });
    }
  } finally {
    await client.close();
  }
}

/**
 * Waits until the store is quiet after the preload (FerretDB below 10 % of a core for three
 * seconds in a row, at most a minute), so that the timed part never starts while it still works
 * on the inserts. In the runs of 2026-12-07 it was quiet within 3 s.
 */
async function storeSettled() {
  const pid = infraPids().ferretdb;
  if (pid === undefined) return;
  const start = nowMs();
  const deadline = start + 60_000;
  for (let quiet = 0; quiet < 3 && nowMs() < deadline;) {
    const before = cpuMs(pid);
    await sleep(1000);
    quiet = cpuMs(pid) - before < 100 ? quiet + 1 : 0;
  }
  log(`store quiet ${((nowMs() - start) / 1000).toFixed(0)} s after the preload`);
}

/**
 * The run's figures in bench/results. `sustained`: every POST answered 201, every payment settled
 * before the drain deadline, and for both latencies (201 -> settled, and POST sent -> settled, which
 * also shows requests queueing before their 201) the last quarter's median is at most twice the
 * first quarter's or at most 100 ms above it. A backlog that grows shows as latencies that keep
 * rising: at 50/s, settling 49.8 a second puts the last quarter about 180 ms above the first; the
 * slack keeps the flag from turning on a 12 ms -> 30 ms wobble of a run that keeps up. `settle` is
 * in the order the payments were answered, `commands.endToEnd` in the order they were sent.
 */
function writeResults(settle, probe, payments, failures, cpu, relayed, posts, commands) {
  const quarter = Math.max(1, Math.floor(settle.length / 4));
  const first = median(settle.slice(0, quarter));
  const last = median(settle.slice(-quarter));
  const firstSent = median(commands.endToEnd.slice(0, quarter));
  const lastSent = median(commands.endToEnd.slice(-quarter));
  const keptUp = (a, b) => b <= Math.max(2 * a, a + 100);
  const sorted = [...settle].sort((a, b) => a - b);
  const endToEndSorted = [...commands.endToEnd].sort((a, b) => a - b);
  const summary = {
    rate: RATE,
    seconds: SECONDS,
    payments,
    settled: settle.length,
    failures,
    p50_ms: Number(percentile(sorted, 50).toFixed(1)),
    p99_ms: Number(percentile(sorted, 99).toFixed(1)),
    raw_kafka_p50_ms: Number(median(probe).toFixed(1)),
    payment_recorded_p50_ms: Number(median(relayed).toFixed(1)),
    post_p50_ms: Number(median(posts).toFixed(1)),
    sent_to_settled_p50_ms: Number(percentile(endToEndSorted, 50).toFixed(1)),
    sent_to_settled_p99_ms: Number(percentile(endToEndSorted, 99).toFixed(1)),
    first_quarter_p50_ms: Number(first.toFixed(1)),
    last_quarter_p50_ms: Number(last.toFixed(1)),
    first_quarter_sent_to_settled_p50_ms: Number(firstSent.toFixed(1)),
    last_quarter_sent_to_settled_p50_ms: Number(lastSent.toFixed(1)),
    // a POST refused (a 504 when payments cannot keep up) counts against it too
    sustained:
      failures === 0 &&
      settle.length === payments &&
      payments > 0 &&
      keptUp(first, last) &&
      keptUp(firstSent, lastSent),
    preloaded_invoices: PRELOAD,
    warmup_seconds: WARMUP,
    redis_commands_per_payment: commands.redisPerPayment,
    store_commands_per_payment: Number(
      Object.values(commands.perProcess)
        .reduce((a, b) => a + b, 0)
        .toFixed(2),
    ),
    cpu_ms_per_payment: Number(
      Object.values(cpu)
        .reduce((a, b) => a + b, 0)
        .toFixed(2),
    ),
  };
  const out = {
    name: 'payment-latency',
    at: new Date().toISOString(),
    commit: execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim(),
    invoices: INVOICES,
    observer: { max_wait_ms: OBSERVER_WAIT_MS, commits_offsets: OBSERVER_COMMITS },
    summary,
    cpu_ms_per_payment: cpu,
    store_commands_per_payment: commands.perProcess,
    store_commands_per_payment_by_command: commands.detail,
  };
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(path.join(dir, 'latest'), { recursive: true });
  const stamp = out.at.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  fs.writeFileSync(path.join(dir, `payment-latency-${stamp}.json`), JSON.stringify(out, null, 2));
  fs.writeFileSync(path.join(dir, 'latest', 'payment-latency.json'), JSON.stringify(out, null, 2));
}

/**
 * Pays at the bench's rate for WARMUP seconds, unmeasured, then waits (at most 30 s) until billing
 * has applied those payments, so the timed part starts with no backlog of them.
 */
async function warmUp(postPayment, applied) {
  log(`warming up: paying at ${RATE}/s for ${WARMUP} s, not measured`);
  const created = [];
  const answers = [];
  const start = nowMs();
  for (let i = 0; i < RATE * WARMUP; i++) {
    const wait = start + (i * 1000) / RATE - nowMs();
    if (wait > 0) await sleep(wait);
    answers.push(
      postPayment(i)
        .then(async (res) => {
          const body = await res.json();
          if (res.status === 201) created.push(body.data.id);
        })
        .catch(() => undefined),
    );
  }
  await Promise.all(answers);
  const deadline = nowMs() + 30_000;
  while (nowMs() < deadline && created.some((p) => !applied.has(p))) await sleep(100);
}

async function joined(consumer) {
  await new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
}

async function main() {
  applyKafkajsIdleFix(); // the probe's clients, as the services' own
  const run = benchRun('bp');
  const { id, topicPrefix, dbPrefix, logDir } = run;
  const kafka = new Kafka({ clientId: id, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const platform = await startBenchPlatform(run, {
    basePort: BASE_PORT,
    gatewayPort: GATEWAY_PORT,
    cpuProf: CPU_PROF,
    log,
    env: {
      // the consumers' concurrency (libs/platform's default when unset)
      ...(process.env.CONSUMER_CONCURRENCY && {
        CONSUMER_CONCURRENCY: process.env.CONSUMER_CONCURRENCY,
      }),
      OUTBOX_INTERVAL_MS: '500',
    },
  });
  const consumers = [];
  const producer = kafka.producer();
  try {
    const username = `bench_${id}`;
    await call('POST', '/api/auth/register', {
      username,
      password: 'a long bench password',
      email: `${username}@example.com`,
      full_name: 'Bench Payer',
      type: 'organization',
      organization_name: 'Bench Ltd',
    });
    const token = (
      await call('POST', '/api/auth/login', { username, password: 'a long bench password' })
    ).data.token;
    const invoices = [];
    // eight at a time: a thousand invoices are issued in seconds
    for (let i = 0; i < INVOICES; i += 8) {
      const issued = await Promise.all(
        Array.from({ length: Math.min(8, INVOICES - i) }, () =>
          call(
            'POST',
            '/api/bills/invoices/',
            { status: 'unpaid', currency: 'USD', details: [{ sub_total: '100000.00' }] },
            token,
          ),
        ),
      );
      invoices.push(...issued.map((inv) => inv.data.id));
    }
    if (PRELOAD > 0) {
      log(`inserting ${PRELOAD} more invoices of the tenant into ${dbPrefix}_billing`);
      await preloadInvoices(`${dbPrefix}_billing`, invoices[0], PRELOAD);
      await storeSettled();
    }

    // billing's invoice events, read as any consumer would
    // and the payments' own PaymentRecorded, which splits the latency into the payments relay's
    // part (201 -> PaymentRecorded) and billing's (PaymentRecorded -> InvoiceStatusChanged)
    const applied = new Map(); // payment id -> ms the InvoiceStatusChanged arrived
    const recorded = new Map(); // payment id -> ms the PaymentRecorded arrived
    const invoiceEvents = kafka.consumer({
      groupId: `${id}-invoices`,
      maxWaitTimeInMs: OBSERVER_WAIT_MS,
    });
    consumers.push(invoiceEvents);
    await invoiceEvents.connect();
    await invoiceEvents.subscribe({
      topics: [`${topicPrefix}ledgerline.billing`, `${topicPrefix}ledgerline.payments`],
      fromBeginning: false,
    });
    const invoiceJoin = joined(invoiceEvents);
    await invoiceEvents.run({
      autoCommit: OBSERVER_COMMITS,
      partitionsConsumedConcurrently: 8,
      eachMessage: async ({ message }) => {
        const at = nowMs();
        const event = JSON.parse(message.value.toString('utf8'));
        if (event.type === 'InvoiceStatusChanged' && event.data.payment_change === 'payment')
          applied.set(event.data.payment_id, at);
        if (event.type === 'PaymentRecorded') recorded.set(event.data.payment_id, at);
      },
    });

    // the raw probe: produce -> consume on a topic of its own, same broker, same rate
    const probeTopic = `${topicPrefix}bench.probe`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: probeTopic, numPartitions: 3 }] });
    await admin.disconnect();
    await producer.connect();
    const probeLatency = [];
    const probe = kafka.consumer({ groupId: `${id}-probe`, maxWaitTimeInMs: OBSERVER_WAIT_MS });
    consumers.push(probe);
    await probe.connect();
    await probe.subscribe({ topics: [probeTopic], fromBeginning: false });
    const probeJoin = joined(probe);
    await probe.run({
      autoCommit: OBSERVER_COMMITS,
      eachMessage: async ({ message }) => {
        probeLatency.push(nowMs() - Number(message.value.toString('utf8')));
      },
    });
    await Promise.all([invoiceJoin, probeJoin]);
    await sleep(1000);

    const postPayment = (i) =>
      fetch(`${GATEWAY}/api/payments/payments/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({
          invoice_master_id: invoices[i % INVOICES],
          payment_method: 'cash',
          amount: '1.00',
        }),
      });
    if (WARMUP > 0) await warmUp(postPayment, applied);

    log(`paying at ${RATE}/s for ${SECONDS} s (and probing Kafka at the same rate)`);
    const created = new Map(); // payment id -> ms its 201 arrived
    const sent = new Map(); // payment id -> ms its POST was sent
    const posts = []; // ms from sending a POST to its answer
    const failures = [];
    const inFlight = [];
    const total = RATE * SECONDS;
    const cpuBefore = cpuOf(platform);
    const commandsBefore = await storeCommandsOf(platform);
    const redisBefore = await redisCommands();
    const start = nowMs();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - nowMs();
      if (wait > 0) await sleep(wait);
      const sentAt = nowMs();
      inFlight.push(
        postPayment(i)
          .then(async (res) => {
            const at = nowMs();
            const body = await res.json();
            posts.push(at - sentAt);
            if (res.status === 201) {
              created.set(body.data.id, at);
              sent.set(body.data.id, sentAt);
            } else failures.push(`${res.status} ${body.error}`);
          })
          .catch((err) => failures.push(err.message)),
      );
      inFlight.push(
        producer
          .send({
            topic: probeTopic,
            messages: [{ key: String(i % 3), value: String(nowMs()) }],
          })
          .catch((err) => failures.push(`probe: ${err.message}`)),
      );
    }
    await Promise.all(inFlight);
    const deadline = nowMs() + 30_000;
    while (nowMs() < deadline && [...created.keys()].some((p) => !applied.has(p))) await sleep(100);
    const cpuAfter = cpuOf(platform);
    // every client of the Redis server counts: meaningful when nothing else uses it
    const redisPerPayment = Number(
      (((await redisCommands()) - redisBefore) / Math.max(1, created.size)).toFixed(2),
    );
    const commands = commandsPerOp(commandsBefore, await storeCommandsOf(platform), created.size);
    const cpu = Object.fromEntries(
      Object.keys(cpuAfter).map((name) => [
        name,
        Number(((cpuAfter[name] - cpuBefore[name]) / Math.max(1, created.size)).toFixed(2)),
      ]),
    );

    const settle = [];
    const relayed = [];
    // from the POST's sending: where the machine queues (before or after the 201) does not matter
    const endToEnd = [];
    for (const [paymentId, at] of created) {
      const seen = applied.get(paymentId);
      // the event can beat the 201 to this process: that is a latency of (about) zero
      if (seen !== undefined) settle.push(Math.max(0, seen - at));
      if (seen !== undefined) endToEnd.push([sent.get(paymentId), seen - sent.get(paymentId)]);
      const out = recorded.get(paymentId);
      if (out !== undefined) relayed.push(Math.max(0, out - at));
    }
    // in the order the POSTs were sent
    endToEnd.sort((a, b) => a[0] - b[0]);
    const sentToSettled = endToEnd.map(([, ms]) => ms);
    writeResults(settle, probeLatency, created.size, failures.length, cpu, relayed, posts, {
      ...commands,
      redisPerPayment,
      endToEnd: sentToSettled,
    });
    const rows = [
      summary('payment 201 -> InvoiceStatusChanged', settle, total),
      summary('payment 201 -> PaymentRecorded', relayed, total),
      summary('POST sent -> InvoiceStatusChanged', sentToSettled, total),
      summary('POST /api/payments/payments/ answered', posts, total),
      summary('raw kafkajs produce -> consume', probeLatency, total),
    ];
    console.log(
      `\nPayment settlement latency (${RATE}/s for ${SECONDS} s, ${INVOICES} invoices paid, ${PRELOAD} preloaded)\n`,
    );
    console.table(rows);
    console.log('CPU ms per payment', cpu);
    console.log('store commands per payment', commands.perProcess);
    console.log('redis commands per payment (every client)', redisPerPayment);
    console.log(
      'busiest (process: collection command)',
      Object.entries(commands.detail).slice(0, 15),
    );
    if (CPU_PROF) log(`CPU profiles (*.cpuprofile) in ${path.relative(ROOT, logDir)}`);
    if (failures.length > 0) console.log(`failures: ${failures.length}`, failures.slice(0, 5));
  } finally {
    for (const c of consumers) await c.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await stopAndDrop(platform, run, log);
  }
}

runMain(module, main);
