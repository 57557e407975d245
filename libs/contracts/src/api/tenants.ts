import { z } from 'zod';
import { amountInputSchema, currencySchema } from '../money';
import { idInput } from './common';
import { component } from '../component';

/** Request and response schemas of the tenants service (seed 003; seed 001 subscriptions). */

export const TENANT_STATUSES = ['active', 'inactive', 'trial', 'suspended'] as const;
export const BILLING_CYCLES = ['monthly', 'yearly'] as const;

/** Plan limits: an open map of metric -> maximum (customers, invoices, projects, staff, ...). */
export const planLimitsSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'metric names are lowercase words'),
  z.number().int().min(0),
);

export const createPlanRequest = component(
  'SaasPlanCreate',
  z.object({
    name: z.string().trim().min(1).max(100),
    price_monthly: amountInputSchema,
    price_yearly: amountInputSchema,
    currency: currencySchema.default('USD'),
    billing_cycle: z.enum(BILLING_CYCLES).default('monthly'),
    is_popular: z.boolean().default(false),
    trial_enabled: z.boolean().default(false),
    trial_days: z.number().int().min(1).max(365).default(14),
    is_active: z.boolean().default(true),
    limits: planLimitsSchema.default({}),
  }),
);
export type CreatePlanRequest = z.infer<typeof createPlanRequest>;

/** PUT and PATCH both take any subset of the fields. */
export const updatePlanRequest = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  price_monthly: amountInputSchema.optional(),
  price_yearly: amountInputSchema.optional(),
  currency: currencySchema.optional(),
  billing_cycle: z.enum(BILLING_CYCLES).optional(),
  is_popular: z.boolean().optional(),
  trial_enabled: z.boolean().optional(),
  trial_days: z.number().int().min(1).max(365).optional(),
  is_active: z.boolean().optional(),
  limits: planLimitsSchema.optional(),
});
export type UpdatePlanRequest = z.infer<typeof updatePlanRequest>;

export const planView = component(
  'SaasPlan',
  z.object({
    id: z.string(),
    name: z.string(),
    price_monthly: z.string(),
    price_yearly: z.string(),
    currency: z.string(),
    billing_cycle: z.enum(BILLING_CYCLES),
    is_popular: z.boolean(),
    trial_enabled: z.boolean(),
    trial_days: z.number(),
    is_active: z.boolean(),
    limits: z.record(z.string(), z.number()),
    created_at: z.string(),
    updated_at: z.string(),
  }),
);

/** A DNS label: lowercase letters, digits and inner hyphens, 1-63 characters. */
export const subdomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?!-)[a-z0-9-]{1,63}(?<!-)$/,
    'must be a DNS label: lowercase letters, digits and inner hyphens, at most 63',
  );

export const createTenantRequest = component(
  'TenantCreate',
  z.object({
    company_name: z.string().trim().min(1).max(200),
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase()),
    first_name: z.string().trim().min(1).max(100),
    last_name: z.string().trim().min(1).max(100),
    plan_id: idInput,
    subdomain: subdomainSchema,
    password: z.string().min(1).max(256).optional(),
  }),
);
export type CreateTenantRequest = z.infer<typeof createTenantRequest>;

export const updateTenantRequest = z.object({
  company_name: z.string().trim().min(1).max(200).optional(),
  plan_id: idInput.optional(),
  status: z.enum(TENANT_STATUSES).optional(),
});
export type UpdateTenantRequest = z.infer<typeof updateTenantRequest>;

export const updateSubscriptionRequest = z.object({
  plan_id: idInput.optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
});
export type UpdateSubscriptionRequest = z.infer<typeof updateSubscriptionRequest>;

export const usageMetricView = component(
  'TenantUsageMetric',
  z.object({
    used: z.number(),
    limit: z.number().nullable(),
    percentage: z.number().nullable(),
  }),
);
export const usageView = component('TenantUsage', z.record(z.string(), usageMetricView));

export const tenantView = component(
  'Tenant',
  z.object({
    id: z.string(),
    company_name: z.string(),
    subdomain: z.string(),
    domain: z.string(),
    plan: z.string().nullable(),
    plan_id: z.string().nullable(),
    plan_name: z.string().nullable(),
    status: z.enum(TENANT_STATUSES),
    created_at: z.string(),
    expires_at: z.string().nullable(),
  }),
);

export const tenantDetailView = component('TenantDetail', tenantView.extend({ usage: usageView }));

export const subscriptionView = component(
  'TenantSubscription',
  z.object({
    tenant_id: z.string(),
    plan_id: z.string().nullable(),
    plan_name: z.string().nullable(),
    status: z.enum(TENANT_STATUSES),
    started_at: z.string(),
    expires_at: z.string().nullable(),
    next_invoice_at: z.string().nullable(),
    billing_cycle: z.enum(BILLING_CYCLES),
  }),
);

/** Usage of metrics Ledgerline does not own, reported by the tenant's own systems. */
export const recordUsageRequest = z.object({
  event_id: z.string().trim().min(1).max(128),
  metric: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'metric names are lowercase words'),
  quantity: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((n) => n !== 0, 'must not be 0'),
  occurred_at: z.iso.datetime({ offset: true }).optional(),
});
export type RecordUsageRequest = z.infer<typeof recordUsageRequest>;

/** Seed 001 "Grants a subscription": the subscriber organization, named by its slug. */
export const grantSubscriptionRequest = z.object({
  organization: z.object({ slug: z.string().trim().min(1).max(63) }),
  expires_at: z.iso.datetime({ offset: true }).optional(),
});
export type GrantSubscriptionRequest = z.infer<typeof grantSubscriptionRequest>;

/** Seed 001's subscription item: who subscribes to which plan of which provider. */
export const profileSubscriptionView = component(
  'ProfileSubscription',
  z.object({
    organization: z.object({ id: z.string(), slug: z.string(), printable_name: z.string() }),
    plan: z.object({
      id: z.string().nullable(),
      slug: z.string().nullable(),
      title: z.string().nullable(),
    }),
    provider: z.string(),
    status: z.enum(TENANT_STATUSES),
    created_at: z.string(),
    ends_at: z.string().nullable(),
  }),
);
