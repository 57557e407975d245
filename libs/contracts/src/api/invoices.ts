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
  /**
   * Seed 002: with customer_entitlement_master_id, compute the lines from the entitlement's
   * details for the billing period (default: the month of issue_date, else the current month).
   */
  auto_calculate: z.boolean().optional(),
  period_start: dateInput.optional(),
  period_end: dateInput.optional(),
});
export type CreateInvoiceRequest = z.infer<typeof createInvoiceRequest>;

/** PATCH (partial) and PUT (full) of a draft: header fields, and with `details` its whole line list. */
export const updateInvoiceRequest = z.object({
  customer_id: idInput.nullable().optional(),
  customer_entitlement_master_id: idInput.nullable().optional(),
  information_master_id: idInput.nullable().optional(),
  issue_date: dateInput.nullable().optional(),
  due_date: dateInput.nullable().optional(),
  /** "unpaid"/"issued" issues the draft (next gapless number); "void" voids it. */
  status: z.enum(['draft', 'unpaid', 'issued', 'void']).optional(),
  currency: currencySchema.optional(),
  remarks: z.string().max(1000).nullable().optional(),
  details: z.array(invoiceLineInput).max(500).optional(),
});
export type UpdateInvoiceRequest = z.infer<typeof updateInvoiceRequest>;

export const updateInvoiceDetailRequest = invoiceLineInput.partial().extend({
  invoice_master_id: idInput.optional(),
});
export type UpdateInvoiceDetailRequest = z.infer<typeof updateInvoiceDetailRequest>;

/** Seed 002 auto_generate: one invoice for one entitlement and billing period (idempotent). */
export const autoGenerateRequest = z.object({
  entitlement_id: idInput,
  /** Default: the current calendar month (UTC). */
  period_start: dateInput.optional(),
  period_end: dateInput.optional(),
  /** Issue at once (gapless number, status unpaid); default false: a draft. */
  issue: z.boolean().optional(),
  issue_date: dateInput.optional(),
  due_date: dateInput.optional(),
  information_master_id: idInput.optional(),
});
export type AutoGenerateRequest = z.infer<typeof autoGenerateRequest>;

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
  information_master_id: z.string().nullable(),
  /** The entitlement's bill number (searchable). */
  bill_number: z.string().nullable(),
  period_start: z.string().nullable(),
  period_end: z.string().nullable(),
  billing_run_id: z.string().nullable(),
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
  /** More than the total was paid: never a negative balance due (reconciliation reports it). */
  overpaid_amount: money,
  details: z.array(invoiceDetailView),
  remarks: z.string().nullable(),
  ...auditFields,
});
export type InvoiceView = z.infer<typeof invoiceView>;
