import { PLATFORM_TENANT_ID } from '@ledgerline/contracts';
import type { Connection } from 'mongoose';
import { onRealStores } from '../../../../test/support/real-stores';
import { planStore, type NewPlan, type PlanStore } from './plans';
import { providerPlanStore, type ProviderPlan } from './provider-plans';

jest.setTimeout(30_000);

let mongo: Connection;
let plans: PlanStore;
onRealStores('tenants_plans', (infra) => {
  mongo = infra.mongo;
  plans = planStore(infra.mongo, providerPlanStore(infra.mongo));
});

let seq = 0;
function newPlan(name: string, over: Partial<NewPlan> = {}): NewPlan {
  seq += 1;
  return {
    _id: `pln_store_${seq}_${Date.now().toString(36)}`,
    name,
    price_monthly_minor: 4900,
    price_yearly_minor: 49000,
    currency: 'USD',
    billing_cycle: 'monthly',
    is_popular: false,
    trial_enabled: false,
    trial_days: 14,
    is_active: true,
    limits: { users: 5 },
    created_by: 'usr_test',
    updated_by: 'usr_test',
    ...over,
  };
}

const engineDoc = (id: string) =>
  mongo.collection('provider_plans').findOne({ _id: id as never }) as Promise<
    (ProviderPlan & { _outbox: unknown[]; _outbox_pending: boolean }) | null
  >;

describe('platform plans on the provider engine', () => {
  it('when seed 003 creates a plan, then it is an engine plan of the platform whose version 1 bills the monthly price', async () => {
    const plan = newPlan('Store Basic');
    const saved = await plans.insert(plan);
    expect(saved).toMatchObject({ _id: plan._id, name: 'Store Basic', price_monthly_minor: 4900 });
    const doc = await engineDoc(plan._id);
    expect(doc).toMatchObject({
      tenant_id: PLATFORM_TENANT_ID,
      code: 'store-basic',
      current_version: 1,
      limits: { users: 5 },
      versions: [
        {
          version: 1,
          currency: 'USD',
          interval: 'month',
          anchor_day: null,
          trial_days: 0,
          charges: [{ kind: 'flat', code: 'base', name: 'Subscription', amount_minor: 4900 }],
        },
      ],
    });
  });

  it('when two plans share a name, then the second gets the next free code and the slug names the older one', async () => {
    const first = newPlan('Store Twin');
    const second = newPlan('Store Twin', { price_monthly_minor: 100 });
    await plans.insert(first);
    await plans.insert(second);
    expect((await engineDoc(first._id))?.code).toBe('store-twin');
    expect((await engineDoc(second._id))?.code).toBe('store-twin-2');
    expect((await plans.findByIdOrSlug('store-twin'))?._id).toBe(first._id);
    expect((await plans.findByIdOrSlug(second._id))?.price_monthly_minor).toBe(100);
    // the code names it too, when no plan's name slugifies to it
    expect((await plans.findByIdOrSlug('store-twin-2'))?._id).toBe(second._id);
  });

  it('when an earlier version left plans in their own collection, then the start adopts each once with its dates, revision and unpublished events', async () => {
    const created = new Date('2026-01-02T03:04:05.000Z');
    const legacy = {
      ...newPlan('Store Legacy', { billing_cycle: 'yearly', trial_enabled: true, trial_days: 30 }),
      revision: 4,
      created_at: created,
      updated_at: created,
      _outbox: [{ event_id: 'evt_legacy_1', event_type: 'PlanChanged' }],
      _outbox_pending: true,
    };
    await mongo.collection('plans').insertOne(legacy as never);

    expect(await plans.adoptLegacyPlans()).toBe(1);
    expect(await plans.adoptLegacyPlans()).toBe(0);

    expect(await mongo.collection('plans').countDocuments()).toBe(0);
    expect(await plans.findById(legacy._id)).toEqual({
      _id: legacy._id,
      name: 'Store Legacy',
      price_monthly_minor: 4900,
      price_yearly_minor: 49000,
      currency: 'USD',
      billing_cycle: 'yearly',
      is_popular: false,
      trial_enabled: true,
      trial_days: 30,
      is_active: true,
      limits: { users: 5 },
      revision: 4,
      created_by: 'usr_test',
      updated_by: 'usr_test',
      created_at: created,
      updated_at: created,
    });
    const doc = await engineDoc(legacy._id);
    expect(doc?._outbox).toEqual(legacy._outbox);
    expect(doc?._outbox_pending).toBe(true);
    expect(doc?.versions[0]).toMatchObject({
      interval: 'year',
      trial_days: 30,
      charges: [{ kind: 'flat', code: 'base', name: 'Subscription', amount_minor: 49000 }],
    });
  });

  it('when a plan is removed, then it is gone from the platform and its event leaves from a tombstone', async () => {
    const plan = newPlan('Store Gone');
    await plans.insert(plan);
    await plans.remove(plan._id, [{ event_id: 'evt_gone' } as never]);
    expect(await plans.findById(plan._id)).toBeNull();
    expect(await engineDoc(plan._id)).toBeNull();
    expect(await plans.tombstones.exists({ _id: plan._id })).toBeTruthy();
  });
});
