import { z } from 'zod';
import { component } from '../component';
import { rateInputSchema } from '../money';
import { auditFields, idInput } from './common';
import { emailSchema, phoneSchema, UTILITY_TYPES } from './customers';

/** Seed 002 UTILITY: the company information printed on invoices and its payment details. */

const text = (max: number) => z.string().trim().max(max).nullable().optional();
const name = (max: number) => z.string().trim().min(1).max(max);

// ---------------------------------------------------------------- utility information

export const utilityInfoRequest = component(
  'UtilityInfoCreate',
  z.object({
    company_name: name(200),
    address: text(500),
    phone: phoneSchema.nullable().optional(),
    email: emailSchema.nullable().optional(),
    website: text(200),
    vat_registration_number: text(64),
    /** Percentage with at most 2 decimals, printed on and applied to invoices. */
    vat_rate: rateInputSchema.optional(),
    invoice_footer: text(1000),
    is_active: z.boolean().optional(),
  }),
);
export type UtilityInfoRequest = z.infer<typeof utilityInfoRequest>;
export const utilityInfoPatchRequest = utilityInfoRequest.partial();
export type UtilityInfoPatchRequest = z.infer<typeof utilityInfoPatchRequest>;

export const utilityDetailRequest = component(
  'UtilityDetailCreate',
  z.object({
    utility_master_id: idInput,
    type: z.enum(UTILITY_TYPES),
    /** Bank name, or the wallet's label. */
    name: name(200),
    /** Account or wallet number. */
    number: z.string().trim().min(1).max(64),
    account_name: text(200),
    branch: text(200),
    routing_number: text(64),
    is_active: z.boolean().optional(),
    remarks: text(1000),
  }),
);
export type UtilityDetailRequest = z.infer<typeof utilityDetailRequest>;
export const utilityDetailPatchRequest = utilityDetailRequest.partial();
export type UtilityDetailPatchRequest = z.infer<typeof utilityDetailPatchRequest>;

export const utilityDetailView = component(
  'UtilityDetail',
  z.object({
    id: z.string(),
    utility_master_id: z.string(),
    type: z.enum(UTILITY_TYPES),
    name: z.string(),
    number: z.string(),
    account_name: z.string().nullable(),
    branch: z.string().nullable(),
    routing_number: z.string().nullable(),
    is_active: z.boolean(),
    remarks: z.string().nullable(),
    ...auditFields,
  }),
);
export type UtilityDetailView = z.infer<typeof utilityDetailView>;

export const utilityInfoView = component(
  'UtilityInfo',
  z.object({
    id: z.string(),
    company_name: z.string(),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    website: z.string().nullable(),
    vat_registration_number: z.string().nullable(),
    vat_rate: z.string(),
    invoice_footer: z.string().nullable(),
    is_active: z.boolean(),
    details: z.array(utilityDetailView),
    active_details: z.array(utilityDetailView),
    ...auditFields,
  }),
);
export type UtilityInfoView = z.infer<typeof utilityInfoView>;
