import request from 'supertest';
import { eventually } from '../support/infra';
import { bearer, registerAndLogin, type TestSession } from '../support/accounts';
import { createCustomer } from '../support/customers';
import * as providers from '../support/providers';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

/**
 * Dunning (issue 17): issued invoices past their due date become overdue on the next sweep, once,
 * with the tenant's reminders on schedule; paying stops the campaign.
 */
jest.setTimeout(240_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  platform = await startTestPlatform('dunning', {
    basePort: 9900,
    gatewayPort: 9980,
    env: { DUNNING_SWEEP_MS: '400' },
  });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

const auth = (s: TestSession) => bearer(s.token);
const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

interface Dunned {
  status: string;
  overdue: boolean;
  dunning: { step: string; offset_days: number; skipped: boolean; action: string | null }[];
}
const readInvoice = async (s: TestSession, id: string) =>
  (await api.get(`/api/bills/invoices/${id}/`).set(auth(s))).body.data as Dunned & { id: string };

async function issue(s: TestSession, customer: string, dueDate: string) {
  const res = await api
    .post('/api/bills/invoices/')
    .set(auth(s))
    .send({
      customer_id: customer,
      status: 'unpaid',
      currency: 'BDT',
      issue_date: day(-10),
      due_date: dueDate,
      details: [{ sub_total: '100.00' }],
    });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data as { id: string };
}

const steps = (i: Dunned) =>
  i.dunning.map((d) => `${d.step}:${d.offset_days}${d.skipped ? ':skipped' : ''}`);

describe('dunning', () => {
  test('when an invoice was due yesterday, then the next sweep marks it overdue once with the latest reminder due, and paying it ends the campaign', async () => {
    const s = await registerAndLogin(api, 'dun');
    const policy = await api
      .put('/api/bills/dunning-policy/')
      .set(auth(s))
      .send({ reminder_offsets_days: [3, -3, 0], final_action: 'none' });
    expect([policy.status, policy.body.data]).toMatchObject([
      200,
      { reminder_offsets_days: [-3, 0, 3], final_action: 'none', custom: true },
    ]);
    const customer = await createCustomer(api, s.token, 'Late Payer');
    const late = await issue(s, customer, day(-1));
    const soon = await issue(s, customer, day(2));

    const overdue = await eventually(
      () => readInvoice(s, late.id),
      (i) => i.overdue,
      30_000,
    );
    // -3 days was missed (the invoice was issued after it): skipped, not sent in a burst
    expect(steps(overdue)).toEqual(['reminder:-3:skipped', 'reminder:0', 'overdue:1']);
    // the one due in two days got its reminder three days before, and is not overdue
    const upcoming = await eventually(
      () => readInvoice(s, soon.id),
      (i) => i.dunning.length === 1,
      30_000,
    );
    expect([upcoming.overdue, steps(upcoming)]).toEqual([false, ['reminder:-3']]);

    // more sweeps change nothing: each step is taken once
    await new Promise((r) => setTimeout(r, 2000));
    expect(steps(await readInvoice(s, late.id))).toEqual(steps(overdue));

    const paid = await api.post('/api/payments/payments/').set(auth(s)).send({
      payment_method: 'Cash',
      invoice_master_id: late.id,
      amount: '100.00',
    });
    expect(paid.status).toBe(201);
    const settled = await eventually(
      () => readInvoice(s, late.id),
      (i) => i.status === 'paid',
    );
    expect(settled.overdue).toBe(false);
  });

  test('when a policy is invalid, then 422 and the policy stays; another tenant keeps the default', async () => {
    const s = await registerAndLogin(api, 'dunpol');
    const missingDays = await api
      .put('/api/bills/dunning-policy/')
      .set(auth(s))
      .send({ reminder_offsets_days: [0], final_action: 'suspend_entitlements' });
    expect([missingDays.status, missingDays.body.details?.[0]?.field]).toEqual([
      422,
      'final_action_after_days',
    ]);
    const twice = await api
      .put('/api/bills/dunning-policy/')
      .set(auth(s))
      .send({ reminder_offsets_days: [1, 1], final_action: 'none' });
    expect(twice.status).toBe(422);
    const read = await api.get('/api/bills/dunning-policy/').set(auth(s));
    expect(read.body.data).toEqual({
      reminder_offsets_days: [],
      final_action: 'none',
      final_action_after_days: null,
      custom: false,
      updated_at: null,
    });
  });

  test("when a provider's subscription invoice is overdue, then the subscription is past_due, still live, and active again once the invoice is paid", async () => {
    const cowork = await providers.provider(api, 'dunprov');
    const xia = await providers.provider(api, 'dunsub');
    const plan = await providers.createPlan(
      api,
      cowork.token,
      cowork.slug,
      providers.feePlan('basic', '12.00'),
    );
    // started three days ago: its first period's invoice was due then
    const granted = await providers.grant(api, cowork.token, cowork.slug, plan.code, {
      organization: { slug: xia.slug },
      starts_at: new Date(Date.now() - 3 * DAY).toISOString(),
    });
    expect([granted.status, granted.body.error]).toEqual([201, undefined]);
    const subscription = `/api/profile/${cowork.slug}/plans/${plan.code}/subscriptions/${xia.slug}`;
    const status = async () =>
      (await api.get(subscription).set(auth(cowork))).body.data.status as string;

    const invoice = await eventually(
      async () =>
        (
          (await api.get('/api/bills/invoices/?per_page=100').set(auth(cowork))).body.data
            .results as { id: string; customer_id: string; overdue: boolean }[]
        ).find((i) => i.customer_id === xia.tenantId),
      (i) => i?.overdue === true,
      30_000,
    );
    expect(await eventually(status, (st) => st === 'past_due', 30_000)).toBe('past_due');
    // still live: among the provider's active subscribers
    const active = await api
      .get(`/api/profile/${cowork.slug}/subscribers/active`)
      .set(auth(cowork));
    expect(JSON.stringify(active.body.data)).toContain(xia.slug);

    const paid = await api.post('/api/payments/payments/').set(auth(cowork)).send({
      payment_method: 'Bank Transfer',
      invoice_master_id: invoice!.id,
      amount: '12.00',
    });
    expect(paid.status).toBe(201);
    expect(await eventually(status, (st) => st === 'active', 30_000)).toBe('active');
  });

  test("when a tenant's final action suspends entitlements, then the overdue customer's active rows are suspended and paying restores them", async () => {
    const s = await registerAndLogin(api, 'dunent');
    const policy = await api.put('/api/bills/dunning-policy/').set(auth(s)).send({
      reminder_offsets_days: [],
      final_action: 'suspend_entitlements',
      final_action_after_days: 2,
    });
    expect(policy.status).toBe(200);
    const customer = await createCustomer(api, s.token, 'Suspended Customer');
    const entitlement = await api
      .post('/api/customers/entitlements/')
      .set(auth(s))
      .send({ customer_master_id: customer, bill_number: 'BILL-DUN-1' });
    expect(entitlement.status).toBe(201);
    const rows = await api
      .post(`/api/customers/entitlements/${entitlement.body.data.id}/details/`)
      .set(auth(s))
      .send({
        entitlement_master_id: entitlement.body.data.id,
        bandwidth_details: [
          {
            bandwidth_type: 'ipt',
            mbps: 10,
            unit_price: 20,
            start_date: day(-30),
            is_active: true,
            status: 'active',
          },
          {
            bandwidth_type: 'gcc',
            mbps: 5,
            unit_price: 10,
            start_date: day(-30),
            is_active: false,
            status: 'inactive',
          },
        ],
      });
    expect(rows.status).toBe(201);
    const statuses = async () =>
      (
        (
          await api
            .get(`/api/customers/entitlements/${entitlement.body.data.id}/details/`)
            .set(auth(s))
        ).body.data.results as { bandwidth_type: string; status: string }[]
      ).map((r) => `${r.bandwidth_type}:${r.status}`);
    expect(await statuses()).toEqual(['ipt:active', 'gcc:inactive']);

    // due three days ago: overdue, and two days after the due date the final action
    const late = await issue(s, customer, day(-3));
    const overdue = await eventually(
      () => readInvoice(s, late.id),
      (i) => i.dunning.some((d) => d.step === 'final_action'),
      30_000,
    );
    expect(steps(overdue)).toEqual(['overdue:1', 'final_action:2']);
    expect(await eventually(statuses, (st) => st[0] === 'ipt:suspended', 30_000)).toEqual([
      'ipt:suspended',
      'gcc:inactive',
    ]);

    const paid = await api.post('/api/payments/payments/').set(auth(s)).send({
      payment_method: 'Cash',
      invoice_master_id: late.id,
      amount: '100.00',
    });
    expect(paid.status).toBe(201);
    expect(await eventually(statuses, (st) => st[0] === 'ipt:active', 30_000)).toEqual([
      'ipt:active',
      'gcc:inactive',
    ]);
  });

  test("when the platform's final action suspends a tenant's subscription, then the tenant is suspended and active again once the invoice is paid", async () => {
    const admin = (
      await api.post('/api/auth').send({ username: 'admin', password: 'ledgerline-admin' })
    ).body.token as string;
    const tenant = await registerAndLogin(api, 'dunten');
    const policy = await api.put('/api/bills/dunning-policy/').set(bearer(admin)).send({
      reminder_offsets_days: [],
      final_action: 'suspend_subscription',
      final_action_after_days: 1,
    });
    expect(policy.status).toBe(200);
    const tenantStatus = async () =>
      (await api.get(`/api/saas/tenants/${tenant.tenantId}`).set(bearer(admin))).body.data
        ?.status as string | undefined;
    expect(await eventually(tenantStatus, (st) => st === 'active', 30_000)).toBe('active');

    // the platform's invoice to the tenant (its customer id is the tenant), due three days ago
    const invoice = await api
      .post('/api/bills/invoices/')
      .set(bearer(admin))
      .send({
        customer_id: tenant.tenantId,
        status: 'unpaid',
        currency: 'USD',
        issue_date: day(-10),
        due_date: day(-3),
        details: [{ sub_total: '25.00' }],
      });
    expect([invoice.status, invoice.body.error]).toEqual([201, undefined]);
    expect(await eventually(tenantStatus, (st) => st === 'suspended', 30_000)).toBe('suspended');

    const paid = await api.post('/api/payments/payments/').set(bearer(admin)).send({
      payment_method: 'Bank Transfer',
      invoice_master_id: invoice.body.data.id,
      amount: '25.00',
    });
    expect(paid.status).toBe(201);
    expect(await eventually(tenantStatus, (st) => st === 'active', 30_000)).toBe('active');
  });
});
