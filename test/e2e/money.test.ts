import request from 'supertest';
import { eventually } from '../support/infra';
import { bearer, registerAndLogin as register, type TestSession } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';
import { createCustomer } from '../support/customers';

/**
 * Issue 21 item 4 (seed 001's integer minor units on seed 001's endpoints) and issue 13 item 5
 * (one maximum amount, and every report exact with it), through the gateway.
 */

jest.setTimeout(240_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;

const registerAndLogin = (label: string) => register(api, label);
const auth = (s: TestSession) => bearer(s.token);

/** The largest amount one invoice, payment or charge may carry: 999,999,999,999 cents. */
const MAX_USD = '9999999999.99';
const MAX_MINOR = 999_999_999_999;

beforeAll(async () => {
  platform = await startTestPlatform('money', { basePort: 3500, gatewayPort: 3580 });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

async function balancePath(s: TestSession, name: string) {
  const customer = await createCustomer(api, s.token, name, 'USD');
  const path = `/api/billing/${customer}/balance`;
  // billing learns customers from the customers service's events
  await eventually(
    async () => (await api.get(path).set(auth(s))).status,
    (status) => status === 200,
  );
  return { customer, path };
}

const thisMonth = (table: { values_minor: [string, number | string][] }) =>
  table.values_minor[table.values_minor.length - 1]?.[1];

describe("seed 001's amount encoding on seed 001's endpoints", () => {
  test('when {"amount": 1000, "unit": "usd"} is posted to a balance, then 10.00 USD is booked and the ledger and metrics read back 1000; a fraction with unit, or unit with currency, is a 422', async () => {
    const s = await registerAndLogin('seed1cents');
    const { customer, path } = await balancePath(s, 'Cents Co');

    const charged = await api.post(path).set(auth(s)).send({ amount: 1000, unit: 'usd' });
    expect(charged.status).toBe(201);
    expect(charged.body.data.transaction).toMatchObject({
      kind: 'charge',
      amount: '10.00',
      amount_minor: 1000,
      currency: 'USD',
      unit: 'usd',
      dest_profile: customer,
    });
    expect(charged.body.data.balance).toMatchObject({
      currency: 'USD',
      unit: 'usd',
      balance_due: '10.00',
      balance_due_minor: 1000,
    });

    const ledger = await api.get('/api/billing/transactions?q=charge&q_f=kind').set(auth(s));
    expect(ledger.status).toBe(200);
    expect(ledger.body.data.results).toEqual([
      expect.objectContaining({ amount: '10.00', amount_minor: 1000, unit: 'usd' }),
    ]);
    expect(ledger.body.data.results[0].lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ account: `receivable:${customer}`, debit_minor: 1000 }),
        expect.objectContaining({ account: 'revenue', credit: '10.00', credit_minor: 1000 }),
      ]),
    );
    const revenue = await api.get(`/api/metrics/${s.tenantId}/revenue`).set(auth(s));
    expect(revenue.status).toBe(200);
    expect(thisMonth(revenue.body.data.table[0])).toBe(1000);
    expect(revenue.body.data.table[0].values[11][1]).toBe('10.00');
    const balances = await api.get(`/api/metrics/${s.tenantId}/balances`).set(auth(s));
    expect(thisMonth(balances.body.data.table[0])).toBe(1000);

    for (const body of [
      { amount: 10.5, unit: 'usd' },
      { amount: '10.00', unit: 'usd' },
      { amount: 1000, unit: 'usd', currency: 'USD' },
      { amount: 1000, unit: 'usd', currency: 'EUR' },
    ]) {
      const refused = await api.post(path).set(auth(s)).send(body);
      expect([JSON.stringify(body), refused.status, refused.body.type]).toEqual([
        JSON.stringify(body),
        422,
        'validation_error',
      ]);
    }

    const decimal = await api.post(path).set(auth(s)).send({ amount: '10.00', currency: 'USD' });
    expect(decimal.status).toBe(201);
    expect(decimal.body.data.transaction).toMatchObject({ amount: '10.00', amount_minor: 1000 });
    expect(decimal.body.data.balance).toMatchObject({
      balance_due: '20.00',
      balance_due_minor: 2000,
    });
    // nothing refused above was booked
    const read = await api.get(path).set(auth(s));
    expect(read.body.data).toMatchObject({ balance_due: '20.00', balance_due_minor: 2000 });
  });
});

describe('the maximum amount', () => {
  test('when amounts above the maximum are sent, then each is a 422 and nothing changes', async () => {
    const s = await registerAndLogin('maxrefused');
    const { customer, path } = await balancePath(s, 'Too Big Co');
    const invoice = (details: Record<string, unknown>[]) =>
      api
        .post('/api/bills/invoices/')
        .set(auth(s))
        .send({ customer_id: customer, status: 'unpaid', currency: 'USD', details });
    for (const res of [
      await invoice([{ sub_total: '50000000000000.00' }]),
      await invoice([{ sub_total: '10000000000.00' }]),
      // a total computed above the maximum: 15% VAT on the maximum
      await invoice([{ sub_total: MAX_USD, vat_rate: '15.00' }]),
      await invoice([{ sub_total: MAX_USD }, { sub_total: '0.01' }]),
      await api
        .post(path)
        .set(auth(s))
        .send({ amount: MAX_MINOR + 1, unit: 'usd' }),
      await api.post(path).set(auth(s)).send({ amount: '10000000000.00' }),
    ]) {
      expect([res.status, res.body.type]).toEqual([422, 'validation_error']);
    }
    const mine = await api.get(`/api/bills/invoices/history/?customer_id=${customer}`).set(auth(s));
    expect([mine.status, mine.body.data.count]).toEqual([200, 0]);
    expect((await api.get(path).set(auth(s))).body.data.balance_due).toBe('0.00');
  });

  test('when the largest amount is invoiced, charged and paid, then histories, balances, metrics, payments and the customer totals answer 200 with exact sums', async () => {
    const s = await registerAndLogin('maxreports');
    const { customer, path } = await balancePath(s, 'Largest Co');
    const count = 3;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await api
        .post('/api/bills/invoices/')
        .set(auth(s))
        .send({
          customer_id: customer,
          status: 'unpaid',
          currency: 'USD',
          details: [{ sub_total: MAX_USD }],
        });
      expect([res.status, res.body.data?.total_bill_amount]).toEqual([201, MAX_USD]);
      ids.push(res.body.data.id);
    }
    const paid = await api
      .post('/api/payments/payments/')
      .set(auth(s))
      .send({ invoice_master_id: ids[0], payment_method: 'Bank Transfer', amount: MAX_USD });
    expect(paid.status).toBe(201);
    const charge = await api.post(path).set(auth(s)).send({ amount: MAX_MINOR, unit: 'usd' });
    expect([charge.status, charge.body.data.transaction.amount]).toEqual([201, MAX_USD]);

    // 3 invoices + 1 charge billed, 1 invoice paid: exact decimal sums, never 422
    const billed = '29999999999.97';
    const due = '29999999999.97'; // 2 invoices + the charge
    const balance = await eventually(
      async () => (await api.get(path).set(auth(s))).body,
      (b) => b.data?.balance_due === due,
    );
    expect(balance.data).toMatchObject({ balance_due: due, balance_due_minor: 2_999_999_999_997 });

    const history = await eventually(
      async () =>
        await api.get(`/api/bills/invoices/history/?customer_id=${customer}`).set(auth(s)),
      (r) => r.body.data?.totals?.total_paid === MAX_USD,
    );
    expect(history.status).toBe(200);
    expect(history.body.data.totals).toMatchObject({
      total_billed: billed,
      total_paid: MAX_USD,
      total_due: '19999999999.98',
    });
    const billHistory = await api
      .get(`/api/customers/customers/${customer}/bill_history/`)
      .set(auth(s));
    expect([billHistory.status, billHistory.body.data.totals?.total_billed]).toEqual([200, billed]);

    // the customers service's projection of the invoices: no dead letter, exact totals
    const projected = await eventually(
      async () => (await api.get(`/api/customers/customers/${customer}/`).set(auth(s))).body.data,
      (c) => c?.total_paid === MAX_USD && c?.total_billed === billed,
    );
    expect(projected).toMatchObject({ total_due: '19999999999.98' });

    const revenue = await api.get(`/api/metrics/${s.tenantId}/revenue`).set(auth(s));
    expect(revenue.status).toBe(200);
    const [rev, payments] = revenue.body.data.table;
    expect([rev.values[11][1], thisMonth(rev)]).toEqual(['39999999999.96', 3_999_999_999_996]);
    expect([payments.values[11][1], thisMonth(payments)]).toEqual([MAX_USD, MAX_MINOR]);
    const balances = await api.get(`/api/metrics/${s.tenantId}/balances`).set(auth(s));
    expect([balances.status, balances.body.data.table[0].values[11][1]]).toEqual([200, due]);

    const received = await api
      .get(`/api/payments/payments/history/?customer_id=${customer}`)
      .set(auth(s));
    expect([received.status, received.body.data.totals?.total_received]).toEqual([200, MAX_USD]);
    const ledger = await api.get('/api/billing/transactions?per_page=100').set(auth(s));
    expect(ledger.status).toBe(200);
    expect(
      ledger.body.data.results
        .filter((e: { kind: string }) => e.kind === 'invoice_issued')
        .map((e: { amount_minor: number }) => e.amount_minor),
    ).toEqual([MAX_MINOR, MAX_MINOR, MAX_MINOR]);
  });
});
