import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { buildEvent, PLATFORM_TENANT_ID, topicOf } from '@ledgerline/contracts';
import { eventually, KAFKA_BROKERS, uniqueId } from '../support/infra';
import { bearer, login, registerAndLogin } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(240_000);

let platform: RunningPlatform & { dbPrefix: string; topicPrefix: string };
let api: ReturnType<typeof request>;
let admin: string;

interface Tenant {
  id: string;
  token: string;
  subdomain?: string;
  planName?: string;
}

beforeAll(async () => {
  platform = await startTestPlatform('cred', { basePort: 24000, gatewayPort: 25080 });
  api = request(platform.gatewayUrl);
  const res = await api.post('/api/auth').send({ username: 'admin', password: 'ledgerline-admin' });
  expect(res.body.data.tenant.id).toBe(PLATFORM_TENANT_ID);
  admin = res.body.token;
});

afterAll(async () => {
  await platform?.stop();
});

/** A tenant created by the platform admin on a plan granting `credits` a month for `price`. */
async function tenantOnPlan(credits: number, price: string): Promise<Tenant> {
  const planName = uniqueId('Credits');
  const plan = await api.post('/api/saas/plans').set(bearer(admin)).send({
    name: planName,
    price_monthly: price,
    price_yearly: '290.00',
    billing_cycle: 'monthly',
    trial_enabled: false,
    limits: { credits },
  });
  expect([plan.status, plan.body.error]).toEqual([201, undefined]);
  const subdomain = uniqueId('cr');
  const tenant = await api
    .post('/api/saas/tenants')
    .set(bearer(admin))
    .send({
      company_name: 'Credit Corp',
      email: `${subdomain}@example.com`,
      first_name: 'Cred',
      last_name: 'It',
      plan_id: plan.body.data.id,
      subdomain,
      password: 'owner-password',
    });
  expect([tenant.status, tenant.body.error]).toEqual([201, undefined]);
  const owner = await login(api, `${subdomain}@example.com`, 'owner-password');
  return { id: owner.tenantId, token: owner.token, subdomain, planName };
}

const balanceOf = async (t: Tenant) =>
  (await api.get('/v1/billing/credits/balance/balance/').set(bearer(t.token))).body.data;

describe('prepaid credits (seed 000)', () => {
  let tenant: Tenant;

  beforeAll(async () => {
    tenant = await tenantOnPlan(60, '29.00');
  });

  test('when a tenant on a priced plan with 60 monthly credits starts, then it holds 60 credits and the platform invoice for the period', async () => {
    const balance = await eventually(
      () => balanceOf(tenant),
      (b) => b.credits === 60,
    );
    expect(balance).toEqual({
      credits: 60,
      plan_credits_per_month: 60,
      credits_used_this_month: 0,
      credits_remaining: 60,
    });
    const invoices = await eventually(
      () => api.get('/v1/billing/invoices/').set(bearer(tenant.token)),
      // the page, not the count (read at once with it: an insert between them counts a row unlisted)
      (r) => r.body.data?.results?.length === 1,
    );
    const [row] = invoices.body.data.results;
    expect(row).toMatchObject({
      status: 'unpaid',
      total_amount: '29.00',
      currency: 'USD',
      total_balance_due: '29.00',
    });
    expect(row.invoice_number).toMatch(/^INV-\d{6}$/);
    const one = await api.get(`/v1/billing/invoices/${row.id}/`).set(bearer(tenant.token));
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({
      id: row.id,
      customer_id: tenant.id,
      total_bill_amount: '29.00',
      status: 'unpaid',
    });
    expect(one.body.data.details).toHaveLength(1);
  });

  test('when 100 requests consume 1 credit each against 60, then exactly 60 succeed and the balance ends at 0', async () => {
    await eventually(
      () => balanceOf(tenant),
      (b) => b.credits === 60,
    );
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        api
          .post('/v1/billing/credits/usage/')
          .set(bearer(tenant.token))
          .send({ operation_type: 'clustering', credits: 1, description: `run ${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(60);
    expect(statuses.filter((s) => s === 402)).toHaveLength(40);
    const refused = results.find((r) => r.status === 402);
    expect(refused?.body).toMatchObject({
      success: false,
      code: 402,
      type: 'insufficient_credits',
    });
    const accepted = results.find((r) => r.status === 201);
    expect(accepted?.body.data.transaction).toMatchObject({
      amount: -1,
      transaction_type: 'deduction',
      operation_type: 'clustering',
    });

    expect(await balanceOf(tenant)).toEqual({
      credits: 0,
      plan_credits_per_month: 60,
      credits_used_this_month: 60,
      credits_remaining: 0,
    });
    const deductions = await api
      .get('/v1/billing/transactions/?transaction_type=deduction&per_page=100')
      .set(bearer(tenant.token));
    expect(deductions.body.data).toMatchObject({ count: 60, page: 1, per_page: 100 });
    const after = deductions.body.data.results.map(
      (t: { balance_after: number }) => t.balance_after,
    );
    expect(after).toEqual(Array.from({ length: 60 }, (_, i) => i)); // newest first: 0, 1, ... 59

    const all = await api.get('/v1/billing/transactions/?per_page=100').set(bearer(tenant.token));
    expect(all.body.data.count).toBe(61);
    const grant = all.body.data.results.at(-1);
    expect(grant).toMatchObject({ amount: 60, transaction_type: 'grant', balance_after: 60 });
    expect(Object.keys(grant)).toEqual(
      expect.arrayContaining([
        'id',
        'amount',
        'transaction_type',
        'description',
        'created_at',
        'balance_after',
      ]),
    );
    expect(
      (await api.get('/v1/billing/transactions/?transaction_type=bogus').set(bearer(tenant.token)))
        .status,
    ).toBe(422);

    const usage = await api.get('/v1/billing/credits/usage/?per_page=5').set(bearer(tenant.token));
    expect(usage.body.data.count).toBe(60);
    expect(usage.body.data.results[0]).toMatchObject({
      operation_type: 'clustering',
      credits_used: 1,
      cost_usd: '0.01',
    });

    const analytics = await api
      .get('/v1/account/usage/analytics/?days=30')
      .set(bearer(tenant.token));
    expect(analytics.status).toBe(200);
    expect(analytics.body.data).toMatchObject({
      period_days: 30,
      current_balance: 0,
      usage_by_type: [
        { transaction_type: 'grant', total: 60, count: 1 },
        { transaction_type: 'deduction', total: -60, count: 60 },
      ],
      total_usage: 60,
      total_purchases: 0,
    });
    expect(analytics.body.data.daily_usage).toHaveLength(30);
    expect(analytics.body.data.daily_usage.at(-1)).toEqual({
      date: new Date().toISOString().slice(0, 10),
      usage: 60,
      purchases: 0,
      net: 0,
    });
    for (const days of ['0', '366', 'abc', '1.5']) {
      const bad = await api
        .get(`/v1/account/usage/analytics/?days=${days}`)
        .set(bearer(tenant.token));
      expect([days, bad.status]).toEqual([days, 422]);
    }
  });

  test('when a package is bought and its invoice paid, then the credits are granted exactly once, also on redelivery', async () => {
    const buyer = await tenantOnPlan(0, '0.00');
    expect(
      (
        await api
          .post('/v1/billing/credit-packages/')
          .set(bearer(buyer.token))
          .send({ name: 'Nope', credits: 1, price: '1.00' })
      ).status,
    ).toBe(403);
    const created = await api
      .post('/v1/billing/credit-packages/')
      .set(bearer(admin))
      .send({ name: 'Starter Pack', credits: 500, price: '9.00' });
    expect(created.status).toBe(201);
    const pkg = created.body.data;
    expect(pkg).toMatchObject({
      name: 'Starter Pack',
      credits: 500,
      price: '9.00',
      currency: 'USD',
      is_active: true,
    });
    const listed = await api.get('/v1/billing/credit-packages/').set(bearer(buyer.token));
    expect(listed.body.data.results.map((p: { id: string }) => p.id)).toContain(pkg.id);

    const bought = await api
      .post(`/v1/billing/credit-packages/${pkg.id}/purchase/`)
      .set(bearer(buyer.token));
    expect(bought.status).toBe(201);
    expect(bought.body.data).toMatchObject({
      package_id: pkg.id,
      credits: 500,
      price: '9.00',
      status: 'pending',
      invoice: { status: 'unpaid', total_amount: '9.00', currency: 'USD' },
    });
    const invoiceId = bought.body.data.invoice_id;
    const mine = await api.get('/v1/billing/invoices/').set(bearer(buyer.token));
    expect(mine.body.data.results.map((i: { id: string }) => i.id)).toEqual([invoiceId]);

    // the platform records the tenant's payment (until tenants pay through /v1/billing/payments/)
    const paid = await api.post('/api/payments/payments/').set(bearer(admin)).send({
      payment_method: 'Bank Transfer',
      invoice_master_id: invoiceId,
      amount: '9.00',
    });
    expect([paid.status, paid.body.error]).toEqual([201, undefined]);
    await eventually(
      () => balanceOf(buyer),
      (b) => b.credits === 500,
    );
    const invoice = (await api.get(`/v1/billing/invoices/${invoiceId}/`).set(bearer(buyer.token)))
      .body.data;
    expect(invoice.status).toBe('paid');

    // the paid event again, under its own and a new event id, then a second purchase's as marker
    const second = await api
      .post(`/v1/billing/credit-packages/${pkg.id}/purchase/`)
      .set(bearer(buyer.token));
    const paidEvent = (id: string, number: string) =>
      buildEvent('InvoiceStatusChanged', {
        tenant_id: PLATFORM_TENANT_ID,
        data: {
          invoice_id: id,
          invoice_number: number,
          customer_id: buyer.id,
          currency: 'USD',
          status: 'paid',
          total_minor: 900,
          paid_minor: 900,
          balance_due_minor: 0,
          previous_status: 'unpaid',
          payment_id: uniqueId('pay'),
          applied_minor: 900,
          payment_change: 'payment',
          refund_id: null,
          sub_total_minor: 900,
          vat_minor: 0,
          discount_minor: 0,
          issue_date: null,
        },
      });
    const again = paidEvent(invoiceId, invoice.invoice_number);
    const kafka = new Kafka({
      clientId: 'cred-dupes',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const topic = topicOf('InvoiceStatusChanged', platform.topicPrefix);
    for (const e of [
      again,
      { ...again, id: paidEvent(invoiceId, invoice.invoice_number).id },
      paidEvent(second.body.data.invoice_id, second.body.data.invoice.invoice_number),
    ]) {
      await producer.send({ topic, messages: [{ key: buyer.id, value: JSON.stringify(e) }] });
    }
    await producer.disconnect();
    await eventually(
      () => balanceOf(buyer),
      (b) => b.credits !== 500,
    );
    expect((await balanceOf(buyer)).credits).toBe(1000);
    const purchases = await api
      .get('/v1/billing/transactions/?transaction_type=purchase')
      .set(bearer(buyer.token));
    expect(
      purchases.body.data.results.map((t: { invoice_id: string }) => t.invoice_id).sort(),
    ).toEqual([invoiceId, second.body.data.invoice_id].sort());

    // account settings follow the balance
    const settings = await eventually(
      () => api.get('/v1/account/settings/').set(bearer(buyer.token)),
      (r) => r.body.data?.credit_balance === 1000,
    );
    expect(settings.body.data.credit_balance).toBe(1000);

    // a deactivated package is no longer listed nor sold
    expect(
      (await api.delete(`/v1/billing/credit-packages/${pkg.id}/`).set(bearer(admin))).body.data
        .is_active,
    ).toBe(false);
    expect(
      (await api.post(`/v1/billing/credit-packages/${pkg.id}/purchase/`).set(bearer(buyer.token)))
        .status,
    ).toBe(404);
    const relisted = await api.get('/v1/billing/credit-packages/').set(bearer(buyer.token));
    expect(relisted.body.data.results.map((p: { id: string }) => p.id)).not.toContain(pkg.id);
  });

  test("when another tenant looks, then it sees none of this tenant's credits or invoices", async () => {
    const other = await registerAndLogin(api, 'credother');
    const otherTenant = { id: other.tenantId, token: other.token };
    expect(await balanceOf(otherTenant)).toEqual({
      credits: 0,
      plan_credits_per_month: 0,
      credits_used_this_month: 0,
      credits_remaining: 0,
    });
    const tx = await api.get('/v1/billing/transactions/').set(bearer(other.token));
    expect(tx.body.data.count).toBe(0);
    const invoices = await api.get('/v1/billing/invoices/').set(bearer(other.token));
    expect(invoices.body.data.count).toBe(0);
    const theirs = (await api.get('/v1/billing/invoices/').set(bearer(tenant.token))).body.data
      .results[0].id;
    expect((await api.get(`/v1/billing/invoices/${theirs}/`).set(bearer(other.token))).status).toBe(
      404,
    );
    const refused = await api
      .post('/v1/billing/credits/usage/')
      .set(bearer(other.token))
      .send({ operation_type: 'clustering', credits: 1 });
    expect([refused.status, refused.body.type]).toEqual([402, 'insufficient_credits']);
    const invalid = await api
      .post('/v1/billing/credits/usage/')
      .set(bearer(other.token))
      .send({ operation_type: '', credits: 0 });
    expect(invalid.status).toBe(422);
  });
});

describe('searching credit and platform lists', () => {
  const ids = async (token: string, path: string) => {
    const res = await api.get(path).set(bearer(token));
    expect([path, res.status]).toEqual([path, 200]);
    const data = res.body.data;
    return (data.results ?? data.plans ?? data.tenants).map((r: { id?: string }) => r.id);
  };

  test('when search=<text> (or q with q_f) on credit transactions, usage, packages and platform invoices, then only the matching ones are listed', async () => {
    const tenant = await tenantOnPlan(10, '19.00');
    await eventually(
      () => balanceOf(tenant),
      (b) => b.credits === 10,
    );
    const consume = async (body: Record<string, unknown>) => {
      const res = await api.post('/v1/billing/credits/usage/').set(bearer(tenant.token)).send(body);
      expect([res.status, res.body.error]).toEqual([201, undefined]);
      return res.body.data.transaction.id as string;
    };
    const clustering = await consume({ operation_type: 'clustering', credits: 2 });
    const embedding = await consume({
      operation_type: 'embedding',
      credits: 1,
      description: 'Nightly batch',
    });

    const usage = '/v1/billing/credits/usage/';
    expect(await ids(tenant.token, `${usage}?search=CLUSTER`)).toEqual([clustering]);
    expect(await ids(tenant.token, `${usage}?q=nightly&q_f=description`)).toEqual([embedding]);
    expect(await ids(tenant.token, `${usage}?q=nightly&q_f=operation_type`)).toEqual([]);
    const transactions = '/v1/billing/transactions/';
    expect(await ids(tenant.token, `${transactions}?q=embedd`)).toEqual([embedding]);
    const grants = await api.get(`${transactions}?search=grant`).set(bearer(tenant.token));
    expect(
      grants.body.data.results.map((t: { transaction_type: string }) => t.transaction_type),
    ).toEqual(['grant']);

    const tag = uniqueId('pack');
    const pack = async (name: string) => {
      const res = await api
        .post('/v1/billing/credit-packages/')
        .set(bearer(admin))
        .send({ name, credits: 100, price: '2.00' });
      expect(res.status).toBe(201);
      return res.body.data.id as string;
    };
    const gold = await pack(`${tag} Gold`);
    const silver = await pack(`${tag} Silver`);
    const packages = '/v1/billing/credit-packages/';
    expect(await ids(tenant.token, `${packages}?search=${tag}%20gold`)).toEqual([gold]);
    expect((await ids(tenant.token, `${packages}?q=${tag}&per_page=100`)).sort()).toEqual(
      [gold, silver].sort(),
    );

    const invoices = await eventually(
      () => ids(tenant.token, `/v1/billing/invoices/?search=${tenant.planName}`),
      (found) => found.length === 1,
    );
    expect(invoices).toHaveLength(1);
    expect(await ids(tenant.token, '/v1/billing/invoices/?search=no-such-invoice')).toEqual([]);
  });

  test('when search=<text> (or q with q_f) on plans, tenants and subscribers, then only the matching ones are listed', async () => {
    const tenant = await tenantOnPlan(0, '0.00');
    const plans = await api.get(`/api/saas/plans/?search=${tenant.planName}`).set(bearer(admin));
    expect(plans.body.data.plans.map((p: { name: string }) => p.name)).toEqual([tenant.planName]);
    expect(await ids(admin, `/api/saas/tenants/?search=${tenant.subdomain}`)).toEqual([tenant.id]);
    expect(await ids(admin, `/api/saas/tenants/?q=${tenant.subdomain}&q_f=company_name`)).toEqual(
      [],
    );
    const subscribers = async (query: string) =>
      (
        await api.get(`/api/profile/platform/subscribers/?${query}`).set(bearer(admin))
      ).body.data.results.map((r: { organization: { id: string } }) => r.organization.id);
    expect(await subscribers(`q=${tenant.subdomain}&q_f=slug`)).toEqual([tenant.id]);
    expect(await subscribers(`q=${tenant.subdomain}&q_f=printable_name`)).toEqual([]);
  });
});
