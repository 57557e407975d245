import type { Connection } from 'mongoose';
import type { InvoiceView } from '@ledgerline/contracts';
import { aggregateWriter, createLogger, type AggregateLocks } from '@ledgerline/platform';
import { onRealStores } from '../../../../test/support/real-stores';
import { invoicePaymentsStore } from '../store/invoice-payments';
import { paymentStore } from '../store/payments';
import type { Caller, PaymentsDeps } from './deps';
import { acceptOnInvoice } from './invoice-balance';
import { completeInvoiceLists } from './invoice-lists';
import { refundPayment } from './payment-changes';

jest.setTimeout(30_000);

let mongo: Connection;
let locks: AggregateLocks;
onRealStores('payments_balance', (infra) => {
  mongo = infra.mongo;
  locks = infra.locks;
});
const logger = createLogger('invoice-balance-test', 'silent');

/** One payments process: its stores, with their own memory, on the shared database and locks. */
async function paymentsProcess() {
  const deps = {
    payments: paymentStore(mongo),
    invoicePayments: invoicePaymentsStore(mongo),
    aggregates: aggregateWriter({ locks, writes: 'locked', publishSoon: () => undefined }),
  };
  await completeInvoiceLists(deps, logger);
  return deps;
}

/** An issued invoice of 100.00 as billing answers it before it has applied any payment. */
const unpaidInvoice = (id: string) =>
  ({
    id,
    status: 'unpaid',
    currency: 'USD',
    total_bill_amount: '100.00',
    total_paid_amount: '0.00',
    credited_amount: '0.00',
  }) as InvoiceView;

let seq = 0;
function pay(
  deps: Awaited<ReturnType<typeof paymentsProcess>>,
  tenantId: string,
  invoice: InvoiceView,
  amount: string,
  id = `pay_balance_${(seq += 1)}_${Date.now().toString(36)}`,
) {
  return acceptOnInvoice(
    deps,
    tenantId,
    invoice,
    { amount, field: 'amount', whenAbsent: 'nothing', paymentId: id },
    (amountMinor) =>
      deps.payments.insert(
        {
          _id: id,
          tenant_id: tenantId,
          invoice_id: invoice.id,
          customer_id: null,
          customer_entitlement_master_id: null,
          master_payment_id: null,
          payment_date: '2026-12-07',
          payment_method: 'cash',
          amount_minor: amountMinor,
          currency: 'USD',
          transaction_id: null,
          status: 'completed',
          completed_at: new Date(),
          remarks: null,
          created_by: 'usr_test',
          updated_by: 'usr_test',
        },
        [],
      ),
  );
}

describe("an invoice's first payment", () => {
  test('when another process paid the invoice first and billing has not applied it yet, then this process still counts that payment and refuses more than the rest', async () => {
    const [a, b] = [await paymentsProcess(), await paymentsProcess()];
    const invoice = unpaidInvoice(`inv_first_${Date.now().toString(36)}`);
    const first = await pay(a, 'ten_balance', invoice, '70.00');
    expect(first.amount_minor).toBe(7000);
    // b has not written this invoice's list: it tries it as a first payment, collides, and counts
    await expect(pay(b, 'ten_balance', invoice, '40.00')).rejects.toMatchObject({
      status: 422,
      details: [{ field: 'amount', message: 'must not exceed the balance due of 30.00 USD' }],
    });
    expect((await pay(b, 'ten_balance', invoice, '30.00')).amount_minor).toBe(3000);
    // and a, which remembers only its own payment, reads b's: nothing is due
    await expect(pay(a, 'ten_balance', invoice, '0.01')).rejects.toMatchObject({ status: 422 });
    expect(await a.invoicePayments.read('ten_balance', invoice.id)).toMatchObject({
      ids: [expect.stringMatching(/^pay_balance_/)],
      foldedMinor: 7000,
    });
  });

  test('when a first payment asks for more than the total, then the refusal names the balance due', async () => {
    const a = await paymentsProcess();
    const invoice = unpaidInvoice(`inv_over_${Date.now().toString(36)}`);
    await expect(pay(a, 'ten_balance', invoice, '100.01')).rejects.toMatchObject({
      status: 422,
      details: [{ field: 'amount', message: 'must not exceed the balance due of 100.00 USD' }],
    });
    // nothing was listed for the refused payment
    expect((await a.invoicePayments.read('ten_balance', invoice.id))!.ids).toEqual([]);
  });
});

const newInvoiceId = (name: string) => `inv_${name}_${Date.now().toString(36)}`;
const due = (amount: string) => ({
  status: 422,
  details: [{ field: 'amount', message: `must not exceed the balance due of ${amount} USD` }],
});

describe("an invoice's folded payments", () => {
  test('when an invoice is paid five times, then its list keeps only the last payment and the others as one sum, and every payment still counts', async () => {
    const a = await paymentsProcess();
    const invoice = unpaidInvoice(newInvoiceId('fold'));
    for (let i = 0; i < 5; i += 1) await pay(a, 'ten_fold', invoice, '10.00');
    expect(await a.invoicePayments.read('ten_fold', invoice.id)).toMatchObject({
      ids: [expect.any(String)],
      foldedMinor: 4000,
    });
    // another process, which remembers nothing, counts them all too
    const b = await paymentsProcess();
    await expect(pay(b, 'ten_fold', invoice, '50.01')).rejects.toMatchObject(due('50.00'));
    expect((await pay(b, 'ten_fold', invoice, '50.00')).amount_minor).toBe(5000);
  });

  test('when a folded payment is refunded in part, then the refund comes off the sum and the invoice takes that much again', async () => {
    const a = await paymentsProcess();
    const invoice = unpaidInvoice(newInvoiceId('refund'));
    const first = await pay(a, 'ten_fold', invoice, '60.00');
    const second = await pay(a, 'ten_fold', invoice, '40.00');
    await expect(pay(a, 'ten_fold', invoice, '0.01')).rejects.toMatchObject({ status: 422 });
    expect(await a.invoicePayments.read('ten_fold', invoice.id)).toMatchObject({
      ids: [second._id],
      foldedMinor: 6000,
    });

    const caller = { tenantId: 'ten_fold', userId: 'usr_test', correlationId: 'cor_fold' };
    await refundPayment({ ...a, logger } as unknown as PaymentsDeps, caller as Caller, first._id, {
      amount: '20.00',
    });
    // forgotten: listed again, its holding off the sum, read anew by the next decision
    expect(await a.invoicePayments.read('ten_fold', invoice.id)).toMatchObject({
      ids: [second._id, first._id],
      foldedMinor: 0,
    });
    await expect(pay(a, 'ten_fold', invoice, '20.01')).rejects.toMatchObject(due('20.00'));
    expect((await pay(a, 'ten_fold', invoice, '20.00')).amount_minor).toBe(2000);
    expect((await a.invoicePayments.read('ten_fold', invoice.id))!.foldedMinor).toBe(8000);
  });

  test('when a folded payment is sent again under its id, then its insert collides and it is not counted twice', async () => {
    const a = await paymentsProcess();
    const invoice = unpaidInvoice(newInvoiceId('repeat'));
    const repeated = `pay_repeat_${Date.now().toString(36)}`;
    await pay(a, 'ten_fold', invoice, '30.00', repeated);
    await pay(a, 'ten_fold', invoice, '10.00');
    await expect(pay(a, 'ten_fold', invoice, '10.00', repeated)).rejects.toMatchObject({
      code: 11000,
    });
    expect(await a.invoicePayments.read('ten_fold', invoice.id)).toMatchObject({
      ids: [],
      foldedMinor: 4000,
    });
    await expect(pay(a, 'ten_fold', invoice, '60.01')).rejects.toMatchObject(due('60.00'));
    expect((await pay(a, 'ten_fold', invoice, '60.00')).amount_minor).toBe(6000);
  });

  test('when ten payments of 15.00 arrive at once on an invoice of 100.00, then one lock turn decides them in order: six are accepted, four refused, and the list is written once', async () => {
    const a = await paymentsProcess();
    const invoice = unpaidInvoice(newInvoiceId('together'));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => pay(a, 'ten_fold', invoice, '15.00')),
    );
    const accepted = outcomes.filter((o) => o.status === 'fulfilled');
    expect(accepted).toHaveLength(6);
    for (const o of outcomes.slice(6)) {
      expect(o).toMatchObject({ status: 'rejected', reason: due('10.00') });
    }
    expect(await a.invoicePayments.read('ten_fold', invoice.id)).toMatchObject({
      ids: accepted.map((o) => o.value._id),
      foldedMinor: 0,
      seq: 1,
    });
    // the next decision counts all six (this process remembers them) and folds them
    await expect(pay(a, 'ten_fold', invoice, '10.01')).rejects.toMatchObject(due('10.00'));
  });

  test('when the lock cannot be had for one payment (Redis away), then it fails and the next payment on the invoice is decided, not left waiting', async () => {
    const a = await paymentsProcess();
    let failures = 1;
    const flaky: AggregateLocks = {
      ...locks,
      withLock: (key, fn) =>
        failures-- > 0 ? Promise.reject(new Error('redis is away')) : locks.withLock(key, fn),
    };
    const b = {
      ...a,
      aggregates: aggregateWriter({ locks: flaky, writes: 'locked', publishSoon: () => undefined }),
    };
    const invoice = unpaidInvoice(newInvoiceId('away'));
    await expect(pay(b, 'ten_fold', invoice, '10.00')).rejects.toThrow('redis is away');
    const next = pay(b, 'ten_fold', invoice, '10.00');
    const late = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000));
    expect(await Promise.race([next.then((p) => p.amount_minor), late])).toBe(1000);
  });
});
