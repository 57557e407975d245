import { z } from 'zod';
import { amountInputSchema, currencySchema, rateInputSchema } from '../money';
import { dunningStepView } from './dunning';
import { invoiceStatusSchema } from '../events';
import { auditFields, dateInput, idInput } from './common';
import type {
  CustomerSnapshot,
  EntitlementDetailSnapshot,
  PackagePricingSnapshot,
  UtilityInfoSnapshot,
} from '../events-customers';
import { component } from '../component';

export const invoiceLineInput = component(
  'InvoiceLineInput',
  z.object({
    entitlement_details_id: idInput.optional(),
    sub_total: amountInputSchema,
    vat_rate: rateInputSchema.optional(),
    sub_discount_rate: rateInputSchema.optional(),
    remarks: z.string().max(1000).optional(),
  }),
);
export type InvoiceLineInput = z.infer<typeof invoiceLineInput>;

export const createInvoiceRequest = component(
  'InvoiceCreate',
  z.object({
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
  }),
);
export type CreateInvoiceRequest = z.infer<typeof createInvoiceRequest>;

/** PATCH (partial) and PUT (full) of a draft: header fields, and with `details` its whole line list. */
export const updateInvoiceRequest = component(
  'InvoiceUpdate',
  z.object({
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
  }),
);
export type UpdateInvoiceRequest = z.infer<typeof updateInvoiceRequest>;

export const updateInvoiceDetailRequest = component(
  'InvoiceLineUpdate',
  invoiceLineInput.partial().extend({
    invoice_master_id: idInput.optional(),
  }),
);
export type UpdateInvoiceDetailRequest = z.infer<typeof updateInvoiceDetailRequest>;

/**
 * Seed 002 auto_generate. With a period: that period's invoice. Without: one invoice per calendar
 * month from the entitlement's first billable month up to this month not billed yet (idempotent
 * per entitlement and period).
 */
export const autoGenerateRequest = component(
  'InvoiceAutoGenerate',
  z.object({
    entitlement_id: idInput,
    /** Both or neither: without them every due month not billed yet up to today is billed. */
    period_start: dateInput.optional(),
    period_end: dateInput.optional(),
    /** Issue at once (gapless number, status unpaid); default false: a draft. */
    issue: z.boolean().optional(),
    issue_date: dateInput.optional(),
    due_date: dateInput.optional(),
    information_master_id: idInput.optional(),
  }),
);
export type AutoGenerateRequest = z.infer<typeof autoGenerateRequest>;

/**
 * What the customers service answers billing about one entitlement, read at the time asked (its
 * internal billing-snapshot route): the snapshots its events carry, so auto_generate bills
 * current data rather than billing's copies, which may be seconds behind.
 */
export interface EntitlementBillingSnapshot {
  entitlement_id: string;
  customer_id: string;
  currency: string;
  bill_number: string | null;
  customer: CustomerSnapshot | null;
  /** The entitlement's live rows. */
  details: EntitlementDetailSnapshot[];
  /** The live pricings of the packages its rows name. */
  pricings: Omit<PackagePricingSnapshot, 'deleted'>[];
  /** The utility information asked for, else the tenant's oldest active one (its VAT rate). */
  utility: Omit<UtilityInfoSnapshot, 'deleted'> | null;
}

export const createInvoiceDetailRequest = component(
  'InvoiceLineCreate',
  invoiceLineInput.extend({ invoice_master_id: idInput }),
);
export type CreateInvoiceDetailRequest = z.infer<typeof createInvoiceDetailRequest>;

const money = z.string();

export const invoiceDetailView = component(
  'InvoiceLine',
  z.object({
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
  }),
);

export const invoiceView = component(
  'Invoice',
  z.object({
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
    /** What credit notes took off the invoice (issue 17): total = paid + credited + balance due. */
    credited_amount: money,
    credit_notes: z.array(
      z.object({ id: z.string(), credit_note_number: z.string(), amount: money }),
    ),
    /** Past its due date with money owed (issue 17): set by the dunning sweep, cleared by payment. */
    overdue: z.boolean(),
    /** The dunning steps taken, oldest first. */
    dunning: z.array(dunningStepView),
    details: z.array(invoiceDetailView),
    remarks: z.string().nullable(),
    ...auditFields,
  }),
);
export type InvoiceView = z.infer<typeof invoiceView>;

/** An invoice an auto_generate call answers for, as listed beside the latest one. */
export const generatedInvoiceView = component(
  'GeneratedInvoice',
  z.object({
    id: z.string(),
    invoice_number: z.string().nullable(),
    status: invoiceStatusSchema,
    period_start: z.string().nullable(),
    period_end: z.string().nullable(),
    currency: z.string(),
    total_bill_amount: money,
    /** Made by this call (false: billed before, answered again). */
    created: z.boolean(),
  }),
);

/** auto_generate's answer: the latest period's invoice, and every period's invoice, oldest first. */
export const autoGenerateView = component(
  'InvoiceAutoGenerated',
  invoiceView.extend({ invoices: z.array(generatedInvoiceView) }),
);
