import { Schema, type Connection, type Model } from 'mongoose';
import { snapshotCopy, type AggregateLocks } from '@ledgerline/platform';
import type {
  EntitlementDetailSnapshot,
  PackagePricingSnapshot,
  UtilityInfoSnapshot,
} from '@ledgerline/contracts';

/**
 * Billing's copy of what it needs from the customers service (entitlement details, package
 * pricings, utility VAT), kept from its snapshot events: each object is replaced only by a higher
 * revision, and a deleted object stays as a tombstone so a late, older event cannot bring it back.
 */
type Projected<T> = T & { _id: string; tenant_id: string; deleted: boolean; revision: number };

export type DetailFact = Projected<Omit<EntitlementDetailSnapshot, 'revision'>>;
export type PricingProjection = Projected<Omit<PackagePricingSnapshot, 'revision' | 'deleted'>>;
export type UtilityFact = Projected<Omit<UtilityInfoSnapshot, 'revision' | 'deleted'>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = Model<any>;

/** Snapshots are stored as sent (plus tenant, tombstone flag and revision): a loose schema. */
function modelOf(
  connection: Connection,
  name: string,
  collection: string,
  index: object,
  queried: Record<string, unknown>,
): AnyModel {
  const existing = connection.models[name];
  if (existing) return existing;
  const schema = new Schema(
    // the fields queried must be declared: the platform sets mongoose's strictQuery
    { _id: String, tenant_id: String, revision: Number, deleted: Boolean, ...queried },
    { collection, versionKey: false, strict: false, minimize: false },
  );
  schema.index({ tenant_id: 1, ...index });
  return connection.model(name, schema);
}

export function entitlementProjection(connection: Connection, locks: AggregateLocks) {
  const details = modelOf(
    connection,
    'EntitlementDetailFact',
    'entitlement_details',
    { entitlement_id: 1 },
    {
      entitlement_id: String,
      is_active: Boolean,
      status: String,
      start_date: String,
      end_date: String,
    },
  );
  const pricings = modelOf(
    connection,
    'PricingFact',
    'package_pricings',
    { package_id: 1 },
    { package_id: String },
  );
  const utilities = modelOf(
    connection,
    'UtilityFact',
    'utility_infos',
    {},
    { is_active: Boolean, info_id: String },
  );

  /** Each object is replaced only by a higher revision (late and repeated events lose). */
  const copyOf = <T extends { _id: string; revision: number }>(name: string, model: AnyModel) =>
    snapshotCopy<T>({
      name: `billing:${name}`,
      model,
      locks,
      isNewer: (next, current) => next.revision > current.revision,
    });
  const detailCopies = copyOf<DetailFact>('detail-fact', details);
  const pricingCopies = copyOf<PricingProjection>('pricing-fact', pricings);
  const utilityCopies = copyOf<UtilityFact>('utility-fact', utilities);

  /**
   * The details of many entitlements in one query, by entitlement (a billing run's chunk):
   * FerretDB answers every query but `_id` equality with a collection scan, so one scan per chunk
   * instead of one per entitlement.
   */
  async function detailsOfEntitlements(
    tenantId: string,
    entitlementIds: string[],
  ): Promise<Map<string, DetailFact[]>> {
    const byEntitlement = new Map<string, DetailFact[]>(entitlementIds.map((id) => [id, []]));
    if (entitlementIds.length === 0) return byEntitlement;
    const rows = await details
      .find({ tenant_id: tenantId, entitlement_id: { $in: entitlementIds }, deleted: false })
      .lean<DetailFact[]>();
    for (const row of rows) byEntitlement.get(row.entitlement_id)?.push(row);
    return byEntitlement;
  }

  /** Every live detail of a tenant, by entitlement, in one query (a billing run's facts). */
  async function detailsOfTenant(tenantId: string): Promise<Map<string, DetailFact[]>> {
    const byEntitlement = new Map<string, DetailFact[]>();
    const rows = await details.find({ tenant_id: tenantId, deleted: false }).lean<DetailFact[]>();
    for (const row of rows) {
      const list = byEntitlement.get(row.entitlement_id);
      if (list) list.push(row);
      else byEntitlement.set(row.entitlement_id, [row]);
    }
    return byEntitlement;
  }

  return {
    details,
    pricings,
    utilities,
    putDetail: (fact: DetailFact) => detailCopies.keep(fact),
    putPricing: (fact: PricingProjection) => pricingCopies.keep(fact),
    putUtility: (fact: UtilityFact) => utilityCopies.keep(fact),

    detailsOfEntitlements,
    detailsOfTenant,

    async detailsOfEntitlement(tenantId: string, entitlementId: string): Promise<DetailFact[]> {
      return (await detailsOfEntitlements(tenantId, [entitlementId])).get(entitlementId)!;
    },

    /** Entitlements with an active detail meeting the period, sorted: what a billing run covers. */
    async billableEntitlements(
      tenantId: string,
      period: { start: string; end: string },
    ): Promise<string[]> {
      const rows = await details
        .find(
          {
            tenant_id: tenantId,
            deleted: false,
            is_active: true,
            status: 'active',
            start_date: { $lte: period.end },
          },
          { entitlement_id: 1, end_date: 1 },
        )
        .lean<{ entitlement_id: string; end_date: string | null }[]>();
      const ids = new Set<string>();
      for (const r of rows)
        if (r.end_date === null || r.end_date >= period.start) ids.add(r.entitlement_id);
      return [...ids].sort();
    },

    async pricingsOfPackages(tenantId: string, packageIds: string[]): Promise<PricingProjection[]> {
      if (packageIds.length === 0) return [];
      return await pricings
        .find({ tenant_id: tenantId, package_id: { $in: packageIds }, deleted: false })
        .lean<PricingProjection[]>();
    },

    /** Whether the copies hold the entitlement (through a live detail of it). */
    async hasEntitlement(tenantId: string, entitlementId: string): Promise<boolean> {
      const row = await details
        .findOne({ tenant_id: tenantId, entitlement_id: entitlementId, deleted: false }, { _id: 1 })
        .lean();
      return row !== null;
    },

    /** Which of these entitlement rows the copies hold live (invoice lines name them). */
    async liveDetails(tenantId: string, detailIds: string[]): Promise<Set<string>> {
      if (detailIds.length === 0) return new Set();
      const rows = await details
        .find(
          { _id: { $in: detailIds.map((id) => `${tenantId}:${id}`) }, deleted: false },
          { detail_id: 1 },
        )
        .lean<{ detail_id: string }[]>();
      return new Set(rows.map((r) => r.detail_id));
    },

    async hasUtility(tenantId: string, infoId: string): Promise<boolean> {
      const row = await utilities
        .findOne({ _id: `${tenantId}:${infoId}`, deleted: false }, { _id: 1 })
        .lean();
      return row !== null;
    },

    /** The VAT rate of the named utility information, else of the tenant's oldest active one; 0 without. */
    async vatRate(tenantId: string, infoId?: string | null): Promise<number> {
      if (infoId) {
        const info = await utilities
          .findOne({ _id: `${tenantId}:${infoId}`, deleted: false })
          .lean<UtilityFact>();
        if (info) return info.vat_rate;
      }
      const [active] = await utilities
        .find({ tenant_id: tenantId, deleted: false, is_active: true })
        .sort({ info_id: 1 })
        .limit(1)
        .lean<UtilityFact[]>();
      return active?.vat_rate ?? 0;
    },
  };
}

export type EntitlementProjection = ReturnType<typeof entitlementProjection>;
