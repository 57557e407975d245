import { Schema, type Connection } from 'mongoose';
import {
  defineAggregate,
  findPage,
  isDuplicateKeyError,
  modelOf,
  searchClause,
  tenantDocumentSchema,
  WITHOUT_OUTBOX,
  type SearchQuery,
  type TenantDocument,
  type Unsaved,
} from '@ledgerline/platform';
import type { PlatformCatalogue } from '../domain/platform-plan';
import { termsKey, type PlanHeader, type PlanTerms } from '../domain/provider-plan';

/**
 * A provider's billable metrics and plans (issue 18); `tenant_id` is the provider. The platform's
 * own plans (seed 003) are plans of the provider PLATFORM_TENANT_ID with a catalogue entry
 * (store/plans.ts); only their changes carry events (PlanChanged, for billing's cart prices).
 */

export interface BillableMetric extends TenantDocument {
  code: string;
  name: string;
  aggregation: 'count' | 'sum' | 'max' | 'unique_count' | 'latest';
  field: string | null;
  revision?: number;
}

export interface PlanVersion extends PlanTerms {
  version: number;
  created_at: Date;
}

export interface ProviderPlan extends TenantDocument, PlanHeader {
  /** Every version of the terms, oldest first; subscriptions name the one they started on. */
  versions: PlanVersion[];
  current_version: number;
  revision?: number;
  /** The platform's plans only: seed 003's listing, from which their terms are derived. */
  catalogue?: PlatformCatalogue | null;
}

const metricSchema = tenantDocumentSchema<BillableMetric>(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    aggregation: { type: String, required: true },
    field: { type: String, default: null },
    revision: { type: Number, default: 1 },
  },
  { collection: 'billable_metrics' },
);
metricSchema.index({ tenant_id: 1, code: 1 }, { unique: true });

const planSchema = tenantDocumentSchema<ProviderPlan>(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: null },
    is_active: { type: Boolean, default: true },
    limits: { type: Schema.Types.Mixed, default: {} },
    limit_mode: { type: String, default: 'reject' },
    // plain stored values (terms as the domain built them), compared as they were written
    versions: { type: Schema.Types.Mixed, default: [] },
    current_version: { type: Number, required: true },
    revision: { type: Number, default: 1 },
    catalogue: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'provider_plans', outbox: true },
);
planSchema.index({ tenant_id: 1, code: 1 }, { unique: true });
planSchema.set('minimize', false);

/** The version a plan's document names current. */
export function currentTerms(plan: ProviderPlan): PlanVersion {
  return plan.versions.find((v) => v.version === plan.current_version)!;
}

/**
 * The version a change to `terms` appends to the plan (numbered after its newest), or null when
 * they are the current version's terms (the change is made in place).
 */
export function versionAfter(plan: ProviderPlan, terms: PlanTerms): PlanVersion | null {
  if (termsKey(terms) === termsKey(currentTerms(plan))) return null;
  const version = Math.max(...plan.versions.map((v) => v.version)) + 1;
  return { version, ...terms, created_at: new Date() };
}

export function providerPlanStore(connection: Connection) {
  const metrics = modelOf<BillableMetric>(connection, 'BillableMetric', metricSchema);
  const plans = modelOf<ProviderPlan>(connection, 'ProviderPlan', planSchema);
  const byIdOrCode = (tenantId: string, key: string) => ({
    tenant_id: tenantId,
    $or: [{ _id: key }, { code: key.toLowerCase() }],
  });
  return {
    metricAggregate: defineAggregate({
      name: 'billable-metric',
      label: 'Billable metric',
      model: metrics,
      versionField: 'revision',
      outbox: false,
    }),
    planModel: plans,
    planAggregate: defineAggregate({
      name: 'provider-plan',
      label: 'Plan',
      model: plans,
      versionField: 'revision',
      outbox: true,
    }),

    /** Inserts the metric; null when the provider has one with that code already. */
    async insertMetric(metric: Unsaved<BillableMetric>): Promise<BillableMetric | null> {
      try {
        return (await metrics.create(metric)).toObject() as BillableMetric;
      } catch (err) {
        if (isDuplicateKeyError(err)) return null;
        throw err;
      }
    },
    async findMetric(tenantId: string, code: string): Promise<BillableMetric | null> {
      return metrics.findOne({ tenant_id: tenantId, code }).lean<BillableMetric>();
    },
    /** The provider's metrics of these codes (usage ingestion: one query per request). */
    async metricsByCode(tenantId: string, codes: readonly string[]): Promise<BillableMetric[]> {
      if (codes.length === 0) return [];
      return metrics.find({ tenant_id: tenantId, code: { $in: codes } }).lean<BillableMetric[]>();
    },
    async metricCodes(tenantId: string): Promise<Set<string>> {
      const rows = await metrics
        .find({ tenant_id: tenantId }, { code: 1 })
        .lean<BillableMetric[]>();
      return new Set(rows.map((m) => m.code));
    },
    async listMetrics(tenantId: string, page: number, perPage: number, search?: SearchQuery) {
      const filter = { tenant_id: tenantId, ...(search && searchClause(search, ['code', 'name'])) };
      return findPage<BillableMetric>(
        metrics,
        filter,
        { created_at: 1, _id: 1 },
        { page, perPage },
      );
    },

    /** Inserts the plan; null when the provider has one with that code already. */
    async insertPlan(plan: Unsaved<ProviderPlan>): Promise<ProviderPlan | null> {
      try {
        return (await plans.create(plan)).toObject() as ProviderPlan;
      } catch (err) {
        if (isDuplicateKeyError(err)) return null;
        throw err;
      }
    },
    /** Seed 001 names plans by code ("premium"); the id works too. */
    async findPlan(tenantId: string, key: string): Promise<ProviderPlan | null> {
      return plans.findOne(byIdOrCode(tenantId, key), WITHOUT_OUTBOX).lean<ProviderPlan>();
    },
    async findPlanById(tenantId: string, id: string): Promise<ProviderPlan | null> {
      return plans.findOne({ tenant_id: tenantId, _id: id }, WITHOUT_OUTBOX).lean<ProviderPlan>();
    },
    /** Each plan's limits as they are now, read by id (they are decided on at every ingestion). */
    async limitsOfPlans(
      tenantId: string,
      ids: readonly string[],
    ): Promise<Map<string, Pick<ProviderPlan, 'limits' | 'limit_mode'>>> {
      const found = await Promise.all(
        ids.map((id) =>
          plans
            .findOne({ tenant_id: tenantId, _id: id }, { limits: 1, limit_mode: 1 })
            .lean<Pick<ProviderPlan, '_id' | 'limits' | 'limit_mode'>>(),
        ),
      );
      return new Map(
        found.flatMap((p) =>
          p ? [[p._id, { limits: p.limits ?? {}, limit_mode: p.limit_mode ?? 'reject' }]] : [],
        ),
      );
    },
    async codeTaken(tenantId: string, code: string, exceptId: string): Promise<boolean> {
      return (
        (await plans.countDocuments({ tenant_id: tenantId, code, _id: { $ne: exceptId } })) > 0
      );
    },
    async listPlans(
      tenantId: string,
      page: number,
      perPage: number,
      opts: { is_active?: boolean; search?: SearchQuery } = {},
    ) {
      const filter = {
        tenant_id: tenantId,
        ...(opts.is_active !== undefined && { is_active: opts.is_active }),
        ...(opts.search && searchClause(opts.search, ['code', 'name'])),
      };
      return findPage<ProviderPlan>(plans, filter, { created_at: 1, _id: 1 }, { page, perPage });
    },
    /** Plans whose current version charges the metric (its deletion is refused while any do). */
    async plansUsingMetric(tenantId: string, code: string): Promise<ProviderPlan[]> {
      const all = await plans.find({ tenant_id: tenantId }, WITHOUT_OUTBOX).lean<ProviderPlan[]>();
      return all.filter((p) =>
        currentTerms(p).charges.some((c) => c.kind === 'usage' && c.metric === code),
      );
    },
    /** A provider's data goes with its TenantDeleted. */
    async removeTenant(tenantId: string): Promise<void> {
      await Promise.all([
        plans.deleteMany({ tenant_id: tenantId }),
        metrics.deleteMany({ tenant_id: tenantId }),
      ]);
    },
  };
}
export type ProviderPlanStore = ReturnType<typeof providerPlanStore>;
