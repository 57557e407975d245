import type { Connection } from 'mongoose';
import { createLogger } from '@ledgerline/platform';
import { onRealStores } from '../../../../test/support/real-stores';
import { invoicePaymentsStore, type InvoicePaymentsStore } from '../store/invoice-payments';
import { paymentStore, type PaymentStore } from '../store/payments';
import { completeInvoiceLists } from './invoice-lists';

jest.setTimeout(30_000);

let mongo: Connection;
let payments: PaymentStore;
let lists: InvoicePaymentsStore;
onRealStores('payments_lists', (infra) => {
  mongo = infra.mongo;
  payments = paymentStore(infra.mongo);
  lists = invoicePaymentsStore(infra.mongo);
});
const logger = createLogger('invoice-lists-test', 'silent');

/** A payment as one recorded before invoices had lists: in the payments collection only. */
async function olderPayment(id: string, tenantId: string, invoiceId: string) {
  await mongo.collection('payments').insertOne({
    _id: id as never,
    tenant_id: tenantId,
    invoice_id: invoiceId,
    amount_minor: 1000,
    currency: 'USD',
    status: 'completed',
  });
}

describe('completing the invoices’ payment lists', () => {
  test('when invoices were paid before they had lists, then each gets one once, a list written meanwhile stays, and afterwards an invoice without a list has no payments', async () => {
    await olderPayment('pay_old_a1', 'ten_lists_1', 'inv_a');
    await olderPayment('pay_old_a2', 'ten_lists_1', 'inv_a');
    await olderPayment('pay_old_b1', 'ten_lists_1', 'inv_b');
    await olderPayment('pay_old_c1', 'ten_lists_2', 'inv_a');
    // inv_b's list was written by a decision that looked its payments up itself
    await lists.write(
      'ten_lists_1',
      'inv_b',
      { ids: ['pay_old_b1', 'pay_new_b2'], foldedMinor: 0 },
      0,
    );
    expect(await lists.read('ten_lists_1', 'inv_a')).toBeNull();

    await completeInvoiceLists({ payments, invoicePayments: lists }, logger);

    expect(await lists.read('ten_lists_1', 'inv_a')).toEqual({
      ids: ['pay_old_a1', 'pay_old_a2'],
      held: {},
      foldedMinor: 0,
      credits: {},
      seq: 0,
    });
    expect((await lists.read('ten_lists_1', 'inv_b'))!.ids).toEqual(['pay_old_b1', 'pay_new_b2']);
    expect((await lists.read('ten_lists_2', 'inv_a'))!.ids).toEqual(['pay_old_c1']);
    // never paid: no payments, without a look-up by invoice id
    expect(await lists.read('ten_lists_1', 'inv_never')).toEqual({
      ids: [],
      held: {},
      foldedMinor: 0,
      credits: {},
      seq: 0,
    });

    // another process starting later finds the marker and writes nothing
    await lists.write('ten_lists_1', 'inv_a', { ids: ['pay_old_a1'], foldedMinor: 0 }, 0);
    const later = invoicePaymentsStore(mongo);
    await completeInvoiceLists({ payments, invoicePayments: later }, logger);
    expect((await later.read('ten_lists_1', 'inv_a'))!.ids).toEqual(['pay_old_a1']);
    expect((await later.read('ten_lists_1', 'inv_never'))!.ids).toEqual([]);
  });
});
