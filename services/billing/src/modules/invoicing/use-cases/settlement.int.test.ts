import type { Connection } from 'mongoose';
import { buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import { aggregateWriter, createLogger, type AggregateLocks } from '@ledgerline/platform';
import { onRealStores } from '../../../../../../test/support/real-stores';
import { APPLIED_KEPT, APPLIED_MAX } from '../domain/settlement';
import { invoiceStore, type NewInvoice } from '../store/invoices';
import { applyPayment, applyPayments, applyRefund, type SettlementDeps } from './settlement';

jest.setTimeout(60_000);

let mongo: Connection;
let locks: AggregateLocks;
onRealStores('billing_settlement', (infra) => {
  mongo = infra.mongo;
  locks = infra.locks;
});

const TENANT = 'ten_settle';

function settlementDeps(): SettlementDeps & { invoices: ReturnType<typeof invoiceStore> } {
  return {
    invoices: invoiceStore(mongo),
    aggregates: aggregateWriter({ locks, writes: 'locked', publishSoon: () => undefined }),
    logger: createLogger('settlement-test', 'silent'),
  };
}

/** An issued invoice of 1,000.00 USD. */
async function issuedInvoice(deps: ReturnType<typeof settlementDeps>, id: string) {
  const invoice: NewInvoice = {
    _id: id,
    tenant_id: TENANT,
    invoice_number: `INV-${id}`,
    number_seq: 1,
    number_key: `INV-${id}`,
    customer_id: 'cus_1',
    customer_entitlement_master_id: null,
    information_master_id: null,
    bill_number: null,
    period_start: null,
    period_end: null,
    billing_run_id: null,
    status: 'unpaid',
    currency: 'USD',
    issue_date: '2026-12-07',
    due_date: null,
    details: [],
    sub_total_minor: 100000,
    vat_minor: 0,
    discount_minor: 0,
    total_minor: 100000,
    paid_minor: 0,
    balance_due_minor: 100000,
    remarks: null,
    created_by: 'usr_1',
    updated_by: 'usr_1',
  };
  await deps.invoices.insert(invoice, []);
}

const recorded = (invoiceId: string, paymentId: string, amountMinor: number) =>
  buildEvent('PaymentRecorded', {
    tenant_id: TENANT,
    correlation_id: 'cor_settle',
    data: {
      payment_id: paymentId,
      invoice_id: invoiceId,
      customer_id: 'cus_1',
      amount_minor: amountMinor,
      currency: 'USD',
      payment_method: 'cash',
      payment_date: '2026-12-07',
    },
  }) as EventEnvelope<'PaymentRecorded'>;

const refunded = (invoiceId: string, paymentId: string, refundId: string, amountMinor: number) =>
  buildEvent('PaymentRefunded', {
    tenant_id: TENANT,
    correlation_id: 'cor_settle',
    data: {
      refund_id: refundId,
      payment_id: paymentId,
      invoice_id: invoiceId,
      customer_id: 'cus_1',
      amount_minor: amountMinor,
      currency: 'USD',
      reason: null,
    },
  }) as EventEnvelope<'PaymentRefunded'>;

async function stored(deps: ReturnType<typeof settlementDeps>, id: string) {
  return deps.invoices.model
    .findOne({ _id: id }, { paid_minor: 1, applied_payments: 1, applied_archived: 1 })
    .lean()
    .exec();
}

describe('settling an invoice paid many times', () => {
  test('when an invoice is paid 70 times, then its document keeps its newest markers, the older ones move out, and a payment applied long ago is still applied once', async () => {
    const deps = settlementDeps();
    const invoiceId = `inv_many_${Date.now().toString(36)}`;
    await issuedInvoice(deps, invoiceId);
    const payments = Array.from({ length: 70 }, (_, i) => `pay_many_${i}`);
    for (const id of payments) {
      expect(await applyPayment(deps, recorded(invoiceId, id, 100))).toBe('applied');
    }
    // 65 markers moved 33 out (leaving 32); five more made 37
    expect(await stored(deps, invoiceId)).toMatchObject({
      paid_minor: 7000,
      applied_payments: payments.slice(33),
      applied_archived: APPLIED_MAX + 1 - APPLIED_KEPT,
    });

    // the first payment's event delivered again: found among the moved markers, nothing changes
    expect(await applyPayment(deps, recorded(invoiceId, payments[0]!, 100))).toBe('duplicate');
    // a refund of it: the payment it reverses is found applied, so the refund applies, once
    const refund = refunded(invoiceId, payments[0]!, 'rfd_many_1', 40);
    expect(await applyRefund(deps, refund)).toBe('applied');
    expect(await applyRefund(deps, refund)).toBe('duplicate');
    expect((await stored(deps, invoiceId))!.paid_minor).toBe(6960);
  });

  test('when an invoice was never paid more than 64 times, then nothing moves out and no marker is looked up elsewhere', async () => {
    const deps = settlementDeps();
    const invoiceId = `inv_few_${Date.now().toString(36)}`;
    await issuedInvoice(deps, invoiceId);
    for (let i = 0; i < 3; i += 1)
      await applyPayment(deps, recorded(invoiceId, `pay_few_${i}`, 500));
    const doc = await stored(deps, invoiceId);
    expect(doc).toMatchObject({
      paid_minor: 1500,
      applied_payments: ['pay_few_0', 'pay_few_1', 'pay_few_2'],
    });
    expect(doc!.applied_archived).toBeUndefined();
    expect(await applyRefund(deps, refunded(invoiceId, 'pay_never', 'rfd_few', 100))).toBe(
      'not_applicable',
    );
  });

  test("when a run of an invoice's payments settles in one change, then each new one applies once in order with its own InvoiceStatusChanged, and one applied before is skipped", async () => {
    const deps = settlementDeps();
    const invoiceId = `inv_run_${Date.now().toString(36)}`;
    await issuedInvoice(deps, invoiceId);
    await applyPayment(deps, recorded(invoiceId, 'pay_run_a', 10000));
    await applyPayments(deps, [
      recorded(invoiceId, 'pay_run_b', 20000),
      recorded(invoiceId, 'pay_run_a', 10000),
      recorded(invoiceId, 'pay_run_c', 70000),
    ]);
    const doc = await deps.invoices.model
      .findOne({ _id: invoiceId }, { paid_minor: 1, status: 1, applied_payments: 1, _outbox: 1 })
      .lean<{
        paid_minor: number;
        status: string;
        applied_payments: string[];
        _outbox: EventEnvelope<'InvoiceStatusChanged'>[];
      }>()
      .exec();
    expect(doc).toMatchObject({
      paid_minor: 100000,
      status: 'paid',
      applied_payments: ['pay_run_a', 'pay_run_b', 'pay_run_c'],
    });
    expect(
      doc!._outbox.map((e) => [
        e.data.payment_id,
        e.data.previous_status,
        e.data.status,
        e.data.balance_due_minor,
      ]),
    ).toEqual([
      ['pay_run_a', 'unpaid', 'partial', 90000],
      ['pay_run_b', 'partial', 'partial', 70000],
      ['pay_run_c', 'partial', 'paid', 0],
    ]);
  });
});
