'use strict';
/**
 * Billing-run throughput: invoices generated per second by a billing run with one and with two
 * billing workers, beside the store's raw bulk-insert rate (insertMany of equivalent invoice
 * documents into the same database server). Assumes the infrastructure is up and the services are
 * built; starts its own platform (ports 34000/35080, own databases and topics).
 *
 *   node bench/billing-run.cjs            (ENTITLEMENTS=300 ROUNDS=1 by default)
 */
const path = require('node:path');
const { MongoClient } = require('mongodb');
const { startPlatform } = require('../scripts/platform.cjs');

const ROOT = path.resolve(__dirname, '..');
const ENTITLEMENTS = Number(process.env.ENTITLEMENTS ?? 300);
const ROUNDS = Number(process.env.ROUNDS ?? 1);
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
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${json.error}`);
    return json.data;
  }
}

/** A tenant with `n` entitlements (one bandwidth row each), known to billing. */
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
  const lanes = 6;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      const customer = await api(base, token, 'POST', '/api/customers/customers/', {
        customer_name: `Bench ${lane}`,
        customer_type: 'bw',
      });
      for (let i = lane; i < n; i += lanes) {
        const e = await api(base, token, 'POST', '/api/customers/entitlements/', {
          customer_master_id: customer.id,
          bill_number: `BENCH-${i}`,
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
      }
    }),
  );
  while (
    (await db.collection('entitlement_details').countDocuments({ tenant_id: login.tenant.id })) < n
  )
    await sleep(500);
  return { token, tenantId: login.tenant.id };
}

/** Invoices per second of one billing run (issued, gapless numbers), from 202 to completed. */
async function runRate(base, token) {
  const started = Date.now();
  const run = await api(base, token, 'POST', '/api/bills/billing-runs/', {
    period_start: '2025-01-01',
    period_end: '2025-01-31',
    issue: true,
  });
  for (;;) {
    const now = await api(base, token, 'GET', `/api/bills/billing-runs/${run.id}/`);
    if (now.status.startsWith('completed')) {
      if (now.generated !== ENTITLEMENTS) throw new Error(`run made ${now.generated} invoices`);
      return ENTITLEMENTS / ((Date.now() - started) / 1000);
    }
    await sleep(200);
  }
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
  const results = { one: [], two: [], raw: [] };
  for (const workers of [1, 2]) {
    const platform = await startPlatform({
      basePort: 34000,
      gatewayPort: 35080,
      dbPrefix: `${id}_${workers}`,
      topicPrefix: `${id}${workers}.`,
      logDir: path.join(ROOT, '.run', 'bench-logs', `${id}-${workers}`),
      billingWorkers: workers,
      env: { LOG_LEVEL: 'warn', OUTBOX_INTERVAL_MS: '500', RATE_LIMIT_IP_PER_MINUTE: '1000000' },
      envFor: { gateway: { UPSTREAM_TIMEOUT_MS: '60000' } },
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
        results[workers === 1 ? 'one' : 'two'].push(await runRate(platform.gatewayUrl, token));
        results.raw.push(await rawInsertRate(client, `${id}_${workers}_billing`));
      }
    } finally {
      await platform.stop();
    }
  }
  await client.close();
  const rows = [
    ['billing run, 1 worker (invoices/s)', median(results.one)],
    ['billing run, 2 workers (invoices/s)', median(results.two)],
    ['raw insertMany (documents/s)', median(results.raw)],
  ];
  console.log(`\n${ENTITLEMENTS} entitlements per run, ${ROUNDS} round(s); medians`);
  for (const [name, value] of rows)
    console.log(`${name.padEnd(40)} ${value.toFixed(1).padStart(10)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
