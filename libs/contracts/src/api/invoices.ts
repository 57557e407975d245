import { z } from 'zod';
import { amountInputSchema, currencySchema, rateInputSchema } from '../money';
import { invoiceStatusSchema } from '../events';
import { auditFields, dateInput, idInput } from './common';

export const invoiceLineInput = z.object({
  entitlement_details_id: idInput.optional(),
  sub_total: amountInputSchema,
  vat_rate: rateInputSchema.optional(),
  sub_discount_rate: rateInputSchema.optional(),
  remarks: z.string().max(1000).optional(),
});
export type InvoiceLineInput = z.infer<typeof invoiceLineInput>;

export const createInvoiceRequest = z.object({
  customer_id: idInput.optional(),
  customer_entitlement_master_id: idInput.optional(),
  information_master_id: idInput.optional(),
  issue_date: dateInput.optional(),
  due_date: dateInput.optional(),
  /** Invoices start as drafts; "unpaid" (or its alias "issued") issues at once. */
  status: z.enum(['draft', 'unpaid', 'issued']).default('draft'),
  currency: currencySchema.optional(),
  remarks: z.string().max(1000).optional(),
  details: z.array(invoiceLineInput).max(500).optional(),
});
export type CreateInvoiceRequest = z.infer<typeof createInvoiceRequest>;

export const createInvoiceDetailRequest = invoiceLineInput.extend({ invoice_master_id: idInput });
export type CreateInvoiceDetailRequest = z.infer<typeof createInvoiceDetailRequest>;

const money = z.string();

export const invoiceDetailView = z.object({
  id: z.string(),
  invoice_master_id: z.string(),
  entitlement_details_id: z.string().nullable(),
  sub_total: money,
  vat_rate: z.string(),
  vat_amount: money,
  sub_discount_rate: z.string(),
  discount_amount: money,
  line_total: money,
  remarks: z.string().nullable(),
});

export const invoiceView = z.object({
  id: z.string(),
  invoice_number: z.string().nullable(),
  customer_id: z.string().nullable(),
  customer_entitlement_master_id: z.string().nullable(),
  status: invoiceStatusSchema,
  currency: z.string(),
  issue_date: z.string().nullable(),
  due_date: z.string().nullable(),
  sub_total: money,
  vat_amount: money,
  discount_amount: money,
  total_bill_amount: money,
  total_paid_amount: money,
  total_balance_due: money,
  details: z.array(invoiceDetailView),
  remarks: z.string().nullable(),
  ...auditFields,
});
export type InvoiceView = z.infer<typeof invoiceView>;
