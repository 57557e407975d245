import request from 'supertest';
import { PLATFORM_TENANT_ID, type EventEnvelope } from '@ledgerline/contracts';
import { createCatalogue, type Catalogue } from '../../services/webhooks/src/catalogue';
import { eventually, uniqueId } from '../support/infra';
import { login, registerAndLogin, type TestSession } from '../support/accounts';
import { expectingCalls } from '../support/calls';
import { createCustomer } from '../support/customers';
import { createPlan, feePlan, grant, provider } from '../support/providers';
import { startTestPlatform, type RunningPlatform } from '../support/platform';
import { publishedEvents, typed } from '../support/published-events';

/**
 * The webhook event catalogue (issue 15) against a running platform: the internal events the
 * services really published (read from their topics) become public events whose `data` is what
 * the object's public GET answers through the gateway at that moment.
 */

jest.setTimeout(240_000);

const BASE_PORT = 10300;
const url = (n: number) => `http://127.0.0.1:${BASE_PORT + n}`;
const OWNERS = {
  tenantsUrl: url(2),
  customersUrl: url(3),
  billingUrl: url(4),
  paymentsUrl: url(5),
  timeoutMs: 2000,
};

let platform: RunningPlatform & { topicPrefix: string };
let api: ReturnType<typeof request>;
let events: Awaited<ReturnType<typeof publishedEvents>>;
let catalogue: Catalogue;
const { post, get, call } = expectingCalls(() => api);
const published: (typeof events)['one'] = (tenantId, match) => events.one(tenantId, match);

beforeAll(async () => {
  platform = await startTestPlatform('whcat', { basePort: BASE_PORT, gatewayPort: 10380 });
  api = request(platform.gatewayUrl);
  catalogue = createCatalogue(OWNERS);
  events = await publishedEvents(platform.topicPrefix, [
    'billing',
    'payments',
    'customers',
    'tenants',
  ]);
});

afterAll(async () => {
  await events?.stop();
  await platform?.stop();
});

/**
 * The public event's data and the GET, read one after the other until no write fell between them:
 * a payment is touched again after its event (payments records billing's confirmation on it), and
 * the catalogue reads the object as it is when the event is mapped.
 */
async function dataAndGet(s: TestSession, event: EventEnvelope, path: string) {
  return eventually(
    async () => {
      const [mapped] = await catalogue.publicEventsOf(event);
      return { mapped: mapped!, view: await get(s, path) };
    },
    ({ mapped, view }) => JSON.stringify(mapped.data) === JSON.stringify(view),
    5000,
  );
}

describe('invoices and payments', () => {
  let s: TestSession;
  let customerId: string;
  beforeAll(async () => {
    s = await registerAndLogin(api, 'whinv');
    customerId = await createCustomer(api, s.token, 'Webhook Buyer', 'USD');
  });

  test('when an invoice is issued then paid through the gateway, then invoice.issued then invoice.paid carry its GET', async () => {
    const draft = await post(s, '/api/bills/invoices/', {
      status: 'draft',
      customer_id: customerId,
      currency: 'USD',
      details: [{ sub_total: '100.00', vat_rate: '5' }],
    });
    const created = await published(
      s.tenantId,
      typed('InvoiceCreated', (d) => d.invoice_id === draft.id),
    );
    const createdEvents = await catalogue.publicEventsOf(created);
    expect(createdEvents.map((e) => e.type)).toEqual(['invoice.created']);
    expect(createdEvents[0]!.data).toEqual(await get(s, `/api/bills/invoices/${draft.id}/`));

    await post(s, `/api/bills/invoices/${draft.id}/issue`, {}, 200);
    const issued = await published(
      s.tenantId,
      typed('InvoiceStatusChanged', (d) => d.invoice_id === draft.id && d.status === 'unpaid'),
    );
    const [issuedEvent, ...noMore] = await catalogue.publicEventsOf(issued);
    expect(noMore).toEqual([]);
    expect(issuedEvent).toEqual({
      id: expect.stringMatching(/^evt_[A-Za-z0-9_-]{26}$/),
      type: 'invoice.issued',
      timestamp: issued.occurred_at,
      tenant_id: s.tenantId,
      data: await get(s, `/api/bills/invoices/${draft.id}/`),
    });
    expect(issuedEvent!.data).toMatchObject({ status: 'unpaid', total_bill_amount: '105.00' });

    const payment = await post(s, '/api/payments/payments/', {
      invoice_master_id: draft.id,
      payment_method: 'cash',
      amount: '105.00',
    });
    const paid = await published(
      s.tenantId,
      typed('InvoiceStatusChanged', (d) => d.invoice_id === draft.id && d.status === 'paid'),
    );
    const paidEvents = await catalogue.publicEventsOf(paid);
    expect(paidEvents.map((e) => [e.type, e.timestamp, e.tenant_id])).toEqual([
      ['invoice.paid', paid.occurred_at, s.tenantId],
    ]);
    expect(paidEvents[0]!.data).toEqual(await get(s, `/api/bills/invoices/${draft.id}/`));
    expect(paidEvents[0]!.data).toMatchObject({ status: 'paid', total_balance_due: '0.00' });

    const recorded = await published(
      s.tenantId,
      typed('PaymentRecorded', (d) => d.payment_id === payment.id),
    );
    expect((await catalogue.publicEventsOf(recorded)).map((e) => e.type)).toEqual([
      'payment.recorded',
    ]);
    const paymentRead = await dataAndGet(s, recorded, `/api/payments/payments/${payment.id}/`);
    expect(paymentRead.mapped.data).toEqual(paymentRead.view);

    // the same internal event always makes the same public ids (receivers dedupe on them)
    expect((await catalogue.publicEventsOf(paid)).map((e) => e.id)).toEqual(
      paidEvents.map((e) => e.id),
    );
    expect(issuedEvent!.id).not.toBe(paidEvents[0]!.id);
    // read when mapped: the draft's invoice.created now shows the invoice as it is (paid)
    expect((await catalogue.publicEventsOf(created))[0]!.data).toMatchObject({ status: 'paid' });
  });

  test('when a payment is refunded, then payment.refunded carries the payment GET and the invoice says nothing', async () => {
    // created issued: invoice.created and invoice.issued from its one InvoiceCreated
    const invoice = await post(s, '/api/bills/invoices/', {
      status: 'unpaid',
      customer_id: customerId,
      currency: 'USD',
      details: [{ sub_total: '40.00' }],
    });
    const created = await published(
      s.tenantId,
      typed('InvoiceCreated', (d) => d.invoice_id === invoice.id),
    );
    expect((await catalogue.publicEventsOf(created)).map((e) => e.type)).toEqual([
      'invoice.created',
      'invoice.issued',
    ]);
    const payment = await post(s, '/api/payments/payments/', {
      invoice_master_id: invoice.id,
      payment_method: 'cash',
      amount: '40.00',
    });
    await post(s, `/api/payments/payments/${payment.id}/refund/`, {
      amount: '15.00',
      reason: 'goodwill',
    });
    const refunded = await published(
      s.tenantId,
      typed('PaymentRefunded', (d) => d.payment_id === payment.id),
    );
    expect((await catalogue.publicEventsOf(refunded)).map((e) => e.type)).toEqual([
      'payment.refunded',
    ]);
    const { mapped, view } = await dataAndGet(s, refunded, `/api/payments/payments/${payment.id}/`);
    expect(mapped.data).toEqual(view);
    expect(mapped.data).toMatchObject({ refunded_amount: '15.00' });
    const reopened = await published(
      s.tenantId,
      typed(
        'InvoiceStatusChanged',
        (d) => d.invoice_id === invoice.id && d.payment_change === 'refund',
      ),
    );
    expect(await catalogue.publicEventsOf(reopened)).toEqual([]);
  });
});

describe('customers', () => {
  test('when a customer is created, updated and deleted, then customer.* carry its GET, the last one marked deleted', async () => {
    const s = await registerAndLogin(api, 'whcus');
    const id = await createCustomer(api, s.token, 'Hooked Ltd', 'USD');
    const created = await published(
      s.tenantId,
      typed('CustomerCreated', (d) => d.customer_id === id),
    );
    const [createdEvent] = await catalogue.publicEventsOf(created);
    expect(createdEvent!.type).toBe('customer.created');
    expect(createdEvent!.data).toEqual(await get(s, `/api/customers/customers/${id}/`));

    await call(s, 'patch', `/api/customers/customers/${id}/`, { customer_name: 'Hooked Group' });
    const updated = await published(
      s.tenantId,
      typed('CustomerUpdated', (d) => d.customer_id === id),
    );
    const [updatedEvent] = await catalogue.publicEventsOf(updated);
    const view = await get(s, `/api/customers/customers/${id}/`);
    expect([updatedEvent!.type, updatedEvent!.data]).toEqual(['customer.updated', view]);

    await call(s, 'delete', `/api/customers/customers/${id}/`);
    const deleted = await published(
      s.tenantId,
      typed('CustomerDeleted', (d) => d.customer_id === id),
    );
    const [deletedEvent] = await catalogue.publicEventsOf(deleted);
    expect(deletedEvent!.type).toBe('customer.deleted');
    // the customers service keeps a deleted customer hidden: its last view, the deletion's stamp
    expect(deletedEvent!.data).toEqual({ ...view, updated_at: expect.any(String), deleted: true });
    expect(await call(s, 'get', `/api/customers/customers/${id}/`, undefined, 404)).toMatchObject({
      type: 'not_found',
    });
  });
});

describe('subscriptions', () => {
  test("when a provider grants a plan, then subscription.started carries the provider's view of it", async () => {
    const p = await provider(api, 'whprov');
    await createPlan(api, p.token, p.slug, feePlan('gold', '10.00'));
    const customerId = await createCustomer(api, p.token, 'Gold Buyer', 'USD');
    const granted = await grant(api, p.token, p.slug, 'gold', { customer: { id: customerId } });
    expect([granted.status, granted.body.error]).toEqual([201, undefined]);
    const started = await published(
      p.tenantId,
      typed('SubscriptionStarted', (d) => d.subscription_id === granted.body.data.id),
    );
    const events = await catalogue.publicEventsOf(started);
    expect(events.map((e) => [e.type, e.tenant_id])).toEqual([
      ['subscription.started', p.tenantId],
    ]);
    expect(events[0]!.data).toEqual(
      await get(p, `/api/profile/${p.slug}/plans/gold/subscriptions/${customerId}`),
    );
  });
});

describe('credits', () => {
  test('when a deduction takes the balance from 150 to 90, then credits.low_balance with the transaction as listed', async () => {
    const admin = await api
      .post('/api/auth')
      .send({ username: 'admin', password: 'ledgerline-admin' });
    expect(admin.body.data.tenant.id).toBe(PLATFORM_TENANT_ID);
    const adminSession = { token: admin.body.token as string } as TestSession;
    const plan = await post(adminSession, '/api/saas/plans', {
      name: uniqueId('Hooks'),
      price_monthly: '29.00',
      price_yearly: '290.00',
      billing_cycle: 'monthly',
      trial_enabled: false,
      limits: { credits: 150 },
    });
    const subdomain = uniqueId('wh');
    await post(adminSession, '/api/saas/tenants', {
      company_name: 'Hook Corp',
      email: `${subdomain}@example.com`,
      first_name: 'Hook',
      last_name: 'Er',
      plan_id: plan.id,
      subdomain,
      password: 'owner-password',
    });
    const owner = await login(api, `${subdomain}@example.com`, 'owner-password');
    const t = { ...owner, username: subdomain };
    await eventually(
      () => get(t, '/v1/billing/credits/balance/balance/'),
      (b) => b.credits === 150,
    );
    const grantTx = await published(t.tenantId, typed('CreditTransactionRecorded'));
    expect(await catalogue.publicEventsOf(grantTx)).toEqual([]);

    await call(
      t,
      'post',
      '/v1/billing/credits/usage/',
      { operation_type: 'export', credits: 60 },
      201,
    );
    const deduction = await published(
      t.tenantId,
      typed('CreditTransactionRecorded', (d) => d.transaction_type === 'deduction'),
    );
    const events = await catalogue.publicEventsOf(deduction);
    const listed = (await get(t, '/v1/billing/transactions/')).results.find(
      (tx: { transaction_type: string }) => tx.transaction_type === 'deduction',
    );
    expect(events.map((e) => [e.type, e.tenant_id])).toEqual([['credits.low_balance', t.tenantId]]);
    expect(events[0]!.data).toEqual({ ...listed, low_balance_threshold: 100 });
    expect(events[0]!.data).toMatchObject({ amount: -60, balance_after: 90 });
  });
});

describe('owners', () => {
  test('when an owner cannot be reached, then publicEventsOf throws instead of answering nothing', async () => {
    const s = await registerAndLogin(api, 'whdown');
    const invoice = await post(s, '/api/bills/invoices/', {
      currency: 'USD',
      details: [{ sub_total: '1.00' }],
    });
    const created = await published(
      s.tenantId,
      typed('InvoiceCreated', (d) => d.invoice_id === invoice.id),
    );
    // nothing listens on the range's last port
    const away = createCatalogue({ ...OWNERS, billingUrl: url(99), timeoutMs: 500 });
    await expect(away.publicEventsOf(created)).rejects.toThrow(/billing/);
  });

  test('when the owner no longer has the object, then data is built from the event and marked deleted', async () => {
    const s = await registerAndLogin(api, 'whgone');
    const draft = await post(s, '/api/bills/invoices/', {
      currency: 'USD',
      details: [{ sub_total: '12.50' }],
    });
    await call(s, 'delete', `/api/bills/invoices/${draft.id}/`, undefined, 204);
    const created = await published(
      s.tenantId,
      typed('InvoiceCreated', (d) => d.invoice_id === draft.id),
    );
    const [event] = await catalogue.publicEventsOf(created);
    expect([event!.type, event!.data]).toEqual([
      'invoice.created',
      {
        id: draft.id,
        invoice_number: null,
        customer_id: null,
        status: 'draft',
        currency: 'USD',
        issue_date: null,
        sub_total: '12.50',
        vat_amount: '0.00',
        discount_amount: '0.00',
        total_bill_amount: '12.50',
        total_paid_amount: '0.00',
        total_balance_due: '12.50',
        deleted: true,
      },
    ]);
  });

  test("when another tenant's id is asked of an owner, then 404, and /internal is not reachable through the gateway", async () => {
    const a = await registerAndLogin(api, 'whiso');
    const b = await registerAndLogin(api, 'whiso');
    const invoice = await post(a, '/api/bills/invoices/', {
      currency: 'USD',
      details: [{ sub_total: '2.00' }],
    });
    const own = await fetch(
      `${OWNERS.billingUrl}/internal/tenants/${a.tenantId}/invoices/${invoice.id}`,
    );
    expect(own.status).toBe(200);
    const foreign = await fetch(
      `${OWNERS.billingUrl}/internal/tenants/${b.tenantId}/invoices/${invoice.id}`,
    );
    expect(foreign.status).toBe(404);
    const viaGateway = await api.get(`/internal/tenants/${a.tenantId}/invoices/${invoice.id}`);
    expect(viaGateway.status).toBe(404);
  });
});
