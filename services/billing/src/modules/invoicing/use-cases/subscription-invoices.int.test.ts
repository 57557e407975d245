import { AppError, buildEvent, type EventEnvelope, type EventInput } from '@ledgerline/contracts';
import { createLogger } from '@ledgerline/platform';
import type { PaymentsClient } from '../../../flows/clients/payments';
import { finishCreditNote, finishPendingCreditNotes } from '../../../flows/credit-notes';
import { realInvoicingDeps } from '../../../test-support/invoicing-deps';
import { onRealStores } from '../../../test-support/real-stores';
import {
  invoiceSubscriptionDue,
  invoiceSubscriptionsDue,
  subscriptionInvoiceId,
} from './subscription-invoices';
import type { InvoicingDeps } from './invoices';
import { prepareCreditNote } from './credit-notes';
import type { CreditNote } from '../store/credit-notes';

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

  describe('when the payments service refuses the hold of a credit note (the invoice owes nothing)', () => {
    const holdsAsked: string[] = [];
    /** payments' answer when the invoice was paid in full before the hold was asked */
    const refusing: PaymentsClient = {
      recordPayment: async () => {
        throw new Error('not asked here');
      },
      holdCredit: async (_tenant, _invoice, req) => {
        holdsAsked.push(req.credit_note_id);
        throw AppError.validation('The credit note exceeds what the invoice owes');
      },
    };
    const flow = () => ({
      invoicing: deps,
      payments: refusing,
      logger: createLogger('test', 'silent'),
    });
    const outboxOf = async (id: string) =>
      (
        (await deps.creditNotes.model.findById(id, { _outbox: 1 }).lean()) as unknown as {
          _outbox: EventEnvelope[];
        }
      )._outbox;

    test('when the worker and then the sweep both see a balance credit refused, then the note is returned once: never numbered, not shown, one SubscriptionCreditReturned of its amount', async () => {
      const tenantId = provider();
      const seen: CreditNote[] = [];
      const worker = {
        ...deps,
        finishCreditNote: async (note: CreditNote, correlationId: string) => {
          seen.push(note);
          await finishCreditNote(flow(), note, correlationId);
        },
      };
      const event = due(tenantId, renewal({ credit_minor: 2667 }));
      const invoice = await invoiceSubscriptionDue(worker, event);
      // the sweep read the note while it was pending, and asks for its hold after the worker
      const [pending] = seen;
      expect(pending).toMatchObject({
        status: 'pending',
        subscription_id: 'sub_1',
        amount_minor: 2667,
      });
      await finishCreditNote(flow(), pending!, 'sweep');
      expect(await finishPendingCreditNotes(flow(), -60_000)).toBe(0);
      // the invoice event delivered again finds the returned note and asks nothing
      await invoiceSubscriptionDue(worker, event);

      expect(holdsAsked.filter((id) => id === pending!._id)).toHaveLength(2);
      expect(await deps.creditNotes.findStored(tenantId, pending!._id)).toMatchObject({
        status: 'returned',
        credit_note_number: null,
        number_seq: null,
      });
      expect(await deps.creditNotes.findById(tenantId, pending!._id)).toBeNull();
      const listed = await deps.creditNotes.list(tenantId, { page: 1, perPage: 25 }, {});
      expect(listed.count).toBe(0);
      expect(await deps.creditNotes.series.lastNumber(tenantId)).toBe(0);
      const events = await outboxOf(pending!._id);
      expect(events.map((e) => [e.type, e.tenant_id, e.data])).toEqual([
        [
          'SubscriptionCreditReturned',
          tenantId,
          {
            subscription_id: 'sub_1',
            credit_note_id: pending!._id,
            invoice_id: invoice!._id,
            amount_minor: 2667,
            currency: 'USD',
          },
        ],
      ]);
    });

    test('when a note asked for through the API is refused, then it is removed as before and nothing is returned', async () => {
      const tenantId = provider();
      const invoice = await invoiceSubscriptionDue(deps, due(tenantId));
      const caller = { tenantId, userId: 'usr_1', correlationId: 'req-1' };
      const note = await prepareCreditNote(
        deps,
        caller,
        { invoice_id: invoice!._id, amount: '10.00', reason: 'Goodwill' },
        undefined,
      );
      expect(note.subscription_id).toBeNull();

      await finishCreditNote(flow(), note, 'req-1');

      expect(await deps.creditNotes.findStored(tenantId, note._id)).toBeNull();
    });
  });
});
