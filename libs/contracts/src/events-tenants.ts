import { z } from 'zod';
import { defineEvent } from './events-define';

/**
 * Events of the tenants service. Plan limits travel with the tenant so the owning services can
 * refuse creations beyond them without a synchronous call on the hot path.
 */
const limits = z.record(z.string(), z.number().int().min(0));

const tenantPlan = z.object({
  tenant_id: z.string(),
  plan_id: z.string().nullable(),
  plan_name: z.string().nullable(),
  status: z.enum(['active', 'inactive', 'trial', 'suspended']),
  limits,
  billing_cycle: z.enum(['monthly', 'yearly']),
  expires_at: z.string().nullable(),
});

const periodStarted = z.object({
  tenant_id: z.string(),
  plan_id: z.string(),
  plan_name: z.string(),
  billing_cycle: z.enum(['monthly', 'yearly']),
  period_start: z.string(),
  period_end: z.string(),
  /** The plan's price for one cycle, in minor units of `currency`. */
  amount_minor: z.number().int().min(0),
  currency: z.string(),
  reason: z.enum(['started', 'renewed', 'plan_changed']),
});

export const TENANT_EVENTS = {
  /**
   * A paid billing period began (subscription start, renewal, or plan change): billing turns it
   * into the tenant's invoice from the platform tenant. One event per period; never repeated.
   */
  SubscriptionPeriodStarted: defineEvent({
    topic: 'tenants',
    version: 1,
    schema: periodStarted,
    key: (d) => d.tenant_id,
  }),
  /** A tenant's plan, limits or status as they are now (on creation and on every change). */
  TenantPlanChanged: defineEvent({
    topic: 'tenants',
    version: 1,
    schema: tenantPlan,
    key: (d) => d.tenant_id,
  }),
  /** Every service deletes the tenant's data when it sees this (seed 003 "delete tenant"). */
  TenantDeleted: defineEvent({
    topic: 'tenants',
    version: 1,
    schema: z.object({ tenant_id: z.string(), deleted_at: z.string() }),
    key: (d) => d.tenant_id,
  }),
} as const;
