import request from 'supertest';
import { eventually } from '../support/infra';
import { bearer, registerAndLogin, type TestSession } from '../support/accounts';
import { createCustomer } from '../support/customers';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

/**
 * The payments service owns an invoice's balance: every acceptance of money counts what earlier
 * payments already hold, under the invoice's lock, so no race or double click overpays.
 */
jest.setTimeout(240_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  platform = await startTestPlatform('overpay', { basePort: 28000, gatewayPort: 28080 });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

const auth = (s: TestSession) => bearer(s.token);

async function issueInvoice(s: TestSession, subTotal: string, extra: object = {}) {
  const res = await api
    .post('/api/bills/invoices/')
    .set(auth(s))
    .send({ status: 'unpaid', currency: 'USD', details: [{ sub_total: subTotal }], ...extra });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data as { id: string; total_bill_amount: string };
}

const readInvoice = async (s: TestSession, id: string) =>
  (await api.get(`/api/bills/invoices/${id}/`).set(auth(s))).body.data as {
    status: string;
    total_paid_amount: string;
    total_balance_due: string;
  };

const pay = (s: TestSession, body: object, key?: string) => {
  const req = api.post('/api/payments/payments/').set(auth(s));
  if (key) req.set('Idempotency-Key', key);
  return req.send(body);
};

/** A new tenant's invoice, paid in full by one payment. */
async function paidInFull(label: string, amount: string) {
  const s = await registerAndLogin(api, label);
  const invoice = await issueInvoice(s, amount);
  const paid = await pay(s, { invoice_master_id: invoice.id, payment_method: 'cash', amount });
  expect(paid.status).toBe(201);
  return { s, invoice, paid };
}

const statuses = (answers: { status: number }[]) =>
  answers
    .map((a) => a.status)
    .reduce<Record<number, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {});

async function settledPaid(s: TestSession, invoiceId: string, paid: string, due: string) {
  const invoice = await eventually(
    () => readInvoice(s, invoiceId),
    (i) => i.total_paid_amount === paid,
  );
  expect([invoice.total_paid_amount, invoice.total_balance_due]).toEqual([paid, due]);
  // nothing else arrives later
  await new Promise((r) => setTimeout(r, 1500));
  const later = await readInvoice(s, invoiceId);
  expect([later.total_paid_amount, later.total_balance_due]).toEqual([paid, due]);
}

async function reconciliationIsEmpty(s: TestSession) {
  const report = await eventually(
    async () =>
      (await api.get('/api/payments/reconciliation/?grace_seconds=0').set(auth(s))).body.data,
    (d: { count: number }) => d.count === 0,
  );
  expect(report.count).toBe(0);
}

describe('an invoice is never overpaid', () => {
  test('when 20 full-balance payments arrive at once, each with its own key, then exactly one is accepted and the rest are refused', async () => {
    const s = await registerAndLogin(api, 'race');
    const invoice = await issueInvoice(s, '30.00');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pay(
          s,
          { invoice_master_id: invoice.id, payment_method: 'cash', amount: '30.00' },
          `race-${i}`,
        ),
      ),
    );
    const counts = statuses(answers);
    expect(counts[201]).toBe(1);
    expect((counts[422] ?? 0) + (counts[409] ?? 0)).toBe(19);
    expect(answers.some((a) => a.status >= 500)).toBe(false);
    for (const refused of answers.filter((a) => a.status === 422))
      expect(refused.body.details[0]).toMatchObject({
        field: 'amount',
        message: 'the invoice is paid in full: nothing is due',
      });
    await settledPaid(s, invoice.id, '30.00', '0.00');
    await reconciliationIsEmpty(s);
  });

  test('when the same full-balance payment is clicked 20 times in a row with new keys, then only the first is accepted', async () => {
    const s = await registerAndLogin(api, 'click');
    const invoice = await issueInvoice(s, '30.00');
    const body = { invoice_master_id: invoice.id, payment_method: 'cash', amount: '30.00' };
    const answers = [];
    for (let i = 0; i < 20; i += 1) answers.push(await pay(s, body, `click-${i}`));
    expect(answers.map((a) => a.status)).toEqual([201, ...Array<number>(19).fill(422)]);
    await settledPaid(s, invoice.id, '30.00', '0.00');
  });

  test('when a pending payment reserves the balance, then another payment is refused until it fails', async () => {
    const s = await registerAndLogin(api, 'pend');
    const invoice = await issueInvoice(s, '50.00');
    const pending = await pay(s, {
      invoice_master_id: invoice.id,
      payment_method: 'bank',
      amount: '50.00',
      status: 'pending',
    });
    expect(pending.status).toBe(201);
    const body = { invoice_master_id: invoice.id, payment_method: 'cash', amount: '0.01' };
    expect((await pay(s, body)).status).toBe(422);
    const failed = await api
      .patch(`/api/payments/payments/${pending.body.data.id}/`)
      .set(auth(s))
      .send({ status: 'failed' });
    expect(failed.status).toBe(200);
    expect((await pay(s, { ...body, amount: '50.00' })).status).toBe(201);
    await settledPaid(s, invoice.id, '50.00', '0.00');
  });

  test('when a refund gives money back, then that much may be paid again, and never more', async () => {
    const { s, invoice, paid } = await paidInFull('refpay', '100.00');
    const refund = await api
      .post(`/api/payments/payments/${paid.body.data.id}/refund/`)
      .set(auth(s))
      .send({ amount: '40.00' });
    expect(refund.status).toBe(201);
    const body = { invoice_master_id: invoice.id, payment_method: 'cash' };
    expect((await pay(s, { ...body, amount: '40.01' })).status).toBe(422);
    expect((await pay(s, { ...body, amount: '40.00' })).status).toBe(201);
    await settledPaid(s, invoice.id, '100.00', '0.00');
  });

  test('when 20 refunds together exceeding a payment arrive at once, then only those that fit are accepted', async () => {
    const { s, invoice, paid } = await paidInFull('refrace', '100.00');
    const refundOf = (amount: string, key: string) =>
      api
        .post(`/api/payments/payments/${paid.body.data.id}/refund/`)
        .set(auth(s))
        .set('Idempotency-Key', key)
        .send({ amount });
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, (_, i) => refundOf('60.00', `r-${i}`)),
    );
    const counts = statuses(concurrent);
    expect(counts[201]).toBe(1);
    expect((counts[422] ?? 0) + (counts[409] ?? 0)).toBe(19);
    const sequential = [];
    for (let i = 0; i < 20; i += 1) sequential.push((await refundOf('60.00', `s-${i}`)).status);
    expect(sequential).toEqual(Array<number>(20).fill(422));
    await settledPaid(s, invoice.id, '40.00', '60.00');
    await reconciliationIsEmpty(s);
  });
});

describe("seed 002's two-step payment", () => {
  test('when a payment master is created without an amount and details pay the invoice, then the invoice is paid and the master shows what its details received', async () => {
    const s = await registerAndLogin(api, 'twostep');
    const invoice = await issueInvoice(s, '100.00');
    const master = await pay(s, {
      payment_date: '2025-01-20',
      payment_method: 'Bank Transfer',
      invoice_master_id: invoice.id,
      remarks: 'Payment for invoice INV20241001',
      status: 'completed',
    });
    expect([master.status, master.body.data.amount, master.body.data.status]).toEqual([
      201,
      '0.00',
      'completed',
    ]);
    const detail = (pay_amount: string, key: string) =>
      api
        .post('/api/payments/payment-details/')
        .set(auth(s))
        .set('Idempotency-Key', key)
        .send({ payment_master_id: master.body.data.id, pay_amount, status: 'completed' });
    expect((await detail('30.00', 'd1')).status).toBe(201);
    const again = await detail('30.00', 'd1');
    expect([again.status, again.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect((await detail('70.01', 'd2')).status).toBe(422);
    const last = await detail('70.00', 'd3');
    expect([last.status, last.body.data.payment_master_id]).toEqual([201, master.body.data.id]);
    await settledPaid(s, invoice.id, '100.00', '0.00');
    const shown = await api.get(`/api/payments/payments/${master.body.data.id}/`).set(auth(s));
    expect(shown.body.data.amount).toBe('100.00');
    const masters = await api
      .get(`/api/payments/payments/?invoice_master_id=${invoice.id}`)
      .set(auth(s));
    expect(masters.body.data.results.map((p: { id: string }) => p.id)).toEqual([
      master.body.data.id,
    ]);
    const details = await api
      .get(`/api/payments/payment-details/?payment_master_id=${master.body.data.id}`)
      .set(auth(s));
    expect(
      details.body.data.results.map((d: { pay_amount: string }) => d.pay_amount).sort(),
    ).toEqual(['30.00', '70.00']);
    await reconciliationIsEmpty(s);
  });
});

describe('a payment names only the tenant’s own objects', () => {
  test("when a payment names another tenant's entitlement, then it is a 422 and nothing is recorded", async () => {
    const owner = await registerAndLogin(api, 'entown');
    const other = await registerAndLogin(api, 'entoth');
    const otherCustomer = await createCustomer(api, other.token, 'Other Co', 'USD');
    const entitlement = await api
      .post('/api/customers/entitlements/')
      .set(auth(other))
      .send({ customer_master_id: otherCustomer });
    expect(entitlement.status).toBe(201);
    const invoice = await issueInvoice(owner, '10.00');
    const refused = await pay(owner, {
      invoice_master_id: invoice.id,
      payment_method: 'cash',
      amount: '10.00',
      customer_entitlement_master_id: entitlement.body.data.id,
    });
    expect([refused.status, refused.body.details?.[0]?.field]).toEqual([
      422,
      'customer_entitlement_master_id',
    ]);
    const listed = await api
      .get(`/api/payments/payments/?invoice_master_id=${invoice.id}`)
      .set(auth(owner));
    expect(listed.body.data.count).toBe(0);
  });

  test("when a payment names the tenant's own entitlement created a moment ago, then it is accepted", async () => {
    const s = await registerAndLogin(api, 'entown2');
    const customer = await createCustomer(api, s.token, 'Own Co', 'USD');
    const entitlement = await api
      .post('/api/customers/entitlements/')
      .set(auth(s))
      .send({ customer_master_id: customer });
    const invoice = await issueInvoice(s, '10.00');
    const paid = await pay(s, {
      invoice_master_id: invoice.id,
      payment_method: 'cash',
      amount: '10.00',
      customer_entitlement_master_id: entitlement.body.data.id,
    });
    expect([paid.status, paid.body.data.customer_entitlement_master_id]).toEqual([
      201,
      entitlement.body.data.id,
    ]);
  });
});
