'use strict';
/**
 * Metered usage ingestion (issue 18): how many usage events per second the gateway takes in
 * batches of 100, and how soon after a batch's 202 its events are counted.
 *
 *   node bench/usage-ingest.cjs        (infra up: Kafka, FerretDB, Redis; services built)
 *
 * Starts the whole platform on ports of its own (services 8701-8705, gateway 8780) with its own
 * databases and topic prefix. One provider with a `storage` metric (sum of properties.gb), a plan
 * with a graduated usage charge and BENCH_CONCURRENCY subscriber organizations, one subscription
 * each. BENCH_CONCURRENCY (8) senders each POST their own subscription's batches of 100 events
 * (`subscription_id`) one after another, BENCH_EVENTS (50,000) events in all; every 100th event
 * repeats a transaction id the sender sent before (a duplicate that must not count).
 * - events_per_s: accepted events / wall time from the first POST to the last 202;
 * - p99_ms (and p50_ms): for every 10th batch, from its 202 until
 *   `GET /api/usage/subscriptions/{id}` shows its subscription's events up to that batch counted
 *   (one poller per subscription, every BENCH_POLL_MS (25 ms) while a sampled batch of it waits,
 *   beside the sender's next POSTs; a reading is timed when its answer arrives);
 * - counted: the events counted at the end over all subscriptions (must equal distinct_sent),
 *   and quantity_exact: every subscription's quantity equals the exact sum of its distinct events.
 * BENCH_RATE paces the senders to that many events per second in all (default: as fast as they
 * are answered), to read the latency at a given rate rather than at saturation.
 * Writes bench/results/usage-ingest-<time>.json and bench/results/latest/usage-ingest.json.
 */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { benchRun, startBenchPlatform } = require('./support/bench-platform.cjs');
const { stopAndDrop } = require('./support/run-data.cjs');
const { commandsPerOp, cpuOf, cpuPerOp, storeCommandsOf } = require('./support/processes.cjs');
const { writeResults } = require('./support/results.cjs');

const BASE_PORT = 8700;
const GATEWAY_PORT = 8780;
const GATEWAY = `http://127.0.0.1:${GATEWAY_PORT}`;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 25);
/** Events per second to pace the senders to (0: as fast as they are answered). */
const RATE = Number(process.env.BENCH_RATE ?? 0);
const BATCH = 100;
const SAMPLE_EVERY = 10;
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';

const {
  gatewayClient,
  percentile,
  log,
  sleep,
  nowMs,
  runMain,
} = require('./support/gateway-client.cjs');

const { call, must } = gatewayClient(GATEWAY);

/** A new organization and its owner's token. */
async function organization(id, n) {
  const username = `${id}_${n}`;
  await must('POST', '/api/auth/register', {
    username,
    password: 'a long bench password',
    email: `${username}@example.com`,
    full_name: `Bench ${n}`,
    type: 'organization',
    organization_name: `Bench ${n}`,
  });
  const login = await must('POST', '/api/auth/login', {
    username,
    password: 'a long bench password',
  });
  return { token: login.data.token, slug: login.data.tenant.slug };
}

/** Retries while tenants has not consumed the sign-up yet (it answers 404 until then). */
async function eventually(fn, what) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fn();
    if (res.status < 300) return res.body;
    if (Date.now() > deadline)
      throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(100);
  }
}

/** Thousandths of a unit -> exact decimal text. */
const decimal = (th) => {
  const fraction = String(th % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${Math.floor(th / 1000)}${fraction ? `.${fraction}` : ''}`;
};

async function setUp(id) {
  const provider = await organization(id, 'p');
  const p = provider.slug;
  await eventually(
    () =>
      call(
        'POST',
        `/api/profile/${p}/billable-metrics`,
        { code: 'storage', name: 'Storage', aggregation: 'sum', field: 'gb' },
        provider.token,
      ),
    'metric',
  );
  await must(
    'POST',
    `/api/profile/${p}/plans`,
    {
      code: 'metered',
      name: 'Metered',
      currency: 'USD',
      interval: 'month',
      charges: [
        {
          kind: 'usage',
          code: 'gb',
          name: 'Storage',
          metric: 'storage',
          model: 'graduated',
          tiers: [
            { up_to: '1000', unit_price: '0.50' },
            { up_to: null, unit_price: '0.25' },
          ],
        },
      ],
    },
    provider.token,
  );
  const subscriptions = [];
  for (let n = 0; n < CONCURRENCY; n++) {
    const org = await organization(id, `s${n}`);
    const sub = await eventually(
      () =>
        call(
          'POST',
          `/api/profile/${p}/plans/metered/subscriptions`,
          { organization: { slug: org.slug } },
          provider.token,
        ),
      'grant',
    );
    subscriptions.push(sub.data.id);
  }
  return { token: provider.token, subscriptions };
}

/**
 * Polls one subscription's usage while batches of it wait to be seen counted (one poller per
 * subscription, however many batches wait, so the polling itself stays a small load): a batch is
 * counted once the subscription's count reaches the distinct events sent up to it.
 */
function countWatcher(subscriptionId, token, out) {
  const pending = []; // [expected count, ms of the 202], in the order sent
  let running;
  const poll = async () => {
    while (pending.length > 0) {
      const r = await call('GET', `/api/usage/subscriptions/${subscriptionId}`, undefined, token);
      const seenAt = nowMs();
      const counted = r.status === 200 ? r.body.data.usage[0].events : -1;
      while (pending.length > 0 && pending[0][0] <= counted)
        out.latencies.push(seenAt - pending.shift()[1]);
      if (pending.length > 0 && seenAt - pending[0][1] > 30_000) {
        out.failures.push(`${subscriptionId}: a batch not counted within 30 s`);
        pending.shift();
      }
      if (pending.length > 0) await sleep(POLL_MS);
    }
    running = undefined;
  };
  return {
    expect(count, at) {
      pending.push([count, at]);
      running ??= poll();
    },
    drained: async () => {
      while (running) await running;
    },
  };
}

/**
 * One sender: its subscription's batches in order. Returns what it sent (distinct events and the
 * exact sum in thousandths) and the sampled latencies.
 */
async function sender(s, subscriptionId, token, batches, id, out) {
  let distinct = 0;
  let sum = 0;
  const watcher = countWatcher(subscriptionId, token, out);
  // paced: this sender's share of BENCH_RATE, a batch every `every` ms (later if answered later)
  const every = RATE > 0 ? (CONCURRENCY * BATCH * 1000) / RATE : 0;
  const begin = nowMs();
  for (let b = 0; b < batches; b++) {
    const wait = begin + b * every - nowMs();
    if (wait > 0) await sleep(wait);
    const events = [];
    for (let i = 0; i < BATCH; i++) {
      const n = b * BATCH + i;
      const duplicate = n % 100 === 99 && n > 100;
      const th = (n % 97) * 1000 + ((n * 7919) % 1000);
      if (!duplicate) {
        distinct += 1;
        sum += th;
      } else out.duplicates += 1;
      events.push({
        // a duplicate repeats the id of an event 150 before it, sent in an earlier batch
        transaction_id: `${id}-${s}-${duplicate ? n - 150 : n}`,
        subscription_id: subscriptionId,
        metric: 'storage',
        properties: { gb: decimal(th) },
      });
    }
    const res = await call('POST', '/api/usage/events', { events }, token);
    const at = nowMs();
    out.lastAnswer = Math.max(out.lastAnswer, at);
    if (res.status !== 202) {
      out.failures.push(`${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      continue;
    }
    out.accepted += res.body.data.accepted;
    if (b % SAMPLE_EVERY === 0) watcher.expect(distinct, at);
  }
  await watcher.drained();
  return { distinct, sum };
}

async function main() {
  const run = benchRun('bu');
  const { id, logDir } = run;
  const platform = await startBenchPlatform(run, {
    basePort: BASE_PORT,
    gatewayPort: GATEWAY_PORT,
    cpuProf: CPU_PROF,
    log,
  });
  try {
    const { token, subscriptions } = await setUp(id);
    const perSender = Math.ceil(EVENTS / BATCH / CONCURRENCY);
    const out = { accepted: 0, duplicates: 0, latencies: [], failures: [], lastAnswer: 0 };
    log(`${CONCURRENCY} senders x ${perSender} batches of ${BATCH} events`);
    const cpuBefore = cpuOf(platform);
    const commandsBefore = await storeCommandsOf(platform);
    const start = nowMs();
    const sent = await Promise.all(
      subscriptions.map((sub, s) => sender(s, sub, token, perSender, id, out)),
    );
    const seconds = (out.lastAnswer - start) / 1000;
    const distinct = sent.reduce((a, x) => a + x.distinct, 0);
    // every event counted (or the deadline)
    const deadline = Date.now() + 60_000;
    let readings = [];
    for (;;) {
      readings = await Promise.all(
        subscriptions.map(
          async (sub) =>
            (await must('GET', `/api/usage/subscriptions/${sub}`, undefined, token)).data,
        ),
      );
      const counted = readings.reduce((a, r) => a + r.usage[0].events, 0);
      if (counted >= distinct || Date.now() > deadline) break;
      await sleep(200);
    }
    const cpu = cpuPerOp(cpuBefore, cpuOf(platform), out.accepted / 1000);
    const batchCount = out.accepted / BATCH;
    const commands = commandsPerOp(commandsBefore, await storeCommandsOf(platform), batchCount);
    const counted = readings.reduce((a, r) => a + r.usage[0].events, 0);
    const exact = readings.every((r, i) => r.usage[0].quantity === decimal(sent[i].sum));
    const sorted = [...out.latencies].sort((a, b) => a - b);
    const summary = {
      events: out.accepted,
      paced_rate: RATE || null,
      batch_size: BATCH,
      concurrency: CONCURRENCY,
      subscriptions: subscriptions.length,
      seconds: Number(seconds.toFixed(2)),
      events_per_s: Math.round(out.accepted / seconds),
      batches_per_s: Number((out.accepted / BATCH / seconds).toFixed(1)),
      sampled_batches: sorted.length,
      p50_ms: Number(percentile(sorted, 50).toFixed(1)),
      p99_ms: Number(percentile(sorted, 99).toFixed(1)),
      max_ms: Number((sorted[sorted.length - 1] ?? NaN).toFixed(1)),
      duplicates_sent: out.duplicates,
      distinct_sent: distinct,
      counted,
      every_event_counted_once: counted === distinct,
      quantity_exact: exact,
      failures: out.failures.length,
      cpu_ms_per_1000_events: cpu.total,
      store_commands_per_batch: Number(
        Object.values(commands.perProcess)
          .reduce((a, b) => a + b, 0)
          .toFixed(2),
      ),
    };
    const file = writeResults('usage-ingest', summary, {
      cpu_ms_per_1000_events: cpu.perProcess,
      store_commands_per_batch: commands.detail,
      failures: out.failures.slice(0, 10),
    });
    console.log(
      `\nUsage ingestion (${out.accepted} events, batches of ${BATCH}, ${CONCURRENCY} at once)\n`,
    );
    console.table(summary);
    console.log('CPU ms per 1,000 events', cpu.perProcess);
    console.log('store commands per batch', Object.entries(commands.detail).slice(0, 15));
    if (CPU_PROF) log(`CPU profiles (*.cpuprofile) in ${path.relative(ROOT, logDir)}`);
    log(`results in ${path.relative(ROOT, file)}`);
  } finally {
    await stopAndDrop(platform, run, log);
  }
}

runMain(module, main);
