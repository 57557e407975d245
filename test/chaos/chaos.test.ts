/**
 * Proof under fire: while a steady stream of payments and credit consumptions runs, the billing
 * worker is SIGKILLed repeatedly, Kafka is restarted, FerretDB is stopped for a while and so is
 * Redis. Afterwards nothing may be lost or applied twice, the books must agree with an
 * independent recomputation, every consumer group must catch up, and no client may have seen a
 * 500 or waited forever. docs/faults.md explains the faults, the assertions and the figures.
 *
 * CI size by default (2-3 minutes); a longer run: CHAOS_SECONDS=900 CHAOS_RATE=6 ... (docs/faults.md).
 * It stops and starts the servers named by LEDGERLINE_INFRA_DIR / KAFKA_PORT / MONGO_PORT /
 * REDIS_PORT (scripts/infra), and always leaves them running.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { formatMinor, toMinor } from '@ledgerline/contracts';
import { eventually, ROOT, uniqueId } from '../support/infra';
import { bearer, login } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';
import { createCustomer } from '../support/customers';
import { restoreServers, serverAction } from '../support/chaos/servers';
import { consumerLag, endOffsets, type GroupLag } from '../support/chaos/lag';
import { LoadDriver, summarise, type Op } from '../support/chaos/load';
import {
  accountBalance,
  creditChainProblems,
  expectedStatus,
  ledgerProblems,
  listAll,
  type CreditTx,
  type InvoiceRow,
  type LedgerEntry,
  type PaymentRow,
} from '../support/chaos/books';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SIZE = {
  /** Keep repeating the fault sequence until the fault window has lasted this long (0: once). */
  seconds: num('CHAOS_SECONDS', 0),
  /** Operations started per second (payments and credit consumptions together). */
  rate: num('CHAOS_RATE', 4),
  tenants: num('CHAOS_TENANTS', 3),
  workerKills: num('CHAOS_WORKER_KILLS', 3),
  /** Pause between faults, with the stream running, so each fault's effect is seen on its own. */
  calmMs: num('CHAOS_CALM_MS', 4000),
  mongoDownMs: num('CHAOS_MONGO_DOWN_MS', 8000),
  redisDownMs: num('CHAOS_REDIS_DOWN_MS', 10_000),
  kafkaDownMs: num('CHAOS_KAFKA_DOWN_MS', 3000),
  planCredits: num('CHAOS_PLAN_CREDITS', 60),
};
const HUNG_MS = 15_000;
// an answer lost together with its idempotency record leaves the key "in progress" for 60 s
// (the in-flight timeout) before a retry may run again: an operation gets longer than that
const OP_DEADLINE_MS = 120_000;
const WORKERS = ['billing-worker', 'billing-worker-2'];

jest.setTimeout(Math.max(420_000, SIZE.seconds * 1000 + 300_000));

type Platform = RunningPlatform & { dbPrefix: string; topicPrefix: string };
let platform: Platform;
let api: ReturnType<typeof request>;

interface Tenant {
  id: string;
  token: string;
  tokenAt: number;
  email: string;
  invoices: { id: string; currency: string; totalMinor: number; small: boolean; click: boolean }[];
}
const tenants: Tenant[] = [];
const PASSWORD = 'chaos-owner-password';

let phase = 'setup';
let driver: LoadDriver;
const timings: Record<string, number> = {};
const phaseWindows: { phase: string; from: number; to: number }[] = [];
let redisDown: Record<string, unknown> = {};
let lagAtEnd: GroupLag[] = [];
const lagTimeline: { s: number; behind: Record<string, number>; published: number }[] = [];
let probePayment: { key: string; id: string; invoiceId: string; amountMinor: number } | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function enter(next: string) {
  const now = Date.now();
  const last = phaseWindows.at(-1);
  if (last) last.to = now;
  phaseWindows.push({ phase: next, from: now, to: now });
  phase = next;
}

async function createTenant(admin: string, planId: string): Promise<Tenant> {
  const subdomain = uniqueId('chaos');
  const email = `${subdomain}@example.com`;
  const res = await api.post('/api/saas/tenants').set(bearer(admin)).send({
    company_name: 'Chaos Ltd',
    email,
    first_name: 'Chaos',
    last_name: 'Monkey',
    plan_id: planId,
    subdomain,
    password: PASSWORD,
  });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  const owner = await login(api, email, PASSWORD);
  return { id: owner.tenantId, token: owner.token, tokenAt: Date.now(), email, invoices: [] };
}

async function issueInvoice(
  t: Tenant,
  currency: string,
  subTotal: string,
  small: false | 'small' | 'click' = false,
) {
  const customer = await createCustomer(api, t.token, `Chaos ${uniqueId('c')}`, currency);
  const res = await api
    .post('/api/bills/invoices/')
    .set(bearer(t.token))
    .send({
      customer_id: customer,
      issue_date: '2025-03-01',
      status: 'unpaid',
      currency,
      details: [{ sub_total: subTotal }],
    });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  t.invoices.push({
    id: res.body.data.id,
    currency,
    totalMinor: toMinor(res.body.data.total_bill_amount, currency),
    small: small !== false,
    click: small === 'click',
  });
}

beforeAll(async () => {
  const t0 = Date.now();
  await restoreServers();
  platform = await startTestPlatform('chaos', {
    basePort: 9000,
    gatewayPort: 9080,
    billingWorkers: 2,
  });
  api = request(platform.gatewayUrl);
  timings.platformStartMs = Date.now() - t0;

  const admin = (
    await api.post('/api/auth').send({ username: 'admin', password: 'ledgerline-admin' })
  ).body.token as string;
  const plan = await api
    .post('/api/saas/plans')
    .set(bearer(admin))
    .send({
      name: uniqueId('Chaos'),
      price_monthly: '0.00',
      price_yearly: '0.00',
      billing_cycle: 'monthly',
      trial_enabled: false,
      limits: { credits: SIZE.planCredits },
    });
  expect([plan.status, plan.body.error]).toEqual([201, undefined]);
  for (let i = 0; i < SIZE.tenants; i++) {
    const t = await createTenant(admin, plan.body.data.id);
    await issueInvoice(t, 'BDT', '100000.00');
    await issueInvoice(t, 'BDT', '80000.00');
    await issueInvoice(t, 'USD', '50000.00');
    // paid in full early on; later payments to it are refused (422: more than is due)
    await issueInvoice(t, 'BDT', '30.00', 'small');
    // every payment to it is the same full-balance payment clicked again (a new key each time):
    // exactly one may be accepted, whatever fault is under way
    await issueInvoice(t, 'USD', '30.00', 'click');
    tenants.push(t);
  }
  for (const t of tenants) {
    await eventually(
      async () =>
        (await api.get('/v1/billing/credits/balance/').set(bearer(t.token))).body.data?.credits,
      (c) => c === SIZE.planCredits,
      30_000,
      250,
    );
  }
  timings.setupMs = Date.now() - t0;
});

afterAll(async () => {
  // whatever happened, the servers are left running for the suites and developers after us
  await restoreServers();
  await platform?.stop();
});

/**
 * The i-th operation: tenants in turn; each tenant pays twice for every credit consumption, its
 * payments going round its invoices.
 */
function nextOp(i: number) {
  const tenant = i % tenants.length;
  const t = tenants[tenant]!;
  const round = Math.floor(i / tenants.length);
  if (round % 3 === 2) {
    return {
      kind: 'credits' as const,
      tenant,
      token: t.token,
      path: '/v1/billing/credits/usage/',
      body: { operation_type: 'chaos', credits: 1 + (Math.floor(round / 3) % 3) },
    };
  }
  const invoice = t.invoices[round % t.invoices.length]!;
  const amount = invoice.click
    ? '30.00'
    : invoice.small
      ? '10.00'
      : `${1 + (i % 37)}.${String(i % 100).padStart(2, '0')}`;
  return {
    kind: 'payment' as const,
    tenant,
    token: t.token,
    path: '/api/payments/payments/',
    body: {
      payment_method: 'bank',
      invoice_master_id: invoice.id,
      amount,
      payment_date: '2025-03-02',
    },
  };
}

/** What the gateway and services do for a client while Redis is away (asked once Redis is down). */
async function probeWithoutRedis(): Promise<Record<string, unknown>> {
  const t = tenants[0]!;
  const big = t.invoices[0]!;
  const read = await api
    .get('/api/bills/invoices/?per_page=1')
    .set(bearer(t.token))
    .timeout(HUNG_MS);
  const loggedIn = await api
    .post('/api/auth/login')
    .send({ username: t.email, password: PASSWORD })
    .timeout(HUNG_MS);
  const consume = await api
    .post('/v1/billing/credits/usage/')
    .set(bearer(t.token))
    .set('Idempotency-Key', `probe-${uniqueId('c')}`)
    .send({ operation_type: 'probe', credits: 1 })
    .timeout(HUNG_MS);
  const key = `probe-${uniqueId('p')}`;
  const pay = await api
    .post('/api/payments/payments/')
    .set(bearer(t.token))
    .set('Idempotency-Key', key)
    .send({ payment_method: 'bank', invoice_master_id: big.id, amount: '0.77', remarks: key })
    .timeout(HUNG_MS);
  if (pay.status === 201) {
    probePayment = { key, id: pay.body.data.id, invoiceId: big.id, amountMinor: 77 };
  }
  const ready = await api.get('/readyz').timeout(HUNG_MS);
  return {
    read: [read.status, read.headers['ratelimit-limit'] ?? null],
    login: loggedIn.status,
    consume: [consume.status, consume.body.type],
    pay: pay.status,
    readyz: [ready.status, ready.body.details],
  };
}

/** Processes this suite is killing on purpose: the supervisor leaves them alone. */
const killing = new Set<string>();
/** Processes that exited on their own and were started again, with the end of their log. */
const restartedBySupervisor: { name: string; phase: string; startFailure: boolean }[] = [];

/**
 * What docker-compose's `restart: unless-stopped` does in production: a process that exits is
 * started again. A process that cannot start while a dependency is down exits by design (it
 * fails fast and its supervisor retries); one that was running must never exit on its own.
 */
function superviseProcesses(): () => void {
  const timer = setInterval(() => {
    for (const [name, entry] of platform.children) {
      const child = entry.child as { exitCode: number | null; signalCode: string | null };
      if (killing.has(name) || (child.exitCode === null && child.signalCode === null)) continue;
      const log = fs.readFileSync(path.join(platform.logDir, `${name}.log`), 'utf8');
      const lastLine = log.trimEnd().split('\n').at(-1) ?? '';
      restartedBySupervisor.push({ name, phase, startFailure: /failed to start/.test(lastLine) });
      platform.startOne(name);
    }
  }, 1000);
  return () => clearInterval(timer);
}

/** Access tokens live 15 minutes: a long run logs in again between rounds, while nothing is down. */
async function refreshTokens() {
  for (const t of tenants) {
    if (Date.now() - t.tokenAt < 8 * 60_000) continue;
    const res = await api.post('/api/auth/login').send({ username: t.email, password: PASSWORD });
    if (res.status !== 200) continue; // the stream keeps the old token; the next round tries again
    t.token = res.body.data.token;
    t.tokenAt = Date.now();
  }
}

async function killWorkers() {
  for (let k = 0; k < SIZE.workerKills; k++) {
    const worker = WORKERS[k % WORKERS.length]!;
    enter(`worker-kill-${k + 1}`);
    killing.add(worker);
    try {
      await platform.stopOne(worker, 'SIGKILL');
      await sleep(2000);
      platform.startOne(worker);
    } finally {
      killing.delete(worker);
    }
    await sleep(SIZE.calmMs);
  }
}

async function restartKafka() {
  enter('kafka-down');
  try {
    await serverAction('stop', 'kafka');
    await sleep(SIZE.kafkaDownMs);
  } finally {
    await serverAction('start', 'kafka');
  }
  enter('after-kafka');
  await sleep(SIZE.calmMs);
}

async function restartMongo() {
  enter('mongo-down');
  try {
    await serverAction('stop', 'mongo');
    await sleep(SIZE.mongoDownMs);
  } finally {
    await serverAction('start', 'mongo');
  }
  enter('after-mongo');
  await sleep(SIZE.calmMs);
}

async function stopRedis(first: boolean) {
  enter('redis-down');
  try {
    await serverAction('stop', 'redis');
    const t0 = Date.now();
    await sleep(1000);
    if (first) redisDown = await probeWithoutRedis();
    await sleep(Math.max(0, SIZE.redisDownMs - (Date.now() - t0)));
  } finally {
    await serverAction('start', 'redis');
  }
  enter('after-redis');
  await sleep(SIZE.calmMs);
}

const opsOf = (kind: Op['kind'], tenant: number) =>
  driver.ops.filter((o) => o.kind === kind && o.tenant === tenant);

describe('faults under a steady stream of payments and credit consumptions', () => {
  test('when the worker is SIGKILLed, Kafka restarted, FerretDB and Redis stopped, then every answer is a 2xx, an expected 4xx or a 502/503/504 in the envelope: never a 500, never hung', async () => {
    const runId = uniqueId('run');
    driver = new LoadDriver({
      baseUrl: platform.gatewayUrl,
      rate: SIZE.rate,
      hungMs: HUNG_MS,
      opDeadlineMs: OP_DEADLINE_MS,
      next: nextOp,
      phase: () => phase,
      runId,
    });
    // the gateway's rate-limit headers while Redis answers, to compare with the outage
    const before = await api.get('/api/bills/invoices/?per_page=1').set(bearer(tenants[0]!.token));
    expect(before.headers['ratelimit-limit']).toEqual(expect.any(String));

    const t0 = Date.now();
    enter('steady');
    const stopSupervising = superviseProcesses();
    driver.start();
    try {
      await sleep(SIZE.calmMs);
      for (let round = 0; ; round++) {
        await refreshTokens();
        await killWorkers();
        await restartKafka();
        await restartMongo();
        await stopRedis(round === 0);
        if ((Date.now() - t0) / 1000 >= SIZE.seconds) break;
      }
      enter('recovery');
      await sleep(SIZE.calmMs);
    } finally {
      timings.faultWindowMs = Date.now() - t0;
      enter('drain');
      await driver.stop();
      await restoreServers();
      stopSupervising();
      enter('done');
    }
    timings.drainMs = Date.now() - t0 - timings.faultWindowMs;

    const bad = driver.attempts.filter(
      (a) =>
        a.status === 'hung' ||
        a.status === 'network' ||
        (typeof a.status === 'number' && a.status >= 500 && ![502, 503, 504].includes(a.status)) ||
        a.type === 'not-an-envelope',
    );
    const unexpected4xx = driver.attempts.filter((a) => {
      if (typeof a.status !== 'number' || a.status < 400 || a.status >= 500) return false;
      const allowed = a.kind === 'payment' ? [409, 422] : [402, 409];
      return !allowed.includes(a.status);
    });
    const unresolved = driver.ops.filter((o) => o.outcome !== 'ok' && o.outcome !== 'refused');
    const refusedPayments = driver.ops.filter(
      (o) =>
        o.kind === 'payment' &&
        o.outcome === 'refused' &&
        !tenants[o.tenant]!.invoices.find((inv) => inv.id === o.body.invoice_master_id)?.small,
    );
    writeSummary();
    expect(bad).toEqual([]);
    expect(unexpected4xx).toEqual([]);
    expect(unresolved.map((o) => [o.key, o.status, o.attempts])).toEqual([]);
    // only the small invoice ever refuses a payment; the others never come near their total
    expect(refusedPayments.map((o) => [o.key, o.status])).toEqual([]);
    // each fault was felt: the stream saw 503s while FerretDB and Redis were down
    const statusesIn = (p: string) =>
      new Set(driver.attempts.filter((a) => a.phase === p).map((a) => a.status));
    expect(statusesIn('mongo-down').has(503)).toBe(true);
    expect(statusesIn('redis-down').has(503)).toBe(true);
    // no running process died on its own; one that could not start during an outage may exit
    expect(restartedBySupervisor.filter((r) => !r.startFailure)).toEqual([]);
    const dead = [...platform.children.entries()]
      .filter(([, c]) => (c.child as { exitCode: number | null }).exitCode !== null)
      .map(([name]) => name);
    expect(dead).toEqual([]);
  });

  test('when Redis is down, then the gateway fails open: reads and logins are served without rate-limit headers, payments and credit use (both decided under a lock) answer 503, readiness names redis', () => {
    expect(redisDown).toEqual({
      read: [200, null],
      login: 200,
      consume: [503, 'service_unavailable'],
      // a payment is decided under its invoice's lock (no overpayment): without Redis, try again
      pay: 503,
      readyz: [503, expect.arrayContaining([{ field: 'redis', message: expect.any(String) }])],
    });
  });

  test('when the faults are over, then the consumer lag of every group of the platform returns to zero', async () => {
    const t0 = Date.now();
    let stableEnds = '';
    const settled = eventually(
      async () => {
        const lag = await consumerLag(platform.topicPrefix);
        const ends = JSON.stringify(await endOffsets(platform.topicPrefix));
        const settled = ends === stableEnds;
        stableEnds = ends;
        lagTimeline.push({
          s: Math.round((Date.now() - t0) / 1000),
          behind: Object.fromEntries(
            lag
              .filter((g) => g.lag > 0)
              .map((g) => [g.group.slice(platform.topicPrefix.length), g.lag]),
          ),
          published: Object.values(JSON.parse(ends) as Record<string, number>).reduce(
            (a, b) => a + b,
            0,
          ),
        });
        return { lag, settled };
      },
      // zero lag twice in a row with no new messages meanwhile: outboxes have drained too
      ({ lag, settled }) => settled && lag.length > 0 && lag.every((g) => g.lag === 0),
      180_000,
      2000,
    );
    try {
      lagAtEnd = (await settled).lag;
      timings.lagZeroMs = Date.now() - t0;
    } finally {
      writeSummary();
    }
    expect(lagAtEnd.map((g) => g.group.slice(platform.topicPrefix.length)).sort()).toEqual(
      expect.arrayContaining(['billing-worker', 'billing-worker-credits', 'billing-worker-ledger']),
    );
    expect(lagAtEnd.filter((g) => g.lag !== 0)).toEqual([]);
  });

  test('when the books are read, then every acknowledged payment exists exactly once, no unacknowledged one exists, and billing reflected each', async () => {
    for (const [index, t] of tenants.entries()) {
      const payments = await listAll<PaymentRow>(api, t.token, '/api/payments/payments/');
      const byKey = new Map<string, PaymentRow[]>();
      for (const p of payments)
        byKey.set(p.remarks ?? '', [...(byKey.get(p.remarks ?? '') ?? []), p]);
      const acknowledged = opsOf('payment', index).filter((o) => o.outcome === 'ok');
      const problems: string[] = [];
      for (const op of acknowledged) {
        const rows = byKey.get(op.key) ?? [];
        if (rows.length !== 1) problems.push(`${op.key}: ${rows.length} payments`);
        else if (rows[0]!.id !== op.data?.id)
          problems.push(`${op.key}: id ${rows[0]!.id} != ${String(op.data?.id)}`);
        else if (rows[0]!.amount !== op.body.amount || rows[0]!.status !== 'completed')
          problems.push(`${op.key}: ${rows[0]!.amount} ${rows[0]!.status}`);
      }
      const known = new Set([
        ...acknowledged.map((o) => o.key),
        ...(index === 0 && probePayment ? [probePayment.key] : []),
      ]);
      // an operation given up without a definitive answer may or may not have been recorded
      // (its failure is reported by the first test), but never twice
      for (const op of opsOf('payment', index).filter((o) => o.outcome === 'unresolved')) {
        const rows = byKey.get(op.key) ?? [];
        if (rows.length > 1) problems.push(`${op.key} (unresolved): ${rows.length} payments`);
        known.add(op.key);
      }
      for (const p of payments) {
        if (!known.has(p.remarks ?? ''))
          problems.push(`payment ${p.id} (${p.remarks}) was never acknowledged`);
      }
      expect([t.id, problems]).toEqual([t.id, []]);
      const report = await eventually(
        async () =>
          (await api.get('/api/payments/reconciliation/?grace_seconds=0').set(bearer(t.token))).body
            .data,
        (r) => r?.count === 0,
        30_000,
        1000,
      );
      expect(report).toEqual({ results: [], count: 0, grace_seconds: 0 });
    }
  });

  test('when the books are read, then each invoice equals a recomputation from its payments and the ledger balances per tenant and currency with receivables and cash agreeing', async () => {
    for (const [index, t] of tenants.entries()) {
      const payments = (await listAll<PaymentRow>(api, t.token, '/api/payments/payments/')).filter(
        (p) => p.status === 'completed',
      );
      const paidOf = (invoiceId: string, currency: string) =>
        payments
          .filter((p) => p.invoice_master_id === invoiceId)
          .reduce((s, p) => s + toMinor(p.amount, currency), 0);
      const listedKeys = new Set(payments.map((p) => p.remarks));
      const clientPaid = (invoiceId: string, currency: string) =>
        opsOf('payment', index)
          .filter(
            (o) =>
              (o.outcome === 'ok' || (o.outcome === 'unresolved' && listedKeys.has(o.key))) &&
              o.body.invoice_master_id === invoiceId,
          )
          .reduce((s, o) => s + toMinor(String(o.body.amount), currency), 0) +
        (index === 0 && probePayment?.invoiceId === invoiceId ? probePayment.amountMinor : 0);

      const invoiceProblems = async () => {
        const problems: string[] = [];
        for (const inv of t.invoices) {
          const row = (await api.get(`/api/bills/invoices/${inv.id}/`).set(bearer(t.token))).body
            .data as InvoiceRow;
          const paid = paidOf(inv.id, inv.currency);
          const want = {
            total_paid_amount: formatMinor(paid, inv.currency),
            total_balance_due: formatMinor(inv.totalMinor - paid, inv.currency),
            status: expectedStatus(inv.totalMinor, paid),
          };
          const got = {
            total_paid_amount: row.total_paid_amount,
            total_balance_due: row.total_balance_due,
            status: row.status,
          };
          if (JSON.stringify(got) !== JSON.stringify(want))
            problems.push(`${inv.id}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
          if (paid !== clientPaid(inv.id, inv.currency))
            problems.push(
              `${inv.id}: listed ${paid} != acknowledged ${clientPaid(inv.id, inv.currency)}`,
            );
        }
        return problems;
      };
      expect([
        t.id,
        await eventually(invoiceProblems, (p) => p.length === 0, 30_000, 1000).catch(
          invoiceProblems,
        ),
      ]).toEqual([t.id, []]);
      // the small invoices were paid in full during the run, and never more: the duplicate
      // clicks on the click invoice found exactly one payment accepted
      for (const small of t.invoices.filter((i) => i.small))
        expect([small.id, paidOf(small.id, small.currency)]).toEqual([small.id, small.totalMinor]);
      const click = t.invoices.find((i) => i.click)!;
      expect(
        opsOf('payment', index).filter(
          (o) => o.outcome === 'ok' && o.body.invoice_master_id === click.id,
        ),
      ).toHaveLength(1);

      const ledger = await eventually(
        () => listAll<LedgerEntry>(api, t.token, '/api/billing/transactions'),
        (entries) => entries.filter((e) => e.kind === 'payment').length === payments.length,
        30_000,
        1000,
      );
      expect([t.id, ledgerProblems(ledger)]).toEqual([t.id, []]);
      expect(ledger.filter((e) => e.kind === 'invoice_issued')).toHaveLength(t.invoices.length);
      expect(
        ledger
          .filter((e) => e.kind === 'payment')
          .map((e) => e.source.key)
          .sort(),
      ).toEqual(payments.map((p) => `payment:${p.id}`).sort());
      const cashWant: Record<string, number> = {};
      for (const p of payments)
        cashWant[p.currency] = (cashWant[p.currency] ?? 0) + toMinor(p.amount, p.currency);
      expect(accountBalance(ledger, 'cash')).toEqual(cashWant);
      for (const inv of t.invoices) {
        const row = (await api.get(`/api/bills/invoices/${inv.id}/`).set(bearer(t.token))).body
          .data as InvoiceRow;
        expect([inv.id, accountBalance(ledger, `receivable:${row.customer_id}`)]).toEqual([
          inv.id,
          { [inv.currency]: toMinor(row.total_balance_due, inv.currency) },
        ]);
      }
    }
  });

  test('when the credit books are read, then the balance is the grant minus acknowledged consumptions, each deducted once, the chain consecutive and never negative', async () => {
    for (const [index, t] of tenants.entries()) {
      const txs = await listAll<CreditTx>(api, t.token, '/v1/billing/transactions/');
      expect([t.id, creditChainProblems(txs)]).toEqual([t.id, []]);
      const grants = txs.filter((x) => x.transaction_type === 'grant');
      expect(grants.map((g) => g.amount)).toEqual([SIZE.planCredits]);
      const deductions = txs.filter((x) => x.transaction_type === 'deduction');
      const acknowledged = opsOf('credits', index).filter((o) => o.outcome === 'ok');
      const problems: string[] = [];
      for (const op of acknowledged) {
        const rows = deductions.filter((d) => d.description === op.key);
        const sent = (op.data?.transaction as { id?: string } | undefined)?.id;
        if (rows.length !== 1 || rows[0]!.id !== sent)
          problems.push(`${op.key}: ${rows.length} deductions, answered ${String(sent)}`);
      }
      const known = new Set(acknowledged.map((o) => o.key));
      for (const op of opsOf('credits', index).filter((o) => o.outcome === 'unresolved')) {
        const rows = deductions.filter((d) => d.description === op.key);
        if (rows.length > 1) problems.push(`${op.key} (unresolved): ${rows.length} deductions`);
        known.add(op.key);
      }
      for (const d of deductions)
        if (!known.has(d.description ?? ''))
          problems.push(`deduction ${d.id} (${d.description}) was never acknowledged`);
      expect([t.id, problems]).toEqual([t.id, []]);
      const deducted = -deductions.reduce((s, d) => s + d.amount, 0);
      const described = new Set(deductions.map((d) => d.description));
      const used = opsOf('credits', index)
        .filter((o) => o.outcome === 'ok' || (o.outcome === 'unresolved' && described.has(o.key)))
        .reduce((s, o) => s + Number(o.body.credits), 0);
      expect(deducted).toBe(used);
      const balance = (await api.get('/v1/billing/credits/balance/').set(bearer(t.token))).body
        .data;
      expect(balance.credits).toBe(SIZE.planCredits - deducted);
      // the stream asks for more than the plan grants: the tail end is refused with 402, not overdrawn
      const refused = opsOf('credits', index).filter((o) => o.outcome === 'refused');
      expect(refused.every((o) => o.status === 402)).toBe(true);
    }
  });
});

function writeSummary() {
  const ops = driver.ops;
  const summary = {
    size: SIZE,
    timings,
    requests: {
      operations: ops.length,
      attempts: driver.attempts.length,
      byOutcome: ops.reduce<Record<string, number>>((m, o) => {
        const k = `${o.kind}:${o.outcome}:${o.status}`;
        m[k] = (m[k] ?? 0) + 1;
        return m;
      }, {}),
      maxAttemptsPerOp: Math.max(0, ...ops.map((o) => o.attempts)),
    },
    phases: phaseWindows.map((w) => ({ ...w, seconds: (w.to - w.from) / 1000 })),
    byPhase: summarise(driver.attempts),
    redisDown,
    lagAtEnd,
    lagTimeline,
    restartedBySupervisor,
  };
  const file = path.join(ROOT, '.run', 'chaos-summary.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(summary, null, 2));
}
