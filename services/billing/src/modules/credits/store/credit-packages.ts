import type { Connection } from 'mongoose';
import { PLATFORM_TENANT_ID } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  modelOf,
  searchClause,
  tenantDocumentSchema,
  type SearchQuery,
  type TenantDocument,
} from '@ledgerline/platform';

/** A credit package the platform sells (seed 000); held in the platform tenant. */
export interface CreditPackage extends TenantDocument {
  name: string;
  credits: number;
  price_minor: number;
  currency: string;
  is_active: boolean;
  version: number;
}

const schema = tenantDocumentSchema<CreditPackage>(
  {
    name: { type: String, required: true },
    credits: { type: Number, required: true },
    price_minor: { type: Number, required: true },
    currency: { type: String, required: true },
    is_active: { type: Boolean, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'credit_packages' },
);
schema.index({ tenant_id: 1, created_at: -1 });

export type NewCreditPackage = Omit<
  CreditPackage,
  'created_at' | 'updated_at' | 'version' | 'tenant_id'
>;

/** Packages all live in the platform tenant: every query names it. */
export function creditPackageStore(connection: Connection) {
  const model = modelOf<CreditPackage>(connection, 'CreditPackage', schema);
  const tenant_id = PLATFORM_TENANT_ID;
  return {
    model,
    /** The platform's: changed with the platform tenant as its tenant. */
    aggregate: defineAggregate({
      name: 'credit-package',
      label: 'Credit package',
      model,
      outbox: false,
    }),
    async insert(pkg: NewCreditPackage): Promise<CreditPackage> {
      const doc = await model.create({ ...pkg, tenant_id, version: 1 });
      return doc.toObject();
    },
    async findById(id: string): Promise<CreditPackage | null> {
      return model.findOne({ _id: id, tenant_id }).lean<CreditPackage>();
    },
    /** Packages by credits; a search reads the name. */
    async list(
      opts: { activeOnly: boolean; search?: SearchQuery },
      page: { page: number; perPage: number },
    ): Promise<{ results: CreditPackage[]; count: number }> {
      const filter = {
        tenant_id,
        ...(opts.activeOnly && { is_active: true }),
        ...(opts.search && searchClause(opts.search, ['name'])),
      };
      return findPage<CreditPackage>(model, filter, { credits: 1, _id: 1 }, page);
    },
  };
}
export type CreditPackageStore = ReturnType<typeof creditPackageStore>;
