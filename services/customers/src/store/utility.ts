import type { Connection } from 'mongoose';
import type { ListQuery, UtilityType } from '@ledgerline/contracts';
import {
  defineAggregate,
  lockedAggregate,
  modelOf,
  outboxInsert,
  tenantDocumentSchema,
  type OutboxFields,
  type TenantDocument,
} from '@ledgerline/platform';
import { HIDDEN, listPage } from './common';

/** The tenant's company information printed on its invoices. */
export interface UtilityInfo extends TenantDocument {
  company_name: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  vat_registration_number: string | null;
  /** Hundredths of a percent. */
  vat_rate: number;
  invoice_footer: string | null;
  is_active: boolean;
  /** Grows with every change; carried by its UtilityInfoChanged events (0 before events existed). */
  revision: number;
  /** A deleted information stays hidden so its last event can leave through its outbox. */
  deleted_at: Date | null;
}

/** A way to pay the tenant: a bank account or a bKash/Nagad wallet. */
export interface UtilityDetail extends TenantDocument {
  utility_master_id: string;
  type: UtilityType;
  name: string;
  number: string;
  account_name: string | null;
  branch: string | null;
  routing_number: string | null;
  is_active: boolean;
  remarks: string | null;
}

const infoSchema = tenantDocumentSchema<UtilityInfo & OutboxFields>(
  {
    company_name: { type: String, required: true },
    address: { type: String, default: null },
    phone: { type: String, default: null },
    email: { type: String, default: null },
    website: { type: String, default: null },
    vat_registration_number: { type: String, default: null },
    vat_rate: { type: Number, required: true },
    invoice_footer: { type: String, default: null },
    is_active: { type: Boolean, required: true },
    revision: { type: Number, default: 0 },
    deleted_at: { type: Date, default: null },
  },
  { collection: 'utility_infos', outbox: true },
);
infoSchema.index({ tenant_id: 1, created_at: -1 });

const detailSchema = tenantDocumentSchema<UtilityDetail>(
  {
    utility_master_id: { type: String, required: true },
    type: { type: String, required: true },
    name: { type: String, required: true },
    number: { type: String, required: true },
    account_name: { type: String, default: null },
    branch: { type: String, default: null },
    routing_number: { type: String, default: null },
    is_active: { type: Boolean, required: true },
    remarks: { type: String, default: null },
  },
  { collection: 'utility_details' },
);
detailSchema.index({ tenant_id: 1, utility_master_id: 1 });
detailSchema.index({ tenant_id: 1, created_at: -1 });

export interface UtilityInfoFilters {
  is_active?: boolean;
}

export interface UtilityDetailFilters {
  utility_master_id?: string;
  type?: UtilityType;
  is_active?: boolean;
}

export function utilityStore(connection: Connection) {
  const infos = modelOf<UtilityInfo & OutboxFields>(connection, 'UtilityInfo', infoSchema);
  const LIVE = { deleted_at: null };
  const details = modelOf<UtilityDetail>(connection, 'UtilityDetail', detailSchema);
  return {
    /** Its lock also keeps an information master that a detail names from going meanwhile. */
    infoAggregate: defineAggregate({
      name: 'customers:utility-info',
      label: 'Utility information',
      model: infos,
      versionField: 'revision',
      live: LIVE,
    }),
    detailAggregate: lockedAggregate({
      name: 'customers:utility-detail',
      label: 'Utility detail',
      model: details,
    }),
    infos,
    details,

    insertInfo: outboxInsert<UtilityInfo>(infos),

    async findInfo(tenantId: string, id: string): Promise<UtilityInfo | null> {
      return infos.findOne({ _id: id, tenant_id: tenantId, ...LIVE }, HIDDEN).lean<UtilityInfo>();
    },

    async listInfos(tenantId: string, query: ListQuery, filters: UtilityInfoFilters) {
      const filter: Record<string, unknown> = { tenant_id: tenantId, ...LIVE };
      if (filters.is_active !== undefined) filter.is_active = filters.is_active;
      return listPage<UtilityInfo>(infos, filter, query, ['company_name', 'email', 'phone'], {
        company_name: 'company_name',
        created_at: 'created_at',
      });
    },

    /** Callers hold the info's lock (the outbox relay's too). */
    /**
     * Its details first, so a retry after a failure finishes the job; the information itself is
     * hidden (deleted_at) and keeps its last event until the relay has sent it.
     */
    async removeDetailsOf(tenantId: string, infoId: string): Promise<void> {
      await details.deleteMany({ tenant_id: tenantId, utility_master_id: infoId });
    },

    async insertDetail(
      detail: Omit<UtilityDetail, 'created_at' | 'updated_at'>,
    ): Promise<UtilityDetail> {
      return (await details.create(detail)).toObject();
    },

    async findDetail(tenantId: string, id: string): Promise<UtilityDetail | null> {
      return details.findOne({ _id: id, tenant_id: tenantId }).lean<UtilityDetail>();
    },

    /** Details of these info masters, oldest first. */
    async detailsOf(tenantId: string, infoIds: string[]): Promise<UtilityDetail[]> {
      if (infoIds.length === 0) return [];
      return details
        .find({ tenant_id: tenantId, utility_master_id: { $in: infoIds } })
        .sort({ created_at: 1, _id: 1 })
        .lean<UtilityDetail[]>();
    },

    async listDetails(tenantId: string, query: ListQuery, filters: UtilityDetailFilters) {
      const filter: Record<string, unknown> = { tenant_id: tenantId };
      if (filters.utility_master_id) filter.utility_master_id = filters.utility_master_id;
      if (filters.type) filter.type = filters.type;
      if (filters.is_active !== undefined) filter.is_active = filters.is_active;
      return listPage<UtilityDetail>(details, filter, query, ['name', 'number'], {
        name: 'name',
        type: 'type',
        created_at: 'created_at',
      });
    },

    /** Callers hold the detail's lock. */
  };
}

export type UtilityStore = ReturnType<typeof utilityStore>;
