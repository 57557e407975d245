import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { buildEvent, topicOf } from '@ledgerline/contracts';
import { eventually, KAFKA_BROKERS, uniqueId } from '../support/infra';
import { bearer, registerAndLogin as register, type TestSession } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';
import { createCustomer } from '../support/customers';

jest.setTimeout(240_000);

let platform: RunningPlatform & { dbPrefix: string; topicPrefix: string };
let api: ReturnType<typeof request>;
let admin: string;

const registerAndLogin = (label: string) => register(api, label);
const auth = (s: TestSession) => bearer(s.token);

interface Tx {
  id: string;
  kind: string;
  currency: string;
  amount: string;
  invoice_id: string | null;
  source: { key: string; event_type: string | null };
  orig_account: string;
  dest_account: string;
  lines: { account: string; debit: string; credit: string }[];
}

/** Decimal strings to integer minor units, for sums in the test (2-decimal currencies only). */
const cents = (s: string) => Math.round(Number(s) * 100);

async function transactions(token: string, query = ''): Promise<Tx[]> {
  const res = await api.get(`/api/billing/transactions?per_page=100${query}`).set(bearer(token));
  expect(res.status).toBe(200);
  return res.body.data.results as Tx[];
}

function expectBalanced(entries: Tx[]) {
  const byCurrency = new Map<string, [number, number]>();
  for (const e of entries) {
    const [d, c] = byCurrency.get(e.currency) ?? [0, 0];
    const debit = e.lines.reduce((s, l) => s + cents(l.debit), 0);
    const credit = e.lines.reduce((s, l) => s + cents(l.credit), 0);
    expect(debit).toBe(credit);
    expect(debit).toBe(cents(e.amount));
    byCurrency.set(e.currency, [d + debit, c + credit]);
  }
  for (const [debits, credits] of byCurrency.values()) expect(debits).toBe(credits);
}

const balanceOf = (entries: Tx[], account: string) =>
  entries
    .flatMap((e) => e.lines)
    .filter((l) => l.account === account)
    .reduce((s, l) => s + cents(l.debit) - cents(l.credit), 0);

beforeAll(async () => {
  platform = await startTestPlatform('ledger', { basePort: 26000, gatewayPort: 27080 });
  api = request(platform.gatewayUrl);
  admin = (await api.post('/api/auth').send({ username: 'admin', password: 'ledgerline-admin' }))
    .body.token;
});

afterAll(async () => {
  await platform?.stop();
});

describe('the ledger posts billing events', () => {
  test('when an invoice is issued and paid, then the transactions are balanced and the receivable equals the balance due; a redelivered payment event posts once', async () => {
    const s = await registerAndLogin('ledger');
    const customer = await createCustomer(api, s.token, 'Ledger Customer');
    const created = await api
      .post('/api/bills/invoices/')
      .set(auth(s))
      .send({
        customer_id: customer,
        status: 'unpaid',
        currency: 'BDT',
        details: [{ sub_total: '10000.00', vat_rate: 15, sub_discount_rate: 5 }],
      });
    expect(created.status).toBe(201);
    const invoiceId = created.body.data.id as string;
    const paid = await api.post('/api/payments/payments/').set(auth(s)).send({
      payment_method: 'Bank Transfer',
      invoice_master_id: invoiceId,
      amount: '4000.50',
    });
    expect(paid.status).toBe(201);
    const paymentId = paid.body.data.id as string;

    const entries = await eventually(
      () => transactions(s.token),
      (list) => list.length >= 2,
    );
    expect(entries.map((e) => e.kind).sort()).toEqual(['invoice_issued', 'payment']);
    const issue = entries.find((e) => e.kind === 'invoice_issued')!;
    expect(issue).toMatchObject({
      amount: '11000.00',
      currency: 'BDT',
      invoice_id: invoiceId,
      source: { key: `invoice_issued:${invoiceId}`, event_type: 'InvoiceCreated' },
      dest_account: `receivable:${customer}`,
      orig_account: 'revenue',
      lines: [
        { account: `receivable:${customer}`, debit: '11000.00', credit: '0.00' },
        { account: 'revenue', debit: '0.00', credit: '9500.00' },
        { account: 'vat_payable', debit: '0.00', credit: '1500.00' },
      ],
    });
    expect(entries.find((e) => e.kind === 'payment')).toMatchObject({
      amount: '4000.50',
      source: { key: `payment:${paymentId}`, event_type: 'InvoiceStatusChanged' },
    });
    expectBalanced(entries);
    expect(balanceOf(entries, `receivable:${customer}`)).toBe(699_950);

    // the same InvoiceStatusChanged again, under its own id and under a new one, then a marker
    const duplicate = buildEvent('InvoiceStatusChanged', {
      tenant_id: s.tenantId,
      data: {
        invoice_id: invoiceId,
        invoice_number: created.body.data.invoice_number,
        customer_id: customer,
        currency: 'BDT',
        status: 'partial',
        total_minor: 1_100_000,
        paid_minor: 400_050,
        balance_due_minor: 699_950,
        sub_total_minor: 1_000_000,
        vat_minor: 150_000,
        discount_minor: 50_000,
        issue_date: null,
        previous_status: 'unpaid',
        payment_id: paymentId,
        applied_minor: 400_050,
        payment_change: 'payment',
        refund_id: null,
      },
    });
    const marker = buildEvent('InvoiceStatusChanged', {
      tenant_id: s.tenantId,
      data: { ...duplicate.data, payment_id: `pay_marker_${uniqueId('m')}`, applied_minor: 1 },
    });
    const kafka = new Kafka({
      clientId: 'e2e-ledger',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const topic = topicOf('InvoiceStatusChanged', platform.topicPrefix);
    const again = { ...duplicate, id: buildEvent('InvoiceStatusChanged', duplicate).id };
    for (const e of [duplicate, duplicate, again, marker]) {
      await producer.send({ topic, messages: [{ key: invoiceId, value: JSON.stringify(e) }] });
    }
    await producer.disconnect();
    const after = await eventually(
      () => transactions(s.token),
      (list) => list.length >= 3,
    );
    expect(after.filter((e) => e.source.key === `payment:${paymentId}`)).toHaveLength(1);
    expect(after).toHaveLength(3);
    expectBalanced(after);

    // another tenant sees none of it
    const other = await registerAndLogin('ledger2');
    expect(await transactions(other.token)).toEqual([]);
  });
});

describe('the balance API', () => {
  test('when a provider charges, is paid offline and writes off, then the balance moves exactly and a repeated key posts once; unknown or foreign profiles are 404', async () => {
    const s = await registerAndLogin('balance');
    const customer = await api
      .post('/api/customers/customers/')
      .set(auth(s))
      .send({ customer_name: 'Usage Co', customer_type: 'bw' });
    expect(customer.status).toBe(201);
    const profile = customer.body.data.id as string;
    const path = `/api/billing/${profile}/balance`;
    await eventually(
      async () => (await api.get(path).set(auth(s))).status,
      (status) => status === 200,
    );

    const charge = () =>
      api
        .post(path)
        .set(auth(s))
        .set('Idempotency-Key', 'usage-2025-01')
        .send({ amount: '100.00', kind: 'charge', description: 'January API usage' });
    const first = await charge();
    expect([first.status, first.body.data.balance.balance_due]).toEqual([201, '100.00']);
    expect(first.body.data.transaction).toMatchObject({
      kind: 'charge',
      amount: '100.00',
      currency: 'USD',
      dest_account: `receivable:${profile}`,
      orig_account: 'revenue',
      dest_profile: profile,
    });
    // the Idempotency-Key replays the first response, status and body
    const repeat = await charge();
    expect([repeat.status, repeat.headers['idempotent-replayed'], repeat.body]).toEqual([
      201,
      'true',
      first.body,
    ]);

    const offline = await api.post(path).set(auth(s)).send({ amount: 30, kind: 'offline_payment' });
    expect([offline.status, offline.body.data.balance.balance_due]).toEqual([201, '70.00']);
    const tooMuch = await api.post(path).set(auth(s)).send({ amount: '70.01', kind: 'write_off' });
    expect([tooMuch.status, tooMuch.body.type]).toEqual([422, 'validation_error']);
    const badDigits = await api.post(path).set(auth(s)).send({ amount: '1.001' });
    expect(badDigits.status).toBe(422);
    const writeOff = await api.post(path).set(auth(s)).send({ amount: '70.00', kind: 'write_off' });
    expect([writeOff.status, writeOff.body.data.balance.balance_due]).toEqual([201, '0.00']);
    expect(writeOff.body.data.transaction).toMatchObject({
      dest_account: 'write_offs',
      orig_account: `receivable:${profile}`,
    });
    expect((await api.get(path).set(auth(s))).body.data).toMatchObject({
      profile,
      currency: 'USD',
      balance_due: '0.00',
    });
    const entries = await transactions(s.token, '&q=offline&q_f=kind');
    expect(entries.map((e) => e.kind)).toEqual(['offline_payment']);
    expectBalanced(await transactions(s.token));

    const other = await registerAndLogin('balance2');
    for (const res of [
      await api.post(path).set(auth(other)).send({ amount: '1.00' }),
      await api.get(path).set(auth(other)),
      await api.post('/api/billing/cus_nobody/balance').set(auth(s)).send({ amount: '1.00' }),
    ]) {
      expect([res.status, res.body.type]).toEqual([404, 'not_found']);
    }
  });
});

describe('cart and checkout', () => {
  test('when a tenant adds plans to its cart and checks out to pay later or now, then the platform invoices it and the ledger records it', async () => {
    const plan = await api
      .post('/api/saas/plans')
      .set(bearer(admin))
      .send({
        name: `Ledger Plan ${uniqueId('p')}`,
        price_monthly: '10.00',
        price_yearly: '100.00',
        billing_cycle: 'monthly',
        limits: {},
      });
    expect(plan.status).toBe(201);
    const planId = plan.body.data.id as string;
    const s = await registerAndLogin('buyer');

    const added = await eventually(
      () => api.post('/api/cart').set(auth(s)).send({ plan: planId }),
      (res) => res.status === 201,
    );
    expect(added.body.data).toMatchObject({ total: '10.00', currency: 'USD' });
    const more = await api
      .post('/api/cart')
      .set(auth(s))
      .send({ plan: planId, option: 'yearly', quantity: 2 });
    expect(more.body.data).toMatchObject({
      total: '210.00',
      items: [
        { plan: planId, option: 'monthly', quantity: 1, amount: '10.00' },
        { plan: planId, option: 'yearly', quantity: 2, unit_price: '100.00', amount: '200.00' },
      ],
    });

    const foreign = await api.post(`/api/billing/ten_someone_else/checkout/paylater`).set(auth(s));
    expect(foreign.status).toBe(404);
    const later = await api.post(`/api/billing/${s.tenantId}/checkout/paylater`).set(auth(s));
    expect(later.status).toBe(201);
    expect(later.body.data).toMatchObject({
      paid: false,
      payment: null,
      invoice: { status: 'unpaid', customer_id: s.tenantId, total_bill_amount: '210.00' },
    });
    const invoiceId = later.body.data.invoice.id as string;
    // the order is the platform's invoice: the platform admin sees it, and its ledger posts it
    const seen = await api.get(`/api/bills/invoices/${invoiceId}/`).set(bearer(admin));
    expect([seen.status, seen.body.data.total_bill_amount]).toEqual([200, '210.00']);
    expect((await api.get('/api/cart').set(auth(s))).body.data.items).toEqual([]);
    const empty = await api.post(`/api/billing/${s.tenantId}/checkout/paylater`).set(auth(s));
    expect(empty.status).toBe(422);
    const platformEntries = await eventually(
      () => transactions(admin, `&invoice_id=${invoiceId}`),
      (list) => list.length >= 1,
    );
    expect(platformEntries[0]).toMatchObject({
      kind: 'invoice_issued',
      amount: '210.00',
      dest_account: `receivable:${s.tenantId}`,
    });

    // pay now: the payment is recorded through the payments service and settles the invoice
    await api.post('/api/cart').set(auth(s)).send({ plan: planId });
    const now = await api
      .post(`/api/billing/${s.tenantId}/checkout`)
      .set(auth(s))
      .send({ payment_method: 'card' });
    expect(now.status).toBe(201);
    expect(now.body.data).toMatchObject({ paid: true, invoice: { total_bill_amount: '10.00' } });
    const paidId = now.body.data.invoice.id as string;
    const settled = await eventually(
      async () => (await api.get(`/api/bills/invoices/${paidId}/`).set(bearer(admin))).body.data,
      (inv) => inv.status === 'paid',
    );
    expect(settled.total_balance_due).toBe('0.00');
    const posted = await eventually(
      () => transactions(admin, `&invoice_id=${paidId}`),
      (list) => list.length >= 2,
    );
    expect(posted.map((e) => e.kind).sort()).toEqual(['invoice_issued', 'payment']);
    expect(balanceOf(posted, `receivable:${s.tenantId}`)).toBe(0);

    // the cart follows the plan's changes: a new price, then deletion
    const changed = await api
      .put(`/api/saas/plans/${planId}`)
      .set(bearer(admin))
      .send({ price_monthly: '12.00' });
    expect(changed.status).toBe(200);
    const repriced = await eventually(
      () => api.post('/api/cart').set(auth(s)).send({ plan: planId, quantity: 1 }),
      (res) => res.status === 201 && res.body.data.items[0].unit_price === '12.00',
    );
    expect(repriced.body.data.total).toBe(`${12 * repriced.body.data.items[0].quantity}.00`);
    expect((await api.delete('/api/cart').set(auth(s))).body.data.items).toEqual([]);
    expect((await api.delete(`/api/saas/plans/${planId}`).set(bearer(admin))).status).toBe(200);
    await eventually(
      async () => (await api.post('/api/cart').set(auth(s)).send({ plan: planId })).status,
      (status) => status === 404,
    );
  });
});

describe('metrics', () => {
  test("when a tenant asks for its revenue, balances and customers tables, then each has twelve monthly values; another tenant's profile is 404", async () => {
    const s = await registerAndLogin('metrics');
    const customer = await createCustomer(api, s.token, 'Metrics Customer', 'USD');
    const res = await api
      .post('/api/bills/invoices/')
      .set(auth(s))
      .send({
        customer_id: customer,
        status: 'unpaid',
        currency: 'USD',
        details: [{ sub_total: '50.00' }],
      });
    expect(res.status).toBe(201);
    const revenue = await eventually(
      async () => (await api.get(`/api/metrics/${s.tenantId}/revenue`).set(auth(s))).body.data,
      (d) => d.table?.[0]?.values?.[11]?.[1] === '50.00',
    );
    expect(revenue).toMatchObject({ title: 'Revenue', scale: 1, unit: 'usd', currency: 'USD' });
    expect(revenue.table.map((r: { key: string }) => r.key)).toEqual([
      'revenue',
      'payments',
      'write_offs',
    ]);
    expect(revenue.table[0].values).toHaveLength(12);
    const balances = await api.get(`/api/metrics/${s.tenantId}/balances`).set(auth(s));
    expect(balances.body.data.table[0]).toMatchObject({ key: 'balance_due' });
    expect(balances.body.data.table[0].values[11][1]).toBe('50.00');
    const customers = await api
      .get(`/api/metrics/${s.tenantId}/customers?start_at=2024-01-01&ends_at=2024-03-31`)
      .set(auth(s));
    expect(customers.body.data.table[0].values).toEqual([
      ['2024-02-01T00:00:00.000Z', 0],
      ['2024-03-01T00:00:00.000Z', 0],
      ['2024-04-01T00:00:00.000Z', 0],
    ]);
    const other = await registerAndLogin('metrics2');
    expect((await api.get(`/api/metrics/${s.tenantId}/revenue`).set(auth(other))).status).toBe(404);
    expect((await api.get(`/api/metrics/${s.tenantId}/nonsense`).set(auth(s))).status).toBe(404);
  });
});
