import {
  AppError,
  buildEvent,
  type CreateTenantRequest,
  type EventEnvelope,
  type UpdateSubscriptionRequest,
  type UpdateTenantRequest,
} from '@ledgerline/contracts';
import { newId, type SearchQuery } from '@ledgerline/platform';
import { addCycle } from '../domain/subscription';
import { usageReport } from '../domain/usage';
import type { Plan } from '../store/plans';
import type { Tenant } from '../store/tenants';
import type { Caller, TenantsDeps } from './deps';
import { periodStartedEvent, planChangedEvent } from './tenant-events';

const DAY_MS = 86_400_000;

/** The plan a change moves the tenant to: none when it names the tenant's own plan again. */
async function planJoined(deps: TenantsDeps, tenant: Tenant, planId: string | undefined) {
  return planId && planId !== tenant.plan_id ? activePlan(deps, planId) : null;
}

async function activePlan(deps: TenantsDeps, planId: string): Promise<Plan> {
  const plan = await deps.plans.findById(planId);
  if (!plan)
    throw AppError.validation('Unknown plan', [
      { field: 'plan_id', message: 'does not name a plan' },
    ]);
  if (!plan.is_active)
    throw AppError.validation('Inactive plan', [
      { field: 'plan_id', message: 'names a deactivated plan' },
    ]);
  return plan;
}

/**
 * Seed 003 "Create Tenant": the tenant record, then its owner in auth (the password goes to auth
 * only). The subdomain is reserved first by the unique index, so two requests for one subdomain
 * cannot both succeed; if the owner cannot be created, the reservation is released.
 */
export async function createTenant(deps: TenantsDeps, caller: Caller, req: CreateTenantRequest) {
  const plan = await activePlan(deps, req.plan_id);
  const now = new Date();
  const trialEnds = plan.trial_enabled ? new Date(now.getTime() + plan.trial_days * DAY_MS) : null;
  const tenant: Tenant = {
    _id: newId('ten'),
    company_name: req.company_name,
    subdomain: req.subdomain,
    type: 'organization',
    owner_user_id: null,
    status: trialEnds ? 'trial' : 'active',
    plan_id: plan._id,
    billing_cycle: plan.billing_cycle,
    started_at: now,
    expires_at: trialEnds,
    trial_ends_at: trialEnds,
    // a trial is not billed: the first paid period starts only if the plan is changed or renewed
    billed_through: trialEnds ? null : addCycle(now, plan.billing_cycle),
    // its limits are answered from the start (internal route), so they carry a revision already
    revision: 1,
    created_by: caller.userId,
    updated_by: caller.userId,
    created_at: now,
    updated_at: now,
  };
  // under the plan's lock, so the plan cannot be deleted while its first tenant joins
  const inserted = await deps.aggregates.guard(deps.plans.aggregate, plan._id, () =>
    deps.tenants.insert(tenant, []),
  );
  if (!inserted)
    throw AppError.conflict('duplicate', 'This subdomain is already taken', [
      { field: 'subdomain', message: 'is already taken' },
    ]);
  let owner: { user_id: string; invitation_token: string | null };
  try {
    owner = await deps.auth.provisionOwner(
      {
        tenant_id: tenant._id,
        company_name: req.company_name,
        subdomain: req.subdomain,
        email: req.email,
        first_name: req.first_name,
        last_name: req.last_name,
        password: req.password,
      },
      caller.requestId,
    );
  } catch (err) {
    await deps.tenants.remove(tenant._id);
    throw err;
  }
  const { after: created } = await deps.aggregates.change<Tenant>(
    deps.tenants.aggregate,
    { id: tenant._id },
    (current) => {
      const next = {
        ...current,
        owner_user_id: owner.user_id,
        revision: (current.revision ?? 0) + 1,
      };
      return {
        set: { owner_user_id: owner.user_id },
        events: [
          planChangedEvent(next, plan, caller.correlationId),
          ...(next.billed_through
            ? [
                periodStartedEvent(
                  next,
                  plan,
                  { start: now, end: next.billed_through },
                  'started',
                  caller.correlationId,
                ),
              ]
            : []),
        ],
      };
    },
  );
  return { tenant: created, plan, ownerInvitationToken: owner.invitation_token };
}

export async function getTenant(
  deps: TenantsDeps,
  id: string,
): Promise<{ tenant: Tenant; plan: Plan | null }> {
  const tenant = await deps.tenants.findById(id);
  if (!tenant) throw AppError.notFound('Tenant');
  return { tenant, plan: tenant.plan_id ? await deps.plans.findById(tenant.plan_id) : null };
}

export async function listTenants(
  deps: TenantsDeps,
  page: number,
  perPage: number,
  status?: string,
  search?: SearchQuery,
) {
  const { results, count } = await deps.tenants.list(page, perPage, status, search);
  const planIds = [
    ...new Set(results.map((t) => t.plan_id).filter((p): p is string => p !== null)),
  ];
  const plans = new Map(
    (await Promise.all(planIds.map((id) => deps.plans.findById(id))))
      .filter((p): p is Plan => p !== null)
      .map((p) => [p._id, p]),
  );
  return {
    results: results.map((t) => ({
      tenant: t,
      plan: t.plan_id ? (plans.get(t.plan_id) ?? null) : null,
    })),
    count,
  };
}

/**
 * Applies a change to a tenant and publishes its plan and limits as they now are. Every change
 * carries a new revision (the aggregate's version), so copies can tell the newest answer. A change
 * that may move the tenant to `joinsPlan` holds that plan's lock around it, so the plan cannot be
 * deleted meanwhile (deletePlan counts the plan's tenants under the same lock), and gets the plan
 * joined (checked active; null when it is the tenant's own plan or none was named).
 */
export async function changeTenant(
  deps: TenantsDeps,
  caller: Caller,
  id: string,
  change: (t: Tenant, joined: Plan | null) => Promise<Partial<Tenant>>,
  opts: {
    joinsPlan?: string;
    extraEvents?: (next: Tenant, plan: Plan | null) => EventEnvelope[];
  } = {},
) {
  let plan: Plan | null = null;
  const apply = () =>
    deps.aggregates.change<Tenant>(deps.tenants.aggregate, { id }, async (tenant) => {
      const joined = await planJoined(deps, tenant, opts.joinsPlan);
      const set = { ...(await change(tenant, joined)), updated_by: caller.userId };
      const next: Tenant = { ...tenant, ...set, revision: (tenant.revision ?? 0) + 1 };
      plan = next.plan_id ? await deps.plans.findById(next.plan_id) : null;
      return {
        set,
        events: [
          planChangedEvent(next, plan, caller.correlationId),
          ...(opts.extraEvents?.(next, plan) ?? []),
        ],
      };
    });
  const { after } = opts.joinsPlan
    ? await deps.aggregates.guard(deps.plans.aggregate, opts.joinsPlan, apply)
    : await apply();
  return { tenant: after, plan: plan as Plan | null };
}

/**
 * A plan's limits changed: each tenant on it republishes its limits (a new revision), so every
 * copy follows a lowered limit too. Each tenant under its own lock, after the plan's is released
 * (a plan change takes the tenant's lock first, then the plan's).
 */
export async function republishPlanLimits(deps: TenantsDeps, caller: Caller, planId: string) {
  for (const id of await deps.tenants.idsOnPlan(planId))
    await changeTenant(deps, caller, id, async () => ({}));
}

export function updateTenant(
  deps: TenantsDeps,
  caller: Caller,
  id: string,
  req: UpdateTenantRequest,
) {
  return changeTenant(
    deps,
    caller,
    id,
    async (_tenant, plan) => ({
      ...(req.company_name && { company_name: req.company_name }),
      ...(req.status && { status: req.status }),
      ...(plan && { plan_id: plan._id, billing_cycle: plan.billing_cycle }),
    }),
    { joinsPlan: req.plan_id },
  );
}

/** Seed 003 "Update Subscription": a plan change and/or a new expiry; a future expiry reactivates. */
export function updateSubscription(
  deps: TenantsDeps,
  caller: Caller,
  id: string,
  req: UpdateSubscriptionRequest,
) {
  // the tenant's own plan sent again starts nothing (no new period, no invoice)
  let planChanged = false;
  return changeTenant(
    deps,
    caller,
    id,
    async (tenant, plan) => {
      planChanged = plan !== null;
      const expiresAt = req.expires_at ? new Date(req.expires_at) : undefined;
      const reactivate =
        expiresAt &&
        expiresAt > new Date() &&
        (tenant.status === 'inactive' || tenant.status === 'suspended');
      const now = new Date();
      return {
        ...(plan && {
          plan_id: plan._id,
          billing_cycle: plan.billing_cycle,
          started_at: now,
          billed_through: addCycle(now, plan.billing_cycle),
        }),
        ...(expiresAt && { expires_at: expiresAt }),
        ...(reactivate && { status: 'active' as const }),
      };
    },
    {
      joinsPlan: req.plan_id,
      extraEvents: (next, plan) =>
        planChanged && plan && next.billed_through && next.status !== 'trial'
          ? [
              periodStartedEvent(
                next,
                plan,
                { start: next.started_at, end: next.billed_through },
                'plan_changed',
                caller.correlationId,
              ),
            ]
          : [],
    },
  );
}

/**
 * Seed 003 "Delete Tenant": the tenant becomes a tombstone carrying TenantDeleted; every service
 * (this one included) deletes the tenant's data when the event reaches it. A repeat is harmless.
 */
export async function deleteTenant(deps: TenantsDeps, caller: Caller, id: string): Promise<void> {
  await deps.aggregates.change<Tenant>(deps.tenants.aggregate, { id }, () => ({
    set: { status: 'deleted', updated_by: caller.userId },
    events: [
      buildEvent('TenantDeleted', {
        tenant_id: id,
        correlation_id: caller.correlationId,
        data: { tenant_id: id, deleted_at: new Date().toISOString() },
      }),
    ],
  }));
}

/** A sweep skips a tenant deleted since it was listed. */
export function unlessGone(err: unknown): undefined {
  if (err instanceof AppError && err.kind === 'not_found') return undefined;
  throw err;
}

export async function tenantUsage(deps: TenantsDeps, id: string) {
  const { plan } = await getTenant(deps, id);
  return usageReport(await deps.usage.totals(id), plan?.limits ?? {});
}
