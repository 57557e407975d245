import request from 'supertest';
import { registerAndLogin, type TestSession } from '../support/accounts';
import { eventually } from '../support/infra';
import { expectingCalls } from '../support/calls';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

/**
 * auto_generate bills what is due and not billed yet, and every id a service just answered is
 * usable at once in billing: nothing here waits for billing's event-fed copies to catch up.
 */
jest.setTimeout(300_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  platform = await startTestPlatform('auto-generate', { basePort: 3000, gatewayPort: 3080 });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

const { call, post } = expectingCalls(() => api);

const row = (type: string, mbps: number, price: number, start: string, end: string | null) => ({
  bandwidth_type: type,
  mbps,
  unit_price: price,
  start_date: start,
  end_date: end,
  is_active: true,
  status: 'active',
});

/** A customer with one entitlement and its rows, each created the moment the last answered. */
async function entitlementWith(s: TestSession, name: string, rows: object[]) {
  const customer = await post(s, '/api/customers/customers/', {
    customer_name: name,
    customer_type: 'bw',
  });
  const entitlement = await post(s, '/api/customers/entitlements/', {
    customer_master_id: customer.id,
    bill_number: `BILL-${name}`,
  });
  const details = await post(s, `/api/customers/entitlements/${entitlement.id}/details/`, {
    entitlement_master_id: entitlement.id,
    bandwidth_details: rows,
  });
  return { customer, entitlement, details: details.results as { id: string }[] };
}

/** The first day of the month `back` months before today's (UTC). */
function monthStart(back: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1))
    .toISOString()
    .slice(0, 10);
}

describe('auto_generate bills what is due', () => {
  test("when seed 002's use case 1 runs as written, then January 2025 is billed once with the utility VAT, again nothing is billed, and seed 002's two-step payment pays it", async () => {
    const s = await registerAndLogin(api, 'autogen-seed');
    await post(s, '/api/utility/utility-info/', { company_name: 'Ledgerline ISP', vat_rate: 15 });
    const { customer, entitlement } = await entitlementWith(s, 'TechCorp', [
      row('ipt', 10, 20, '2025-01-01', '2025-01-31'),
      row('gcc', 10, 30, '2025-01-01', '2025-01-31'),
      row('cdn', 5, 15, '2025-01-01', '2025-01-31'),
    ]);
    const body = { entitlement_id: entitlement.id };
    const first = await call(s, 'post', '/api/bills/invoices/auto_generate/', body, 201);
    // 10 x 20 + 10 x 30 + 5 x 15 = 575.00, VAT 15 %
    expect(first.data).toMatchObject({
      status: 'draft',
      period_start: '2025-01-01',
      period_end: '2025-01-31',
      sub_total: '575.00',
      vat_amount: '86.25',
      total_bill_amount: '661.25',
      invoices: [{ period_start: '2025-01-01', total_bill_amount: '661.25', created: true }],
    });
    const again = await call(s, 'post', '/api/bills/invoices/auto_generate/', body, 201);
    expect(again.data).toMatchObject({
      id: first.data.id,
      invoices: [{ id: first.data.id, created: false }],
    });
    const mine = await call(
      s,
      'get',
      `/api/bills/invoices/?customer_entitlement_master_id=${entitlement.id}`,
    );
    expect(mine.data.count).toBe(1);

    // seed 002's payment body as written (no amount), then a payment detail paying the total
    await call(s, 'patch', `/api/bills/invoices/${first.data.id}/`, { status: 'unpaid' });
    const master = await post(s, '/api/payments/payments/', {
      payment_date: '2025-01-20',
      payment_method: 'Bank Transfer',
      customer_entitlement_master_id: entitlement.id,
      invoice_master_id: first.data.id,
      remarks: 'Payment for invoice INV20241001',
      status: 'completed',
    });
    expect(master).toMatchObject({ amount: '0.00', customer_id: customer.id });
    await post(s, '/api/payments/payment-details/', {
      payment_master_id: master.id,
      pay_amount: 661.25,
      transaction_id: 'TXN123456',
      remarks: 'Full payment',
      status: 'completed',
    });
    const paid = await eventually(
      async () => (await call(s, 'get', `/api/bills/invoices/${first.data.id}/`)).data,
      (i: { status: string }) => i.status === 'paid',
    );
    expect(paid).toMatchObject({ total_paid_amount: '661.25', total_balance_due: '0.00' });
    const totals = await eventually(
      async () => (await call(s, 'get', `/api/customers/customers/${customer.id}/`)).data,
      (c: { total_paid: string }) => c.total_paid === '661.25',
    );
    expect(totals).toMatchObject({
      total_billed: '661.25',
      total_paid: '661.25',
      total_due: '0.00',
    });
  });

  test('when an open-ended entitlement started two months ago, then its three months up to today are billed once each', async () => {
    const s = await registerAndLogin(api, 'autogen-open');
    const start = monthStart(2);
    const { entitlement } = await entitlementWith(s, 'Open', [row('nix', 4, 25, start, null)]);
    const body = { entitlement_id: entitlement.id };
    const first = await call(s, 'post', '/api/bills/invoices/auto_generate/', body, 201);
    const months = [monthStart(2), monthStart(1), monthStart(0)];
    expect(first.data.invoices).toEqual(
      months.map((m) =>
        expect.objectContaining({ period_start: m, total_bill_amount: '100.00', created: true }),
      ),
    );
    // the answer is the latest month's invoice
    expect(first.data).toMatchObject({ period_start: monthStart(0), sub_total: '100.00' });
    const again = await call(s, 'post', '/api/bills/invoices/auto_generate/', body, 201);
    expect(again.data.invoices.map((i: { id: string; created: boolean }) => i)).toEqual(
      first.data.invoices.map((i: { id: string }) =>
        expect.objectContaining({ id: i.id, created: false }),
      ),
    );
    const mine = await call(
      s,
      'get',
      `/api/bills/invoices/?customer_entitlement_master_id=${entitlement.id}`,
    );
    expect(mine.data.count).toBe(3);
  });

  test('when an entitlement has no active detail, then auto_generate is a 422 saying why and bills nothing', async () => {
    const s = await registerAndLogin(api, 'autogen-none');
    const inactive = { ...row('ipt', 1, 10, '2025-01-01', null), is_active: false };
    const { entitlement } = await entitlementWith(s, 'Idle', [inactive]);
    const refused = await call(
      s,
      'post',
      '/api/bills/invoices/auto_generate/',
      { entitlement_id: entitlement.id },
      422,
    );
    expect(refused.error).toBe(`Entitlement ${entitlement.id} has no active details to bill`);
    expect((await call(s, 'get', '/api/bills/invoices/')).data.count).toBe(0);
  });
});

describe('read-your-writes', () => {
  test('when 20 customers are billed and paid back to back, then every step answers 2xx the first time', async () => {
    const s = await registerAndLogin(api, 'autogen-rounds');
    for (let round = 0; round < 20; round++) {
      const { customer, entitlement } = await entitlementWith(s, `Round${round}`, [
        row('ipt', 2, 10, monthStart(0), null),
      ]);
      // a profile billing's copy may not hold yet
      await post(s, `/api/billing/${customer.id}/balance`, { amount: '1.00', kind: 'charge' });
      const generated = await post(s, '/api/bills/invoices/auto_generate/', {
        entitlement_id: entitlement.id,
      });
      expect(generated).toMatchObject({ status: 'draft', total_bill_amount: '20.00' });
      const issued = await call(s, 'patch', `/api/bills/invoices/${generated.id}/`, {
        status: 'unpaid',
      });
      expect(issued.data.status).toBe('unpaid');
      const paid = await post(s, '/api/payments/payments/', {
        invoice_master_id: generated.id,
        payment_method: 'Bank Transfer',
        amount: '20.00',
      });
      expect(paid).toMatchObject({ invoice_master_id: generated.id });
    }
  });
  test('when the platform creates, reprices and deletes a plan, then the cart follows each change at once', async () => {
    const login = await api
      .post('/api/auth')
      .send({ username: 'admin', password: 'ledgerline-admin' });
    const admin = { token: login.body.token as string } as TestSession;
    const plan = await post(admin, '/api/saas/plans', {
      name: `Instant Plan ${Date.now()}`,
      price_monthly: '10.00',
      price_yearly: '100.00',
      billing_cycle: 'monthly',
      limits: {},
    });
    const s = await registerAndLogin(api, 'autogen-cart');
    expect(await post(s, '/api/cart', { plan: plan.id })).toMatchObject({ total: '10.00' });
    await call(admin, 'put', `/api/saas/plans/${plan.id}`, { price_monthly: '12.00' });
    expect(await post(s, '/api/cart', { plan: plan.id })).toMatchObject({ total: '24.00' });
    await call(s, 'delete', '/api/cart');
    await call(admin, 'delete', `/api/saas/plans/${plan.id}`);
    await call(s, 'post', '/api/cart', { plan: plan.id }, 404);
  });
});

describe('what an invoice line names', () => {
  test("when an invoice line names another tenant's entitlement detail, then it is a 422 naming the field and nothing is stored; the caller's own detail, a moment old, is accepted", async () => {
    const owner = await registerAndLogin(api, 'lines');
    const other = await registerAndLogin(api, 'lines-other');
    const theirs = await entitlementWith(other, 'Theirs', [row('ipt', 1, 10, '2025-01-01', null)]);
    const foreign = theirs.details[0]!.id;
    const invoice = await post(owner, '/api/bills/invoices/', {
      details: [{ sub_total: '1.00' }],
    });

    const line = await call(
      owner,
      'post',
      '/api/bills/invoice-details/',
      { invoice_master_id: invoice.id, entitlement_details_id: foreign, sub_total: '5.00' },
      422,
    );
    expect(line.details).toEqual([
      { field: 'entitlement_details_id', message: 'no such entitlement detail in this account' },
    ]);
    const nested = await call(
      owner,
      'post',
      '/api/bills/invoices/',
      { details: [{ sub_total: '1.00' }, { sub_total: '2.00', entitlement_details_id: foreign }] },
      422,
    );
    expect(nested.details).toEqual([
      {
        field: 'details.1.entitlement_details_id',
        message: 'no such entitlement detail in this account',
      },
    ]);
    await call(
      owner,
      'patch',
      `/api/bills/invoices/${invoice.id}/`,
      { details: [{ sub_total: '3.00', entitlement_details_id: foreign }] },
      422,
    );
    const lines = await call(
      owner,
      'get',
      `/api/bills/invoice-details/?invoice_master_id=${invoice.id}`,
    );
    expect(lines.data.results.map((l: { sub_total: string }) => l.sub_total)).toEqual(['1.00']);
    expect((await call(owner, 'get', '/api/bills/invoices/')).data.count).toBe(1);

    const mine = await entitlementWith(owner, 'Mine', [row('ipt', 1, 10, '2025-01-01', null)]);
    const accepted = await post(owner, '/api/bills/invoice-details/', {
      invoice_master_id: invoice.id,
      entitlement_details_id: mine.details[0]!.id,
      sub_total: '5.00',
    });
    expect(accepted.entitlement_details_id).toBe(mine.details[0]!.id);
  });
});
