import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { buildEvent, topicName, topicOf, type EventEnvelope } from '@ledgerline/contracts';
import { eventually, KAFKA_BROKERS, MONGO_URL, uniqueId } from '../support/infra';
import { bearer, login, registerAndLogin as register, type TestSession } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';
import { SEED_CUSTOMER } from '../support/seed-walk/seed-002';

jest.setTimeout(180_000);

const BASE_PORT = 16000;
const GROUP_ID = uniqueId('customers');
let platform: RunningPlatform & { dbPrefix: string; topicPrefix: string };
let api: ReturnType<typeof request>;
let mongo: MongoClient;

const registerAndLogin = (label: string) => register(api, label);
const auth = (s: TestSession) => bearer(s.token);

async function post(s: TestSession, path: string, body: object, expected = 201) {
  const res = await api.post(path).set(auth(s)).send(body);
  expect([path, res.status, res.body.error, res.body.details]).toEqual([
    path,
    expected,
    undefined,
    undefined,
  ]);
  return res.body.data;
}

async function get(s: TestSession, path: string) {
  const res = await api.get(path).set(auth(s));
  expect([path, res.status, res.body.error]).toEqual([path, 200, undefined]);
  return res.body.data;
}

/** Counts of requests a service answered for a route pattern and status (its /metrics). */
async function served(service: string, route: string, status: number): Promise<number> {
  const text = await (await fetch(platform.metricsUrl(service))).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('http_request_duration_seconds_count') &&
        l.includes(`route="${route}"`) &&
        l.includes(`status="${status}"`) &&
        l.includes('method="GET"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

const BANDWIDTH_ROWS = [
  {
    bandwidth_type: 'ipt',
    mbps: 10,
    unit_price: 20,
    start_date: '2025-01-01',
    end_date: '2025-01-31',
    is_active: true,
    status: 'active',
  },
  {
    bandwidth_type: 'gcc',
    mbps: 10,
    unit_price: 30,
    start_date: '2025-01-01',
    end_date: '2025-01-31',
    is_active: true,
    status: 'active',
  },
  {
    bandwidth_type: 'cdn',
    mbps: 5,
    unit_price: 15,
    start_date: '2025-01-01',
    end_date: '2025-01-31',
    is_active: true,
    status: 'active',
  },
];

beforeAll(async () => {
  platform = await startTestPlatform('cus', {
    basePort: BASE_PORT,
    gatewayPort: 20080,
    // a consumer group of this run's own, so parallel runs never share partitions
    envFor: { customers: { CONSUMER_GROUP_ID: GROUP_ID } },
  });
  api = request(platform.gatewayUrl);
  mongo = await MongoClient.connect(MONGO_URL);
});

afterAll(async () => {
  await mongo?.close();
  await platform?.stop();
});

describe("seed 002's example use cases, sent as written", () => {
  test('when a bandwidth customer, its entitlement and three bandwidth rows are created (use case 1), then each answers with the documented shape', async () => {
    const s = await registerAndLogin('uc1');
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'TechCorp',
      customer_type: 'bw',
    });
    expect(customer).toMatchObject({
      customer_name: 'TechCorp',
      customer_type: 'bw',
      status: 'active',
      is_active: true,
      currency: 'USD',
      total_billed: '0.00',
      total_paid: '0.00',
      total_due: '0.00',
      active_entitlements_count: 0,
      last_bill_invoice_date: null,
      created_by: s.userId,
      updated_by: s.userId,
    });
    expect(customer.id).toMatch(/^cus_/);

    const entitlement = await post(s, '/api/customers/entitlements/', {
      customer_master_id: customer.id,
      bill_number: 'BILL20241001',
    });
    expect(entitlement).toMatchObject({
      customer_master_id: customer.id,
      customer_name: 'TechCorp',
      bill_number: 'BILL20241001',
      currency: 'USD',
      details: [],
      details_count: 0,
    });

    const bulk = await post(s, `/api/customers/entitlements/${entitlement.id}/details/`, {
      entitlement_master_id: entitlement.id,
      bandwidth_details: BANDWIDTH_ROWS,
    });
    expect(bulk.count).toBe(3);
    expect(
      bulk.results.map((r: Record<string, unknown>) => [
        r.bandwidth_type,
        r.mbps,
        r.unit_price,
        r.currency,
        r.type,
        r.cust_entitlement_id,
        r.start_date,
        r.end_date,
      ]),
    ).toEqual([
      ['ipt', 10, '20.00', 'USD', 'bw', entitlement.id, '2025-01-01', '2025-01-31'],
      ['gcc', 10, '30.00', 'USD', 'bw', entitlement.id, '2025-01-01', '2025-01-31'],
      ['cdn', 5, '15.00', 'USD', 'bw', entitlement.id, '2025-01-01', '2025-01-31'],
    ]);

    const details = await get(s, `/api/customers/entitlements/${entitlement.id}/details/`);
    expect(details.count).toBe(3);
    expect(details.results.map((r: { bandwidth_type: string }) => r.bandwidth_type)).toEqual([
      'ipt',
      'gcc',
      'cdn',
    ]);
    // January 2025 is over: the rows exist but none is in force today
    expect(await get(s, `/api/customers/customers/${customer.id}/`)).toMatchObject({
      active_entitlements_count: 0,
    });
    const listed = await get(s, `/api/customers/customers/${customer.id}/entitlements/`);
    expect(listed.results).toEqual([
      expect.objectContaining({ id: entitlement.id, details_count: 3, active_details_count: 0 }),
    ]);
    // step 4 (POST /api/bills/invoices/auto_generate/) is billing's, issue "billing"
  });

  test('when a channel partner gets two rows (use case 2), then shares and prices read back exactly', async () => {
    const s = await registerAndLogin('uc2');
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'Channel Partner Network',
      customer_type: 'channel_partner',
      currency: 'BDT',
    });
    const entitlement = await post(s, '/api/customers/entitlements/', {
      customer_master_id: customer.id,
    });
    const bulk = await post(s, `/api/customers/entitlements/${entitlement.id}/details/`, {
      entitlement_master_id: entitlement.id,
      channel_partner_details: [
        {
          mbps: 10,
          unit_price: 20,
          custom_mac_percentage_share: 45,
          start_date: '2025-01-01',
          end_date: '2025-01-31',
          is_active: true,
          status: 'active',
        },
        {
          mbps: 20,
          unit_price: 50,
          custom_mac_percentage_share: 50,
          start_date: '2025-01-01',
          end_date: '2025-01-31',
          is_active: true,
          status: 'active',
        },
      ],
    });
    expect(
      bulk.results.map((r: Record<string, unknown>) => [
        r.type,
        r.mbps,
        r.unit_price,
        r.currency,
        r.custom_mac_percentage_share,
        r.bandwidth_type,
      ]),
    ).toEqual([
      ['channel_partner', 10, '20.00', 'BDT', '45.00', null],
      ['channel_partner', 20, '50.00', 'BDT', '50.00', null],
    ]);
    const filtered = await get(
      s,
      `/api/customers/entitlement-details/?cust_entitlement_id=${entitlement.id}&type=channel_partner&is_active=true&status=active`,
    );
    expect(filtered.count).toBe(2);
    const none = await get(
      s,
      `/api/customers/entitlement-details/?cust_entitlement_id=${entitlement.id}&type=bw`,
    );
    expect(none.count).toBe(0);
  });

  test("when a customer's bill history is asked for (use case 3), then billing answers it with its totals", async () => {
    const s = await registerAndLogin('uc3');
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'History Ltd',
      customer_type: 'bw',
      currency: 'BDT',
    });
    const invoice = await api
      .post('/api/bills/invoices/')
      .set(auth(s))
      .send({
        customer_id: customer.id,
        issue_date: '2025-01-15',
        status: 'unpaid',
        currency: 'BDT',
        details: [{ sub_total: '50000.00' }],
      });
    expect(invoice.status).toBe(201);
    const customersBefore = await served('customers', 'unmatched', 404);
    const history = await api
      .get(
        `/api/customers/customers/${customer.id}/bill_history/?start_date=2025-01-01&end_date=2025-01-31`,
      )
      .set(auth(s));
    expect(history.status).toBe(200);
    expect(history.body.data).toMatchObject({
      count: 1,
      results: [{ id: invoice.body.data.id }],
      totals: {
        currency: 'BDT',
        total_billed: '50000.00',
        total_paid: '0.00',
        total_due: '50000.00',
      },
    });
    // the customers service never saw it: the gateway sent it to billing
    expect(await served('customers', 'unmatched', 404)).toBe(customersBefore);
  });

  test('when bandwidth types are tracked for a customer (use case 5), then its rows are grouped under every seed type', async () => {
    const s = await registerAndLogin('uc5');
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'TechCorp',
      customer_type: 'bw',
    });
    const first = await post(s, '/api/customers/entitlements/', {
      customer_master_id: customer.id,
      bill_number: 'BILL20241001',
    });
    const second = await post(s, '/api/customers/entitlements/', {
      customer_master_id: customer.id,
      bill_number: 'BILL20241002',
    });
    await post(s, `/api/customers/entitlements/${first.id}/details/`, {
      bandwidth_details: BANDWIDTH_ROWS,
    });
    await post(s, `/api/customers/entitlements/${second.id}/details/`, {
      bandwidth_details: [
        { bandwidth_type: 'ipt', mbps: 100, unit_price: '19.50', start_date: '2025-02-01' },
        { bandwidth_type: 'baishan', mbps: 1, unit_price: 99, start_date: '2025-02-01' },
      ],
    });
    const grouped = await get(
      s,
      `/api/customers/entitlement-details/bandwidth_types/?customer_id=${customer.id}`,
    );
    expect(Object.keys(grouped)).toEqual(['ipt', 'gcc', 'cdn', 'nix', 'baishan', 'other']);
    const brief = (rows: { mbps: number; unit_price: string; cust_entitlement_id: string }[]) =>
      rows.map((r) => [r.mbps, r.unit_price, r.cust_entitlement_id]);
    expect({
      ipt: brief(grouped.ipt),
      gcc: brief(grouped.gcc),
      cdn: brief(grouped.cdn),
      nix: brief(grouped.nix),
      baishan: brief(grouped.baishan),
      other: brief(grouped.other),
    }).toEqual({
      ipt: [
        [10, '20.00', first.id],
        [100, '19.50', second.id],
      ],
      gcc: [[10, '30.00', first.id]],
      cdn: [[5, '15.00', first.id]],
      nix: [],
      baishan: [[1, '99.00', second.id]],
      other: [],
    });
    // the open-ended February rows are in force today: one active entitlement
    expect(await get(s, `/api/customers/customers/${customer.id}/`)).toMatchObject({
      active_entitlements_count: 1,
    });

    const january = await get(
      s,
      `/api/customers/entitlement-details/history/?customer_id=${customer.id}&start_date=2025-01-01&end_date=2025-01-31`,
    );
    expect([january.count, january.start_date, january.end_date]).toEqual([
      3,
      '2025-01-01',
      '2025-01-31',
    ]);
    const march = await get(
      s,
      `/api/customers/entitlement-details/history/?customer_id=${customer.id}&start_date=2025-03-01&end_date=2025-03-31`,
    );
    expect(march.results.map((r: { bandwidth_type: string }) => r.bandwidth_type)).toEqual([
      'ipt',
      'baishan',
    ]);
    const missing = await api
      .get('/api/customers/entitlement-details/bandwidth_types/')
      .set(auth(s));
    expect([missing.status, missing.body.details]).toEqual([
      422,
      [{ field: 'customer_id', message: 'is required' }],
    ]);
  });
});

describe('bulk entitlement details are all or nothing', () => {
  test('when one row of three is invalid, then 422 names that row and no row is written', async () => {
    const s = await registerAndLogin('bulk');
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'Bulk Co',
      customer_type: 'bw',
    });
    const entitlement = await post(s, '/api/customers/entitlements/', {
      customer_master_id: customer.id,
    });
    const path = `/api/customers/entitlements/${entitlement.id}/details/`;
    const schemaError = await api
      .post(path)
      .set(auth(s))
      .send({
        bandwidth_details: [
          BANDWIDTH_ROWS[0],
          BANDWIDTH_ROWS[1],
          { ...BANDWIDTH_ROWS[2], mbps: -5 },
        ],
      });
    expect([schemaError.status, schemaError.body.type]).toEqual([422, 'validation_error']);
    expect(schemaError.body.details).toEqual([
      expect.objectContaining({ field: 'bandwidth_details.2.mbps' }),
    ]);

    const ruleError = await api
      .post(path)
      .set(auth(s))
      .send({
        bandwidth_details: [
          BANDWIDTH_ROWS[0],
          { ...BANDWIDTH_ROWS[1], end_date: '2024-12-31' },
          { ...BANDWIDTH_ROWS[2], unit_price: '15.001' },
        ],
      });
    expect([ruleError.status, ruleError.body.details]).toEqual([
      422,
      [
        { field: 'bandwidth_details.1.end_date', message: 'must be on or after start_date' },
        { field: 'bandwidth_details.2.unit_price', message: 'USD allows at most 2 decimal places' },
      ],
    ]);

    const wrongKind = await api
      .post(path)
      .set(auth(s))
      .send({
        channel_partner_details: [
          { mbps: 1, unit_price: 1, custom_mac_percentage_share: 101, start_date: '2025-01-01' },
        ],
      });
    expect([wrongKind.status, wrongKind.body.details]).toEqual([
      422,
      [
        {
          field: 'channel_partner_details',
          message: 'this is a bw customer: send its rows as bandwidth_details',
        },
      ],
    ]);

    expect((await get(s, path)).count).toBe(0);
    expect(await get(s, `/api/customers/entitlements/${entitlement.id}/`)).toMatchObject({
      details_count: 0,
      details: [],
    });
    const all = await get(s, `/api/customers/entitlement-details/?customer_id=${customer.id}`);
    expect(all.count).toBe(0);
  });
});

describe('customers', () => {
  test('when two tenants use the same customer_number, then both succeed; twice in one tenant is 409', async () => {
    const a = await registerAndLogin('numa');
    const b = await registerAndLogin('numb');
    const body = SEED_CUSTOMER;
    const first = await post(a, '/api/customers/customers/', body);
    expect(first).toMatchObject({ ...body, kam_id: null, kam_name: null });
    await post(b, '/api/customers/customers/', body);
    const again = await api.post('/api/customers/customers/').set(auth(a)).send(body);
    expect([again.status, again.body.type, again.body.details]).toEqual([
      409,
      'conflict',
      [{ field: 'customer_number', message: 'is already used by another customer' }],
    ]);
    // renaming another customer onto a taken number is refused the same way
    const other = await post(a, '/api/customers/customers/', {
      ...body,
      customer_number: 'CUST1002',
    });
    const clash = await api
      .patch(`/api/customers/customers/${other.id}/`)
      .set(auth(a))
      .send({ customer_number: 'CUST1001' });
    expect([clash.status, clash.body.type, clash.body.reason]).toEqual([
      409,
      'conflict',
      'duplicate',
    ]);
  });

  test('when email or phone is not valid, then 422 names each field', async () => {
    const s = await registerAndLogin('valid');
    const res = await api
      .post('/api/customers/customers/')
      .set(auth(s))
      .send({ customer_name: 'X', customer_type: 'bw', email: 'nope', phone: '01711111111' });
    expect(res.status).toBe(422);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'phone',
    ]);
  });

  test('when customers are filtered, searched, ordered and paged, then the list envelope says so', async () => {
    const s = await registerAndLogin('list');
    const kam = await post(s, '/api/customers/kam/', {
      kam_name: 'Ahmed Rahman',
      phone: '+8801712345678',
      email: 'ahmed.rahman@isp.com',
      address: 'Dhaka, Bangladesh',
    });
    const create = (customer_name: string, extra: object) =>
      post(s, '/api/customers/customers/', { customer_name, customer_type: 'bw', ...extra });
    await create('Charlie Net', { kam_id: kam.id, status: 'suspended' });
    await create('alpha Fiber', { kam_id: kam.id, customer_type: 'soho' });
    await create('Bravo Link', { customer_number: 'ZX-9', phone: '+8801799999999' });

    const byName = await get(s, '/api/customers/customers/?ordering=customer_name');
    expect(byName.results.map((c: { customer_name: string }) => c.customer_name)).toEqual([
      'Bravo Link',
      'Charlie Net',
      'alpha Fiber',
    ]);
    expect([byName.count, byName.page, byName.per_page]).toEqual([3, 1, 25]);
    const paged = await get(s, '/api/customers/customers/?o=-created_at&per_page=2&page=2');
    expect(paged.results.map((c: { customer_name: string }) => c.customer_name)).toEqual([
      'Charlie Net',
    ]);
    const ofKam = await get(s, `/api/customers/customers/?kam_id=${kam.id}&customer_type=bw`);
    expect(ofKam.results).toEqual([
      expect.objectContaining({ customer_name: 'Charlie Net', kam_name: 'Ahmed Rahman' }),
    ]);
    expect(
      (await get(s, '/api/customers/customers/?status=suspended')).results.map(
        (c: { customer_name: string }) => c.customer_name,
      ),
    ).toEqual(['Charlie Net']);
    for (const search of ['zx-9', '7999999', 'ALPHA']) {
      expect((await get(s, `/api/customers/customers/?search=${search}`)).count).toBe(1);
    }
    const bad = await api.get('/api/customers/customers/?customer_type=enterprise').set(auth(s));
    expect([bad.status, bad.body.details]).toEqual([
      422,
      [{ field: 'customer_type', message: 'must be one of bw, channel_partner, soho' }],
    ]);

    const kams = await get(s, '/api/customers/kam/?search=rahman');
    expect(kams.results).toEqual([
      expect.objectContaining({
        id: kam.id,
        kam_name: 'Ahmed Rahman',
        phone: '+8801712345678',
        email: 'ahmed.rahman@isp.com',
        address: 'Dhaka, Bangladesh',
        is_active: true,
        assigned_customers_count: 2,
      }),
    ]);
    const busy = await api.delete(`/api/customers/kam/${kam.id}/`).set(auth(s));
    expect([busy.status, busy.body.type, busy.body.reason]).toEqual([409, 'conflict', 'in_use']);
  });

  test('when PUT replaces a customer, then fields not sent return to their defaults', async () => {
    const s = await registerAndLogin('put');
    const c = await post(s, '/api/customers/customers/', {
      customer_name: 'Old',
      customer_type: 'bw',
      contact_person: 'Jane',
      remarks: 'keep?',
    });
    const put = await api
      .put(`/api/customers/customers/${c.id}/`)
      .set(auth(s))
      .send({ customer_name: 'New', customer_type: 'soho' });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({
      customer_name: 'New',
      customer_type: 'soho',
      contact_person: null,
      remarks: null,
      currency: 'USD',
    });
    const patch = await api
      .patch(`/api/customers/customers/${c.id}`)
      .set(auth(s))
      .send({ remarks: 'patched' });
    expect(patch.body.data).toMatchObject({ customer_name: 'New', remarks: 'patched' });
  });
});

describe('entitlements', () => {
  test("when entitlements are filtered by customer and activation date and searched by bill number or customer name, then seed 002's filters apply", async () => {
    const s = await registerAndLogin('ents');
    const alpha = await post(s, '/api/customers/customers/', {
      customer_name: 'Alpha Corp',
      customer_type: 'bw',
      currency: 'BDT',
    });
    const beta = await post(s, '/api/customers/customers/', {
      customer_name: 'Beta Ltd',
      customer_type: 'bw',
    });
    const seedBody = {
      customer_master_id: alpha.id,
      bill_number: 'BILL20241001',
      activation_date: '2025-01-01',
      nttn_company: 'NTTN Company',
      nttn_capacity: '100 Mbps',
      total_bill: '50000.00',
      type_of_bw: 'Fiber',
      type_of_connection: 'Dedicated',
      connected_pop: 'POP-Dhaka',
      remarks: 'Monthly billing',
    };
    const first = await post(s, '/api/customers/entitlements/', seedBody);
    expect(first).toMatchObject({ ...seedBody, customer_name: 'Alpha Corp', currency: 'BDT' });
    const second = await post(s, '/api/customers/entitlements/', {
      customer_master_id: beta.id,
      bill_number: 'BILL-B-7',
      activation_date: '2025-02-01',
    });
    const ids = async (query: string) =>
      (await get(s, `/api/customers/entitlements/?${query}`)).results.map(
        (e: { id: string }) => e.id,
      );
    expect(await ids(`customer_master_id=${alpha.id}`)).toEqual([first.id]);
    expect(await ids('activation_date=2025-02-01')).toEqual([second.id]);
    expect(await ids('search=bill-b')).toEqual([second.id]);
    expect(await ids('search=alpha')).toEqual([first.id]);
    expect(await ids('start_date=2025-01-15&end_date=2025-03-01')).toEqual([second.id]);
    expect(await ids('ordering=activation_date')).toEqual([first.id, second.id]);

    const patched = await api
      .patch(`/api/customers/entitlements/${first.id}/`)
      .set(auth(s))
      .send({ total_bill: 60000, remarks: null });
    expect([patched.status, patched.body.data?.total_bill, patched.body.data?.remarks]).toEqual([
      200,
      '60000.00',
      null,
    ]);
    const tooPrecise = await api
      .patch(`/api/customers/entitlements/${first.id}/`)
      .set(auth(s))
      .send({ total_bill: '1.234' });
    expect([tooPrecise.status, tooPrecise.body.details]).toEqual([
      422,
      [{ field: 'total_bill', message: 'BDT allows at most 2 decimal places' }],
    ]);
    expect(
      (await api.delete(`/api/customers/entitlements/${second.id}/`).set(auth(s))).status,
    ).toBe(200);
    expect(await ids('')).toEqual([first.id]);
  });
});

describe('searching entitlement details', () => {
  test('when search=<text> (or q with q_f), then only the matching entitlement details are listed, on every details list', async () => {
    const s = await registerAndLogin('detsearch');
    const nimbus = await post(s, '/api/customers/customers/', {
      customer_name: 'Nimbus Networks',
      customer_type: 'bw',
    });
    const cirrus = await post(s, '/api/customers/customers/', {
      customer_name: 'Cirrus Ltd',
      customer_type: 'bw',
    });
    const first = await post(s, '/api/customers/entitlements/', {
      customer_master_id: nimbus.id,
      bill_number: 'BILL-NIM-1',
    });
    const second = await post(s, '/api/customers/entitlements/', {
      customer_master_id: cirrus.id,
      bill_number: 'BILL-CIR-2',
    });
    const [ipt, gcc, cdn] = (
      await post(s, `/api/customers/entitlements/${first.id}/details/`, {
        entitlement_master_id: first.id,
        bandwidth_details: BANDWIDTH_ROWS.map((row, i) => ({ ...row, remarks: `Uplink ${i}` })),
      })
    ).results.map((r: { id: string }) => r.id);
    const [other] = (
      await post(s, `/api/customers/entitlements/${second.id}/details/`, {
        entitlement_master_id: second.id,
        bandwidth_details: [{ ...BANDWIDTH_ROWS[0], remarks: 'Backup link' }],
      })
    ).results.map((r: { id: string }) => r.id);
    const ids = async (path: string) =>
      (await get(s, path)).results.map((r: { id: string }) => r.id).sort();
    const sorted = (...list: string[]) => [...list].sort();

    const all = '/api/customers/entitlement-details/';
    expect(await ids(`${all}?search=GCC`)).toEqual([gcc]);
    expect(await ids(`${all}?search=ipt`)).toEqual(sorted(ipt, other));
    expect(await ids(`${all}?search=bill-nim`)).toEqual(sorted(ipt, gcc, cdn));
    expect(await ids(`${all}?search=cirrus`)).toEqual([other]);
    expect(await ids(`${all}?q=uplink%202&q_f=remarks`)).toEqual([cdn]);
    expect(await ids(`${all}?q=ipt&q_f=remarks`)).toEqual([]);
    expect(await ids(`${all}?search=no-such-row`)).toEqual([]);
    expect(await ids(`/api/customers/entitlements/${first.id}/details/?search=cdn`)).toEqual([cdn]);
    expect(await ids(`/api/customers/entitlements/${second.id}/details/?search=cdn`)).toEqual([]);
    const history = await get(
      s,
      '/api/customers/entitlement-details/history/?start_date=2025-01-01&end_date=2025-01-31&search=link',
    );
    expect([history.count, history.results.map((r: { id: string }) => r.id).sort()]).toEqual([
      4,
      sorted(ipt, gcc, cdn, other),
    ]);
    expect(
      await ids('/api/customers/entitlement-details/history/?start_date=2025-01-01&q=backup'),
    ).toEqual([other]);

    // entitlements: q_f chooses between the bill number and the customer's name
    const entitlements = '/api/customers/entitlements/';
    expect(await ids(`${entitlements}?q=cirrus&q_f=customer_name`)).toEqual([second.id]);
    expect(await ids(`${entitlements}?q=cirrus&q_f=bill_number`)).toEqual([]);
    expect(await ids(`/api/customers/customers/${nimbus.id}/entitlements/?search=cir`)).toEqual([]);
  });
});

describe("searching a customer's bills", () => {
  test("when search=<text> (or q with q_f), then only the customer's matching invoices are listed and totalled", async () => {
    const s = await registerAndLogin('billsearch');
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'Searchable Bills Ltd',
      customer_type: 'bw',
    });
    const issue = (issue_date: string, remarks: string, subTotal: string) =>
      post(s, '/api/bills/invoices/', {
        customer_id: customer.id,
        issue_date,
        status: 'unpaid',
        currency: 'USD',
        remarks,
        details: [{ sub_total: subTotal }],
      });
    const january = await issue('2025-01-15', 'January fiber', '100.00');
    const february = await issue('2025-02-15', 'February fiber', '250.00');
    const base = `/api/customers/customers/${customer.id}`;
    const ids = async (path: string) =>
      (await get(s, path)).results.map((r: { id: string }) => r.id);

    expect(await ids(`${base}/invoices/?search=JANUARY`)).toEqual([january.id]);
    expect(await ids(`${base}/invoices/?search=fiber`)).toEqual([february.id, january.id]);
    expect(await ids(`${base}/invoices/?search=${february.invoice_number}`)).toEqual([february.id]);
    const history = await get(s, `${base}/bill_history/?q=february&q_f=remarks`);
    expect(history).toMatchObject({
      count: 1,
      results: [{ id: february.id }],
      totals: { currency: 'USD', total_billed: '250.00', count: 1 },
    });
    expect(await ids(`${base}/bill_history/?q=february&q_f=invoice_number`)).toEqual([]);
    // nothing matches: still a 200 once billing knows the customer (from its events)
    const none = await eventually(
      () => api.get(`${base}/bill_history/?start_date=2025-02-01&search=january`).set(auth(s)),
      (r) => r.status === 200,
    );
    expect([none.body.data.count, none.body.data.results]).toEqual([0, []]);
  });
});

describe('customer totals follow billing', () => {
  test('when an invoice is issued and a payment recorded, then the customer totals reflect both within seconds; deleting is refused while money is due', async () => {
    const s = await registerAndLogin('totals');
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'Payer Ltd',
      customer_type: 'bw',
      currency: 'BDT',
    });
    const invoice = await post(s, '/api/bills/invoices/', {
      customer_id: customer.id,
      status: 'unpaid',
      currency: 'BDT',
      issue_date: '2025-01-15',
      details: [{ sub_total: 10000.0, vat_rate: 15.0, sub_discount_rate: 5.0 }],
    });
    expect(invoice.total_bill_amount).toBe('11000.00');

    const read = () => get(s, `/api/customers/customers/${customer.id}/`);
    const billed = await eventually(read, (c) => c.total_billed !== '0.00', 15_000);
    expect(billed).toMatchObject({
      total_billed: '11000.00',
      total_paid: '0.00',
      total_due: '11000.00',
      last_bill_invoice_date: '2025-01-15',
      other_currency_totals: [],
    });

    const refused = await api.delete(`/api/customers/customers/${customer.id}/`).set(auth(s));
    expect([refused.status, refused.body.type, refused.body.error]).toEqual([
      409,
      'conflict',
      'The customer still owes 11000.00 BDT; a customer with a balance due cannot be deleted',
    ]);

    await post(s, '/api/payments/payments/', {
      invoice_master_id: invoice.id,
      payment_method: 'Bank Transfer',
      amount: '4000.50',
    });
    const partly = await eventually(read, (c) => c.total_paid !== '0.00', 15_000);
    expect(partly).toMatchObject({
      total_billed: '11000.00',
      total_paid: '4000.50',
      total_due: '6999.50',
    });
    const listed = await get(s, '/api/customers/customers/?ordering=-last_bill_invoice_date');
    expect(listed.results[0]).toMatchObject({ id: customer.id, total_due: '6999.50' });

    await post(s, '/api/payments/payments/', {
      invoice_master_id: invoice.id,
      payment_method: 'bKash',
      amount: '6999.50',
    });
    await eventually(read, (c) => c.total_due === '0.00', 15_000);
    const gone = await api.delete(`/api/customers/customers/${customer.id}/`).set(auth(s));
    expect(gone.status).toBe(200);
    expect((await api.get(`/api/customers/customers/${customer.id}/`).set(auth(s))).status).toBe(
      404,
    );
  });
});

describe('access', () => {
  test('when a viewer reads and writes, then reads succeed and writes are 403', async () => {
    const owner = await registerAndLogin('cusowner');
    const customer = await post(owner, '/api/customers/customers/', {
      customer_name: 'Seen',
      customer_type: 'soho',
    });
    const email = `${uniqueId('cview')}@example.com`;
    const invited = await post(owner, '/v1/account/team/', { email, role: 'viewer' });
    const accepted = await api.post('/api/auth/invitations/accept').send({
      email,
      invitation_token: invited.invitation_token,
      password: 'viewer-pass',
    });
    expect(accepted.status).toBe(200);
    const viewer = await login(api, email, 'viewer-pass');
    const v = { username: email, ...viewer };
    expect((await get(v, `/api/customers/customers/${customer.id}/`)).customer_name).toBe('Seen');
    for (const path of [
      '/api/customers/kam/',
      '/api/customers/entitlements/',
      '/api/customers/entitlement-details/',
      '/api/packages/packages/',
      '/api/packages/package-pricings/',
      '/api/utility/utility-info/',
      '/api/utility/utility-details/',
    ]) {
      await get(v, path);
    }
    const writes = await Promise.all([
      api
        .post('/api/customers/customers/')
        .set(auth(v))
        .send({ customer_name: 'N', customer_type: 'bw' }),
      api.patch(`/api/customers/customers/${customer.id}/`).set(auth(v)).send({ remarks: 'x' }),
      api.delete(`/api/customers/customers/${customer.id}/`).set(auth(v)),
      api
        .post('/api/packages/packages/')
        .set(auth(v))
        .send({ package_name: 'P', package_type: 'soho' }),
      api.post('/api/utility/utility-info/').set(auth(v)).send({ company_name: 'C' }),
    ]);
    expect(writes.map((w) => [w.status, w.body.error])).toEqual(
      writes.map(() => [403, 'This action requires the customers:update permission']),
    );
  });

  test("when another tenant's objects are named, then they are 404 (or 422 as a reference) and tenant_id in a body is ignored", async () => {
    const a = await registerAndLogin('tena');
    const b = await registerAndLogin('tenb');
    const kam = await post(a, '/api/customers/kam/', { kam_name: 'A Kam' });
    const customer = await post(a, '/api/customers/customers/', {
      customer_name: 'Private',
      customer_type: 'bw',
      tenant_id: b.tenantId,
    });
    expect((await get(a, `/api/customers/customers/${customer.id}/`)).customer_name).toBe(
      'Private',
    );
    const entitlement = await post(a, '/api/customers/entitlements/', {
      customer_master_id: customer.id,
    });
    const pkg = await post(a, '/api/packages/packages/', {
      package_name: 'Home',
      package_type: 'soho',
    });
    for (const path of [
      `/api/customers/customers/${customer.id}/`,
      `/api/customers/customers/${customer.id}/entitlements/`,
      `/api/customers/kam/${kam.id}/`,
      `/api/customers/entitlements/${entitlement.id}/`,
      `/api/customers/entitlements/${entitlement.id}/details/`,
      `/api/packages/packages/${pkg.id}/`,
    ]) {
      const res = await api.get(path).set(auth(b));
      expect([path, res.status, res.body.type]).toEqual([path, 404, 'not_found']);
    }
    const patch = await api
      .patch(`/api/customers/customers/${customer.id}/`)
      .set(auth(b))
      .send({ customer_name: 'Hijacked' });
    const del = await api.delete(`/api/customers/customers/${customer.id}/`).set(auth(b));
    expect([patch.status, del.status]).toEqual([404, 404]);
    const borrowed = await api
      .post('/api/customers/customers/')
      .set(auth(b))
      .send({ customer_name: 'B', customer_type: 'bw', kam_id: kam.id });
    expect([borrowed.status, borrowed.body.details]).toEqual([
      422,
      [{ field: 'kam_id', message: 'no such KAM in this account' }],
    ]);
    const ent = await api
      .post('/api/customers/entitlements/')
      .set(auth(b))
      .send({ customer_master_id: customer.id });
    expect([ent.status, ent.body.details]).toEqual([
      422,
      [{ field: 'customer_master_id', message: 'no such customer in this account' }],
    ]);
    expect((await get(b, '/api/customers/customers/')).count).toBe(0);
    expect((await get(b, `/api/customers/customers/?tenant_id=${a.tenantId}`)).count).toBe(0);
    expect((await get(a, `/api/customers/customers/${customer.id}/`)).customer_name).toBe(
      'Private',
    );
  });
});

describe('packages and pricings', () => {
  test('when pricings are added, then overlapping active windows are 409 and active_pricing is the one valid today', async () => {
    const s = await registerAndLogin('pkg');
    const pkg = await post(s, '/api/packages/packages/', {
      package_name: 'Home Standard',
      package_type: 'soho',
      mbps: 20,
      currency: 'BDT',
    });
    expect(pkg).toMatchObject({ active_pricing: null, pricings: [], pricings_count: 0 });
    const past = await post(s, '/api/packages/package-pricings/', {
      package_master_id: pkg.id,
      rate: 2500.0,
      description: 'Monthly rate for Home Standard',
      is_active: true,
      val_start_at: '2025-01-01',
      val_end_at: '2025-12-31',
    });
    expect(past).toMatchObject({ rate: '2500.00', currency: 'BDT', val_end_at: '2025-12-31' });
    const current = await post(s, '/api/packages/package-pricings/', {
      package_master_id: pkg.id,
      rate: '2750.50',
      val_start_at: '2026-01-01',
    });
    const overlap = await api.post('/api/packages/package-pricings/').set(auth(s)).send({
      package_master_id: pkg.id,
      rate: 1,
      val_start_at: '2025-12-31',
      val_end_at: '2025-12-31',
    });
    expect([
      overlap.status,
      overlap.body.type,
      overlap.body.details?.[0]?.conflicting_pricing_id,
    ]).toEqual([409, 'conflict', past.id]);
    // an inactive pricing may overlap: it prices nothing
    await post(s, '/api/packages/package-pricings/', {
      package_master_id: pkg.id,
      rate: 1,
      is_active: false,
      val_start_at: '2025-06-01',
    });
    const tooPrecise = await api
      .post('/api/packages/package-pricings/')
      .set(auth(s))
      .send({ package_master_id: pkg.id, rate: '1.001', val_start_at: '2030-01-01' });
    expect([tooPrecise.status, tooPrecise.body.details]).toEqual([
      422,
      [{ field: 'rate', message: 'BDT allows at most 2 decimal places' }],
    ]);

    const read = await get(s, `/api/packages/packages/${pkg.id}/`);
    expect(read.pricings_count).toBe(3);
    expect(read.active_pricing).toMatchObject({ id: current.id, rate: '2750.50' });
    expect((await get(s, `/api/packages/packages/${pkg.id}/pricings/`)).count).toBe(3);
    const listed = await get(
      s,
      '/api/packages/packages/?package_type=soho&is_active=true&search=home',
    );
    expect(listed.results).toEqual([expect.objectContaining({ id: pkg.id, pricings_count: 3 })]);
    expect((await get(s, '/api/packages/packages/?package_type=bw')).count).toBe(0);

    // moving the current window back onto 2025 overlaps too
    const moved = await api
      .patch(`/api/packages/package-pricings/${current.id}/`)
      .set(auth(s))
      .send({ val_start_at: '2025-11-01' });
    expect(moved.status).toBe(409);

    // a soho customer priced by the package takes the pricing valid on its start date
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'Home User',
      customer_type: 'soho',
      currency: 'BDT',
    });
    const ent = await post(s, '/api/customers/entitlements/', { customer_master_id: customer.id });
    const soho = await post(s, `/api/customers/entitlements/${ent.id}/details/`, {
      soho_details: [{ package_master_id: pkg.id, start_date: '2025-03-01' }],
    });
    expect(soho.results[0]).toMatchObject({
      type: 'soho',
      package_master_id: pkg.id,
      package_pricing_id: past.id,
      unit_price: '2500.00',
      mbps: 20,
    });
    const inUse = await api.delete(`/api/packages/packages/${pkg.id}/`).set(auth(s));
    expect(inUse.status).toBe(409);
  });
});

describe('utility information', () => {
  test('when an info master has payment details, then its detail shows details, active_details and vat_rate', async () => {
    const s = await registerAndLogin('util');
    const info = await post(s, '/api/utility/utility-info/', {
      company_name: 'ISP Networks Ltd',
      address: 'Gulshan, Dhaka',
      phone: '+8801700000000',
      email: 'billing@isp.example',
      vat_rate: 15,
    });
    const bank = await post(s, '/api/utility/utility-details/', {
      utility_master_id: info.id,
      type: 'bank',
      name: 'City Bank',
      number: '1234567890',
      account_name: 'ISP Networks Ltd',
      branch: 'Gulshan',
    });
    await post(s, '/api/utility/utility-details/', {
      utility_master_id: info.id,
      type: 'bkash',
      name: 'bKash Merchant',
      number: '01711000000',
      is_active: false,
    });
    const nagad = await post(s, '/api/utility/utility-details/', {
      utility_master_id: info.id,
      type: 'nagad',
      name: 'Nagad',
      number: '01811000000',
    });
    const detail = await get(s, `/api/utility/utility-info/${info.id}/`);
    expect(detail.vat_rate).toBe('15.00');
    expect(detail.details.map((d: { type: string }) => d.type)).toEqual(['bank', 'bkash', 'nagad']);
    expect(detail.active_details.map((d: { id: string }) => d.id)).toEqual([bank.id, nagad.id]);

    expect((await get(s, `/api/utility/utility-details/?utility_master_id=${info.id}`)).count).toBe(
      3,
    );
    expect((await get(s, '/api/utility/utility-details/?type=bkash')).results).toEqual([
      expect.objectContaining({ name: 'bKash Merchant', is_active: false }),
    ]);
    expect((await get(s, '/api/utility/utility-details/?is_active=true&search=city')).count).toBe(
      1,
    );
    expect((await get(s, '/api/utility/utility-details/?search=0181')).count).toBe(1);

    const changed = await api
      .patch(`/api/utility/utility-info/${info.id}/`)
      .set(auth(s))
      .send({ vat_rate: '7.5' });
    expect(changed.body.data.vat_rate).toBe('7.50');
    const badRate = await api
      .patch(`/api/utility/utility-info/${info.id}/`)
      .set(auth(s))
      .send({ vat_rate: 150 });
    expect([badRate.status, badRate.body.details]).toEqual([
      422,
      [{ field: 'vat_rate', message: 'must not exceed 100' }],
    ]);
  });
});

describe('events', () => {
  let consumer: Consumer;
  const seen: EventEnvelope[] = [];

  beforeAll(async () => {
    const kafka = new Kafka({
      clientId: 'e2e-cus',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    consumer = kafka.consumer({ groupId: uniqueId('e2e-cus-reader'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({
      topic: topicName('customers', platform.topicPrefix),
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope);
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
  });

  const eventsOf = (tenantId: string, type: string) =>
    eventually(
      async () => seen.filter((e) => e.tenant_id === tenantId && e.type === type),
      (list) => list.length > 0,
      20_000,
    );

  test('when detail rows are created, changed and deleted one by one, then each change is published with what billing needs', async () => {
    const s = await registerAndLogin('events');
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'Evented',
      customer_type: 'channel_partner',
      currency: 'KWD',
    });
    const ent = await post(s, '/api/customers/entitlements/', {
      customer_master_id: customer.id,
      bill_number: 'BILL-EV-1',
      total_bill: '12.345',
    });
    expect(ent.total_bill).toBe('12.345');
    const row = await post(s, '/api/customers/entitlement-details/', {
      cust_entitlement_id: ent.id,
      mbps: 50,
      unit_price: '1.250',
      custom_mac_percentage_share: '12.5',
      start_date: '2025-05-01',
    });
    expect(row).toMatchObject({
      type: 'channel_partner',
      unit_price: '1.250',
      currency: 'KWD',
      custom_mac_percentage_share: '12.50',
      end_date: null,
      is_active: true,
      status: 'active',
    });
    const patched = await api
      .patch(`/api/customers/entitlement-details/${row.id}/`)
      .set(auth(s))
      .send({ mbps: 60, status: 'suspended' });
    expect([patched.status, patched.body.data?.mbps, patched.body.data?.unit_price]).toEqual([
      200,
      60,
      '1.250',
    ]);
    const wrongField = await api
      .patch(`/api/customers/entitlement-details/${row.id}/`)
      .set(auth(s))
      .send({ bandwidth_type: 'ipt' });
    expect([wrongField.status, wrongField.body.details]).toEqual([
      422,
      [{ field: 'bandwidth_type', message: 'is not used by channel_partner entitlements' }],
    ]);
    expect(
      (await api.delete(`/api/customers/entitlement-details/${row.id}/`).set(auth(s))).status,
    ).toBe(200);
    expect(
      (await api.get(`/api/customers/entitlement-details/${row.id}/`).set(auth(s))).status,
    ).toBe(404);

    const [created] = await eventsOf(s.tenantId, 'EntitlementDetailCreated');
    expect(created?.data).toEqual({
      detail_id: row.id,
      entitlement_id: ent.id,
      customer_id: customer.id,
      bill_number: 'BILL-EV-1',
      type: 'channel_partner',
      bandwidth_type: null,
      mbps: 50,
      unit_price_minor: 1250,
      currency: 'KWD',
      custom_mac_percentage_share: 1250,
      package_master_id: null,
      package_pricing_id: null,
      start_date: '2025-05-01',
      end_date: null,
      is_active: true,
      status: 'active',
      revision: 1,
    });
    const [updated] = await eventsOf(s.tenantId, 'EntitlementDetailUpdated');
    expect(updated?.data).toMatchObject({
      detail_id: row.id,
      mbps: 60,
      status: 'suspended',
      revision: 2,
    });
    const [deleted] = await eventsOf(s.tenantId, 'EntitlementDetailDeleted');
    expect(deleted?.data).toMatchObject({ detail_id: row.id, revision: 3 });
    const [customerCreated] = await eventsOf(s.tenantId, 'CustomerCreated');
    expect(customerCreated?.data).toMatchObject({
      customer_id: customer.id,
      customer_type: 'channel_partner',
      currency: 'KWD',
      revision: 1,
    });
  });

  test('when a customer with entitlements is deleted, then its rows are announced deleted and its number is free again', async () => {
    const s = await registerAndLogin('cascade');
    const body = { customer_name: 'Leaving', customer_type: 'bw', customer_number: 'GONE-1' };
    const customer = await post(s, '/api/customers/customers/', body);
    const ent = await post(s, '/api/customers/entitlements/', { customer_master_id: customer.id });
    const bulk = await post(s, `/api/customers/entitlements/${ent.id}/details/`, {
      bandwidth_details: BANDWIDTH_ROWS.slice(0, 2),
    });
    expect((await api.delete(`/api/customers/customers/${customer.id}/`).set(auth(s))).status).toBe(
      200,
    );
    expect((await api.get(`/api/customers/entitlements/${ent.id}/`).set(auth(s))).status).toBe(404);
    const gone = await eventually(
      async () =>
        seen.filter((e) => e.tenant_id === s.tenantId && e.type === 'EntitlementDetailDeleted'),
      (list) => list.length === 2,
    );
    expect(gone.map((e) => (e.data as { detail_id: string }).detail_id).sort()).toEqual(
      bulk.results.map((r: { id: string }) => r.id).sort(),
    );
    await eventsOf(s.tenantId, 'CustomerDeleted');
    await post(s, '/api/customers/customers/', body);
  });
});

describe('the customer totals projection', () => {
  test('when invoice events arrive out of order or twice, then only the newest state counts', async () => {
    const s = await registerAndLogin('replay');
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'Replayed',
      customer_type: 'bw',
    });
    const invoiceId = `inv_${uniqueId('e2e')}`;
    const amounts = {
      invoice_id: invoiceId,
      invoice_number: 'INV-999001',
      customer_id: customer.id,
      currency: 'USD',
      total_minor: 50_000,
      issue_date: '2025-03-01',
    };
    const created = buildEvent('InvoiceCreated', {
      tenant_id: s.tenantId,
      now: new Date(Date.now() - 60_000),
      data: { ...amounts, status: 'unpaid', paid_minor: 0, balance_due_minor: 50_000 },
    });
    const paid = buildEvent('InvoiceStatusChanged', {
      tenant_id: s.tenantId,
      now: new Date(Date.now() - 30_000),
      data: {
        ...amounts,
        status: 'paid',
        previous_status: 'unpaid',
        paid_minor: 50_000,
        balance_due_minor: 0,
        payment_id: 'pay_e2e',
      },
    });
    const createdAgain = { ...created, id: randomUUID() };
    // behind them on the same key (so handled after them, in order): another invoice, whose
    // amount showing in the totals says the four before it were handled
    const sentinel = buildEvent('InvoiceCreated', {
      tenant_id: s.tenantId,
      data: {
        ...amounts,
        invoice_id: `inv_${uniqueId('e2e')}`,
        invoice_number: 'INV-999002',
        total_minor: 10_000,
        issue_date: '2025-02-01',
        status: 'unpaid',
        paid_minor: 0,
        balance_due_minor: 10_000,
      },
    });
    const kafka = new Kafka({
      clientId: 'e2e-cus-replay',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const topic = topicOf('InvoiceCreated', platform.topicPrefix);
    for (const e of [paid, created, createdAgain, paid, sentinel]) {
      await producer.send({ topic, messages: [{ key: invoiceId, value: JSON.stringify(e) }] });
    }
    await producer.disconnect();

    await eventually(
      async () => (await get(s, `/api/customers/customers/${customer.id}/`)).total_billed,
      (billed) => billed === '600.00',
    );
    expect(await get(s, `/api/customers/customers/${customer.id}/`)).toMatchObject({
      total_billed: '600.00',
      total_paid: '500.00',
      total_due: '100.00',
      last_bill_invoice_date: '2025-03-01',
    });
  });
});

describe('concurrent writes on FerretDB', () => {
  test('when bulk requests for one entitlement and overlapping pricings for one package race, then no row is lost and only one pricing wins', async () => {
    const s = await registerAndLogin('race');
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'Racy',
      customer_type: 'bw',
    });
    const ent = await post(s, '/api/customers/entitlements/', { customer_master_id: customer.id });
    const bulks = await Promise.all(
      Array.from({ length: 6 }, () =>
        api
          .post(`/api/customers/entitlements/${ent.id}/details/`)
          .set(auth(s))
          .send({ bandwidth_details: BANDWIDTH_ROWS.slice(0, 2) }),
      ),
    );
    expect(bulks.map((r) => r.status)).toEqual(bulks.map(() => 201));
    expect((await get(s, `/api/customers/entitlements/${ent.id}/`)).details_count).toBe(12);

    const pkg = await post(s, '/api/packages/packages/', {
      package_name: 'Race Pack',
      package_type: 'soho',
    });
    const pricings = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        api
          .post('/api/packages/package-pricings/')
          .set(auth(s))
          .send({ package_master_id: pkg.id, rate: 10 + i, val_start_at: `2025-0${i + 1}-01` }),
      ),
    );
    expect(pricings.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await get(s, `/api/packages/packages/${pkg.id}/`)).pricings_count).toBe(1);
  });
});

describe('tenant deletion', () => {
  test("when the platform deletes a tenant, then none of its customers' data remains", async () => {
    const s = await registerAndLogin('doomed');
    const kam = await post(s, '/api/customers/kam/', { kam_name: 'Doomed Kam' });
    const customer = await post(s, '/api/customers/customers/', {
      customer_name: 'Doomed',
      customer_type: 'soho',
      kam_id: kam.id,
    });
    const pkg = await post(s, '/api/packages/packages/', {
      package_name: 'Doomed Home',
      package_type: 'soho',
    });
    await post(s, '/api/packages/package-pricings/', {
      package_master_id: pkg.id,
      rate: 10,
      val_start_at: '2025-01-01',
    });
    const ent = await post(s, '/api/customers/entitlements/', { customer_master_id: customer.id });
    await post(s, `/api/customers/entitlements/${ent.id}/details/`, {
      soho_details: [{ package_master_id: pkg.id, start_date: '2025-01-01' }],
    });
    const info = await post(s, '/api/utility/utility-info/', { company_name: 'Doomed Ltd' });
    await post(s, '/api/utility/utility-details/', {
      utility_master_id: info.id,
      type: 'bank',
      name: 'Bank',
      number: '1',
    });
    await post(s, '/api/bills/invoices/', {
      customer_id: customer.id,
      status: 'unpaid',
      details: [{ sub_total: '5.00' }],
    });
    await eventually(
      () => get(s, `/api/customers/customers/${customer.id}/`),
      (c) => c.total_billed === '5.00',
    );

    const admin = await api
      .post('/api/auth')
      .send({ username: 'admin', password: 'ledgerline-admin' });
    const deleted = await api
      .delete(`/api/saas/tenants/${s.tenantId}`)
      .set(bearer(admin.body.token));
    expect(deleted.status).toBe(200);
    const db = mongo.db(`${platform.dbPrefix}_customers`);
    const leftovers = async () => {
      const found: string[] = [];
      for (const { name } of await db.listCollections().toArray()) {
        for (const doc of await db.collection(name).find({}).toArray()) {
          if (JSON.stringify(doc).includes(s.tenantId)) found.push(name);
        }
      }
      return found;
    };
    expect(await eventually(leftovers, (found) => found.length === 0, 30_000, 500)).toEqual([]);
  });
});
