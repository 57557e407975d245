import type { Connection } from 'mongoose';
import type { EventEnvelope } from '@ledgerline/contracts';
import {
  auditedSchema,
  defineAggregate,
  findPage,
  insertWithOutbox,
  isDuplicateKeyError,
  modelOf,
  searchClause,
  WITHOUT_OUTBOX,
  type Audited,
  type OutboxFields,
  type SearchFields,
  type SearchQuery,
} from '@ledgerline/platform';

export type TenantStatus = 'active' | 'inactive' | 'trial' | 'suspended';

/** A search of tenants: seed 003 names the fields as stored, seed 001 (subscribers) otherwise. */
export const TENANT_SEARCH = ['company_name', 'subdomain', 'status'] as const;
export const SUBSCRIBER_SEARCH = {
  printable_name: 'company_name',
  slug: 'subdomain',
  status: 'status',
} as const;
export interface TenantSearch {
  query: SearchQuery;
  fields: SearchFields;
}

/** A deleted tenant is a tombstone carrying its TenantDeleted event until that event is back. */
export type StoredTenantStatus = TenantStatus | 'deleted';

export interface Tenant extends Audited {
  _id: string;
  company_name: string;
  subdomain: string;
  type: 'personal' | 'organization' | 'shadow';
  owner_user_id: string | null;
  status: StoredTenantStatus;
  plan_id: string | null;
  billing_cycle: 'monthly' | 'yearly';
  started_at: Date;
  expires_at: Date | null;
  trial_ends_at: Date | null;
  /** End of the last billing period announced with SubscriptionPeriodStarted. */
  billed_through: Date | null;
  /**
   * The platform's overdue invoices whose dunning final action suspended the tenant (issue 17):
   * paying (or voiding) the last of them makes it active again.
   */
  suspended_by_invoices?: string[];
  /** Grows with every TenantPlanChanged (plan, status or the plan's limits); 0 before the first. */
  revision?: number;
}

type TenantDoc = Tenant & OutboxFields;

const tenantSchema = auditedSchema<TenantDoc>(
  {
    _id: { type: String, required: true },
    company_name: { type: String, required: true },
    subdomain: { type: String, required: true },
    type: { type: String, required: true },
    owner_user_id: { type: String, default: null },
    status: { type: String, required: true },
    plan_id: { type: String, default: null },
    billing_cycle: { type: String, default: 'monthly' },
    started_at: { type: Date, required: true },
    expires_at: { type: Date, default: null },
    trial_ends_at: { type: Date, default: null },
    billed_through: { type: Date, default: null },
    suspended_by_invoices: { type: [String], default: [] },
    revision: { type: Number, default: 0 },
  },
  { collection: 'tenants', outbox: true },
);
tenantSchema.index({ subdomain: 1 }, { unique: true });
tenantSchema.index({ plan_id: 1 });
tenantSchema.index({ status: 1, created_at: -1 });

export type NewTenant = Omit<Tenant, 'created_at' | 'updated_at'>;

/** Tenants; an existing tenant changes only through its aggregate (see the use cases). */
export function tenantStore(connection: Connection) {
  const model = modelOf<TenantDoc>(connection, 'Tenant', tenantSchema);
  /** A deleted tenant's tombstone is no tenant. */
  const LIVE = { status: { $ne: 'deleted' } };
  return {
    model,
    /** Platform-wide (the tenant is its own id); a deleted tenant is a tombstone, not found. */
    aggregate: defineAggregate({
      name: 'tenant',
      label: 'Tenant',
      model,
      versionField: 'revision',
      tenantScoped: false,
      live: LIVE,
    }),
    /** false when the subdomain is taken (or the id exists): the unique indexes decide, atomically. */
    async insert(tenant: NewTenant, events: EventEnvelope[]): Promise<boolean> {
      try {
        await insertWithOutbox<Tenant>(model, tenant, events);
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    },
    async findById(id: string): Promise<Tenant | null> {
      return model.findOne({ _id: id, ...LIVE }, WITHOUT_OUTBOX).lean<Tenant>();
    },
    /** Tenants with one of `statuses` (and on `planId`, if named), newest first, leaving out `excludeIds`. */
    async listByStatuses(
      statuses: string[],
      page: number,
      perPage: number,
      excludeIds: string[] = [],
      search?: TenantSearch,
      planId?: string,
    ): Promise<{ results: Tenant[]; count: number }> {
      const filter = {
        status: { $in: statuses },
        _id: { $nin: excludeIds },
        ...(planId !== undefined && { plan_id: planId }),
        ...(search && searchClause(search.query, search.fields)),
      };
      return findPage<Tenant>(model, filter, { created_at: -1, _id: -1 }, { page, perPage });
    },
    async findBySubdomain(subdomain: string): Promise<Tenant | null> {
      return model.findOne({ subdomain }, WITHOUT_OUTBOX).lean<Tenant>();
    },
    /** Seed 003's list: one status, or every tenant that is not deleted. */
    async list(
      page: number,
      perPage: number,
      status?: string,
      search?: SearchQuery,
    ): Promise<{ results: Tenant[]; count: number }> {
      return this.listByStatuses(
        status ? [status] : ['active', 'inactive', 'trial', 'suspended'],
        page,
        perPage,
        [],
        search && { query: search, fields: TENANT_SEARCH },
      );
    },
    async dueForRenewal(now: Date): Promise<Tenant[]> {
      return model
        .find({ status: 'active', billed_through: { $ne: null, $lte: now } }, WITHOUT_OUTBOX)
        .limit(500)
        .lean<Tenant[]>();
    },
    async expiredBefore(now: Date): Promise<Tenant[]> {
      return model
        .find(
          { status: { $in: ['trial', 'active'] }, expires_at: { $ne: null, $lte: now } },
          WITHOUT_OUTBOX,
        )
        .limit(500)
        .lean<Tenant[]>();
    },
    /** Tenants registered through auth's sign-up; the subdomain is their slug, made unique if taken. */
    async createRegistered(tenant: NewTenant): Promise<void> {
      if (await model.exists({ _id: tenant._id })) return;
      if (await this.insert(tenant, [])) return;
      if (await model.exists({ _id: tenant._id })) return;
      const suffix = tenant._id
        .replace(/[^a-z0-9]/gi, '')
        .toLowerCase()
        .slice(-6);
      await this.insert({ ...tenant, subdomain: `${tenant.subdomain.slice(0, 56)}-${suffix}` }, []);
    },
    /** The tenants on a plan, to republish their limits when the plan's limits change. */
    async idsOnPlan(planId: string): Promise<string[]> {
      const docs = await model
        .find({ plan_id: planId, ...LIVE }, { _id: 1 })
        .lean<{ _id: string }[]>();
      return docs.map((d) => d._id);
    },
    async countOnPlan(planId: string): Promise<number> {
      return model.countDocuments({ plan_id: planId, ...LIVE });
    },
    /** Called when TenantDeleted comes back from the bus, so the event had left the outbox. */
    async remove(id: string): Promise<void> {
      await model.deleteOne({ _id: id });
    },
  };
}
export type TenantStore = ReturnType<typeof tenantStore>;
