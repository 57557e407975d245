import {
  AppError,
  type BulkEntitlementDetailsRequest,
  type CreateEntitlementDetailRequest,
  type CustomerType,
  type EntitlementDetailView,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import {
  buildBulkRows,
  buildDetailRow,
  packageIdsOf,
  type DetailRowFields,
  type PackageFacts,
  type RowContext,
} from '../domain/entitlement-rows';
import { type DetailRow, type Entitlement } from '../store/entitlements';
import { detailView } from '../views';
import type { Caller, CustomersDeps } from './context';
import { findCustomer } from './customers';
import { detailEvent, findEntitlement } from './entitlements';
import { invalid } from './writes';

/** The packages (with pricings) that soho rows name, for validating them. */
async function rowContext(
  deps: CustomersDeps,
  tenantId: string,
  currency: string,
  packageIds: string[],
): Promise<RowContext> {
  const [packages, pricings] = await Promise.all([
    deps.packages.findPackages(tenantId, packageIds),
    deps.packages.pricingsOf(tenantId, packageIds),
  ]);
  const facts = new Map<string, PackageFacts>(
    packages.map((p) => [
      p._id,
      {
        id: p._id,
        package_type: p.package_type,
        currency: p.currency,
        mbps: p.mbps,
        pricings: pricings
          .filter((x) => x.package_id === p._id)
          .map((x) => ({
            id: x._id,
            is_active: x.is_active,
            val_start_at: x.val_start_at,
            val_end_at: x.val_end_at,
            rate_minor: x.rate_minor,
          })),
      },
    ]),
  );
  return { currency, packages: facts };
}

function newRows(fields: DetailRowFields[], e: Entitlement, caller: Caller): DetailRow[] {
  const now = new Date();
  return fields.map((f, i) => ({
    ...f,
    id: newId('end'),
    seq: e.next_row_seq + i,
    revision: 1,
    created_by: caller.userId,
    updated_by: caller.userId,
    created_at: now,
    updated_at: now,
  }));
}

const parentOf = (e: Entitlement) => ({
  entitlement_id: e._id,
  customer_id: e.customer_id,
  currency: e.currency,
});

/**
 * Adds rows to an entitlement under its customer's lock (its type and deletion stay put) and its
 * own lock, in ONE write of the entitlement document that carries the rows and their events.
 */
async function addRows(
  deps: CustomersDeps,
  caller: Caller,
  entitlementId: string,
  build: (
    customerType: CustomerType,
    ctx: (packageIds: string[]) => Promise<RowContext>,
  ) => Promise<DetailRowFields[]>,
): Promise<{ entitlement: Entitlement; rows: DetailRow[] }> {
  const first = await findEntitlement(deps, caller, entitlementId);
  const key = { id: entitlementId, tenantId: caller.tenantId };
  const { before, after } = await deps.aggregates.guard(
    deps.customers.aggregate,
    first.customer_id,
    () =>
      deps.aggregates.change<Entitlement>(deps.entitlements.aggregate, key, async (e) => {
        if (e.customer_id !== first.customer_id) {
          throw AppError.conflict('changed', 'The entitlement was moved by another request; retry');
        }
        const customer = await findCustomer(deps, caller, e.customer_id);
        const fields = await build(customer.customer_type, (ids) =>
          rowContext(deps, caller.tenantId, e.currency, ids),
        );
        const rows = newRows(fields, e, caller);
        return {
          set: {
            details: [...e.details, ...rows],
            next_row_seq: e.next_row_seq + rows.length,
            updated_by: caller.userId,
          },
          events: rows.map((row) => detailEvent('EntitlementDetailCreated', row, e, caller)),
        };
      }),
  );
  return { entitlement: before, rows: after.details.slice(before.details.length) };
}

/**
 * Seed 002 bulk creation (POST /entitlements/{id}/details/): every row is validated first and
 * one bad row refuses them all (422 naming it); then all rows are written at once.
 */
export async function bulkCreateDetails(
  deps: CustomersDeps,
  caller: Caller,
  entitlementId: string,
  req: BulkEntitlementDetailsRequest,
): Promise<EntitlementDetailView[]> {
  if (req.entitlement_master_id !== undefined && req.entitlement_master_id !== entitlementId) {
    throw invalid(
      'Invalid entitlement details; nothing was saved',
      'entitlement_master_id',
      'must be the entitlement in the URL',
    );
  }
  const { entitlement, rows } = await addRows(deps, caller, entitlementId, async (type, ctx) =>
    buildBulkRows(req, type, await ctx(packageIdsOf(req.soho_details ?? []))),
  );
  return rows.map((row) => detailView(row, parentOf(entitlement)));
}

/** POST /entitlement-details/: one row, of the customer's type. */
export async function createDetail(
  deps: CustomersDeps,
  caller: Caller,
  req: CreateEntitlementDetailRequest,
): Promise<EntitlementDetailView> {
  const { cust_entitlement_id, entitlement_master_id, ...fields } = req;
  const entitlementId = cust_entitlement_id ?? entitlement_master_id;
  if (!entitlementId)
    throw invalid('Invalid entitlement detail', 'cust_entitlement_id', 'is required');
  const { entitlement, rows } = await addRows(deps, caller, entitlementId, async (type, ctx) => {
    const result = buildDetailRow(type, fields, null, await ctx(packageIdsOf([fields])));
    if (!result.row) throw AppError.validation('Invalid entitlement detail', result.errors);
    return [result.row];
  });
  return detailView(rows[0]!, parentOf(entitlement));
}

/** The row as the entitlement holds it now (deleted by another request meanwhile: 404). */
function rowOf(entitlement: Entitlement, id: string): DetailRow {
  const row = entitlement.details.find((r) => r.id === id);
  if (!row) throw AppError.notFound('Entitlement detail');
  return row;
}

async function findRow(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
): Promise<{ entitlement: Entitlement; row: DetailRow }> {
  const entitlement = await deps.entitlements.findByDetailId(caller.tenantId, id);
  const row = entitlement?.details.find((r) => r.id === id);
  if (!entitlement || !row) throw AppError.notFound('Entitlement detail');
  return { entitlement, row };
}

export async function getDetail(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
): Promise<EntitlementDetailView> {
  const { entitlement, row } = await findRow(deps, caller, id);
  return detailView(row, parentOf(entitlement));
}

/**
 * PATCH (`full` false) changes the fields sent and validates the whole row again; PUT (`full`
 * true) replaces the row (id and creation kept). A row stays on its entitlement.
 */
export async function updateDetail(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
  req: CreateEntitlementDetailRequest,
  full: boolean,
): Promise<EntitlementDetailView> {
  const { entitlement: first } = await findRow(deps, caller, id);
  const { cust_entitlement_id, entitlement_master_id, ...fields } = req;
  const moveTo = cust_entitlement_id ?? entitlement_master_id;
  if (moveTo !== undefined && moveTo !== first._id) {
    throw invalid(
      'Invalid entitlement detail',
      'cust_entitlement_id',
      'a detail cannot move to another entitlement',
    );
  }
  const key = { id: first._id, tenantId: caller.tenantId };
  const { before, after } = await deps.aggregates.change<Entitlement>(
    deps.entitlements.aggregate,
    key,
    async (entitlement) => {
      const row = rowOf(entitlement, id);
      const ctx = await rowContext(
        deps,
        caller.tenantId,
        entitlement.currency,
        packageIdsOf([fields, row]),
      );
      const built = buildDetailRow(row.type, fields, full ? null : row, ctx);
      if (!built.row) throw AppError.validation('Invalid entitlement detail', built.errors);
      const updated: DetailRow = {
        ...built.row,
        id: row.id,
        seq: row.seq,
        revision: row.revision + 1,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_by: caller.userId,
        updated_at: new Date(),
      };
      return {
        set: {
          details: entitlement.details.map((r) => (r.id === id ? updated : r)),
          updated_by: caller.userId,
        },
        events: [detailEvent('EntitlementDetailUpdated', updated, entitlement, caller)],
      };
    },
  );
  return detailView(rowOf(after, id), parentOf(before));
}

export async function deleteDetail(deps: CustomersDeps, caller: Caller, id: string): Promise<void> {
  const { entitlement: first } = await findRow(deps, caller, id);
  const key = { id: first._id, tenantId: caller.tenantId };
  await deps.aggregates.change<Entitlement>(deps.entitlements.aggregate, key, (entitlement) => {
    const row = rowOf(entitlement, id);
    const gone = { ...row, revision: row.revision + 1 };
    return {
      set: { details: entitlement.details.filter((r) => r.id !== id), updated_by: caller.userId },
      events: [detailEvent('EntitlementDetailDeleted', gone, entitlement, caller)],
    };
  });
}
