import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildEvent, type EventEnvelope, type WebhookEventType } from '@ledgerline/contracts';
import { createCatalogue } from './index';

/**
 * The catalogue reads an owner's representation only for public events some endpoint takes. The
 * owner here is a real HTTP server answering billing's internal invoice read and counting asks.
 */
describe('public events of an internal event, filtered by what endpoints take', () => {
  let server: Server;
  const asked: string[] = [];
  let url = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: 'inv_1', status: 'unpaid', total_bill_amount: '10.00' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    asked.length = 0;
  });

  const catalogue = () =>
    createCatalogue({
      billingUrl: url,
      paymentsUrl: url,
      customersUrl: url,
      tenantsUrl: url,
      timeoutMs: 2000,
    });
  const created = (): EventEnvelope =>
    buildEvent('InvoiceCreated', {
      tenant_id: 'ten_a',
      now: new Date('2026-03-04T05:06:07.000Z'),
      data: {
        invoice_id: 'inv_1',
        invoice_number: 'INV-000001',
        customer_id: 'cus_1',
        currency: 'USD',
        status: 'unpaid',
        total_minor: 1000,
        paid_minor: 0,
        balance_due_minor: 1000,
      },
    }) as EventEnvelope;

  test('when no endpoint of the tenant takes any of its public events, then none is made and no owner is asked', async () => {
    const wanted = async () => false;

    expect(await catalogue().publicEventsOf(created(), wanted)).toEqual([]);
    expect(asked).toEqual([]);
  });

  test('when an endpoint takes one of them, then only that one is made, from one read of the owner', async () => {
    const all = await catalogue().publicEventsOf(created());
    expect(all.length).toBeGreaterThan(1);
    const one: WebhookEventType = all[1]!.type;
    asked.length = 0;

    const made = await catalogue().publicEventsOf(created(), async (tenant, type) => {
      expect(tenant).toBe('ten_a');
      return type === one;
    });

    expect(made.map((p) => p.type)).toEqual([one]);
    expect(made[0]!.data).toMatchObject({ id: 'inv_1', status: 'unpaid' });
    expect(asked).toEqual(['/internal/tenants/ten_a/invoices/inv_1']);
  });
});
