import { formatMinor, formatRate, type InvoiceView } from '@ledgerline/contracts';
import type { Invoice } from './store/invoices';

export function invoiceView(inv: Invoice): InvoiceView {
  const money = (minor: number) => formatMinor(minor, inv.currency);
  return {
    id: inv._id,
    invoice_number: inv.invoice_number,
    customer_id: inv.customer_id,
    customer_entitlement_master_id: inv.customer_entitlement_master_id,
    status: inv.status,
    currency: inv.currency,
    issue_date: inv.issue_date,
    due_date: inv.due_date,
    sub_total: money(inv.sub_total_minor),
    vat_amount: money(inv.vat_minor),
    discount_amount: money(inv.discount_minor),
    total_bill_amount: money(inv.total_minor),
    total_paid_amount: money(inv.paid_minor),
    total_balance_due: money(inv.balance_due_minor),
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
    created_by: inv.created_by,
    updated_by: inv.updated_by,
    created_at: new Date(inv.created_at).toISOString(),
    updated_at: new Date(inv.updated_at).toISOString(),
  };
}
