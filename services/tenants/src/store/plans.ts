import { Schema, type Connection } from 'mongoose';

/** Plans are the platform's: they carry no tenant id (seed 003, platform administrators only). */
export interface Plan {
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
  created_by: string | null;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const planSchema = new Schema<Plan>(
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
    created_by: { type: String, default: null },
    updated_by: { type: String, default: null },
  },
  {
    collection: 'plans',
    versionKey: false,
    minimize: false,
    timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
  },
);

export function planStore(connection: Connection) {
  const model = connection.model<Plan>('Plan', planSchema);
  return {
    async insert(plan: Omit<Plan, 'created_at' | 'updated_at'>): Promise<Plan> {
      await model.create(plan);
      return (await model.findById(plan._id).lean<Plan>()) as Plan;
    },
    async findById(id: string): Promise<Plan | null> {
      return model.findById(id).lean<Plan>();
    },
    async list(
      page: number,
      perPage: number,
      filter: { is_active?: boolean } = {},
    ): Promise<{ results: Plan[]; count: number }> {
      const [results, count] = await Promise.all([
        model
          .find(filter)
          .sort({ created_at: 1, _id: 1 })
          .skip((page - 1) * perPage)
          .limit(perPage)
          .lean<Plan[]>(),
        model.countDocuments(filter),
      ]);
      return { results, count };
    },
    /** Seed 001 names plans by slug ("premium"): the id, or the plan whose name slugifies to it. */
    async findByIdOrSlug(key: string): Promise<Plan | null> {
      const byId = await model.findById(key).lean<Plan>();
      if (byId) return byId;
      const all = await model.find({}).sort({ created_at: 1 }).lean<Plan[]>();
      return all.find((p) => planSlug(p.name) === key.toLowerCase()) ?? null;
    },
    async update(id: string, set: Partial<Plan>): Promise<void> {
      await model.updateOne({ _id: id }, { $set: set });
    },
    async remove(id: string): Promise<void> {
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
export const planLockKey = (id: string) => `plan:${id}`;
