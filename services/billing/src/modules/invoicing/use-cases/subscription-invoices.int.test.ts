import { buildEvent, type EventInput } from '@ledgerline/contracts';
import { realInvoicingDeps } from '../../../test-support/invoicing-deps';
import { onRealStores } from '../../../../../../test/support/real-stores';
import {
  invoiceSubscriptionDue,
  invoiceSubscriptionsDue,
  subscriptionInvoiceId,
} from './subscription-invoices';
import type { InvoicingDeps } from './invoices';

jest.setTimeout(120_000);

const MAY = { period_start: '2026-05-01T00:00:00.000Z', period_end: '2026-06-01T00:00:00.000Z' };
const APRIL = { period_start: '2026-04-01T00:00:00.000Z', period_end: '2026-05-01T00:00:00.000Z' };

/** A renewal on May 1st: April's API calls in arrears, May's base fee and 3 seats in advance. */
function renewal(over: Partial<EventInput<'SubscriptionInvoiceDue'>> = {}) {
  return {
    subscription_id: 'sub_1',
    subscriber: { kind: 'organization' as const, id: 'ten_xia', name: 'Xia' },
    plan_id: 'pln_1',
    plan_code: 'premium',
    plan_version: 1,
    currency: 'USD',
    due_at: MAY.period_start,
    reason: 'renewed' as const,
    invoice_key: `${MAY.period_start}:renewed`,
    lines: [
      {
        charge_code: 'calls',
        description: 'API calls',
        kind: 'usage' as const,
        ...APRIL,
        quantity: '1500',
        amount_minor: 225,
      },
      {
        charge_code: 'base',
        description: 'Base fee',
        kind: 'flat' as const,
        ...MAY,
        quantity: '1',
        amount_minor: 2900,
      },
      {
        charge_code: 'seats',
        description: 'Seats',
        kind: 'per_seat' as const,
        ...MAY,
        quantity: '3',
        unit_amount: '10.00',
        amount_minor: 3000,
      },
    ],
    ...over,
  };
}

describe("a subscription's invoice on the real database", () => {
  let deps: InvoicingDeps;
  onRealStores('subinv', ({ mongo, locks }) => {
    deps = realInvoicingDeps(mongo, locks);
  });
  const provider = () => `ten_${Math.random().toString(36).slice(2)}`;
  const due = (tenantId: string, data = renewal()) =>
    buildEvent('SubscriptionInvoiceDue', { tenant_id: tenantId, data });

  test('when a renewal is due, then the provider issues one numbered invoice to the subscriber with every line and their total', async () => {
    const tenantId = provider();
    const invoice = await invoiceSubscriptionDue(deps, due(tenantId));

    expect(invoice).toMatchObject({
      _id: subscriptionInvoiceId(tenantId, 'sub_1', `${MAY.period_start}:renewed`),
      tenant_id: tenantId,
      customer_id: 'ten_xia',
      status: 'unpaid',
      currency: 'USD',
      issue_date: '2026-05-01',
      period_start: '2026-04-01',
      period_end: '2026-06-01',
      number_seq: 1,
      total_minor: 225 + 2900 + 3000,
      balance_due_minor: 6125,
    });
    expect(invoice!.details.map((l) => [l.sub_total_minor, l.remarks])).toEqual([
      [225, 'API calls: 1500, 2026-04-01 to 2026-05-01'],
      [2900, 'Base fee: 1, 2026-05-01 to 2026-06-01'],
      [3000, 'Seats: 3 at 10.00, 2026-05-01 to 2026-06-01'],
    ]);
  });

  test('when the same event is delivered again or re-announced with a new event id, then no second invoice is made and no number is used', async () => {
    const tenantId = provider();
    const event = due(tenantId);
    const first = await invoiceSubscriptionDue(deps, event);
    const again = await invoiceSubscriptionDue(deps, event);
    const reannounced = await invoiceSubscriptionDue(deps, due(tenantId));

    expect(again!._id).toBe(first!._id);
    expect(reannounced!._id).toBe(first!._id);
    expect(await deps.invoices.countAll(tenantId)).toBe(1);
    expect(await deps.invoices.lastNumber(tenantId)).toBe(1);
  });

  test('when another period of the same subscription is due, then it is a second invoice numbered next', async () => {
    const tenantId = provider();
    await invoiceSubscriptionDue(deps, due(tenantId));
    const june = '2026-06-01T00:00:00.000Z';
    const next = await invoiceSubscriptionDue(
      deps,
      due(tenantId, renewal({ due_at: june, invoice_key: `${june}:renewed` })),
    );

    expect(next).toMatchObject({ number_seq: 2, issue_date: '2026-06-01' });
    expect(await deps.invoices.countAll(tenantId)).toBe(2);
  });

  test('when everything due is 0 (a free plan, a trial), then nothing is invoiced', async () => {
    const tenantId = provider();
    const free = renewal().lines.map((l) => ({ ...l, amount_minor: 0 }));
    const invoice = await invoiceSubscriptionDue(deps, due(tenantId, renewal({ lines: free })));

    expect(invoice).toBeNull();
    expect(await deps.invoices.countAll(tenantId)).toBe(0);
  });

  test("when a batch holds two providers' renewals, one already invoiced and one free, then each provider gets one block numbered next and nothing twice", async () => {
    const a = provider();
    const b = provider();
    const june = '2026-06-01T00:00:00.000Z';
    const already = due(a);
    await invoiceSubscriptionDue(deps, already);
    const free = renewal({ subscription_id: 'sub_free' });
    free.lines = free.lines.map((l) => ({ ...l, amount_minor: 0 }));

    await invoiceSubscriptionsDue(deps, [
      already,
      due(a, renewal({ subscription_id: 'sub_2' })),
      due(a, free),
      due(b, renewal({ due_at: june, invoice_key: `${june}:renewed` })),
    ]);

    const numbers = async (tenantId: string) =>
      (await deps.invoices.model.find({ tenant_id: tenantId }).lean())
        .map((i) => [i._id, i.number_seq])
        .sort((x, y) => Number(x[1]) - Number(y[1]));
    expect(await numbers(a)).toEqual([
      [subscriptionInvoiceId(a, 'sub_1', `${MAY.period_start}:renewed`), 1],
      [subscriptionInvoiceId(a, 'sub_2', `${MAY.period_start}:renewed`), 2],
    ]);
    expect(await numbers(b)).toEqual([[subscriptionInvoiceId(b, 'sub_1', `${june}:renewed`), 1]]);
  });
});
