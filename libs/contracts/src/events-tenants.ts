import { z } from 'zod';
import { eventV1 } from './events-define';

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
  /**
   * Grows with every change of the tenant's plan, status or plan limits, so a copy keeps the
   * newest of an event and the tenants service's direct answer. Absent on older events.
   */
  revision: z.number().int().min(0).optional(),
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

/**
 * A plan as it is now (seed 003 plans are the platform's). Billing prices seed 001's cart from
 * it. `revision` grows with every change so a projection keeps the highest it has seen.
 */
const planSnapshot = z.object({
  plan_id: z.string(),
  name: z.string(),
  slug: z.string(),
  price_monthly_minor: z.number().int().min(0),
  price_yearly_minor: z.number().int().min(0),
  currency: z.string(),
  is_active: z.boolean(),
  revision: z.number().int().positive(),
});
export type PlanSnapshot = z.infer<typeof planSnapshot>;

/** A provider's subscription (any tenant's plan, issue 18): who, which plan version, its period. */
const providerSubscription = z.object({
  subscription_id: z.string(),
  provider_id: z.string(),
  subscriber: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('organization'), tenant_id: z.string(), slug: z.string() }),
    z.object({ kind: z.literal('customer'), customer_id: z.string() }),
  ]),
  plan_id: z.string(),
  plan_code: z.string(),
  plan_version: z.number().int().positive(),
  status: z.enum(['trial', 'active', 'past_due', 'canceled', 'ended']),
  seats: z.number().int().positive(),
  started_at: z.string(),
  trial_ends_at: z.string().nullable(),
  current_period_start: z.string(),
  current_period_end: z.string(),
  cancel_at_period_end: z.boolean(),
  canceled_at: z.string().nullable(),
  ends_at: z.string().nullable(),
});

export const TENANT_EVENTS = {
  /**
   * A paid billing period began (subscription start, renewal, or plan change): billing turns it
   * into the tenant's invoice from the platform tenant. One event per period; never repeated.
   */
  SubscriptionPeriodStarted: eventV1('tenants', periodStarted, (d) => d.tenant_id),
  /** A tenant's plan, limits or status as they are now (on creation and on every change). */
  TenantPlanChanged: eventV1('tenants', tenantPlan, (d) => d.tenant_id),
  /** Every service deletes the tenant's data when it sees this (seed 003 "delete tenant"). */
  TenantDeleted: eventV1(
    'tenants',
    z.object({ tenant_id: z.string(), deleted_at: z.string() }),
    (d) => d.tenant_id,
  ),
  /** A plan was created or changed. Keyed by plan so one plan's snapshots stay in order. */
  PlanChanged: eventV1('tenants', planSnapshot, (d) => d.plan_id),
  /** A plan was deleted: its last snapshot, with a higher revision. */
  PlanDeleted: eventV1('tenants', planSnapshot, (d) => d.plan_id),
  /** A provider granted a plan (seed 001's grant by any tenant). Keyed by subscription. */
  SubscriptionStarted: eventV1('tenants', providerSubscription, (d) => d.subscription_id),
  /** A subscription was canceled: at its period end (`cancel_at_period_end`) or now (`ended`). */
  SubscriptionCanceled: eventV1('tenants', providerSubscription, (d) => d.subscription_id),
} as const;
