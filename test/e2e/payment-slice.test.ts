import { createSign } from 'node:crypto';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { buildEvent, topicOf } from '@ledgerline/contracts';
import { eventually, infra, KAFKA_BROKERS, MONGO_URL, uniqueId } from '../support/infra';
import { bearer, registerAndLogin as register, type TestSession } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';
import { createCustomer } from '../support/customers';

jest.setTimeout(180_000);

let platform: RunningPlatform & { dbPrefix: string; topicPrefix: string };
let api: ReturnType<typeof request>;
let mongo: MongoClient;

type Session = TestSession;

const registerAndLogin = (label: string) => register(api, label);
const auth = (s: Session) => bearer(s.token);

async function createIssuedInvoice(s: Session) {
  const res = await api
    .post('/api/bills/invoices/')
    .set(auth(s))
    .send({
      issue_date: '2025-01-15',
      status: 'unpaid',
      currency: 'BDT',
      details: [
        {
          sub_total: 10000.0,
          vat_rate: 15.0,
          sub_discount_rate: 5.0,
          remarks: 'Invoice detail for bandwidth service',
        },
      ],
    });
  expect(res.status).toBe(201);
  return res.body.data as {
    id: string;
    total_bill_amount: string;
    status: string;
    invoice_number: string;
  };
}

async function readInvoice(s: Session, id: string) {
  const res = await api.get(`/api/bills/invoices/${id}/`).set(auth(s));
  expect(res.status).toBe(200);
  return res.body.data as {
    status: string;
    total_paid_amount: string;
    total_balance_due: string;
    total_bill_amount: string;
  };
}

beforeAll(async () => {
  platform = await startTestPlatform('e2e', { basePort: 14000, gatewayPort: 18080 });
  api = request(platform.gatewayUrl);
  mongo = await MongoClient.connect(MONGO_URL);
});

afterAll(async () => {
  await mongo?.close();
  await platform?.stop();
});

describe('one payment through the gateway', () => {
  test('when the gateway is asked if it is ready, then it reports every upstream', async () => {
    const res = await api.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.data.checks).toEqual({
      redis: 'ok',
      auth: 'ok',
      tenants: 'ok',
      customers: 'ok',
      billing: 'ok',
      payments: 'ok',
      webhooks: 'ok',
    });
  });

  test('when a user registers, logs in, invoices and pays, then the invoice reads paid with exact amounts', async () => {
    const s = await registerAndLogin('acme');
    const invoice = await createIssuedInvoice(s);
    expect(invoice).toMatchObject({
      status: 'unpaid',
      currency: 'BDT',
      sub_total: '10000.00',
      vat_amount: '1500.00',
      discount_amount: '500.00',
      total_bill_amount: '11000.00',
      total_paid_amount: '0.00',
      total_balance_due: '11000.00',
    });
    expect(invoice.invoice_number).toMatch(/^INV-\d{6}$/);

    const partial = await api.post('/api/payments/payments/').set(auth(s)).send({
      payment_date: '2025-01-20',
      payment_method: 'Bank Transfer',
      invoice_master_id: invoice.id,
      amount: '4000.50',
      remarks: 'first part',
    });
    expect(partial.status).toBe(201);
    expect(partial.body.data).toMatchObject({
      amount: '4000.50',
      currency: 'BDT',
      status: 'completed',
      invoice_master_id: invoice.id,
    });

    const afterPartial = await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.status !== 'unpaid',
    );
    expect(afterPartial).toMatchObject({
      status: 'partial',
      total_paid_amount: '4000.50',
      total_balance_due: '6999.50',
    });

    const rest = await api.post('/api/payments/payments/').set(auth(s)).send({
      payment_method: 'bKash',
      invoice_master_id: invoice.id,
      pay_amount: 6999.5,
      transaction_id: 'TXN123456',
    });
    expect(rest.status).toBe(201);
    const paid = await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.status === 'paid',
    );
    expect(paid).toMatchObject({
      status: 'paid',
      total_bill_amount: '11000.00',
      total_paid_amount: '11000.00',
      total_balance_due: '0.00',
    });
  });

  test('when a payment exceeds the balance due or has too many decimals, then it is a 422 and nothing is recorded', async () => {
    const s = await registerAndLogin('strict');
    const invoice = await createIssuedInvoice(s);
    for (const amount of ['11000.01', '10.001', '-5', '0']) {
      const res = await api
        .post('/api/payments/payments/')
        .set(auth(s))
        .send({ payment_method: 'cash', invoice_master_id: invoice.id, amount });
      expect([amount, res.status, res.body.type]).toEqual([amount, 422, 'validation_error']);
      expect(res.body.request_id).toEqual(expect.any(String));
    }
    const list = await api.get('/api/payments/payments/').set(auth(s));
    expect(list.body.data).toMatchObject({ results: [], count: 0, page: 1, per_page: 25 });
  });

  test("when a tenant pays another tenant's invoice, then it is a 404 and nothing is written", async () => {
    const owner = await registerAndLogin('owner');
    const other = await registerAndLogin('other');
    const invoice = await createIssuedInvoice(owner);
    expect((await api.get(`/api/bills/invoices/${invoice.id}/`).set(auth(other))).status).toBe(404);
    const res = await api
      .post('/api/payments/payments/')
      .set(auth(other))
      .send({ payment_method: 'cash', invoice_master_id: invoice.id, amount: '1.00' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: 404, type: 'not_found' });
    expect((await api.get('/api/payments/payments/').set(auth(other))).body.data.count).toBe(0);
    expect((await readInvoice(owner, invoice.id)).total_paid_amount).toBe('0.00');
  });
});

describe('bad requests change nothing', () => {
  test('when the token is missing, expired, tampered or alg none, then 401 in the envelope', async () => {
    const s = await registerAndLogin('tokens');
    const [header, payload, signature] = s.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

    // an expired token signed with the real key: the signature is right, only the time is wrong
    const key = await mongo
      .db(`${platform.dbPrefix}_auth`)
      .collection('signing_keys')
      .findOne({ active: true });
    const expiredBody = b64({ ...claims, iat: claims.iat - 7200, exp: claims.iat - 3600 });
    const signer = createSign('RSA-SHA256').update(`${header}.${expiredBody}`);
    const expired = `${header}.${expiredBody}.${signer.sign(String(key?.private_key_pem)).toString('base64url')}`;

    const tampered = `${header}.${b64({ ...claims, tid: 'ten_someone_else' })}.${signature}`;
    const algNone = `${b64({ alg: 'none', typ: 'JWT', kid: JSON.parse(Buffer.from(header, 'base64url').toString()).kid })}.${payload}.`;

    const cases: [string, Record<string, string>][] = [
      ['missing', {}],
      ['not bearer', { Authorization: `Basic ${s.token}` }],
      ['garbage', { Authorization: 'Bearer abc.def.ghi' }],
      ['expired', { Authorization: `Bearer ${expired}` }],
      ['tampered', { Authorization: `Bearer ${tampered}` }],
      ['alg none', { Authorization: `Bearer ${algNone}` }],
    ];
    for (const [name, headers] of cases) {
      const res = await api.get('/api/bills/invoices/').set(headers);
      expect([name, res.status, res.body.success, res.body.type]).toEqual([
        name,
        401,
        false,
        'unauthorized',
      ]);
    }
    const expiredRes = await api
      .get('/api/bills/invoices/')
      .set({ Authorization: `Bearer ${expired}` });
    expect(expiredRes.body.error).toBe('Access token has expired');
    // the same calls straight to the service (bypassing the gateway) are refused too
    const direct = await request(platform.gatewayUrl.replace('18080', '14004'))
      .get('/api/bills/invoices/')
      .set({ Authorization: `Bearer ${algNone}` });
    expect(direct.status).toBe(401);
  });

  test('when JSON is malformed, then 400; when a field is bad, then 422; and no invoice is written', async () => {
    const s = await registerAndLogin('badinput');
    const malformed = await api
      .post('/api/bills/invoices/')
      .set(auth(s))
      .set('Content-Type', 'application/json')
      .send('{"status": "unpaid",');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      success: false,
      code: 400,
      type: 'bad_request',
      request_id: expect.any(String),
    });

    const badField = await api
      .post('/api/bills/invoices/')
      .set(auth(s))
      .send({
        status: 'unpaid',
        currency: 'BDT',
        details: [{ sub_total: '10.001', vat_rate: 15 }],
      });
    expect(badField.status).toBe(422);
    expect(badField.body).toMatchObject({
      type: 'validation_error',
      details: [{ field: 'details.0.sub_total', message: 'BDT allows at most 2 decimal places' }],
    });

    const badEnum = await api
      .post('/api/bills/invoices/')
      .set(auth(s))
      .send({ status: 'paid-ish', currency: 'XXX1' });
    expect(badEnum.status).toBe(422);
    expect(badEnum.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'currency',
      'status',
    ]);

    const list = await api.get('/api/bills/invoices/').set(auth(s));
    expect(list.status).toBe(200);
    expect(list.body.data.count).toBe(0);
  });
});

describe('events are applied exactly once and never lost', () => {
  test('when the same PaymentRecorded is delivered twice, then the invoice changes once', async () => {
    const s = await registerAndLogin('dupes');
    const invoice = await createIssuedInvoice(s);
    const event = buildEvent('PaymentRecorded', {
      tenant_id: s.tenantId,
      data: {
        payment_id: `pay_dup_${uniqueId('x')}`,
        invoice_id: invoice.id,
        customer_id: null,
        amount_minor: 100_000,
        currency: 'BDT',
        payment_method: 'cash',
        payment_date: '2025-01-20',
      },
    });
    // the same payment republished under a new event id (as a second relay instance could) is recognised too
    const sameEventId = { ...event };
    const samePaymentNewEventId = {
      ...event,
      id: buildEvent('PaymentRecorded', { tenant_id: s.tenantId, data: event.data }).id,
    };
    const kafka = new Kafka({
      clientId: 'e2e-dupes',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const topic = topicOf('PaymentRecorded', platform.topicPrefix);
    for (const e of [event, sameEventId, samePaymentNewEventId]) {
      await producer.send({ topic, messages: [{ key: invoice.id, value: JSON.stringify(e) }] });
    }
    // a marker payment sent after the duplicates: once it is applied, the duplicates were consumed
    const marker = buildEvent('PaymentRecorded', {
      tenant_id: s.tenantId,
      data: { ...event.data, payment_id: `pay_marker_${uniqueId('m')}`, amount_minor: 1 },
    });
    await producer.send({ topic, messages: [{ key: invoice.id, value: JSON.stringify(marker) }] });
    await producer.disconnect();

    const settled = await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.total_paid_amount !== '0.00' && i.total_paid_amount !== '1000.00',
    );
    expect(settled).toMatchObject({
      status: 'partial',
      total_paid_amount: '1000.01',
      total_balance_due: '9999.99',
    });
  });

  test('when Kafka is down while a payment is recorded, then the event is delivered after it returns and the invoice becomes paid', async () => {
    const s = await registerAndLogin('outage');
    const invoice = await createIssuedInvoice(s);
    infra('stop', 'kafka');
    try {
      const res = await api.post('/api/payments/payments/').set(auth(s)).send({
        payment_method: 'Bank Transfer',
        invoice_master_id: invoice.id,
        amount: '11000.00',
      });
      expect(res.status).toBe(201);
      await new Promise((r) => setTimeout(r, 2000));
      expect((await readInvoice(s, invoice.id)).status).toBe('unpaid');
    } finally {
      infra('start', 'kafka');
    }
    const paid = await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.status === 'paid',
      120_000,
      500,
    );
    expect(paid).toMatchObject({ total_paid_amount: '11000.00', total_balance_due: '0.00' });
  });
});

describe('the gateway protects itself from a failing upstream', () => {
  test('when an upstream is down, then the gateway answers 503 in the envelope, opens its breaker, and recovers', async () => {
    const s = await registerAndLogin('breaker');
    await platform.stopOne('customers');
    try {
      const answers = [];
      for (let i = 0; i < 8; i++) {
        const res = await api.get('/api/customers/customers/').set(auth(s));
        answers.push([res.status, res.body.type, res.body.success]);
      }
      expect(
        answers.every(
          ([status, type, success]) =>
            status === 503 && type === 'service_unavailable' && success === false,
        ),
      ).toBe(true);
      const open = await api.get('/api/customers/customers/').set(auth(s));
      expect(open.body.error).toBe('customers is unavailable (circuit open), try again shortly');
      const ready = await api.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.details).toContainEqual({
        field: 'customers',
        message: expect.stringMatching(/^down: /),
      });
      // other upstreams are unaffected
      expect((await api.get('/api/bills/invoices/').set(auth(s))).status).toBe(200);
    } finally {
      platform.startOne('customers');
    }
    await eventually(
      async () => (await api.get('/api/customers/customers/').set(auth(s))).status,
      (status) => status === 200,
      30_000,
      500,
    );
  });
});

describe("a customer's bills and payments, answered by billing and payments", () => {
  test('when a customer has two bills and payments, then invoices, bill_history, last/previous bill, payments and payment_history agree', async () => {
    const s = await registerAndLogin('history');
    const customer = await createCustomer(api, s.token, 'History Customer');
    const issue = async (date: string, amount: string) => {
      const res = await api
        .post('/api/bills/invoices/')
        .set(auth(s))
        .send({
          customer_id: customer,
          issue_date: date,
          status: 'unpaid',
          currency: 'BDT',
          details: [{ sub_total: amount }],
        });
      expect(res.status).toBe(201);
      return res.body.data.id as string;
    };
    const january = await issue('2025-01-15', '50000.00');
    const february = await issue('2025-02-15', '30000.00');
    await api
      .post('/api/bills/invoices/')
      .set(auth(s))
      .send({ customer_id: customer, currency: 'BDT', details: [{ sub_total: '1.00' }] }); // a draft: not a bill
    for (const [invoice, amount, date] of [
      [january, '50000.00', '2025-01-20'],
      [february, '10000.00', '2025-02-20'],
    ]) {
      expect(
        (
          await api.post('/api/payments/payments/').set(auth(s)).send({
            invoice_master_id: invoice,
            payment_method: 'Bank Transfer',
            amount,
            payment_date: date,
          })
        ).status,
      ).toBe(201);
    }
    await eventually(
      async () => (await api.get(`/api/bills/invoices/${february}/`).set(auth(s))).body.data.status,
      (st) => st === 'partial',
    );
    const base = `/api/customers/customers/${customer}`;

    const invoices = await api.get(`${base}/invoices/`).set(auth(s));
    expect(invoices.body.data.results.map((i: { id: string }) => i.id)).toEqual([
      february,
      january,
    ]);
    const january_only = await api
      .get(`${base}/bill_history/?start_date=2025-01-01&end_date=2025-01-31&period=`)
      .set(auth(s));
    expect(january_only.status).toBe(200); // an empty parameter counts as absent
    const history = await api
      .get(`${base}/bill_history/?start_date=2025-01-01&end_date=2025-01-31`)
      .set(auth(s));
    expect(history.body.data).toMatchObject({
      count: 1,
      start_date: '2025-01-01',
      end_date: '2025-01-31',
      totals: {
        currency: 'BDT',
        total_billed: '50000.00',
        total_paid: '50000.00',
        total_due: '0.00',
        count: 1,
      },
      other_currency_totals: [],
    });
    const all = await api.get(`${base}/bill_history/`).set(auth(s));
    expect(all.body.data.totals).toEqual({
      currency: 'BDT',
      total_billed: '80000.00',
      total_paid: '60000.00',
      total_credited: '0.00',
      total_due: '20000.00',
      count: 2,
    });
    expect((await api.get(`${base}/last_bill/`).set(auth(s))).body.data.id).toBe(february);
    expect((await api.get(`${base}/previous_bill/`).set(auth(s))).body.data.id).toBe(january);
    expect(
      (await api.get(`/api/customers/customers/cus_nobody/last_bill/`).set(auth(s))).status,
    ).toBe(404);

    const payments = await api.get(`${base}/payments/`).set(auth(s));
    expect(payments.body.data.count).toBe(2);
    const paymentHistory = await api
      .get(`${base}/payment_history/?start_date=2025-02-01&end_date=2025-02-28`)
      .set(auth(s));
    expect(paymentHistory.body.data).toMatchObject({
      count: 1,
      totals: { currency: 'BDT', total_received: '10000.00', payment_count: 1 },
    });
    // explicit dates win over period; period alone is this month's window (no 2025 payment in it)
    const datesAndPeriod = await api
      .get(`${base}/payment_history/?start_date=2025-02-01&end_date=2025-02-28&period=weekly`)
      .set(auth(s));
    expect(datesAndPeriod.body.data).toMatchObject({ count: 1, start_date: '2025-02-01' });
    const month = new Date().toISOString().slice(0, 7);
    const periodOnly = await api.get(`${base}/payment_history/?period=monthly`).set(auth(s));
    expect(periodOnly.body.data).toMatchObject({ count: 0, start_date: `${month}-01` });
    // to another tenant this customer does not exist
    const other = await registerAndLogin('history2');
    for (const sub of ['invoices', 'bill_history', 'payments', 'payment_history']) {
      const res = await api.get(`${base}/${sub}/`).set(auth(other));
      expect([sub, res.status, res.body.type]).toEqual([sub, 404, 'not_found']);
    }
  });
});

describe('invoice lifecycle', () => {
  test('when many drafts are issued at once, then their numbers are sequential with no gap and no repeat', async () => {
    const s = await registerAndLogin('numbers');
    const drafts: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await api
        .post('/api/bills/invoices/')
        .set(auth(s))
        .send({ currency: 'USD', details: [{ sub_total: `${i + 1}.00` }] });
      expect([res.status, res.body.data.status, res.body.data.invoice_number]).toEqual([
        201,
        'draft',
        null,
      ]);
      drafts.push(res.body.data.id);
    }
    const issued = await Promise.all(
      drafts.map((id) => api.post(`/api/bills/invoices/${id}/issue/`).set(auth(s))),
    );
    expect(issued.map((r) => r.status)).toEqual(drafts.map(() => 200));
    const numbers = issued.map((r) => r.body.data.invoice_number as string).sort();
    expect(numbers).toEqual(
      Array.from({ length: 12 }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`),
    );
    expect(issued.every((r) => r.body.data.status === 'unpaid')).toBe(true);
    // one more, created issued, continues the sequence; issuing twice is refused
    const next = await createIssuedInvoice(s);
    expect(next.invoice_number).toBe('INV-000013');
    expect((await api.post(`/api/bills/invoices/${drafts[0]}/issue/`).set(auth(s))).status).toBe(
      409,
    );
  });

  test('when an invoice is voided, then it takes no payment; an invoice with a payment cannot be voided', async () => {
    const s = await registerAndLogin('voids');
    const unpaid = await createIssuedInvoice(s);
    const voided = await api.post(`/api/bills/invoices/${unpaid.id}/void/`).set(auth(s));
    expect([voided.status, voided.body.data.status]).toEqual([200, 'void']);
    const pay = await api
      .post('/api/payments/payments/')
      .set(auth(s))
      .send({ payment_method: 'cash', invoice_master_id: unpaid.id, amount: '1.00' });
    expect(pay.status).toBe(409);
    const paid = await createIssuedInvoice(s);
    expect(
      (
        await api
          .post('/api/payments/payments/')
          .set(auth(s))
          .send({ payment_method: 'cash', invoice_master_id: paid.id, amount: '1.00' })
      ).status,
    ).toBe(201);
    await eventually(
      () => readInvoice(s, paid.id),
      (i) => i.status === 'partial',
    );
    const refused = await api.post(`/api/bills/invoices/${paid.id}/void/`).set(auth(s));
    expect([refused.status, refused.body.error]).toEqual([
      409,
      'An invoice with payments cannot be voided; refund the payments first',
    ]);
  });
});
