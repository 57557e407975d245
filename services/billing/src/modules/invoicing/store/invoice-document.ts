import type { EventEnvelope } from '@ledgerline/contracts';
import { outboxOnInsert, type OutboxFields } from '@ledgerline/platform';
import type { NewInvoice } from './invoice-schema';

/**
 * A new invoice exactly as mongoose would store it (every schema field, in its type, timestamps
 * set), for inserts that skip mongoose's casting. The unit test compares it with mongoose's own.
 */
export function storedInvoice(
  invoice: NewInvoice,
  events: EventEnvelope[],
  now: Date,
  /** How its events leave: the relay (default), or the writer itself (`publishedByWriter`). */
  eventFields: (events: EventEnvelope[]) => OutboxFields = outboxOnInsert,
) {
  return {
    _id: invoice._id,
    tenant_id: invoice.tenant_id,
    invoice_number: invoice.invoice_number ?? null,
    number_seq: invoice.number_seq ?? null,
    number_key: invoice.number_key,
    customer_id: invoice.customer_id ?? null,
    customer_entitlement_master_id: invoice.customer_entitlement_master_id ?? null,
    information_master_id: invoice.information_master_id ?? null,
    bill_number: invoice.bill_number ?? null,
    period_start: invoice.period_start ?? null,
    period_end: invoice.period_end ?? null,
    billing_run_id: invoice.billing_run_id ?? null,
    subscription_id: invoice.subscription_id ?? null,
    status: invoice.status,
    currency: invoice.currency,
    issue_date: invoice.issue_date ?? null,
    due_date: invoice.due_date ?? null,
    details: invoice.details.map((line) => ({
      id: line.id,
      entitlement_details_id: line.entitlement_details_id ?? null,
      sub_total_minor: line.sub_total_minor,
      vat_rate: line.vat_rate,
      discount_rate: line.discount_rate,
      vat_minor: line.vat_minor,
      discount_minor: line.discount_minor,
      line_total_minor: line.line_total_minor,
      remarks: line.remarks ?? null,
    })),
    sub_total_minor: invoice.sub_total_minor,
    vat_minor: invoice.vat_minor,
    discount_minor: invoice.discount_minor,
    total_minor: invoice.total_minor,
    paid_minor: invoice.paid_minor,
    balance_due_minor: invoice.balance_due_minor,
    applied_payments: [] as string[],
    credited_minor: 0,
    credit_notes: [] as never[],
    overdue: false,
    overdue_at: null,
    dunning: [] as never[],
    version: 1,
    remarks: invoice.remarks ?? null,
    created_by: invoice.created_by ?? null,
    updated_by: invoice.updated_by ?? null,
    ...eventFields(events),
    created_at: now,
    updated_at: now,
  };
}
