import request from 'supertest';
import { eventually } from '../support/infra';
import { bearer, newTeamMember, registerAndLogin, type TestSession } from '../support/accounts';
import { expectingCalls } from '../support/calls';
import { allText } from '../support/pdf-text';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(180_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;
let admin: string;

beforeAll(async () => {
  platform = await startTestPlatform('invoice-pdf', { basePort: 10400, gatewayPort: 10480 });
  api = request(platform.gatewayUrl);
  const res = await api.post('/api/auth').send({ username: 'admin', password: 'ledgerline-admin' });
  admin = res.body.token;
});

afterAll(async () => {
  await platform?.stop();
});

const { call, post, get } = expectingCalls(() => api);

/** A valid 1×1 PNG (what pdfkit draws as the logo). */
const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A PNG signature and IHDR declaring `width`×`height` (the header is all the upload reads). */
function pngHeader(width: number, height: number): Buffer {
  const bytes = Buffer.concat([PNG_1x1]);
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes;
}

/** The PDF's bytes as the gateway answers them (supertest buffers a binary body). */
async function pdfOf(s: { token: string }, path: string) {
  const res = await api
    .get(path)
    .set(bearer(s.token))
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return { res, bytes: res.body as Buffer };
}

const putLogo = (s: TestSession, type: string, body: Buffer) =>
  api.put('/v1/account/logo').set(bearer(s.token)).set('content-type', type).send(body);

/** A tenant with its billing address, tax id and logo, and a customer named in Bengali. */
async function issuerWithCustomer(label: string) {
  const owner = await registerAndLogin(api, label);
  await call(owner, 'patch', '/v1/account/settings/', {
    name: 'Dhaka Net Ltd',
    billing_address_line1: 'House 12, Road 5',
    billing_city: 'Dhaka',
    billing_postal_code: '1207',
    billing_country: 'BD',
    tax_id: 'BIN-000123456',
    billing_email: 'billing@dhakanet.example',
  });
  expect((await putLogo(owner, 'image/png', PNG_1x1)).status).toBe(200);
  const customer = await post(owner, '/api/customers/customers/', {
    customer_name: 'রহিম স্টোর',
    customer_type: 'bw',
    currency: 'BDT',
    address: '১২ মতিঝিল, ঢাকা',
  });
  return { owner, customerId: customer.id as string };
}

describe('invoice PDF (seed 002 invoices)', () => {
  test('when an issued invoice is asked as PDF, then its text layer has the number, the Bengali customer, each line and the exact total', async () => {
    const { owner, customerId } = await issuerWithCustomer('pdf');
    const invoice = await post(owner, '/api/bills/invoices/', {
      customer_id: customerId,
      status: 'unpaid',
      currency: 'BDT',
      issue_date: '2026-03-01',
      due_date: '2026-03-15',
      details: [
        { sub_total: '1000.00', vat_rate: 15, remarks: 'Internet 20 Mbps' },
        { sub_total: '500.50', vat_rate: 7.5, sub_discount_rate: 10, remarks: 'রাউটার ভাড়া' },
      ],
    });
    const { res, bytes } = await pdfOf(owner, `/api/bills/invoices/${invoice.id}/pdf`);
    expect([res.status, res.headers['content-type']]).toEqual([200, 'application/pdf']);
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="${invoice.invoice_number}.pdf"`,
    );
    expect(res.headers['cache-control']).toBe('private, max-age=0');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // the logo is drawn: an image object in the file
    expect(bytes.includes('/Subtype /Image')).toBe(true);

    const text = allText(bytes);
    for (const expected of [
      invoice.invoice_number,
      'রহিম স্টোর',
      '১২ মতিঝিল, ঢাকা',
      'Internet 20 Mbps',
      'রাউটার ভাড়া',
      `${invoice.total_bill_amount} BDT`,
      'Dhaka Net Ltd',
      'Tax ID: BIN-000123456',
      'Please pay',
    ]) {
      expect([expected, text.includes(expected)]).toEqual([expected, true]);
    }
    expect(invoice.total_bill_amount).toBe('1637.99');

    // rendered on request, deterministically: the same invoice gives the same bytes
    const again = await pdfOf(owner, `/api/bills/invoices/${invoice.id}/pdf/`);
    expect(again.bytes.equals(bytes)).toBe(true);

    // a viewer may read the invoice, so its PDF too
    const viewer = await newTeamMember(api, owner, 'viewer', 'pdfviewer');
    expect((await pdfOf(viewer, `/api/bills/invoices/${invoice.id}/pdf`)).res.status).toBe(200);
  });

  test('when a draft is asked, then it is marked DRAFT; once paid in full, PAID', async () => {
    const { owner, customerId } = await issuerWithCustomer('pdfmark');
    const draft = await post(owner, '/api/bills/invoices/', {
      customer_id: customerId,
      currency: 'BDT',
      details: [{ sub_total: '250.00', remarks: 'Installation' }],
    });
    const drafted = allText((await pdfOf(owner, `/api/bills/invoices/${draft.id}/pdf`)).bytes);
    expect([drafted.includes('DRAFT'), drafted.includes('PAID')]).toEqual([true, false]);

    const issued = await post(owner, `/api/bills/invoices/${draft.id}/issue/`, {}, 200);
    await post(owner, '/api/payments/payments/', {
      payment_method: 'Cash',
      invoice_master_id: draft.id,
      amount: issued.total_bill_amount,
    });
    await eventually(
      () => get(owner, `/api/bills/invoices/${draft.id}/`),
      (inv) => inv.status === 'paid',
    );
    const paid = allText((await pdfOf(owner, `/api/bills/invoices/${draft.id}/pdf`)).bytes);
    expect([
      paid.includes('PAID'),
      paid.includes('DRAFT'),
      paid.includes(issued.invoice_number),
    ]).toEqual([true, false, true]);
  });

  test("when the id is unknown or another tenant's, then 404 in the JSON error envelope", async () => {
    const { owner, customerId } = await issuerWithCustomer('pdfmine');
    const other = await registerAndLogin(api, 'pdfother');
    const invoice = await post(owner, '/api/bills/invoices/', {
      customer_id: customerId,
      details: [{ sub_total: '1.00' }],
    });
    for (const [who, id] of [
      [owner, 'inv_does_not_exist'],
      [other, invoice.id],
    ] as const) {
      const res = await api.get(`/api/bills/invoices/${id}/pdf`).set(bearer(who.token));
      expect([res.status, res.headers['content-type'], res.body.success, res.body.type]).toEqual([
        404,
        expect.stringContaining('application/json'),
        false,
        'not_found',
      ]);
    }
    expect((await api.get(`/api/bills/invoices/${invoice.id}/pdf`)).status).toBe(401);
  });

  test('when the OpenAPI document is read, then the PDF routes answer application/pdf', async () => {
    const doc = (await api.get('/api/docs/openapi.json')).body;
    for (const path of ['/api/bills/invoices/{id}/pdf', '/v1/billing/invoices/{id}/pdf']) {
      expect(Object.keys(doc.paths[path].get.responses['200'].content)).toEqual([
        'application/pdf',
      ]);
    }
    expect(Object.keys(doc.paths['/v1/account/logo'].put.requestBody.content)).toEqual([
      'image/png',
      'image/jpeg',
    ]);
  });
});

describe('the platform invoice PDF (seed 000)', () => {
  test("when a tenant asks for its invoice from the platform, then it renders with the tenant as the customer; another tenant's is 404", async () => {
    const buyer = await registerAndLogin(api, 'pdfbuyer');
    await call(buyer, 'patch', '/v1/account/settings/', {
      name: 'Buyer Traders',
      billing_address_line1: '7 Agrabad',
      billing_city: 'Chattogram',
      tax_id: 'BUYER-TAX-7',
    });
    const pkg = await api
      .post('/v1/billing/credit-packages/')
      .set(bearer(admin))
      .send({ name: 'PDF Pack', credits: 100, price: '9.00' });
    expect(pkg.status).toBe(201);
    const bought = await api
      .post(`/v1/billing/credit-packages/${pkg.body.data.id}/purchase/`)
      .set(bearer(buyer.token));
    expect(bought.status).toBe(201);
    const invoiceId = bought.body.data.invoice_id as string;
    const invoice = await get(buyer, `/v1/billing/invoices/${invoiceId}/`);

    const { res, bytes } = await pdfOf(buyer, `/v1/billing/invoices/${invoiceId}/pdf`);
    expect([res.status, res.headers['content-type']]).toEqual([200, 'application/pdf']);
    const text = allText(bytes);
    for (const expected of [
      invoice.invoice_number,
      'Buyer Traders',
      '7 Agrabad',
      'Tax ID: BUYER-TAX-7',
      '9.00 USD',
    ]) {
      expect([expected, text.includes(expected)]).toEqual([expected, true]);
    }

    const stranger = await registerAndLogin(api, 'pdfstranger');
    const res404 = await api
      .get(`/v1/billing/invoices/${invoiceId}/pdf`)
      .set(bearer(stranger.token));
    expect([res404.status, res404.body.type]).toEqual([404, 'not_found']);
  });
});

describe('the account logo', () => {
  test('when a logo is not a PNG or JPEG, too large, or not what it says, then 415, 413 or 422 and nothing is stored', async () => {
    const owner = await registerAndLogin(api, 'logo');
    const cases: [string, Buffer, number][] = [
      ['image/gif', Buffer.from('GIF89a'), 415],
      ['application/json', Buffer.from('{}'), 415],
      ['image/png', Buffer.alloc(256 * 1024 + 1, 1), 413],
      ['image/png', Buffer.from('not a png at all'), 422],
      ['image/jpeg', PNG_1x1, 422],
      ['image/png', pngHeader(2001, 10), 422],
      ['image/png', Buffer.alloc(0), 422],
    ];
    for (const [type, body, status] of cases) {
      const res = await putLogo(owner, type, body);
      expect([type, body.length, res.status, res.body.success]).toEqual([
        type,
        body.length,
        status,
        false,
      ]);
    }
    // nothing stored: there is no logo to delete
    expect((await api.delete('/v1/account/logo').set(bearer(owner.token))).status).toBe(404);

    const saved = await putLogo(owner, 'image/png', pngHeader(2000, 2000));
    expect([saved.status, saved.body.data]).toEqual([
      200,
      expect.objectContaining({
        content_type: 'image/png',
        width: 2000,
        height: 2000,
        bytes: PNG_1x1.length,
      }),
    ]);
    const viewer = await newTeamMember(api, owner, 'viewer', 'logoviewer');
    expect((await putLogo(viewer as TestSession, 'image/png', PNG_1x1)).status).toBe(403);
    expect((await api.delete('/v1/account/logo').set(bearer(owner.token))).status).toBe(204);
    expect((await api.delete('/v1/account/logo').set(bearer(owner.token))).status).toBe(404);
  });
});
