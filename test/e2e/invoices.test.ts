import request from 'supertest';
import { MongoClient } from 'mongodb';
import { MONGO_URL } from '../support/infra';
import type { operations } from '@ledgerline/api-client';
import { registerAndLogin, type TestSession } from '../support/accounts';
import { clientOf, expectAnswer as ok, expectRefusal } from '../support/api-client';
import { seedBandwidthCustomer } from '../support/invoice-seed';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

/**
 * Invoices through the generated SDK client (@ledgerline/api-client, issue 16): every call below is
 * typed by the OpenAPI document, so a document that stops describing these routes breaks the build
 * (tsc) before it breaks this suite.
 */
jest.setTimeout(180_000);

let platform: RunningPlatform & { dbPrefix: string; topicPrefix: string };
let api: ReturnType<typeof request>;
let mongo: MongoClient;

beforeAll(async () => {
  platform = await startTestPlatform('invoices', { basePort: 12000, gatewayPort: 13080 });
  api = request(platform.gatewayUrl);
  mongo = await MongoClient.connect(MONGO_URL);
});

afterAll(async () => {
  await mongo?.close();
  await platform?.stop();
});

const sdk = (s: TestSession) => clientOf(platform.gatewayUrl, s);

/** Seed 002's use case 1, with billing's copies of its rows and VAT awaited. */
const seedCustomer = (owner: TestSession) =>
  seedBandwidthCustomer(sdk(owner), mongo.db(`${platform.dbPrefix}_billing`), owner);

describe('seed 002 bills', () => {
  let owner: TestSession;
  let seeded: Awaited<ReturnType<typeof seedCustomer>>;

  beforeAll(async () => {
    owner = await registerAndLogin(api, 'bills');
    seeded = await seedCustomer(owner);
  });

  it('when the seed creates an invoice with auto_calculate and edits its details, then totals follow every change', async () => {
    const c = sdk(owner);
    const invoice = await ok(
      c.POST('/api/bills/invoices', {
        body: {
          customer_entitlement_master_id: seeded.january.id,
          issue_date: '2025-01-15',
          information_master_id: seeded.info.id,
          status: 'draft',
          auto_calculate: true,
        },
      }),
      201,
    );
    // 10 x 20 + 10 x 30 + 5 x 15 = 575.00, VAT 15 % from the utility information
    expect(invoice).toMatchObject({
      status: 'draft',
      customer_id: seeded.customer.id,
      bill_number: 'BILL20241001',
      period_start: '2025-01-01',
      period_end: '2025-01-31',
      sub_total: '575.00',
      vat_amount: '86.25',
      total_bill_amount: '661.25',
      total_balance_due: '661.25',
    });
    // one line per row; rows starting the same day come in no particular order
    expect(invoice.details.map((d) => d.sub_total).sort()).toEqual(['200.00', '300.00', '75.00']);

    const line = await ok(
      c.POST('/api/bills/invoice-details', {
        body: {
          invoice_master_id: invoice.id,
          entitlement_details_id: invoice.details[0]!.entitlement_details_id ?? undefined,
          sub_total: 10000.0,
          vat_rate: 15.0,
          sub_discount_rate: 5.0,
          remarks: 'Invoice detail for bandwidth service',
        },
      }),
      201,
    );
    expect(line).toMatchObject({
      sub_total: '10000.00',
      vat_amount: '1500.00',
      discount_amount: '500.00',
      line_total: '11000.00',
      invoice: { sub_total: '10575.00', vat_amount: '1586.25', total_bill_amount: '11661.25' },
    });
    const lineId = { params: { path: { id: line.id } } };
    const patched = await ok(
      c.PATCH('/api/bills/invoice-details/{id}', { ...lineId, body: { sub_total: '20000.00' } }),
    );
    // 20575.00 + 3086.25 VAT - 1000.00 discount
    expect(patched.invoice.total_bill_amount).toBe('22661.25');
    const lines = await ok(
      c.GET('/api/bills/invoice-details', {
        params: { query: { invoice_master_id: invoice.id } },
      }),
    );
    expect(lines.count).toBe(4);
    await ok(c.DELETE('/api/bills/invoice-details/{id}', lineId), 204);
    const invoiceId = { params: { path: { id: invoice.id } } };
    expect((await ok(c.GET('/api/bills/invoices/{id}', invoiceId))).total_bill_amount).toBe(
      '661.25',
    );

    const renamed = await ok(
      c.PATCH('/api/bills/invoices/{id}', {
        ...invoiceId,
        body: { remarks: 'January bandwidth', due_date: '2025-02-15' },
      }),
    );
    expect(renamed).toMatchObject({ remarks: 'January bandwidth', total_bill_amount: '661.25' });
    const issued = await ok(
      c.PATCH('/api/bills/invoices/{id}', { ...invoiceId, body: { status: 'unpaid' } }),
    );
    expect(issued).toMatchObject({ status: 'unpaid', invoice_number: 'INV-000001' });

    // issued invoices are immutable except through payments, credit notes or void
    const firstLine = { params: { path: { id: invoice.details[0]!.id } } };
    for (const attempt of [
      c.PATCH('/api/bills/invoices/{id}', { ...invoiceId, body: { remarks: 'changed' } }),
      c.PUT('/api/bills/invoices/{id}', { ...invoiceId, body: { remarks: 'changed' } }),
      c.DELETE('/api/bills/invoices/{id}', invoiceId),
      c.POST('/api/bills/invoice-details', {
        body: { invoice_master_id: invoice.id, sub_total: 1 },
      }),
      c.DELETE('/api/bills/invoice-details/{id}', firstLine),
    ]) {
      const refused = await expectRefusal(attempt, 409);
      expect(refused.error).toMatch(/payments, credit notes or void|void it instead/);
    }
  });

  it('when auto_generate is called as the seed writes it for a month auto_calculate already billed, then it answers that invoice and bills nothing', async () => {
    const c = sdk(owner);
    const first = await ok(
      c.POST('/api/bills/invoices/auto_generate', {
        body: { entitlement_id: seeded.january.id },
      }),
      201,
    );
    // the first test's auto_calculate invoice covers January 2025, the only month due
    expect(first).toMatchObject({
      invoice_number: 'INV-000001',
      period_start: '2025-01-01',
      invoices: [{ invoice_number: 'INV-000001', created: false }],
    });
    const mine = await ok(
      c.GET('/api/bills/invoices', {
        params: { query: { customer_entitlement_master_id: seeded.january.id } },
      }),
    );
    expect(mine.count).toBe(1);
  });

  it("when auto_generate is called twice for this month's period, then one invoice exists for the entitlement and month", async () => {
    const c = sdk(owner);
    const now = new Date();
    const month = (day: Date) => day.toISOString().slice(0, 10);
    const period = {
      period_start: month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))),
      period_end: month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0))),
    };
    const body = { entitlement_id: seeded.ongoing.id, ...period };
    const first = await ok(c.POST('/api/bills/invoices/auto_generate', { body }), 201);
    const again = await ok(c.POST('/api/bills/invoices/auto_generate', { body }), 201);
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({
      status: 'draft',
      bill_number: 'BILL-ONGOING-7',
      sub_total: '100.00', // 4 Mbps x 25.00 for the whole current month
      vat_amount: '15.00',
      total_bill_amount: '115.00',
      invoices: [{ id: first.id, created: true }],
    });
    const mine = await ok(
      c.GET('/api/bills/invoices', {
        params: { query: { customer_entitlement_master_id: seeded.ongoing.id } },
      }),
    );
    expect(mine.count).toBe(1);

    // a draft can be deleted; it is gone
    const firstId = { params: { path: { id: first.id } } };
    await ok(c.DELETE('/api/bills/invoices/{id}', firstId), 204);
    await ok(c.GET('/api/bills/invoices/{id}', firstId), 404);
  });

  it('when invoices are listed with the seed filters and history is asked, then each filter and the totals hold', async () => {
    const c = sdk(owner);
    const january = await ok(
      c.POST('/api/bills/invoices/auto_generate', {
        body: {
          entitlement_id: seeded.january.id,
          period_start: '2025-01-01',
          period_end: '2025-01-31',
          issue: true,
          issue_date: '2025-01-31',
        },
      }),
      201,
    );
    expect(january).toMatchObject({ status: 'unpaid', invoice_number: 'INV-000002' });

    const list = (query: operations['invoices.list']['parameters']['query']) =>
      ok(c.GET('/api/bills/invoices', { params: { query } }));
    const bySearch = await list({ search: 'BILL2024' });
    expect(bySearch.count).toBe(2);
    const byNumber = await list({ search: 'INV-000002' });
    expect(byNumber.results.map((i) => i.id)).toEqual([january.id]);
    const unpaid = await list({ status: 'unpaid', customer_id: seeded.customer.id });
    expect(unpaid.count).toBe(2);
    const mid = await list({ start_date: '2025-01-10', end_date: '2025-01-20' });
    expect(mid.results.map((i) => i.issue_date)).toEqual(['2025-01-15']);

    const history = await ok(
      c.GET('/api/bills/invoices/history', {
        params: {
          query: {
            customer_id: seeded.customer.id,
            start_date: '2025-01-01',
            end_date: '2025-01-31',
            period: 'monthly',
          },
        },
      }),
    );
    expect(history).toMatchObject({
      count: 2,
      totals: {
        currency: 'USD',
        total_billed: '1322.50',
        total_paid: '0.00',
        total_due: '1322.50',
      },
      other_currency_totals: [],
    });
    expect(history.invoices).toHaveLength(2);
  });
});

describe('what an invoice names', () => {
  test("when an invoice names another tenant's customer or an entitlement or utility information that does not exist, then it is refused with 422 naming each field and nothing is stored", async () => {
    const owner = await registerAndLogin(api, 'refs');
    const other = await registerAndLogin(api, 'refs-other');
    const c = sdk(owner);
    const theirs = await ok(
      sdk(other).POST('/api/customers/customers', {
        body: { customer_name: 'Theirs', customer_type: 'bw' },
      }),
      201,
    );
    const refused = await expectRefusal(
      c.POST('/api/bills/invoices', {
        body: {
          customer_id: theirs.id,
          customer_entitlement_master_id: 'ent_missing',
          information_master_id: 'uti_missing',
          status: 'unpaid',
          details: [{ sub_total: '1.00' }],
        },
      }),
      422,
    );
    expect(refused.details).toEqual([
      { field: 'customer_id', message: 'no such customer in this account' },
      { field: 'customer_entitlement_master_id', message: 'no such entitlement in this account' },
      { field: 'information_master_id', message: 'no such utility information in this account' },
    ]);
    expect((await ok(c.GET('/api/bills/invoices'))).count).toBe(0);

    const draft = await ok(
      c.POST('/api/bills/invoices', { body: { details: [{ sub_total: '1.00' }] } }),
      201,
    );
    const draftId = { params: { path: { id: draft.id } } };
    const repointed = await expectRefusal(
      c.PATCH('/api/bills/invoices/{id}', {
        ...draftId,
        body: { customer_id: theirs.id, remarks: 'moved' },
      }),
      422,
    );
    expect(repointed.details).toEqual([
      { field: 'customer_id', message: 'no such customer in this account' },
    ]);
    expect(await ok(c.GET('/api/bills/invoices/{id}', draftId))).toMatchObject({
      customer_id: null,
      remarks: null,
    });
  });

  test('when an invoice names a customer created a moment before, then it is accepted: billing asks the customers service while its own copy catches up', async () => {
    const owner = await registerAndLogin(api, 'refs-fresh');
    const c = sdk(owner);
    for (const name of ['First', 'Second', 'Third']) {
      const customer = await ok(
        c.POST('/api/customers/customers', { body: { customer_name: name, customer_type: 'bw' } }),
        201,
      );
      // an entitlement without details is never in billing's copies: always asked of customers
      const entitlement = await ok(
        c.POST('/api/customers/entitlements', {
          body: { customer_master_id: customer.id, bill_number: `BILL-${name}` },
        }),
        201,
      );
      const invoice = await ok(
        c.POST('/api/bills/invoices', {
          body: {
            customer_id: customer.id,
            customer_entitlement_master_id: entitlement.id,
            status: 'unpaid',
            details: [{ sub_total: '5.00' }],
          },
        }),
        201,
      );
      expect(invoice).toMatchObject({
        customer_id: customer.id,
        customer_entitlement_master_id: entitlement.id,
        total_bill_amount: '5.00',
      });
    }
  });
});

test('when invoice lines are searched, then only the lines whose invoice or remarks match are listed', async () => {
  const owner = await registerAndLogin(api, 'line-search');
  const c = sdk(owner);
  for (const remarks of ['alpha uplink', 'beta uplink']) {
    await ok(
      c.POST('/api/bills/invoices', { body: { details: [{ sub_total: '2.00', remarks }] } }),
      201,
    );
  }
  const remarksOf = async (query: { search?: string; q?: string; q_f?: string }) =>
    (await ok(c.GET('/api/bills/invoice-details', { params: { query } }))).results.map(
      (l) => l.remarks,
    );
  expect(await remarksOf({ search: 'ALPHA' })).toEqual(['alpha uplink']);
  expect(await remarksOf({ q: 'beta', q_f: 'remarks' })).toEqual(['beta uplink']);
  expect(await remarksOf({ q: 'beta', q_f: 'status' })).toEqual([]);
  expect((await remarksOf({ search: 'uplink' })).sort()).toEqual(['alpha uplink', 'beta uplink']);
});
