import mongoose from 'mongoose';
import { buildEvent } from '@ledgerline/contracts';
import { storedInvoice } from './invoice-document';
import { invoiceStore, type NewInvoice } from './invoices';

const invoice: NewInvoice = {
  _id: 'inv_auto_1',
  tenant_id: 'ten_1',
  invoice_number: 'INV-000007',
  number_seq: 7,
  number_key: 'INV-000007',
  customer_id: 'cus_1',
  customer_entitlement_master_id: 'ent_1',
  information_master_id: null,
  bill_number: 'B-1',
  period_start: '2025-01-01',
  period_end: '2025-01-31',
  billing_run_id: 'brun_1',
  status: 'unpaid',
  currency: 'USD',
  issue_date: '2025-02-01',
  due_date: null,
  details: [
    {
      id: 'ind_1',
      entitlement_details_id: 'end_1',
      sub_total_minor: 20000,
      vat_rate: 0.1,
      discount_rate: 0,
      vat_minor: 2000,
      discount_minor: 0,
      line_total_minor: 22000,
      remarks: 'ipt 10 Mbps',
    },
  ],
  sub_total_minor: 20000,
  vat_minor: 2000,
  discount_minor: 0,
  total_minor: 22000,
  paid_minor: 0,
  balance_due_minor: 22000,
  remarks: null,
  created_by: 'usr_1',
  updated_by: 'usr_1',
};

describe('storedInvoice', () => {
  it('when an invoice is written without mongoose casting, then it is the document mongoose would store', () => {
    const connection = mongoose.createConnection();
    const { model } = invoiceStore(connection);
    const event = buildEvent('InvoiceCreated', {
      tenant_id: 'ten_1',
      correlation_id: 'corr_1',
      data: {
        invoice_id: invoice._id,
        invoice_number: invoice.invoice_number,
        customer_id: invoice.customer_id,
        currency: 'USD',
        status: 'unpaid',
        total_minor: 22000,
        paid_minor: 0,
        balance_due_minor: 22000,
        sub_total_minor: 20000,
        vat_minor: 2000,
        discount_minor: 0,
        issue_date: '2025-02-01',
      },
    });
    const now = new Date('2025-02-01T10:00:00Z');
    const viaMongoose = new model({
      ...invoice,
      applied_payments: [],
      version: 1,
      _outbox: [event],
      _outbox_pending: true,
      created_at: now,
      updated_at: now,
    }).toObject();
    const lean = storedInvoice(invoice, [event], now);
    expect(JSON.parse(JSON.stringify(lean))).toEqual(JSON.parse(JSON.stringify(viaMongoose)));
    expect(Object.keys(lean).sort()).toEqual(Object.keys(viaMongoose).sort());
  });
});
