import { createHash } from 'node:crypto';
import {
  buildEvent,
  EVENT_TYPES,
  WEBHOOK_EVENT_TYPES,
  type EventEnvelope,
  type EventInput,
  type EventType,
} from '@ledgerline/contracts';
import {
  crossesLowBalance,
  INTERNAL_TYPES,
  invoiceStatusEvents,
  planPublicEvents,
  publicEventId,
} from './mapping';

const OPTS = { lowBalanceThreshold: 100 };
const AT = new Date('2026-03-04T05:06:07.000Z');

function event<T extends EventType>(type: T, data: EventInput<T>, tenant = 'ten_a') {
  return buildEvent(type, { tenant_id: tenant, data, now: AT }) as EventEnvelope;
}

/** The planned events without their ids (checked on their own): type, tenant, subject, extra. */
const plan = (e: EventEnvelope, opts = OPTS) =>
  planPublicEvents(e, opts).map(({ id: _id, ...rest }) => rest);

const invoiceData = (status: 'draft' | 'unpaid' | 'partial' | 'paid' | 'void') => ({
  invoice_id: 'inv_1',
  invoice_number: status === 'draft' ? null : 'INV-000001',
  customer_id: 'cus_1',
  currency: 'USD',
  status,
  total_minor: 1000,
  paid_minor: 0,
  balance_due_minor: 1000,
});
const changed = (
  previous: 'draft' | 'unpaid' | 'partial' | 'paid' | 'void',
  status: 'draft' | 'unpaid' | 'partial' | 'paid' | 'void',
  change: 'payment' | 'payment_voided' | 'refund' | null,
) => ({
  ...invoiceData(status),
  previous_status: previous,
  status,
  payment_id: change ? 'pay_1' : null,
  payment_change: change,
});

const invoiceSubject = { kind: 'invoice', id: 'inv_1' };
const base = { timestamp: AT.toISOString(), tenant_id: 'ten_a' };

describe('the internal events the catalogue maps', () => {
  it('when listed, then they are all bus events and every public type but four comes from them', () => {
    for (const type of INTERNAL_TYPES) expect(EVENT_TYPES).toContain(type);
    expect(INTERNAL_TYPES).toHaveLength(14);
    // test and disabled are the webhooks service's own
    const unmapped = ['webhook.test', 'endpoint.disabled'];
    expect(WEBHOOK_EVENT_TYPES.filter((t) => !unmapped.includes(t))).toHaveLength(18);
  });

  it('when an event is not in the table, then it becomes nothing', () => {
    const e = event('TenantDeleted', { tenant_id: 'ten_a', deleted_at: AT.toISOString() });
    expect(plan(e)).toEqual([]);
    const detail = event('MemberJoined', { tenant_id: 'ten_a', user_id: 'u', role: 'admin' });
    expect(plan(detail)).toEqual([]);
  });
});

describe('invoices', () => {
  it('when a draft is created, then only invoice.created, for the issuer', () => {
    expect(plan(event('InvoiceCreated', invoiceData('draft')))).toEqual([
      { ...base, type: 'invoice.created', subject: invoiceSubject },
    ]);
  });

  it('when an invoice is created issued, then invoice.created then invoice.issued', () => {
    expect(plan(event('InvoiceCreated', invoiceData('unpaid'), 'ten_platform'))).toEqual([
      { ...base, tenant_id: 'ten_platform', type: 'invoice.created', subject: invoiceSubject },
      { ...base, tenant_id: 'ten_platform', type: 'invoice.issued', subject: invoiceSubject },
    ]);
  });

  it.each([
    ['draft', 'unpaid', null, ['invoice.issued']],
    ['unpaid', 'paid', 'payment', ['invoice.paid']],
    ['partial', 'paid', 'payment', ['invoice.paid']],
    ['unpaid', 'partial', 'payment', ['invoice.partially_paid']],
    ['partial', 'partial', 'payment', ['invoice.partially_paid']],
    ['unpaid', 'void', null, ['invoice.voided']],
    ['draft', 'void', null, ['invoice.voided']],
    ['paid', 'void', null, ['invoice.voided']],
    // an overpayment race: already paid, no second invoice.paid
    ['paid', 'paid', 'payment', []],
    // reversals: payment.refunded / payment.voided say it
    ['paid', 'partial', 'refund', []],
    ['paid', 'unpaid', 'refund', []],
    ['paid', 'partial', 'payment_voided', []],
    ['partial', 'unpaid', 'payment_voided', []],
    ['void', 'void', null, []],
  ] as const)('when %s -> %s by %s, then %j', (previous, status, change, expected) => {
    expect(invoiceStatusEvents(changed(previous, status, change) as never)).toEqual(expected);
    expect(plan(event('InvoiceStatusChanged', changed(previous, status, change)))).toEqual(
      expected.map((type) => ({ ...base, type, subject: invoiceSubject })),
    );
  });
});

describe('payments', () => {
  const payment = { payment_id: 'pay_1', invoice_id: 'inv_1', customer_id: null };
  const money = { amount_minor: 500, currency: 'USD' };
  const subject = { kind: 'payment', id: 'pay_1' };

  it('when recorded, refunded or voided, then the payment event of the same name', () => {
    const recorded = { ...payment, ...money, payment_method: 'cash', payment_date: '2026-03-04' };
    expect(plan(event('PaymentRecorded', recorded))).toEqual([
      { ...base, type: 'payment.recorded', subject },
    ]);
    const refunded = { ...payment, ...money, refund_id: 'ref_1', reason: null };
    expect(plan(event('PaymentRefunded', refunded))).toEqual([
      { ...base, type: 'payment.refunded', subject },
    ]);
    expect(plan(event('PaymentVoided', { ...payment, ...money, reason: 'typo' }))).toEqual([
      { ...base, type: 'payment.voided', subject },
    ]);
  });
});

describe('credits', () => {
  const tx = (
    type: 'grant' | 'purchase' | 'deduction' | 'refund',
    amount: number,
    after: number,
  ) => ({
    transaction_id: 'ctx_1',
    tenant_id: 'ten_a',
    transaction_type: type,
    amount,
    balance_after: after,
    seq: 7,
    description: 'x',
    operation_type: null,
    value_minor: null,
    currency: null,
    invoice_id: null,
  });
  const subject = { kind: 'credit_transaction', id: 'ctx_1' };
  const low = {
    ...base,
    type: 'credits.low_balance',
    subject,
    extra: { low_balance_threshold: 100 },
  };

  it('when credits are purchased, then credits.purchased', () => {
    expect(plan(event('CreditTransactionRecorded', tx('purchase', 500, 650)))).toEqual([
      { ...base, type: 'credits.purchased', subject },
    ]);
  });

  it('when grants or refunds add credits, then nothing', () => {
    expect(plan(event('CreditTransactionRecorded', tx('grant', 100, 100)))).toEqual([]);
    expect(plan(event('CreditTransactionRecorded', tx('refund', 5, 50)))).toEqual([]);
  });

  it.each([
    // [balance before, deducted, crosses 100?]
    [100, 1, true], // exactly at the threshold before, 99 after
    [150, 51, true], // 99 after
    [150, 50, false], // 100 after: not below
    [101, 1, false], // 100 after
    [99, 1, false], // already below: not a crossing
    [500, 500, true], // to zero
    [120, 20, false],
  ])('when %i credits lose %i, then low balance is %s', (before, deducted, expected) => {
    const data = tx('deduction', -deducted, before - deducted);
    expect(crossesLowBalance(data, 100)).toBe(expected);
    expect(plan(event('CreditTransactionRecorded', data))).toEqual(expected ? [low] : []);
  });

  it('when the threshold is configured, then the crossing is of that threshold', () => {
    const data = tx('deduction', -10, 495);
    expect(plan(event('CreditTransactionRecorded', data), { lowBalanceThreshold: 500 })).toEqual([
      { ...low, extra: { low_balance_threshold: 500 } },
    ]);
    expect(plan(event('CreditTransactionRecorded', data))).toEqual([]);
  });
});

describe('subscriptions', () => {
  const sub = {
    subscription_id: 'sub_1',
    provider_id: 'ten_a',
    subscriber: { kind: 'customer' as const, customer_id: 'cus_1' },
    plan_id: 'pln_1',
    plan_code: 'gold',
    plan_version: 1,
    status: 'active' as const,
    seats: 1,
    started_at: AT.toISOString(),
    trial_ends_at: null,
    current_period_start: AT.toISOString(),
    current_period_end: '2026-04-04T05:06:07.000Z',
    cancel_at_period_end: false,
    canceled_at: null,
    ends_at: null,
  };
  const subject = { kind: 'subscription', id: 'sub_1' };
  const due = (reason: 'started' | 'renewed' | 'changed' | 'ended') => ({
    subscription_id: 'sub_1',
    subscriber: { kind: 'customer' as const, id: 'cus_1', name: null },
    plan_id: 'pln_1',
    plan_code: 'gold',
    plan_version: 1,
    currency: 'USD',
    due_at: AT.toISOString(),
    reason,
    invoice_key: `sub_1:${reason}`,
    lines: [
      {
        charge_code: 'base',
        description: 'Gold',
        kind: 'flat' as const,
        period_start: AT.toISOString(),
        period_end: '2026-04-04T05:06:07.000Z',
        quantity: '1',
        amount_minor: 1000,
      },
    ],
  });

  it('when started or canceled, then subscription.started / subscription.canceled for the provider', () => {
    expect(plan(event('SubscriptionStarted', sub))).toEqual([
      { ...base, type: 'subscription.started', subject },
    ]);
    expect(plan(event('SubscriptionCanceled', { ...sub, cancel_at_period_end: true }))).toEqual([
      { ...base, type: 'subscription.canceled', subject },
    ]);
  });

  it('when an invoice is due for a renewal, then subscription.renewed; for anything else nothing', () => {
    expect(plan(event('SubscriptionInvoiceDue', due('renewed')))).toEqual([
      { ...base, type: 'subscription.renewed', subject },
    ]);
    for (const reason of ['started', 'changed', 'ended'] as const)
      expect(plan(event('SubscriptionInvoiceDue', due(reason)))).toEqual([]);
  });
});

describe('customers', () => {
  const snapshot = {
    customer_id: 'cus_1',
    customer_number: 'C-1',
    customer_name: 'Acme',
    customer_type: 'bw' as const,
    status: 'active' as const,
    is_active: true,
    currency: 'USD',
    kam_id: null,
    email: null,
    revision: 2,
  };

  it('when created, updated or deleted, then customer.created / updated / deleted', () => {
    const subject = { kind: 'customer', id: 'cus_1', deleted: false };
    expect(plan(event('CustomerCreated', snapshot))).toEqual([
      { ...base, type: 'customer.created', subject },
    ]);
    expect(plan(event('CustomerUpdated', snapshot))).toEqual([
      { ...base, type: 'customer.updated', subject },
    ]);
    expect(plan(event('CustomerDeleted', snapshot))).toEqual([
      { ...base, type: 'customer.deleted', subject: { ...subject, deleted: true } },
    ]);
  });
});

describe('dunning (issue 17)', () => {
  it('when an invoice becomes overdue, then invoice.overdue about the invoice', () => {
    expect(
      plan(
        event('InvoiceOverdue', {
          invoice_id: 'inv_1',
          invoice_number: 'INV-000001',
          customer_id: 'cus_1',
          currency: 'USD',
          balance_due_minor: 1000,
          due_date: '2026-03-03',
          overdue_at: AT.toISOString(),
        }),
      ),
    ).toEqual([{ ...base, type: 'invoice.overdue', subject: invoiceSubject }]);
  });
});

describe('credit notes (issue 17)', () => {
  const note = {
    credit_note_id: 'cn_1',
    credit_note_number: 'CN-000001',
    amount_minor: 1000,
    vat_minor: 0,
    net_minor: 1000,
  };

  it('when a credit note is issued, then credit_note.issued about the note', () => {
    expect(
      plan(
        event('CreditNoteIssued', {
          ...note,
          invoice_id: 'inv_1',
          invoice_number: 'INV-000001',
          customer_id: 'cus_1',
          currency: 'USD',
          reason: 'Goodwill',
          issue_date: '2026-03-04',
        }),
      ),
    ).toEqual([
      { ...base, type: 'credit_note.issued', subject: { kind: 'credit_note', id: 'cn_1' } },
    ]);
  });

  it('when a credit note leaves nothing owed, then invoice.paid; one leaving something owed says nothing', () => {
    expect(
      invoiceStatusEvents({ ...changed('unpaid', 'paid', null), credit_note: note } as never),
    ).toEqual(['invoice.paid']);
    expect(
      invoiceStatusEvents({ ...changed('unpaid', 'unpaid', null), credit_note: note } as never),
    ).toEqual([]);
  });
});

describe('public event ids', () => {
  it('when computed, then evt_ and the first 26 base64url characters of sha256(id:type)', () => {
    const internalId = '6f1c9a52-3d4e-4b8a-9c0d-1e2f3a4b5c6d';
    const expected = createHash('sha256')
      .update(`${internalId}:invoice.paid`)
      .digest('base64url')
      .slice(0, 26);
    expect(publicEventId(internalId, 'invoice.paid')).toBe(`evt_${expected}`);
    expect(publicEventId(internalId, 'invoice.paid')).toMatch(/^evt_[A-Za-z0-9_-]{26}$/);
  });

  it('when one internal event is mapped twice, then the same ids; two types differ', () => {
    const e = event('InvoiceCreated', invoiceData('unpaid'));
    const first = planPublicEvents(e, OPTS).map((p) => p.id);
    expect(planPublicEvents(e, OPTS).map((p) => p.id)).toEqual(first);
    expect(first).toEqual([
      publicEventId(e.id, 'invoice.created'),
      publicEventId(e.id, 'invoice.issued'),
    ]);
    expect(first[0]).not.toBe(first[1]);
  });
});
