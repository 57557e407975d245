import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope } from '@ledgerline/contracts';
import {
  auditedSchema,
  defineAggregate,
  findPage,
  isDuplicateKeyError,
  modelOf,
  outboxOnInsert,
  outboxSchemaFields,
  searchClause,
  WITHOUT_OUTBOX,
  type Audited,
  type OutboxFields,
  type SearchQuery,
} from '@ledgerline/platform';

/** Plans are the platform's: they carry no tenant id (seed 003, platform administrators only). */
export interface Plan extends Audited {
  _id: string;
  name: string;
  price_monthly_minor: number;
  price_yearly_minor: number;
  currency: string;
  billing_cycle: 'monthly' | 'yearly';
  is_popular: boolean;
  trial_enabled: boolean;
  trial_days: number;
  is_active: boolean;
  limits: Record<string, number>;
  /** Grows with every change: PlanChanged/PlanDeleted snapshots carry it. */
  revision?: number;
}

const planSchema = auditedSchema<Plan & OutboxFields>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    price_monthly_minor: { type: Number, required: true },
    price_yearly_minor: { type: Number, required: true },
    currency: { type: String, required: true },
    billing_cycle: { type: String, required: true },
    is_popular: { type: Boolean, default: false },
    trial_enabled: { type: Boolean, default: false },
    trial_days: { type: Number, default: 14 },
    is_active: { type: Boolean, default: true },
    limits: { type: Schema.Types.Mixed, default: {} },
    revision: { type: Number, default: 1 },
  },
  { collection: 'plans', minimize: false, outbox: true },
);

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

export function planStore(connection: Connection) {
  const model = modelOf<Plan & OutboxFields>(connection, 'Plan', planSchema);
  const tombstones = modelOf<PlanTombstone>(connection, 'PlanTombstone', tombstoneSchema);
  return {
    model,
    tombstones,
    /** Platform-wide plans; its lock also guards tenants joining the plan against its deletion. */
    aggregate: defineAggregate({
      name: 'plan',
      label: 'Plan',
      model,
      versionField: 'revision',
      tenantScoped: false,
    }),
    /** A deleted plan's PlanDeleted leaves from its tombstone, under the plan's lock key. */
    tombstoneAggregate: defineAggregate({
      name: 'plan',
      label: 'Plan',
      model: tombstones,
      versionField: null,
      tenantScoped: false,
    }),
    async insert(
      plan: Omit<Plan, 'created_at' | 'updated_at'>,
      events: EventEnvelope[] = [],
    ): Promise<Plan> {
      await model.create({ ...plan, ...outboxOnInsert(events) });
      return (await model.findById(plan._id, WITHOUT_OUTBOX).lean<Plan>()) as Plan;
    },
    async findById(id: string): Promise<Plan | null> {
      return model.findById(id, WITHOUT_OUTBOX).lean<Plan>();
    },
    /** Plans, oldest first; a search reads the name and the billing cycle. */
    async list(
      page: number,
      perPage: number,
      opts: { is_active?: boolean; search?: SearchQuery } = {},
    ): Promise<{ results: Plan[]; count: number }> {
      const filter = {
        ...(opts.is_active !== undefined && { is_active: opts.is_active }),
        ...(opts.search && searchClause(opts.search, ['name', 'billing_cycle'])),
      };
      return findPage<Plan>(model, filter, { created_at: 1, _id: 1 }, { page, perPage });
    },
    /** Seed 001 names plans by slug ("premium"): the id, or the plan whose name slugifies to it. */
    async findByIdOrSlug(key: string): Promise<Plan | null> {
      const byId = await model.findById(key, WITHOUT_OUTBOX).lean<Plan>();
      if (byId) return byId;
      const all = await model.find({}, WITHOUT_OUTBOX).sort({ created_at: 1 }).lean<Plan[]>();
      return all.find((p) => planSlug(p.name) === key.toLowerCase()) ?? null;
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
      await model.deleteOne({ _id: id });
    },
  };
}
export type PlanStore = ReturnType<typeof planStore>;

export function planSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
