'use strict';
/**
 * Webhook delivery (issue 15): how many signed deliveries per second the webhooks service's
 * pipeline sends to local receivers, and how long from a public event's enqueue until its
 * receiver has it.
 *
 *   node bench/webhook-delivery.cjs        (infra up: FerretDB, Redis; services built)
 *
 * Drives the compiled delivery pipeline (services/webhooks/dist/delivery/pipeline.js: the same
 * enqueuer, dispatcher, signing and HTTP client the service runs) on a database of its own, with
 * the service's default caps (4 per endpoint, 64 in all), and 5 receivers on 127.0.0.1:26101-26105
 * answering 200 at once. Endpoint i subscribes to the catalogue's i-th event type; event n has type
 * n mod 5, so every event makes one delivery. The bus and the catalogue (which asks the owners for
 * payloads) are left out: this measures delivery, from enqueue on.
 * - Saturation: BENCH_EVENTS (5,000) events enqueued in batches of 100 (a consumer batch) one after
 *   another; deliveries_per_s = deliveries / time from the first enqueue to the last receipt.
 * - Latency: BENCH_PACED_EVENTS (1,000) more at BENCH_RATE (50) events per second, below the
 *   saturation rate; p50_ms and p99_ms from each event's enqueue until its receiver got it.
 *   The saturation run's own p50/p99 (mostly queueing) are reported as saturated_p50_ms/p99_ms.
 * Writes bench/results/webhook-delivery-<time>.json and bench/results/latest/webhook-delivery.json.
 */
const http = require('node:http');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { percentile, log, sleep, nowMs, runMain } = require('./support/gateway-client.cjs');
const { writeResults } = require('./support/results.cjs');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const PACED_EVENTS = Number(process.env.BENCH_PACED_EVENTS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const ENDPOINTS = 5;
const FIRST_PORT = 26101;
const BATCH = 100;

function platformLib(name) {
  return require(path.join(ROOT, name));
}

/** A receiver recording when each event id first arrived, and counting repeats. */
async function receiver(port, arrivals, repeats) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = nowMs();
      const id = JSON.parse(Buffer.concat(chunks).toString('utf8')).id;
      if (arrivals.has(id)) repeats.count++;
      else arrivals.set(id, at);
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

async function main() {
  const platform = platformLib('libs/platform/dist');
  const { WEBHOOK_EVENT_TYPES } = platformLib('libs/contracts/dist');
  const { deliveryPipeline } = platformLib('services/webhooks/dist/delivery/pipeline.js');
  const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
  const db = `bench_wh${Date.now().toString(36)}_webhooks`;
  const mongo = await platform.connectMongo(mongoUrl, db);
  const redis = await platform.connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6391');
  const arrivals = new Map();
  const repeats = { count: 0 };
  const servers = [];
  try {
    const writes = await platform.detectStoreWrites(mongo);
    const pipeline = deliveryPipeline({
      connection: mongo,
      locks: platform.redisLocks(redis),
      writes,
      logger: platform.createLogger('bench-webhooks', 'warn'),
      config: {
        WEBHOOK_TIMEOUT_MS: 10_000,
        WEBHOOK_ALLOW_PRIVATE_URLS: true,
        WEBHOOK_RETRY_SCHEDULE: [5, 300, 1800],
        WEBHOOK_DISABLE_AFTER_SECONDS: 5 * 86_400,
        WEBHOOK_ENDPOINT_CONCURRENCY: 4,
        WEBHOOK_CONCURRENCY: 64,
        WEBHOOK_POLL_MS: 250,
      },
    });
    await platform.syncIndexes(mongo);
    const tenant = `ten_bench_${Date.now().toString(36)}`;
    const types = WEBHOOK_EVENT_TYPES.slice(0, ENDPOINTS);
    for (let i = 0; i < ENDPOINTS; i++) {
      servers.push(await receiver(FIRST_PORT + i, arrivals, repeats));
      await pipeline.endpoints.insert({
        _id: `we_bench_${i}`,
        tenant_id: tenant,
        url: `http://127.0.0.1:${FIRST_PORT + i}/hooks`,
        events: [types[i]],
        description: 'bench',
        enabled: true,
        disabled_reason: null,
        secret: 'whsec_YmVuY2gtc2VjcmV0LW9mLXRoaXJ0eS10d28tYnl0ZXM=',
        previous_secret: null,
        previous_secret_expires_at: null,
        failing_since: null,
        version: 0,
        created_by: null,
        updated_by: null,
      });
    }
    const payload = (phase, n) => ({
      id: `evt_${phase}_${n}`,
      type: types[n % ENDPOINTS],
      timestamp: new Date().toISOString(),
      tenant_id: tenant,
      data: {
        id: `inv_${n}`,
        number: `INV-${n}`,
        total: '120.00',
        currency: 'USD',
        status: 'paid',
      },
    });
    const enqueuedAt = new Map();
    pipeline.dispatcher.start();

    const waitFor = async (ids, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (ids.some((id) => !arrivals.has(id))) {
        if (Date.now() > deadline) throw new Error('deliveries did not all arrive in time');
        await sleep(20);
      }
    };
    const latencies = (ids) =>
      ids.map((id) => arrivals.get(id) - enqueuedAt.get(id)).sort((a, b) => a - b);

    log(`saturation: ${EVENTS} events in batches of ${BATCH}`);
    const satIds = [];
    const start = nowMs();
    for (let n = 0; n < EVENTS; n += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, EVENTS - n) }, (_, i) =>
        payload('sat', n + i),
      );
      const at = nowMs();
      for (const p of batch) enqueuedAt.set(p.id, at);
      await pipeline.enqueuer.enqueue(batch);
      satIds.push(...batch.map((p) => p.id));
    }
    const enqueueMs = nowMs() - start;
    await waitFor(satIds, 600_000);
    const satMs = Math.max(...satIds.map((id) => arrivals.get(id))) - start;
    const sat = latencies(satIds);

    log(`paced: ${PACED_EVENTS} events at ${RATE}/s`);
    const pacedIds = [];
    const pacedStart = nowMs();
    for (let n = 0; n < PACED_EVENTS; n++) {
      const due = pacedStart + (n * 1000) / RATE;
      const wait = due - nowMs();
      if (wait > 0) await sleep(wait);
      const p = payload('paced', n);
      enqueuedAt.set(p.id, nowMs());
      await pipeline.enqueuer.enqueue([p]);
      pacedIds.push(p.id);
    }
    await waitFor(pacedIds, 120_000);
    const paced = latencies(pacedIds);
    await pipeline.stop();

    const summary = {
      events: EVENTS,
      endpoints: ENDPOINTS,
      store_writes: writes,
      deliveries_per_s: Math.round((EVENTS / satMs) * 1000),
      enqueue_per_s: Math.round((EVENTS / enqueueMs) * 1000),
      p50_ms: Math.round(percentile(paced, 50)),
      p99_ms: Math.round(percentile(paced, 99)),
      paced_rate_per_s: RATE,
      paced_events: PACED_EVENTS,
      saturated_p50_ms: Math.round(percentile(sat, 50)),
      saturated_p99_ms: Math.round(percentile(sat, 99)),
      duplicates_received: repeats.count,
    };
    const file = writeResults('webhook-delivery', summary, {
      config: { per_endpoint_cap: 4, global_cap: 64, batch: BATCH },
    });
    console.table(summary);
    log(`results: ${path.relative(ROOT, file)}`);
  } finally {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
    redis.disconnect();
  }
}

runMain(module, main);
