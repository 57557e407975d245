import { providerPlanRequest } from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { planFromRequest } from '../domain/provider-plan';
import type { TenantsDeps } from '../use-cases/deps';

const DAY = 86_400_000;

/** A provider whose `count` customers subscribed 40 days ago to a 12.00 monthly plan. */
export async function providerWithDueSubscriptions(
  deps: Pick<TenantsDeps, 'providerPlans' | 'subscriptions'>,
  count: number,
) {
  const tenantId = newId('ten');
  const { header, terms } = planFromRequest(
    providerPlanRequest.parse({
      code: 'basic',
      name: 'Basic',
      currency: 'USD',
      interval: 'month',
      charges: [{ kind: 'flat', code: 'base', name: 'Base fee', amount: '12.00' }],
    }),
    null,
    new Set(),
  );
  const plan = (await deps.providerPlans.insertPlan({
    _id: newId('ppl'),
    tenant_id: tenantId,
    ...header,
    versions: [{ version: 1, ...terms, created_at: new Date() }],
    current_version: 1,
    created_by: null,
    updated_by: null,
  }))!;
  const start = new Date(Date.now() - 40 * DAY);
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + 1);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const subscriber = { kind: 'customer' as const, customer_id: `cus_${i}` };
    // ids in a known order: the run pages by _id
    const id = `sub_${tenantId}_${String(i).padStart(3, '0')}`;
    await deps.subscriptions.insert(
      {
        _id: id,
        tenant_id: tenantId,
        provider_slug: 'shop',
        subscriber,
        plan_id: plan._id,
        plan_code: plan.code,
        plan_version: 1,
        status: 'active',
        seats: 1,
        started_at: start,
        trial_ends_at: null,
        current_period_start: start,
        current_period_end: end,
        cancel_at_period_end: false,
        canceled_at: null,
        ends_at: null,
        live_key: `${plan._id}:cus:cus_${i}`,
        created_by: null,
        updated_by: null,
      },
      [],
    );
    ids.push(id);
  }
  return { tenantId, ids, periodEnd: end };
}
