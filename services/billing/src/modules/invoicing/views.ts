import {
  formatMinor,
  formatRate,
  type BillingRunView,
  type CreditNoteView,
  type InvoiceView,
} from '@ledgerline/contracts';
import type { BillingRun } from './store/billing-runs';
import type { ShownCreditNote } from './store/credit-notes';
import type { InvoiceViewSource } from './store/invoices';

interface Audited {
  created_by: string | null;
  updated_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** Who wrote a document and when, as every view answers it last (dates as ISO 8601 UTC). */
function auditView(doc: Audited) {
  return {
    created_by: doc.created_by,
    updated_by: doc.updated_by,
    created_at: new Date(doc.created_at).toISOString(),
    updated_at: new Date(doc.updated_at).toISOString(),
  };
}

/** A full invoice or the projection reads fetch (`findViewById`): the same answer. */
export function invoiceView(inv: InvoiceViewSource): InvoiceView {
  const money = (minor: number) => formatMinor(minor, inv.currency);
  return {
    id: inv._id,
    invoice_number: inv.invoice_number,
    customer_id: inv.customer_id,
    customer_entitlement_master_id: inv.customer_entitlement_master_id,
    information_master_id: inv.information_master_id ?? null,
    bill_number: inv.bill_number ?? null,
    period_start: inv.period_start ?? null,
    period_end: inv.period_end ?? null,
    billing_run_id: inv.billing_run_id ?? null,
    status: inv.status,
    currency: inv.currency,
    issue_date: inv.issue_date,
    due_date: inv.due_date,
    sub_total: money(inv.sub_total_minor),
    vat_amount: money(inv.vat_minor),
    discount_amount: money(inv.discount_minor),
    total_bill_amount: money(inv.total_minor),
    total_paid_amount: money(inv.paid_minor),
    // an overpaid invoice (only payments accepted before the payments service owned the
    // balance can cause one) owes nothing and says by how much it was overpaid
    total_balance_due: money(Math.max(0, inv.balance_due_minor)),
    overpaid_amount: money(Math.max(0, -inv.balance_due_minor)),
    credited_amount: money(inv.credited_minor ?? 0),
    // a paid or void invoice is no longer overdue, whatever its history says
    overdue: Boolean(inv.overdue) && (inv.status === 'unpaid' || inv.status === 'partial'),
    dunning: (inv.dunning ?? []).map((d) => ({
      step: d.step,
      offset_days: d.offset_days,
      action: d.action,
      at: new Date(d.at).toISOString(),
      skipped: d.skipped,
    })),
    credit_notes: (inv.credit_notes ?? []).map((c) => ({
      id: c.id,
      credit_note_number: c.number,
      amount: money(c.amount_minor),
    })),
    details: inv.details.map((line) => ({
      id: line.id,
      invoice_master_id: inv._id,
      entitlement_details_id: line.entitlement_details_id,
      sub_total: money(line.sub_total_minor),
      vat_rate: formatRate(line.vat_rate),
      vat_amount: money(line.vat_minor),
      sub_discount_rate: formatRate(line.discount_rate),
      discount_amount: money(line.discount_minor),
      line_total: money(line.line_total_minor),
      remarks: line.remarks,
    })),
    remarks: inv.remarks,
    ...auditView(inv),
  };
}

export function billingRunView(run: BillingRun): BillingRunView {
  return {
    id: run._id,
    status: run.status,
    period_start: run.period_start,
    period_end: run.period_end,
    issue: run.issue,
    total: run.total,
    generated: run.generated,
    skipped: run.skipped,
    failed: run.failed,
    chunks_total: run.chunks_total,
    chunks_done: run.done_chunks.length,
    errors: run.failures,
    completed_at: run.completed_at ? new Date(run.completed_at).toISOString() : null,
    ...auditView(run),
  };
}

/** A credit note as the API shows it (issue 17). */
export function creditNoteView(note: ShownCreditNote): CreditNoteView {
  const money = (minor: number) => formatMinor(minor, note.currency);
  return {
    id: note._id,
    credit_note_number: note.credit_note_number,
    status: note.status,
    invoice_id: note.invoice_id,
    invoice_number: note.invoice_number,
    customer_id: note.customer_id,
    currency: note.currency,
    amount: money(note.amount_minor),
    vat_amount: money(note.vat_minor),
    net_amount: money(note.net_minor),
    lines: note.lines.map((l) => ({
      invoice_detail_id: l.invoice_detail_id,
      description: l.description ?? null,
      amount: money(l.amount_minor),
    })),
    reason: note.reason,
    issue_date: note.issue_date,
    ...auditView(note),
  };
}
