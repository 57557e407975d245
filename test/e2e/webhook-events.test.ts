import request from 'supertest';
import { bearer, registerAndLogin } from '../support/accounts';
import { createCustomer } from '../support/customers';
import { eventually } from '../support/infra';
import { startTestPlatform, type RunningPlatform } from '../support/platform';
import { startReceiver, verifiedSignatures, type Received } from '../support/webhook-receiver';

/**
 * Issue 15's first acceptance point end to end: the bus's events through the catalogue to a
 * tenant's endpoint, signed, within 2 s, with the object as its GET answers it.
 */
jest.setTimeout(180_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;
let close: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  platform = await startTestPlatform('whevents', {
    basePort: 10500,
    gatewayPort: 10580,
    envFor: { webhooks: { WEBHOOK_POLL_MS: '100' } },
  });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await close();
  await platform?.stop();
});

const payloadOf = (r: Received) =>
  JSON.parse(r.body) as { id: string; type: string; timestamp: string; data: { id: string } };

describe('webhooks of billing events', () => {
  test('when an invoice is issued then paid, then the endpoint gets invoice.issued then invoice.paid within 2 s each, signed, with the invoice as its GET answers it', async () => {
    const owner = await registerAndLogin(api, 'whinv');
    const target = await startReceiver();
    close = target.close;
    const created = await api
      .post('/api/webhooks/endpoints/')
      .set(bearer(owner.token))
      .send({ url: target.url, events: ['invoice.issued', 'invoice.paid'] });
    expect(created.status).toBe(201);
    const secret = created.body.data.secret as string;
    const customer = await createCustomer(api, owner.token, 'Hooked Customer');
    const draft = await api
      .post('/api/bills/invoices/')
      .set(bearer(owner.token))
      .send({ customer_id: customer, currency: 'USD', details: [{ sub_total: '40.00' }] });
    expect(draft.status).toBe(201);
    const id = draft.body.data.id as string;
    const readInvoice = async () =>
      (await api.get(`/api/bills/invoices/${id}/`).set(bearer(owner.token))).body.data;

    const issuedAt = Date.now();
    expect(
      (await api.post(`/api/bills/invoices/${id}/issue/`).set(bearer(owner.token))).status,
    ).toBe(200);
    await eventually(
      async () => target.received.length,
      (n) => n >= 1,
      10_000,
      50,
    );
    const issued = target.received[0]!;
    expect(issued.at - issuedAt).toBeLessThan(2000);
    expect(payloadOf(issued)).toMatchObject({ type: 'invoice.issued', data: { id } });
    expect(payloadOf(issued).data).toEqual(await readInvoice());

    const paidAt = Date.now();
    const paid = await api.post('/api/payments/payments/').set(bearer(owner.token)).send({
      payment_method: 'Cash',
      invoice_master_id: id,
      amount: '40.00',
    });
    expect(paid.status).toBe(201);
    await eventually(
      async () => target.received.length,
      (n) => n >= 2,
      10_000,
      50,
    );
    const settled = target.received[1]!;
    expect(settled.at - paidAt).toBeLessThan(2000);
    expect(payloadOf(settled)).toMatchObject({ type: 'invoice.paid', data: { id } });
    expect(payloadOf(settled).data).toEqual(await readInvoice());

    // each verifies with the endpoint's secret; nothing else was sent (no invoice.created)
    for (const got of target.received) expect(verifiedSignatures(secret, got)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(target.received.map((r) => payloadOf(r).type)).toEqual([
      'invoice.issued',
      'invoice.paid',
    ]);
  });
});
