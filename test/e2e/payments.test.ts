import request from 'supertest';
import { MongoClient } from 'mongodb';
import { eventually, MONGO_URL, uniqueId } from '../support/infra';
import { bearer, login, registerAndLogin as register, type TestSession } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(240_000);

let platform: RunningPlatform & { dbPrefix: string };
let api: ReturnType<typeof request>;
const sessions: TestSession[] = [];

const registerAndLogin = async (label: string) => {
  const s = await register(api, label);
  sessions.push(s);
  return s;
};
const auth = (s: TestSession) => bearer(s.token);

interface InvoiceAmounts {
  id: string;
  invoice_number: string;
  status: string;
  total_paid_amount: string;
  total_balance_due: string;
}

async function issueInvoice(
  s: TestSession,
  subTotal: string,
  extra: Record<string, unknown> = {},
): Promise<InvoiceAmounts> {
  const res = await api
    .post('/api/bills/invoices/')
    .set(auth(s))
    .send({ status: 'unpaid', currency: 'USD', details: [{ sub_total: subTotal }], ...extra });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data;
}

async function readInvoice(s: TestSession, id: string): Promise<InvoiceAmounts> {
  const res = await api.get(`/api/bills/invoices/${id}/`).set(auth(s));
  expect(res.status).toBe(200);
  return res.body.data;
}

const amounts = (i: InvoiceAmounts) => [i.status, i.total_paid_amount, i.total_balance_due];

function pay(s: TestSession, body: Record<string, unknown>, key?: string) {
  const req = api.post('/api/payments/payments/').set(auth(s));
  if (key) req.set('Idempotency-Key', key);
  return req.send(body);
}

beforeAll(async () => {
  platform = await startTestPlatform('payments', { basePort: 30000, gatewayPort: 31080 });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

describe('idempotent payment POSTs', () => {
  test('when one payment is POSTed 20 times at once and 50 times in a row with one Idempotency-Key, then it is recorded and applied once and every answer is the first or a 409', async () => {
    const s = await registerAndLogin('idem');
    const invoice = await issueInvoice(s, '500.00');
    const key = uniqueId('key');
    const body = { invoice_master_id: invoice.id, payment_method: 'cash', amount: '120.00' };

    const concurrent = await Promise.all(Array.from({ length: 20 }, () => pay(s, body, key)));
    const first = concurrent.find((r) => r.status === 201);
    expect(first?.body.data).toMatchObject({ amount: '120.00', status: 'completed' });
    for (const r of concurrent) {
      if (r.status === 409) expect(r.body.type).toBe('conflict');
      else expect([r.status, r.body]).toEqual([201, first?.body]);
    }
    for (let i = 0; i < 50; i++) {
      const r = await pay(s, body, key);
      expect([r.status, r.body]).toEqual([201, first?.body]);
      expect(r.headers['idempotent-replayed']).toBe('true');
    }

    const reused = await pay(s, { ...body, amount: '121.00' }, key);
    expect([reused.status, reused.body.type]).toEqual([422, 'validation_error']);

    const list = await api
      .get(`/api/payments/payments/?invoice_master_id=${invoice.id}`)
      .set(auth(s));
    expect(list.body.data.count).toBe(1);
    const settled = await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.status !== 'unpaid',
    );
    expect(amounts(settled)).toEqual(['partial', '120.00', '380.00']);
    // nothing else arrives later
    await new Promise((r) => setTimeout(r, 1500));
    expect(amounts(await readInvoice(s, invoice.id))).toEqual(['partial', '120.00', '380.00']);
    // and one ledger effect: the issue entry and exactly one payment entry
    const ledgerKinds = async () =>
      (
        await api
          .get(`/api/billing/transactions?invoice_id=${invoice.id}&per_page=100`)
          .set(auth(s))
      ).body.data.results
        .map((e: { kind: string }) => e.kind)
        .sort();
    await eventually(ledgerKinds, (kinds) => kinds.length >= 2);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ledgerKinds()).toEqual(['invoice_issued', 'payment']);
  });
});

describe('a payment whose answer was lost', () => {
  test('when the idempotency record is gone (released after a 503 that followed the write) and the client retries with the same key, then the first payment is answered, nothing is recorded twice and the key reused on another invoice takes nothing of it', async () => {
    const s = await registerAndLogin('lost');
    const invoice = await issueInvoice(s, '300.00');
    const key = uniqueId('key');
    const body = { invoice_master_id: invoice.id, payment_method: 'cash', amount: '100.00' };
    const first = await pay(s, body, key);
    expect(first.status).toBe(201);
    // what the idempotency layer does when it cannot store the answer: it releases the key
    const mongo = await MongoClient.connect(MONGO_URL);
    try {
      const released = await mongo
        .db(`${platform.dbPrefix}_payments`)
        .collection('idempotency_keys')
        .deleteMany({ key });
      expect(released.deletedCount).toBe(1);
    } finally {
      await mongo.close();
    }
    const retried = await pay(s, body, key);
    expect([retried.status, retried.body.data.id]).toEqual([201, first.body.data.id]);
    const other = await issueInvoice(s, '300.00');
    const misused = await pay(s, { ...body, invoice_master_id: other.id }, key);
    expect([misused.status, misused.body.type]).toEqual([422, 'validation_error']);
    // the misused key's payment (the first invoice's) takes nothing of the other invoice
    const whole = await pay(s, { ...body, invoice_master_id: other.id, amount: '300.00' });
    expect([whole.status, whole.body.data?.amount]).toEqual([201, '300.00']);
    const beyond = await pay(s, { ...body, invoice_master_id: other.id, amount: '0.01' });
    expect([beyond.status, beyond.body.type]).toEqual([422, 'validation_error']);

    const list = await api
      .get(`/api/payments/payments/?invoice_master_id=${invoice.id}`)
      .set(auth(s));
    expect(list.body.data.count).toBe(1);
    const settled = await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.status !== 'unpaid',
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(amounts(await readInvoice(s, invoice.id))).toEqual(amounts(settled));
    expect(amounts(settled)).toEqual(['partial', '100.00', '200.00']);
  });
});

describe('payments, refunds and voids settle invoices and customer totals', () => {
  test('when a partial payment, a completing payment and a partial refund follow, then the invoice goes unpaid -> partial -> paid -> partial and the customer totals agree', async () => {
    const s = await registerAndLogin('refunds');
    const customer = await api
      .post('/api/customers/customers/')
      .set(auth(s))
      .send({ customer_name: 'TechCorp Solutions Ltd', customer_type: 'bw' });
    expect(customer.status).toBe(201);
    const customerId = customer.body.data.id as string;
    const invoice = await issueInvoice(s, '11000.00', { customer_id: customerId });
    expect(amounts(invoice)).toEqual(['unpaid', '0.00', '11000.00']);

    const first = await pay(
      s,
      {
        invoice_master_id: invoice.id,
        payment_method: 'Bank Transfer',
        amount: '4000.50',
        payment_date: '2025-01-20',
      },
      uniqueId('k'),
    );
    expect([first.status, first.body.data.payment_method]).toEqual([201, 'bank']);
    expect(
      amounts(
        await eventually(
          () => readInvoice(s, invoice.id),
          (i) => i.status !== 'unpaid',
        ),
      ),
    ).toEqual(['partial', '4000.50', '6999.50']);

    const second = await pay(
      s,
      {
        invoice_master_id: invoice.id,
        payment_method: 'bKash',
        amount: '6999.50',
        payment_date: '2025-01-25',
      },
      uniqueId('k'),
    );
    expect(second.status).toBe(201);
    expect(
      amounts(
        await eventually(
          () => readInvoice(s, invoice.id),
          (i) => i.status === 'paid',
        ),
      ),
    ).toEqual(['paid', '11000.00', '0.00']);

    const over = await api
      .post(`/api/payments/payments/${second.body.data.id}/refund/`)
      .set(auth(s))
      .send({ amount: '6999.51' });
    expect([over.status, over.body.type]).toEqual([422, 'validation_error']);
    const refund = await api
      .post(`/api/payments/payments/${second.body.data.id}/refund/`)
      .set(auth(s))
      .set('Idempotency-Key', uniqueId('k'))
      .send({ amount: '1000.00', reason: 'service credit' });
    expect(refund.status).toBe(201);
    expect(refund.body.data).toMatchObject({
      refunded_amount: '1000.00',
      refunds: [{ amount: '1000.00', reason: 'service credit' }],
    });
    expect(
      amounts(
        await eventually(
          () => readInvoice(s, invoice.id),
          (i) => i.status === 'partial',
        ),
      ),
    ).toEqual(['partial', '10000.00', '1000.00']);

    const totals = await eventually(
      async () => (await api.get(`/api/customers/customers/${customerId}/`).set(auth(s))).body.data,
      (c) => c.total_paid === '10000.00',
    );
    expect(totals).toMatchObject({
      total_billed: '11000.00',
      total_paid: '10000.00',
      total_due: '1000.00',
    });

    // the ledger agrees: posted from the same invoice events, balanced, receivable = balance due
    const minor = (amount: string) => Number(amount.replace('.', '')); // USD: always 2 decimals
    type Line = { account: string; debit: string; credit: string };
    const entries = await eventually(
      async () =>
        (
          await api
            .get(`/api/billing/transactions?invoice_id=${invoice.id}&per_page=100`)
            .set(auth(s))
        ).body.data.results as { lines: Line[] }[],
      (list) => list.length === 4, // issue, two payments, the refund
    );
    const lines = entries.flatMap((e) => e.lines);
    const net = (account: string) =>
      lines
        .filter((l) => l.account === account)
        .reduce((sum, l) => sum + minor(l.debit) - minor(l.credit), 0);
    expect(lines.reduce((sum, l) => sum + minor(l.debit) - minor(l.credit), 0)).toBe(0);
    expect([net(`receivable:${customerId}`), net('cash')]).toEqual([100_000, 1_000_000]);

    const byCustomer = await eventually(
      async () =>
        (
          await api
            .get(`/api/payments/payments/by_customer/?customer_id=${customerId}`)
            .set(auth(s))
        ).body.data,
      (rows) => rows[0]?.customer_name !== null,
    );
    expect(byCustomer).toEqual([
      {
        customer_id: customerId,
        customer_name: 'TechCorp Solutions Ltd',
        currency: 'USD',
        total_received: '10000.00',
        payment_count: 2,
      },
    ]);
    const history = await api
      .get(
        `/api/payments/payments/history/?customer_id=${customerId}&start_date=2025-01-01&end_date=2025-01-21`,
      )
      .set(auth(s));
    expect(history.body.data).toMatchObject({
      count: 1,
      start_date: '2025-01-01',
      end_date: '2025-01-21',
      totals: { currency: 'USD', total_received: '4000.50', payment_count: 1 },
      other_currency_totals: [],
    });
    expect(history.body.data.results[0].id).toBe(first.body.data.id);
    // one date-window rule (libs/contracts toListQuery): explicit dates win over period
    const datesAndPeriod = await api
      .get(
        `/api/payments/payments/history/?customer_id=${customerId}&start_date=2025-01-01&end_date=2025-01-21&period=monthly`,
      )
      .set(auth(s));
    expect(datesAndPeriod.body.data).toMatchObject({
      count: 1,
      start_date: '2025-01-01',
      end_date: '2025-01-21',
    });
  });

  test('when a completed payment is voided, then the invoice reads unpaid again and the payment takes no more changes', async () => {
    const s = await registerAndLogin('voids');
    const invoice = await issueInvoice(s, '300.00');
    const paid = await pay(s, {
      invoice_master_id: invoice.id,
      payment_method: 'card',
      amount: '300.00',
    });
    expect([paid.status, paid.body.data.payment_method]).toEqual([201, 'stripe']);
    await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.status === 'paid',
    );
    const voided = await api
      .post(`/api/payments/payments/${paid.body.data.id}/void/`)
      .set(auth(s))
      .send({ reason: 'charged back' });
    expect([voided.status, voided.body.data.status, voided.body.data.void_reason]).toEqual([
      200,
      'voided',
      'charged back',
    ]);
    expect(
      amounts(
        await eventually(
          () => readInvoice(s, invoice.id),
          (i) => i.status === 'unpaid',
        ),
      ),
    ).toEqual(['unpaid', '0.00', '300.00']);
    const again = await api
      .post(`/api/payments/payments/${paid.body.data.id}/void/`)
      .set(auth(s))
      .send({});
    expect(again.status).toBe(409);
    const refund = await api
      .post(`/api/payments/payments/${paid.body.data.id}/refund/`)
      .set(auth(s))
      .send({ amount: '1.00' });
    expect(refund.status).toBe(409);
  });

  test('when a payment is pending, then the invoice is untouched until it completes', async () => {
    const s = await registerAndLogin('pending');
    const invoice = await issueInvoice(s, '200.00');
    const pending = await pay(s, {
      invoice_master_id: invoice.id,
      payment_method: 'nagad',
      amount: '50.00',
      status: 'pending',
    });
    expect([pending.status, pending.body.data.status]).toEqual([201, 'pending']);
    await new Promise((r) => setTimeout(r, 2000));
    expect(amounts(await readInvoice(s, invoice.id))).toEqual(['unpaid', '0.00', '200.00']);
    const completed = await api
      .patch(`/api/payments/payments/${pending.body.data.id}/`)
      .set(auth(s))
      .send({ status: 'completed' });
    expect([completed.status, completed.body.data.status]).toEqual([200, 'completed']);
    expect(
      amounts(
        await eventually(
          () => readInvoice(s, invoice.id),
          (i) => i.status !== 'unpaid',
        ),
      ),
    ).toEqual(['partial', '50.00', '150.00']);
    const back = await api
      .patch(`/api/payments/payments/${pending.body.data.id}/`)
      .set(auth(s))
      .send({ status: 'failed' });
    expect(back.status).toBe(409);
  });
});

describe('refusals write nothing', () => {
  test("when a tenant pays another tenant's invoice, then it is a 404 and nothing is written", async () => {
    const owner = await registerAndLogin('owner');
    const other = await registerAndLogin('other');
    const invoice = await issueInvoice(owner, '100.00');
    const res = await pay(
      other,
      { invoice_master_id: invoice.id, payment_method: 'cash', amount: '1.00' },
      uniqueId('k'),
    );
    expect([res.status, res.body.type]).toEqual([404, 'not_found']);
    expect((await api.get('/api/payments/payments/').set(auth(other))).body.data.count).toBe(0);
    expect((await api.get('/api/payments/payments/').set(auth(owner))).body.data.count).toBe(0);
    expect(amounts(await readInvoice(owner, invoice.id))).toEqual(['unpaid', '0.00', '100.00']);
  });

  test('when a method is disabled (after a payment with it) or unknown, or the currency differs, then the payment is a 422; enabled again, the next payment takes it', async () => {
    const s = await registerAndLogin('methods');
    const invoice = await issueInvoice(s, '100.00');
    const methods = await api.get('/v1/billing/payment-methods/').set(auth(s));
    expect(methods.body.data.results).toContainEqual({
      payment_method: 'stripe',
      display_name: 'Credit/Debit Card',
      is_enabled: true,
    });
    // accepted while enabled: the method's setting is now held by the payments service's copy
    const accepted = await pay(s, {
      invoice_master_id: invoice.id,
      payment_method: 'bKash',
      amount: '1.00',
    });
    expect(accepted.status).toBe(201);
    const disabled = await api
      .patch('/v1/billing/payment-methods/bkash/')
      .set(auth(s))
      .send({ is_enabled: false });
    expect([disabled.status, disabled.body.data]).toEqual([
      200,
      { payment_method: 'bkash', display_name: 'bKash', is_enabled: false },
    ]);
    const refused = await pay(s, {
      invoice_master_id: invoice.id,
      payment_method: 'bKash',
      amount: '1.00',
    });
    expect([refused.status, refused.body.error]).toEqual([
      422,
      'Payment method bkash is disabled for this tenant',
    ]);
    const unknown = await pay(s, {
      invoice_master_id: invoice.id,
      payment_method: 'barter',
      amount: '1.00',
    });
    expect(unknown.status).toBe(422);
    const currency = await pay(s, {
      invoice_master_id: invoice.id,
      payment_method: 'cash',
      amount: '1.00',
      currency: 'EUR',
    });
    expect([currency.status, currency.body.details]).toEqual([
      422,
      [{ field: 'currency', message: 'must be USD' }],
    ]);
    expect((await api.get('/api/payments/payments/').set(auth(s))).body.data.count).toBe(1);
    // enabled again: the next payment sees it at once
    const enabled = await api
      .patch('/v1/billing/payment-methods/bkash/')
      .set(auth(s))
      .send({ is_enabled: true });
    expect(enabled.status).toBe(200);
    const again = await pay(s, {
      invoice_master_id: invoice.id,
      payment_method: 'bkash',
      amount: '1.00',
    });
    expect([again.status, again.body.data?.payment_method]).toEqual([201, 'bkash']);
  });
});

/** An issued USD invoice from the platform (the admin's token) to a tenant. */
async function platformInvoice(adminToken: string, tenantId: string, amount: string) {
  const res = await api
    .post('/api/bills/invoices/')
    .set(bearer(adminToken))
    .send({
      status: 'unpaid',
      currency: 'USD',
      customer_id: tenantId,
      details: [{ sub_total: amount }],
    });
  expect(res.status).toBe(201);
  return res;
}

describe('a tenant paying the platform (seed 000)', () => {
  test("when the platform invoices a tenant, then the tenant pays it through /v1/billing/payments and the platform's invoice is settled", async () => {
    const admin = await login(api, 'admin', 'ledgerline-admin');
    const tenant = await registerAndLogin('subscriber');
    const issued = await platformInvoice(admin.token, tenant.tenantId, '29.00');
    const paid = await api
      .post('/v1/billing/payments/')
      .set(auth(tenant))
      .set('Idempotency-Key', uniqueId('k'))
      .send({ invoice_id: issued.body.data.id, payment_method: 'stripe' });
    expect([paid.status, paid.body.data]).toEqual([
      201,
      expect.objectContaining({ amount: '29.00', status: 'succeeded', payment_method: 'stripe' }),
    ]);
    const list = await api.get('/v1/billing/payments/').set(auth(tenant));
    expect(list.body.data.results).toEqual([
      {
        id: paid.body.data.id,
        invoice_id: issued.body.data.id,
        amount: '29.00',
        currency: 'USD',
        status: 'succeeded',
        payment_method: 'stripe',
        refunded_amount: '0.00',
        created_at: expect.any(String),
      },
    ]);
    await eventually(
      async () =>
        (await api.get(`/api/bills/invoices/${issued.body.data.id}/`).set(bearer(admin.token))).body
          .data.status,
      (st) => st === 'paid',
    );
    // another tenant cannot pay it
    const other = await registerAndLogin('stranger');
    const refused = await api
      .post('/v1/billing/payments/')
      .set(auth(other))
      .send({ invoice_id: issued.body.data.id, payment_method: 'stripe' });
    expect(refused.status).toBe(404);
  });
});

describe('searching payments', () => {
  const ids = async (s: TestSession, path: string) => {
    const res = await api.get(path).set(auth(s));
    expect([path, res.status]).toEqual([path, 200]);
    return res.body.data.results.map((r: { id: string }) => r.id);
  };

  test('when search=<text> (or q with q_f), then only the matching payments are listed, in every payments list', async () => {
    const s = await registerAndLogin('paysearch');
    const customer = async (customer_name: string) => {
      const res = await api
        .post('/api/customers/customers/')
        .set(auth(s))
        .send({ customer_name, customer_type: 'bw' });
      expect(res.status).toBe(201);
      return res.body.data.id as string;
    };
    const zephyr = await customer('Zephyr Traders');
    const orion = await customer('Orion Foods');
    const first = await issueInvoice(s, '100.00', { customer_id: zephyr });
    const second = await issueInvoice(s, '100.00', { customer_id: orion });
    const recorded = async (body: Record<string, unknown>) => {
      const res = await pay(s, body);
      expect([res.status, res.body.error]).toEqual([201, undefined]);
      return res.body.data.id as string;
    };
    const alpha = await recorded({
      invoice_master_id: first.id,
      payment_method: 'bKash',
      amount: '40.00',
      transaction_id: 'TRX-ALPHA-1',
      remarks: 'First instalment',
    });
    const beta = await recorded({
      invoice_master_id: second.id,
      payment_method: 'cash',
      amount: '10.00',
      transaction_id: 'TRX-BETA-2',
      remarks: 'Walk-in',
    });

    const list = '/api/payments/payments/';
    expect(await ids(s, `${list}?search=trx-alpha`)).toEqual([alpha]);
    expect(await ids(s, `${list}?q=WALK&q_f=remarks`)).toEqual([beta]);
    expect(await ids(s, `${list}?q=trx&q_f=remarks`)).toEqual([]);
    expect(await ids(s, `${list}?search=bkash`)).toEqual([alpha]);
    expect((await ids(s, `${list}?search=trx`)).sort()).toEqual([alpha, beta].sort());
    // customers' names reach payments by event
    for (const name of ['zephyr', 'orion'])
      await eventually(
        () => ids(s, `${list}?search=${name}`),
        (found) => found.length === 1,
      );
    expect(await ids(s, `${list}?search=zephyr`)).toEqual([alpha]);
    expect(await ids(s, `${list}?q=zephyr&q_f=transaction_id`)).toEqual([]);

    const history = await api.get(`${list}history/?search=walk-in`).set(auth(s));
    expect(history.body.data).toMatchObject({
      count: 1,
      results: [{ id: beta }],
      totals: { currency: 'USD', total_received: '10.00', payment_count: 1 },
    });
    expect(await ids(s, `/api/payments/payment-details/?search=alpha`)).toEqual([alpha]);
    const byCustomer = await api.get(`${list}by_customer/?search=orion`).set(auth(s));
    expect(byCustomer.body.data).toEqual([
      {
        customer_id: orion,
        customer_name: 'Orion Foods',
        currency: 'USD',
        total_received: '10.00',
        payment_count: 1,
      },
    ]);

    const ofZephyr = `/api/customers/customers/${zephyr}`;
    expect(await ids(s, `${ofZephyr}/payments/?search=instalment`)).toEqual([alpha]);
    expect(await ids(s, `${ofZephyr}/payments/?search=beta`)).toEqual([]);
    expect(await ids(s, `${ofZephyr}/payment_history/?q=alpha&q_f=transaction_id`)).toEqual([
      alpha,
    ]);
  });

  test("when search=<text> on a tenant's payments to the platform, then only the matching ones are listed, by the status it shows", async () => {
    const admin = await login(api, 'admin', 'ledgerline-admin');
    const tenant = await registerAndLogin('platsearch');
    const invoice = async () =>
      (await platformInvoice(admin.token, tenant.tenantId, '5.00')).body.data.id as string;
    const paid = async (invoice_id: string, payment_method: string) => {
      const res = await api
        .post('/v1/billing/payments/')
        .set(auth(tenant))
        .send({ invoice_id, payment_method });
      expect([res.status, res.body.error]).toEqual([201, undefined]);
      return res.body.data.id as string;
    };
    const byCard = await paid(await invoice(), 'stripe');
    const secondInvoice = await invoice();
    const byBank = await paid(secondInvoice, 'Bank Transfer');

    const list = '/v1/billing/payments/';
    expect(await ids(tenant, `${list}?search=STRIPE`)).toEqual([byCard]);
    expect(await ids(tenant, `${list}?search=bank`)).toEqual([byBank]);
    expect((await ids(tenant, `${list}?search=succeeded`)).sort()).toEqual([byBank, byCard].sort());
    expect(await ids(tenant, `${list}?search=pending`)).toEqual([]);
    expect(await ids(tenant, `${list}?q=${secondInvoice}&q_f=invoice_id`)).toEqual([byBank]);
    expect(await ids(tenant, `${list}?q=${secondInvoice}&q_f=status`)).toEqual([]);
  });
});

describe("searching billing's lists", () => {
  const ids = async (s: TestSession, path: string) => {
    const res = await api.get(path).set(auth(s));
    expect([path, res.status]).toEqual([path, 200]);
    return res.body.data;
  };
  const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

  test('when search=<text> (or q with q_f) on the invoice history, then only the matching invoices are listed and totalled', async () => {
    const s = await registerAndLogin('histsearch');
    const hosting = await issueInvoice(s, '100.00', { remarks: 'Quarterly hosting' });
    const domain = await issueInvoice(s, '30.00', { remarks: 'Domain renewal' });
    const history = '/api/bills/invoices/history/';

    const found = await ids(s, `${history}?search=HOSTING`);
    expect([idsOf(found.invoices), found.totals]).toEqual([
      [hosting.id],
      {
        currency: 'USD',
        total_billed: '100.00',
        total_paid: '0.00',
        total_credited: '0.00',
        total_due: '100.00',
        count: 1,
      },
    ]);
    expect(idsOf((await ids(s, `${history}?q=domain&q_f=remarks`)).invoices)).toEqual([domain.id]);
    expect(idsOf((await ids(s, `${history}?q=domain&q_f=invoice_number`)).invoices)).toEqual([]);
    expect(idsOf((await ids(s, `${history}?search=${domain.invoice_number}`)).invoices)).toEqual([
      domain.id,
    ]);
    expect(idsOf((await ids(s, `/api/bills/invoices/?q=renewal`)).results)).toEqual([domain.id]);
  });

  test('when search=<text> (or q with q_f) on billing runs, then only the matching runs are listed', async () => {
    const s = await registerAndLogin('runsearch');
    const run = async (period_start: string, period_end: string) => {
      const res = await api
        .post('/api/bills/billing-runs/')
        .set(auth(s))
        .send({ period_start, period_end });
      expect([res.status, res.body.error]).toEqual([202, undefined]);
      return res.body.data.id as string;
    };
    const march = await run('2025-03-01', '2025-03-31');
    const april = await run('2025-04-01', '2025-04-30');
    const runs = '/api/bills/billing-runs/';

    expect(idsOf((await ids(s, `${runs}?search=2025-04`)).results)).toEqual([april]);
    expect(idsOf((await ids(s, `${runs}?q=2025-03-31&q_f=period_end`)).results)).toEqual([march]);
    expect(idsOf((await ids(s, `${runs}?q=2025-03-31&q_f=period_start`)).results)).toEqual([]);
    // nothing to bill: both completed at once
    expect(idsOf((await ids(s, `${runs}?search=COMPLETED`)).results).sort()).toEqual(
      [april, march].sort(),
    );
    expect(idsOf((await ids(s, `${runs}?search=queued`)).results)).toEqual([]);
    expect(idsOf((await ids(s, `${runs}?q=${march}&q_f=id`)).results)).toEqual([march]);
  });
});

describe('reconciliation', () => {
  test('when the suite has run, then billing reflected every payment, void and refund of every tenant', async () => {
    for (const s of sessions) {
      const report = await eventually(
        async () =>
          (await api.get('/api/payments/reconciliation/?grace_seconds=0').set(auth(s))).body.data,
        (r) => r.count === 0,
        30_000,
        500,
      );
      expect(report).toEqual({ results: [], count: 0, grace_seconds: 0 });
    }
  });
});
