import { z } from 'zod';
import { auditFields, dateInput } from './common';
import { component } from '../component';

export const BILLING_RUN_STATUSES = [
  'queued',
  'running',
  'completed',
  'completed_with_errors',
] as const;
export type BillingRunStatus = (typeof BILLING_RUN_STATUSES)[number];

export const createBillingRunRequest = component(
  'BillingRunCreate',
  z.object({
    period_start: dateInput,
    period_end: dateInput,
    /** Issue every generated invoice (gapless numbers); default false: drafts. */
    issue: z.boolean().optional(),
  }),
);
export type CreateBillingRunRequest = z.infer<typeof createBillingRunRequest>;

export const billingRunView = component(
  'BillingRun',
  z.object({
    id: z.string(),
    status: z.enum(BILLING_RUN_STATUSES),
    period_start: z.string(),
    period_end: z.string(),
    issue: z.boolean(),
    /** Entitlements the run covers. */
    total: z.number(),
    /** Invoices this run created. */
    generated: z.number(),
    /** Invoices that already existed for the entitlement and period (e.g. from auto_generate). */
    skipped: z.number(),
    failed: z.number(),
    chunks_total: z.number(),
    chunks_done: z.number(),
    errors: z.array(z.object({ entitlement_id: z.string(), message: z.string() })),
    completed_at: z.string().nullable(),
    ...auditFields,
  }),
);
export type BillingRunView = z.infer<typeof billingRunView>;
