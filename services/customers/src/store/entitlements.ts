import type { Connection } from 'mongoose';
import type { ListQuery } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  modelOf,
  outboxInsert,
  searchClause,
  searchedNames,
  withoutOutbox,
  type SearchQuery,
} from '@ledgerline/platform';
import { HIDDEN, sortOf } from './common';
import {
  entitlementSchema,
  type DetailRow,
  type Entitlement,
  type EntitlementDoc,
} from './entitlement-model';

export type { DetailRow, Entitlement } from './entitlement-model';

export interface EntitlementFilters {
  customer_id?: string;
  activation_date?: string;
  activation_from?: string;
  activation_to?: string;
  /** Search: the bill number, or the customer's name (`customerIds`: the customers it names). */
  search?: EntitlementSearch;
}

/** A search of entitlements or their rows; customer names are matched first, into their ids. */
export interface EntitlementSearch {
  query: SearchQuery;
  customerIds: string[];
}

/** What an entitlement search reads (by q_f name): its own text, and its customer's name. */
export const ENTITLEMENT_SEARCH = ['bill_number', 'customer_name'] as const;

/** What a detail-row search reads beyond its entitlement's (q_f name -> stored field). */
const ROW_SEARCH: Record<string, string> = {
  type: 'details.type',
  bandwidth_type: 'details.bandwidth_type',
  status: 'details.status',
  remarks: 'details.remarks',
};
export const DETAIL_SEARCH = [...ENTITLEMENT_SEARCH, ...Object.keys(ROW_SEARCH)];

/** Filters on detail rows; every field is optional. */
export interface DetailFilters {
  entitlement_id?: string;
  customer_id?: string;
  type?: string;
  status?: string;
  is_active?: boolean;
  bandwidth_type?: string;
  /** Rows in force at some point of [from, to] (either may be open). */
  from?: string | null;
  to?: string | null;
  search?: EntitlementSearch;
}

/** A detail row with what it inherits from its entitlement. */
export interface DetailWithParent {
  entitlement_id: string;
  customer_id: string;
  currency: string;
  bill_number: string | null;
  row: DetailRow;
}

function plain(doc: EntitlementDoc | null): Entitlement | null {
  return doc && withoutOutbox(doc);
}

const live = (tenantId: string) => ({ tenant_id: tenantId, deleted_at: null });

function entitlementSearchClause(search: EntitlementSearch, names: readonly string[]) {
  return searchClause({ search: search.query.search, searchFields: [...names] }, ['bill_number'], {
    customer_name: { customer_id: { $in: search.customerIds } },
  });
}

function detailMatch(filters: DetailFilters, prefix: string): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  if (filters.type) m[`${prefix}type`] = filters.type;
  if (filters.status) m[`${prefix}status`] = filters.status;
  if (filters.is_active !== undefined) m[`${prefix}is_active`] = filters.is_active;
  if (filters.bandwidth_type) m[`${prefix}bandwidth_type`] = filters.bandwidth_type;
  return m;
}

export function entitlementStore(connection: Connection) {
  const model = modelOf<EntitlementDoc>(connection, 'Entitlement', entitlementSchema);

  function parentFilter(tenantId: string, filters: DetailFilters): Record<string, unknown> {
    const filter: Record<string, unknown> = {
      ...live(tenantId),
      // a pre-filter on the arrays (any row matching each condition), refined after $unwind
      ...detailMatch(filters, 'details.'),
    };
    if (filters.entitlement_id) filter._id = filters.entitlement_id;
    if (filters.customer_id) filter.customer_id = filters.customer_id;
    return filter;
  }

  function rowMatch(filters: DetailFilters): Record<string, unknown> {
    const m = detailMatch(filters, 'details.');
    if (filters.to) m['details.start_date'] = { $lte: filters.to };
    if (filters.from)
      m.$or = [{ 'details.end_date': null }, { 'details.end_date': { $gte: filters.from } }];
    return m;
  }

  /**
   * A row matches a search by its own fields or by its entitlement's (bill number, customer).
   * $unwind leaves only the rows and their entitlement's id, so the entitlements that match are
   * found first, by id; the same condition also narrows the entitlements before unwinding.
   */
  async function rowSearch(
    tenantId: string,
    filters: DetailFilters,
  ): Promise<Record<string, unknown> | null> {
    if (!filters.search?.query.search) return null;
    const names = searchedNames(filters.search.query, DETAIL_SEARCH);
    const parentNames = names.filter((n) => !(n in ROW_SEARCH));
    const rowNames = names.filter((n) => n in ROW_SEARCH);
    const parentClause = parentNames.length
      ? entitlementSearchClause(filters.search, parentNames)
      : null;
    const parentIds = parentClause
      ? (
          await model
            .find({ ...parentFilter(tenantId, filters), ...parentClause }, { _id: 1 })
            .lean<{ _id: string }[]>()
        ).map((p) => p._id)
      : [];
    const rowClause = rowNames.length
      ? searchClause({ search: filters.search.query.search, searchFields: rowNames }, ROW_SEARCH)
      : null;
    return { $or: [{ _id: { $in: parentIds } }, ...(rowClause?.$or ?? [])] };
  }

  return {
    model,
    /** Its detail rows live inside it: a row's change is a change of the entitlement. */
    aggregate: defineAggregate({
      name: 'customers:entitlement',
      label: 'Entitlement',
      model,
      live: { deleted_at: null },
    }),

    insert: outboxInsert<Entitlement>(model),

    async findById(tenantId: string, id: string): Promise<Entitlement | null> {
      return plain(
        await model.findOne({ _id: id, ...live(tenantId) }, HIDDEN).lean<EntitlementDoc>(),
      );
    },

    async findByDetailId(tenantId: string, detailId: string): Promise<Entitlement | null> {
      return plain(
        await model
          .findOne({ ...live(tenantId), 'details.id': detailId }, HIDDEN)
          .lean<EntitlementDoc>(),
      );
    },

    async list(tenantId: string, query: ListQuery, filters: EntitlementFilters) {
      const filter: Record<string, unknown> = live(tenantId);
      if (filters.customer_id) filter.customer_id = filters.customer_id;
      if (filters.activation_date) filter.activation_date = filters.activation_date;
      else if (filters.activation_from || filters.activation_to) {
        filter.activation_date = {
          ...(filters.activation_from && { $gte: filters.activation_from }),
          ...(filters.activation_to && { $lte: filters.activation_to }),
        };
      }
      const search =
        filters.search &&
        entitlementSearchClause(
          filters.search,
          searchedNames(filters.search.query, ENTITLEMENT_SEARCH),
        );
      if (search) Object.assign(filter, search);
      return findPage<Entitlement>(
        model,
        filter,
        sortOf(query.sort, {
          created_at: 'created_at',
          activation_date: 'activation_date',
          bill_number: 'bill_number',
        }),
        query,
      );
    },

    /** Live entitlements of these customers, rows included (for counts computed on read). */
    async ofCustomers(tenantId: string, customerIds: string[]): Promise<Entitlement[]> {
      if (customerIds.length === 0) return [];
      return model
        .find({ ...live(tenantId), customer_id: { $in: customerIds } }, HIDDEN)
        .lean<Entitlement[]>();
    },

    async customerHasEntitlements(tenantId: string, customerId: string): Promise<boolean> {
      return (await model.exists({ ...live(tenantId), customer_id: customerId })) !== null;
    },

    /** Whether any live row names this package (or this pricing). */
    async packageInUse(
      tenantId: string,
      ref: { packageId?: string; pricingId?: string },
    ): Promise<boolean> {
      const filter: Record<string, unknown> = live(tenantId);
      if (ref.packageId) filter['details.package_master_id'] = ref.packageId;
      if (ref.pricingId) filter['details.package_pricing_id'] = ref.pricingId;
      return (await model.exists(filter)) !== null;
    },

    /**
     * One page of detail rows across entitlements ($unwind, which FerretDB supports; $elemMatch
     * it answers wrongly, so rows are matched after unwinding). FerretDB's $unwind also drops the
     * document's other fields, so the parents' fields are read in a second query by id.
     */
    async listDetails(
      tenantId: string,
      filters: DetailFilters,
      sort: Record<string, 1 | -1>,
      page: { page: number; perPage: number } | null,
    ): Promise<{ results: DetailWithParent[]; count: number }> {
      const search = await rowSearch(tenantId, filters);
      const withSearch = (m: Record<string, unknown>) =>
        !search ? m : Object.keys(m).length === 0 ? search : { $and: [m, search] };
      const head = [
        { $match: withSearch(parentFilter(tenantId, filters)) },
        { $project: { details: 1 } },
        { $unwind: '$details' },
        { $match: withSearch(rowMatch(filters)) },
      ];
      // ties (rows of one bulk request share their timestamps) fall back to creation order
      const sortStage: Record<string, 1 | -1> = {};
      for (const [k, v] of Object.entries(sort)) if (k !== '_id') sortStage[`details.${k}`] = v;
      const direction = sort.created_at ?? 1;
      Object.assign(sortStage, { _id: direction, 'details.seq': direction });
      const pageStages = page
        ? [{ $skip: (page.page - 1) * page.perPage }, { $limit: page.perPage }]
        : [];
      const [rows, counted] = await Promise.all([
        model.aggregate<{ _id: string; details: DetailRow }>([
          ...head,
          { $sort: sortStage },
          ...pageStages,
        ]),
        model.aggregate<{ n: number }>([...head, { $count: 'n' }]),
      ]);
      const parents = await model
        .find(
          { _id: { $in: [...new Set(rows.map((r) => r._id))] }, tenant_id: tenantId },
          { customer_id: 1, currency: 1, bill_number: 1 },
        )
        .lean<Pick<Entitlement, '_id' | 'customer_id' | 'currency' | 'bill_number'>[]>();
      const byId = new Map(parents.map((p) => [p._id, p]));
      const results: DetailWithParent[] = [];
      for (const r of rows) {
        const parent = byId.get(r._id);
        if (!parent) continue; // deleted in between
        results.push({
          entitlement_id: r._id,
          customer_id: parent.customer_id,
          currency: parent.currency,
          bill_number: parent.bill_number ?? null,
          row: r.details,
        });
      }
      return { results, count: counted[0]?.n ?? 0 };
    },
  };
}

export type EntitlementStore = ReturnType<typeof entitlementStore>;
