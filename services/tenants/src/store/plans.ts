import { Schema, type Connection } from 'mongoose';
import { PLATFORM_TENANT_ID, type EventEnvelope } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  isDuplicateKeyError,
  modelOf,
  outboxOnInsert,
  outboxSchemaFields,
  searchClause,
  WITHOUT_OUTBOX,
  withoutOutbox,
  type Audited,
  type OutboxFields,
  type SearchQuery,
} from '@ledgerline/platform';
import {
  catalogueFromTerms,
  planSlug,
  platformPlanCode,
  platformTerms,
  type PlatformCatalogue,
} from '../domain/platform-plan';
import { currentTerms, type ProviderPlan, type ProviderPlanStore } from './provider-plans';

/**
 * Seed 003's view of one of the platform's plans. The plan itself is an engine plan of the
 * provider PLATFORM_TENANT_ID (`provider_plans`, issue 18): versioned terms derived from its
 * catalogue entry (domain/platform-plan.ts), name, limits and is_active in its header.
 */
export interface Plan extends Audited, PlatformCatalogue {
  _id: string;
  name: string;
  currency: string;
  is_active: boolean;
  limits: Record<string, number>;
  /** Grows with every change: PlanChanged/PlanDeleted snapshots carry it. */
  revision?: number;
}

/** What seed 003 sets on a new plan. */
export type NewPlan = Omit<Plan, 'created_at' | 'updated_at' | 'revision'>;

const PLATFORM = { tenant_id: PLATFORM_TENANT_ID };

/** An engine plan of the platform as seed 003 shows it. */
export function platformPlanView(p: ProviderPlan): Plan {
  const terms = currentTerms(p);
  return {
    _id: p._id,
    name: p.name,
    currency: terms.currency,
    ...(p.catalogue ?? catalogueFromTerms(terms)),
    is_active: p.is_active,
    limits: p.limits ?? {},
    revision: p.revision ?? 1,
    created_by: p.created_by ?? null,
    updated_by: p.updated_by ?? null,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

/** The catalogue fields of a seed 003 plan (the rest is the engine's header and terms). */
export function catalogueOf(p: PlatformCatalogue): PlatformCatalogue {
  const { price_monthly_minor, price_yearly_minor, billing_cycle } = p;
  const { is_popular, trial_enabled, trial_days } = p;
  return {
    price_monthly_minor,
    price_yearly_minor,
    billing_cycle,
    is_popular,
    trial_enabled,
    trial_days,
  };
}

/**
 * A deleted plan's document is gone, so its PlanDeleted event leaves from a tombstone that carries
 * the outbox instead.
 */
interface PlanTombstone extends OutboxFields {
  _id: string;
  deleted_at: Date;
}
const tombstoneSchema = new Schema<PlanTombstone>(
  { _id: String, deleted_at: Date, ...outboxSchemaFields },
  { collection: 'plan_tombstones', versionKey: false },
);

/** Where seed 003's plans were kept before they moved onto the engine (adopted at start). */
const LEGACY_COLLECTION = 'plans';
const CODE_TRIES = 100;

/** `engine`: the provider engine's plan store, whose documents the platform's plans are. */
export function planStore(connection: Connection, engine: ProviderPlanStore) {
  const model = engine.planModel;
  const tombstones = modelOf<PlanTombstone>(connection, 'PlanTombstone', tombstoneSchema);
  const find = async (filter: Record<string, unknown>) => {
    const found = await model
      .findOne({ ...filter, ...PLATFORM }, WITHOUT_OUTBOX)
      .lean<ProviderPlan>();
    return found ? platformPlanView(found) : null;
  };

  /**
   * The engine document of a seed 003 plan, under a free code: its name's slug, "-2", "-3"… when
   * taken. `raw` keeps stored fields as they are (a legacy plan's dates and outbox).
   */
  async function insertDocument(
    plan: NewPlan & Partial<Audited>,
    raw: Record<string, unknown>,
  ): Promise<ProviderPlan> {
    const catalogue = catalogueOf(plan);
    const created = plan.created_at ?? new Date();
    const doc = {
      _id: plan._id,
      ...PLATFORM,
      name: plan.name,
      description: null,
      is_active: plan.is_active,
      limits: plan.limits ?? {},
      limit_mode: 'reject',
      catalogue,
      versions: [{ version: 1, ...platformTerms(plan.currency, catalogue), created_at: created }],
      current_version: 1,
      created_by: plan.created_by ?? null,
      updated_by: plan.updated_by ?? null,
      ...raw,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const written = { ...doc, code: platformPlanCode(plan.name, attempt) };
        await model.collection.insertOne(written as never);
        return withoutOutbox(written as ProviderPlan & OutboxFields);
      } catch (err) {
        if (!isDuplicateKeyError(err) || attempt >= CODE_TRIES) throw err;
        // the same id again: written already (a retried adoption)
        const stored = await model.findById(plan._id, WITHOUT_OUTBOX).lean<ProviderPlan>();
        if (stored) return stored;
      }
    }
  }

  return {
    model,
    tombstones,
    /** The engine's plan aggregate; its lock also guards tenants joining a plan against its deletion. */
    aggregate: engine.planAggregate,
    /** A deleted plan's PlanDeleted leaves from its tombstone, under the plan's lock key. */
    tombstoneAggregate: defineAggregate({
      name: 'plan',
      label: 'Plan',
      model: tombstones,
      versionField: null,
      tenantScoped: false,
    }),
    async insert(plan: NewPlan, events: EventEnvelope[] = []): Promise<Plan> {
      const now = new Date();
      // the view of what was written: no read back
      return platformPlanView(
        await insertDocument(plan, {
          revision: 1,
          created_at: now,
          updated_at: now,
          ...outboxOnInsert(events),
        }),
      );
    },
    async findById(id: string): Promise<Plan | null> {
      return find({ _id: id });
    },
    /** Plans, oldest first; a search reads the name and the billing cycle. */
    async list(
      page: number,
      perPage: number,
      opts: { is_active?: boolean; search?: SearchQuery } = {},
    ): Promise<{ results: Plan[]; count: number }> {
      const filter = {
        ...PLATFORM,
        ...(opts.is_active !== undefined && { is_active: opts.is_active }),
        ...(opts.search &&
          searchClause(opts.search, { name: 'name', billing_cycle: 'catalogue.billing_cycle' })),
      };
      const { results, count } = await findPage<ProviderPlan>(
        model,
        filter,
        { created_at: 1, _id: 1 },
        { page, perPage },
      );
      return { results: results.map(platformPlanView), count };
    },
    /**
     * Seed 001 names plans by slug ("premium"): the id, or the oldest plan whose name slugifies to
     * it, or else the plan with that engine code (a renamed plan keeps its code).
     */
    async findByIdOrSlug(key: string): Promise<Plan | null> {
      const byId = await find({ _id: key });
      if (byId) return byId;
      const all = await model
        .find(PLATFORM, WITHOUT_OUTBOX)
        .sort({ created_at: 1, _id: 1 })
        .lean<ProviderPlan[]>();
      const slug = key.toLowerCase();
      const match = all.find((p) => planSlug(p.name) === slug) ?? all.find((p) => p.code === slug);
      return match ? platformPlanView(match) : null;
    },
    /** The tombstone first: if the removal is interrupted, a retry finds it and just removes. */
    async remove(id: string, events: EventEnvelope[] = []): Promise<void> {
      if (events.length > 0) {
        try {
          await tombstones.create({ _id: id, deleted_at: new Date(), ...outboxOnInsert(events) });
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
        }
      }
      await model.deleteOne({ _id: id, ...PLATFORM });
    },
    /**
     * Plans stored by an earlier version in their own collection move onto the engine: each is
     * written as an engine plan (its dates, revision and any unpublished events kept), then removed
     * from the old collection, so a start interrupted halfway is finished by the next one.
     */
    async adoptLegacyPlans(): Promise<number> {
      const legacy = connection.collection(LEGACY_COLLECTION);
      let adopted = 0;
      for await (const old of legacy.find({})) {
        const plan = old as unknown as Plan & Partial<OutboxFields>;
        await insertDocument(plan, {
          revision: plan.revision ?? 1,
          created_at: plan.created_at,
          updated_at: plan.updated_at,
          _outbox: plan._outbox ?? [],
          _outbox_pending: plan._outbox_pending ?? false,
        });
        await legacy.deleteOne({ _id: old._id });
        adopted++;
      }
      return adopted;
    },
  };
}
export type PlanStore = ReturnType<typeof planStore>;
