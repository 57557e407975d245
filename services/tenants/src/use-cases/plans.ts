import {
  AppError,
  buildEvent,
  PLATFORM_TENANT_ID,
  toMinor,
  type EventEnvelope,
  type CreatePlanRequest,
  type PlanSnapshot,
  type UpdatePlanRequest,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { planSlug, platformTerms } from '../domain/platform-plan';
import { catalogueOf, platformPlanView, type Plan } from '../store/plans';
import { versionAfter, type ProviderPlan } from '../store/provider-plans';
import type { Caller, TenantsDeps } from './deps';
import { republishPlanLimits } from './tenants';

function prices(
  req: { price_monthly?: string | number; price_yearly?: string | number },
  currency: string,
) {
  const monthly =
    req.price_monthly === undefined
      ? undefined
      : toMinor(req.price_monthly, currency, 'price_monthly');
  const yearly =
    req.price_yearly === undefined
      ? undefined
      : toMinor(req.price_yearly, currency, 'price_yearly');
  for (const [field, value] of [
    ['price_monthly', monthly],
    ['price_yearly', yearly],
  ] as const) {
    if (value !== undefined && value < 0)
      throw AppError.validation('Prices cannot be negative', [
        { field, message: 'must not be negative' },
      ]);
  }
  return { monthly, yearly };
}

type PricedPlan = Pick<
  Plan,
  '_id' | 'name' | 'price_monthly_minor' | 'price_yearly_minor' | 'currency' | 'is_active'
>;

/**
 * The plan as billing prices it (seed 001's cart): the body of PlanChanged/PlanDeleted and of the
 * internal answer billing asks for when its copy misses.
 */
export function planSnapshot(plan: PricedPlan, revision: number): PlanSnapshot {
  return {
    plan_id: plan._id,
    name: plan.name,
    slug: planSlug(plan.name),
    price_monthly_minor: plan.price_monthly_minor,
    price_yearly_minor: plan.price_yearly_minor,
    currency: plan.currency,
    is_active: plan.is_active,
    revision,
  };
}

/** Published on every change of a plan. */
function planEvent(
  type: 'PlanChanged' | 'PlanDeleted',
  plan: PricedPlan,
  revision: number,
  caller: Caller,
): EventEnvelope {
  return buildEvent(type, {
    tenant_id: caller.tenantId,
    correlation_id: caller.correlationId,
    data: planSnapshot(plan, revision),
  });
}

export async function createPlan(
  deps: TenantsDeps,
  caller: Caller,
  req: CreatePlanRequest,
): Promise<Plan> {
  const { monthly, yearly } = prices(req, req.currency);
  const plan = {
    _id: newId('pln'),
    name: req.name,
    price_monthly_minor: monthly as number,
    price_yearly_minor: yearly as number,
    currency: req.currency,
    billing_cycle: req.billing_cycle,
    is_popular: req.is_popular,
    trial_enabled: req.trial_enabled,
    trial_days: req.trial_days,
    is_active: req.is_active,
    limits: req.limits,
    revision: 1,
    created_by: caller.userId,
    updated_by: caller.userId,
  };
  const saved = await deps.plans.insert(plan, [planEvent('PlanChanged', plan as Plan, 1, caller)]);
  deps.publishSoon([plan._id]);
  return saved;
}

export async function getPlan(deps: TenantsDeps, id: string): Promise<Plan> {
  const plan = await deps.plans.findById(id);
  if (!plan) throw AppError.notFound('Plan');
  return plan;
}

/**
 * Seed 003's update of a platform plan, on the engine: name, is_active and limits change in
 * place; the catalogue entry is replaced, and when the terms it bills by change (price of the
 * billed cycle, cycle, currency, trial) a version is appended in the same single-document update.
 */
export async function updatePlan(
  deps: TenantsDeps,
  caller: Caller,
  id: string,
  req: UpdatePlanRequest,
): Promise<Plan> {
  await deps.aggregates.change<ProviderPlan>(
    deps.plans.aggregate,
    { id, tenantId: PLATFORM_TENANT_ID },
    (stored) => {
      const plan = platformPlanView(stored);
      const currency = req.currency ?? plan.currency;
      const { monthly, yearly } = prices(req, currency);
      if (
        req.currency &&
        req.currency !== plan.currency &&
        (monthly === undefined || yearly === undefined)
      ) {
        throw AppError.validation('Changing the currency needs both prices in the new currency', [
          { field: 'currency', message: 'send price_monthly and price_yearly with it' },
        ]);
      }
      const { price_monthly: _m, price_yearly: _y, currency: _c, ...rest } = req;
      const next: Plan = {
        ...plan,
        ...rest,
        currency,
        ...(monthly !== undefined && { price_monthly_minor: monthly }),
        ...(yearly !== undefined && { price_yearly_minor: yearly }),
      };
      const catalogue = catalogueOf(next);
      const appended = versionAfter(stored, platformTerms(currency, catalogue));
      return {
        set: {
          name: next.name,
          is_active: next.is_active,
          limits: next.limits,
          catalogue,
          ...(appended && { current_version: appended.version }),
          updated_by: caller.userId,
        },
        ...(appended && { push: { versions: appended } }),
        events: [planEvent('PlanChanged', next, (plan.revision ?? 0) + 1, caller)],
      };
    },
  );
  if (req.limits) await republishPlanLimits(deps, caller, id);
  return getPlan(deps, id);
}

/** A plan in use cannot be deleted (409); it can be deactivated instead. */
export async function deletePlan(deps: TenantsDeps, caller: Caller, id: string): Promise<void> {
  await deps.aggregates.guard(deps.plans.aggregate, id, async () => {
    const plan = await getPlan(deps, id);
    const inUse = await deps.tenants.countOnPlan(id);
    if (inUse > 0) {
      throw AppError.conflict(
        'in_use',
        `The plan is used by ${inUse} tenant${inUse === 1 ? '' : 's'}; deactivate it instead (is_active: false)`,
      );
    }
    await deps.plans.remove(id, [planEvent('PlanDeleted', plan, (plan.revision ?? 0) + 1, caller)]);
    deps.publishSoon([id]);
  });
}
