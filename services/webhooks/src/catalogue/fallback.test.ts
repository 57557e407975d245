import { buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import { dataFromEvent } from './fallback';

const AT = new Date('2026-03-04T05:06:07.000Z');

describe('data from the event when the owner answers 404', () => {
  it('when an invoice is gone, then its amounts in the GET names, money as decimal strings', () => {
    const e = buildEvent('InvoiceStatusChanged', {
      tenant_id: 'ten_a',
      now: AT,
      data: {
        invoice_id: 'inv_1',
        invoice_number: 'INV-000007',
        customer_id: 'cus_1',
        currency: 'JPY',
        status: 'partial',
        previous_status: 'unpaid',
        total_minor: 1100,
        paid_minor: 300,
        balance_due_minor: 800,
        sub_total_minor: 1000,
        vat_minor: 100,
        discount_minor: 0,
        issue_date: '2026-03-01',
        payment_id: 'pay_1',
        payment_change: 'payment',
      },
    }) as EventEnvelope;
    expect(dataFromEvent(e, { kind: 'invoice', id: 'inv_1' })).toEqual({
      id: 'inv_1',
      invoice_number: 'INV-000007',
      customer_id: 'cus_1',
      status: 'partial',
      currency: 'JPY',
      issue_date: '2026-03-01',
      sub_total: '1000',
      vat_amount: '100',
      discount_amount: '0',
      total_bill_amount: '1100',
      total_paid_amount: '300',
      total_balance_due: '800',
      deleted: true,
    });
  });

  it('when a payment is gone, then what its event names; a refund in refunds, not as the amount', () => {
    const e = buildEvent('PaymentRefunded', {
      tenant_id: 'ten_a',
      now: AT,
      data: {
        refund_id: 'ref_1',
        payment_id: 'pay_1',
        invoice_id: 'inv_1',
        customer_id: null,
        amount_minor: 1550,
        currency: 'USD',
        reason: null,
      },
    }) as EventEnvelope;
    expect(dataFromEvent(e, { kind: 'payment', id: 'pay_1' })).toEqual({
      id: 'pay_1',
      invoice_master_id: 'inv_1',
      customer_id: null,
      currency: 'USD',
      refunds: [{ id: 'ref_1', amount: '15.50', reason: null }],
      deleted: true,
    });
    const voided = buildEvent('PaymentVoided', {
      tenant_id: 'ten_a',
      now: AT,
      data: {
        payment_id: 'pay_1',
        invoice_id: 'inv_1',
        customer_id: 'cus_1',
        amount_minor: 2000,
        currency: 'USD',
        reason: 'typo',
      },
    }) as EventEnvelope;
    expect(dataFromEvent(voided, { kind: 'payment', id: 'pay_1' })).toEqual({
      id: 'pay_1',
      invoice_master_id: 'inv_1',
      customer_id: 'cus_1',
      amount: '20.00',
      currency: 'USD',
      deleted: true,
    });
  });

  it('when a credit transaction is gone (its tenant deleted), then its view with created_at = occurred_at', () => {
    const e = buildEvent('CreditTransactionRecorded', {
      tenant_id: 'ten_a',
      now: AT,
      data: {
        transaction_id: 'ctx_1',
        tenant_id: 'ten_a',
        transaction_type: 'deduction',
        amount: -60,
        balance_after: 90,
        seq: 3,
        description: 'export',
        operation_type: 'export',
        value_minor: 60,
        currency: 'USD',
        invoice_id: null,
      },
    }) as EventEnvelope;
    expect(dataFromEvent(e, { kind: 'credit_transaction', id: 'ctx_1' })).toEqual({
      id: 'ctx_1',
      amount: -60,
      transaction_type: 'deduction',
      description: 'export',
      created_at: '2026-03-04T05:06:07.000Z',
      balance_after: 90,
      seq: 3,
      operation_type: 'export',
      invoice_id: null,
      deleted: true,
    });
  });

  it('when a customer is gone (its tenant deleted), then its snapshot without the revision', () => {
    const e = buildEvent('CustomerDeleted', {
      tenant_id: 'ten_a',
      now: AT,
      data: {
        customer_id: 'cus_1',
        customer_number: 'C-1',
        customer_name: 'Acme',
        customer_type: 'bw',
        status: 'active',
        is_active: true,
        currency: 'USD',
        kam_id: null,
        email: 'a@example.com',
        revision: 4,
      },
    }) as EventEnvelope;
    expect(dataFromEvent(e, { kind: 'customer', id: 'cus_1', deleted: true })).toEqual({
      id: 'cus_1',
      customer_number: 'C-1',
      customer_name: 'Acme',
      customer_type: 'bw',
      status: 'active',
      is_active: true,
      currency: 'USD',
      kam_id: null,
      email: 'a@example.com',
      deleted: true,
    });
  });

  it('when a renewed subscription is gone, then its id, subscriber and plan', () => {
    const e = buildEvent('SubscriptionInvoiceDue', {
      tenant_id: 'ten_a',
      now: AT,
      data: {
        subscription_id: 'sub_1',
        subscriber: { kind: 'organization', id: 'ten_b', name: 'B' },
        plan_id: 'pln_1',
        plan_code: 'gold',
        plan_version: 2,
        currency: 'USD',
        due_at: AT.toISOString(),
        reason: 'renewed',
        invoice_key: 'k',
        lines: [
          {
            charge_code: 'base',
            description: 'Gold',
            kind: 'flat',
            period_start: AT.toISOString(),
            period_end: AT.toISOString(),
            quantity: '1',
            amount_minor: 1,
          },
        ],
      },
    }) as EventEnvelope;
    expect(dataFromEvent(e, { kind: 'subscription', id: 'sub_1' })).toEqual({
      id: 'sub_1',
      organization: { id: 'ten_b' },
      customer: null,
      plan: { id: 'pln_1', slug: 'gold' },
      plan_version: 2,
      deleted: true,
    });
  });
});
