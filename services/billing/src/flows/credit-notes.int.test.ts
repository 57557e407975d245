import { AppError, buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import { createLogger } from '@ledgerline/platform';
import {
  invoiceSubscriptionDue,
  prepareCreditNote,
  type CreditNote,
  type InvoicingDeps,
} from '../modules/invoicing';
import { realInvoicingDeps } from '../test-support/invoicing-deps';
import { onRealStores } from '../../../../test/support/real-stores';
import type { PaymentsClient } from './clients/payments';
import { finishCreditNote, finishPendingCreditNotes } from './credit-notes';

/**
 * A credit note refused by the payments service (issue 18): one paid for by a subscription's
 * credit balance is returned to it once, whichever path saw the refusal; any other is removed.
 */
jest.setTimeout(60_000);

const MAY = { period_start: '2026-05-01T00:00:00.000Z', period_end: '2026-06-01T00:00:00.000Z' };

/** A renewal of 49.00 whose subscriber's balance pays `credit` of it. */
const renewal = (tenantId: string, credit?: number) =>
  buildEvent('SubscriptionInvoiceDue', {
    tenant_id: tenantId,
    data: {
      subscription_id: 'sub_1',
      subscriber: { kind: 'organization', id: 'ten_xia', name: 'Xia' },
      plan_id: 'pln_1',
      plan_code: 'team',
      plan_version: 1,
      currency: 'USD',
      due_at: MAY.period_start,
      reason: 'renewed',
      invoice_key: `${MAY.period_start}:renewed`,
      lines: [
        {
          charge_code: 'base',
          description: 'Base fee',
          kind: 'flat',
          ...MAY,
          quantity: '1',
          amount_minor: 4900,
        },
      ],
      ...(credit !== undefined && { credit_minor: credit }),
    },
  });

describe('a credit note whose hold the payments service refuses (the invoice owes nothing)', () => {
  let deps: InvoicingDeps;
  onRealStores('cnret', ({ mongo, locks }) => {
    deps = realInvoicingDeps(mongo, locks);
  });
  const provider = () => `ten_${Math.random().toString(36).slice(2)}`;
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
    const event = renewal(tenantId, 2667);
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
    const invoice = await invoiceSubscriptionDue(deps, renewal(tenantId));
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
