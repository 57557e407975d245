import type { Connection } from 'mongoose';
import type { CustomerType, EventEnvelope, ListQuery } from '@ledgerline/contracts';
import {
  defineAggregate,
  lockedAggregate,
  modelOf,
  outboxInsert,
  outboxOnUpdate,
  tenantDocumentSchema,
  type OutboxFields,
  type TenantDocument,
} from '@ledgerline/platform';
import { HIDDEN, listPage } from './common';

export interface Package extends TenantDocument {
  package_name: string;
  package_type: CustomerType;
  description: string | null;
  mbps: number | null;
  /** Every pricing of the package is in this currency. */
  currency: string;
  is_active: boolean;
}

export interface PackagePricing extends TenantDocument {
  package_id: string;
  rate_minor: number;
  currency: string;
  description: string | null;
  is_active: boolean;
  val_start_at: string;
  val_end_at: string | null;
  /** Grows with every change; carried by its PackagePricingChanged events (0 before events existed). */
  revision: number;
  /** A deleted pricing stays hidden so its last event can leave through its outbox. */
  deleted_at: Date | null;
}

const packageSchema = tenantDocumentSchema<Package>(
  {
    package_name: { type: String, required: true },
    package_type: { type: String, required: true },
    description: { type: String, default: null },
    mbps: { type: Number, default: null },
    currency: { type: String, required: true },
    is_active: { type: Boolean, required: true },
  },
  { collection: 'packages' },
);
packageSchema.index({ tenant_id: 1, created_at: -1 });

const pricingSchema = tenantDocumentSchema<PackagePricing & OutboxFields>(
  {
    package_id: { type: String, required: true },
    rate_minor: { type: Number, required: true },
    currency: { type: String, required: true },
    description: { type: String, default: null },
    is_active: { type: Boolean, required: true },
    val_start_at: { type: String, required: true },
    val_end_at: { type: String, default: null },
    revision: { type: Number, default: 0 },
    deleted_at: { type: Date, default: null },
  },
  { collection: 'package_pricings', outbox: true },
);
pricingSchema.index({ tenant_id: 1, package_id: 1 });
pricingSchema.index({ tenant_id: 1, created_at: -1 });

export interface PackageFilters {
  package_type?: CustomerType;
  is_active?: boolean;
}

export interface PricingFilters {
  package_id?: string;
  is_active?: boolean;
}

/** Packages and their pricings; every query names the tenant. */
export function packageStore(connection: Connection) {
  const packages = modelOf<Package>(connection, 'Package', packageSchema);
  const pricings = modelOf<PackagePricing & OutboxFields>(
    connection,
    'PackagePricing',
    pricingSchema,
  );
  const LIVE = { deleted_at: null };
  const PRICING_ORDER = { val_start_at: 1, _id: 1 } as const;

  return {
    /** Its lock guards what spans its pricings (windows that must not overlap) and its use. */
    packageAggregate: lockedAggregate({
      name: 'customers:package',
      label: 'Package',
      model: packages,
    }),
    pricingAggregate: defineAggregate({
      name: 'customers:pricing',
      label: 'Package pricing',
      model: pricings,
      versionField: 'revision',
      live: LIVE,
    }),
    packages,
    pricings,

    async insertPackage(pkg: Omit<Package, 'created_at' | 'updated_at'>): Promise<Package> {
      return (await packages.create(pkg)).toObject();
    },

    async findPackage(tenantId: string, id: string): Promise<Package | null> {
      return packages.findOne({ _id: id, tenant_id: tenantId }).lean<Package>();
    },

    async findPackages(tenantId: string, ids: string[]): Promise<Package[]> {
      if (ids.length === 0) return [];
      return packages.find({ _id: { $in: ids }, tenant_id: tenantId }).lean<Package[]>();
    },

    async listPackages(tenantId: string, query: ListQuery, filters: PackageFilters) {
      const filter: Record<string, unknown> = { tenant_id: tenantId };
      if (filters.package_type) filter.package_type = filters.package_type;
      if (filters.is_active !== undefined) filter.is_active = filters.is_active;
      return listPage<Package>(packages, filter, query, ['package_name'], {
        package_name: 'package_name',
        created_at: 'created_at',
      });
    },

    /** Callers hold the package's lock. */
    async updatePackage(tenantId: string, id: string, set: Partial<Package>): Promise<void> {
      await packages.updateOne({ _id: id, tenant_id: tenantId }, { $set: set });
    },

    /** Callers have soft-deleted the package's pricings first (their events announce it). */
    async removePackage(tenantId: string, id: string): Promise<void> {
      await packages.deleteOne({ _id: id, tenant_id: tenantId });
    },

    insertPricing: outboxInsert<PackagePricing>(pricings),

    async findPricing(tenantId: string, id: string): Promise<PackagePricing | null> {
      return pricings
        .findOne({ _id: id, tenant_id: tenantId, ...LIVE }, HIDDEN)
        .lean<PackagePricing>();
    },

    /** Pricings of these packages, oldest window first. */
    async pricingsOf(tenantId: string, packageIds: string[]): Promise<PackagePricing[]> {
      if (packageIds.length === 0) return [];
      return pricings
        .find({ tenant_id: tenantId, package_id: { $in: packageIds }, ...LIVE }, HIDDEN)
        .sort(PRICING_ORDER)
        .lean<PackagePricing[]>();
    },

    async countPricings(tenantId: string, packageId: string): Promise<number> {
      return pricings.countDocuments({ tenant_id: tenantId, package_id: packageId, ...LIVE });
    },

    async listPricings(tenantId: string, query: ListQuery, filters: PricingFilters) {
      const filter: Record<string, unknown> = { tenant_id: tenantId, ...LIVE };
      if (filters.package_id) filter.package_id = filters.package_id;
      if (filters.is_active !== undefined) filter.is_active = filters.is_active;
      return listPage<PackagePricing>(pricings, filter, query, ['description'], {
        val_start_at: 'val_start_at',
        val_end_at: 'val_end_at',
        rate: 'rate_minor',
        created_at: 'created_at',
      });
    },

    /**
     * Callers hold the package's lock and the pricing's own (the outbox relay's). A deletion is a
     * `set` of deleted_at: the document stays, hidden, until its event has left.
     */
    async updatePricing(
      tenantId: string,
      id: string,
      set: Partial<PackagePricing>,
      events: EventEnvelope[],
    ): Promise<void> {
      const outbox = outboxOnUpdate(events);
      await pricings.updateOne(
        { _id: id, tenant_id: tenantId },
        {
          $set: { ...set, ...(events.length > 0 ? outbox.$set : {}) },
          ...(events.length > 0 && { $push: outbox.$push }),
        },
      );
    },
  };
}

export type PackageStore = ReturnType<typeof packageStore>;
