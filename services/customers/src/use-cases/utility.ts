import {
  buildEvent,
  parseRate,
  UTILITY_TYPES,
  type ListQuery,
  type UtilityDetailPatchRequest,
  type UtilityDetailRequest,
  type UtilityDetailView,
  type UtilityInfoPatchRequest,
  type UtilityInfoRequest,
  type UtilityInfoView,
  type EventEnvelope,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { utilitySnapshot } from '../domain/snapshots';
import type { UtilityDetail, UtilityInfo } from '../store/utility';
import { utilityDetailView, utilityInfoView } from '../views';
import { fieldsOf, type Caller, type CustomersDeps } from './context';
import { eachViewed, resourceReads } from './reads';
import { boolFilter, enumFilter, textFilter } from './filters';
import {
  invalid,
  newDocument,
  newRevisioned,
  withReferenced,
  type Reference,
  type StampedFields,
} from './writes';

const INFO_DEFAULTS = {
  address: null,
  phone: null,
  email: null,
  website: null,
  vat_registration_number: null,
  invoice_footer: null,
  is_active: true,
};
/** The information's snapshot for billing (its VAT rate is the invoices' default). */
function infoChanged(info: UtilityInfo, caller: Caller, deleted = false): EventEnvelope {
  return buildEvent('UtilityInfoChanged', {
    tenant_id: info.tenant_id,
    correlation_id: caller.correlationId,
    data: utilitySnapshot(info, deleted),
  });
}

const DETAIL_DEFAULTS = {
  account_name: null,
  branch: null,
  routing_number: null,
  is_active: true,
  remarks: null,
};

async function infoViews(
  deps: CustomersDeps,
  tenantId: string,
  infos: UtilityInfo[],
): Promise<UtilityInfoView[]> {
  const details = await deps.utility.detailsOf(
    tenantId,
    infos.map((i) => i._id),
  );
  return infos.map((i) =>
    utilityInfoView(
      i,
      details.filter((d) => d.utility_master_id === i._id),
    ),
  );
}

const infoReads = resourceReads({
  label: 'Utility information',
  find: (deps, tenantId, id) => deps.utility.findInfo(tenantId, id),
  views: infoViews,
});
const findInfo = infoReads.find;
export const getInfo = infoReads.get;

export async function listInfos(deps: CustomersDeps, caller: Caller, query: ListQuery) {
  const { results, count } = await deps.utility.listInfos(caller.tenantId, query, {
    is_active: boolFilter(query, 'is_active'),
  });
  return infoReads.page(deps, caller, { results, count });
}

function vatRate(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : parseRate(value, 'vat_rate');
}

export async function createInfo(
  deps: CustomersDeps,
  caller: Caller,
  req: UtilityInfoRequest,
): Promise<UtilityInfoView> {
  const { vat_rate, ...rest } = req;
  const fresh: UtilityInfo = newRevisioned(newId('uti'), caller, {
    ...(fieldsOf(rest, true, INFO_DEFAULTS) as Omit<UtilityInfo, StampedFields | 'vat_rate'>),
    vat_rate: vatRate(vat_rate) ?? 0,
  });
  const info = await deps.utility.insertInfo(fresh, [infoChanged(fresh, caller)]);
  deps.publishSoon([info._id]);
  return utilityInfoView(info, []);
}

export async function updateInfo(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
  req: UtilityInfoPatchRequest,
  full: boolean,
): Promise<UtilityInfoView> {
  const { vat_rate, ...rest } = req;
  const set = fieldsOf(rest, full, INFO_DEFAULTS) as Partial<UtilityInfo>;
  const rate = vatRate(vat_rate) ?? (full ? 0 : undefined);
  if (rate !== undefined) set.vat_rate = rate;
  await deps.aggregates.change<UtilityInfo>(
    deps.utility.infoAggregate,
    { id, tenantId: caller.tenantId },
    (current) => ({
      set: { ...set, updated_by: caller.userId },
      events: [infoChanged({ ...current, ...set, revision: (current.revision ?? 0) + 1 }, caller)],
    }),
  );
  return getInfo(deps, caller, id);
}

/** Deletes the information with its payment details. */
export async function deleteInfo(deps: CustomersDeps, caller: Caller, id: string) {
  await deps.aggregates.guard(deps.utility.infoAggregate, id, async (info) => {
    await findInfo(deps, caller, id);
    // its details first: a retry after a failure half-way still finds the master and finishes
    await deps.utility.removeDetailsOf(caller.tenantId, id);
    await info.change<UtilityInfo>(caller.tenantId, (current) => ({
      set: { deleted_at: new Date() },
      events: [infoChanged({ ...current, revision: (current.revision ?? 0) + 1 }, caller, true)],
    }));
  });
}

// ---------------------------------------------------------------- details

const detailReads = resourceReads({
  label: 'Utility detail',
  find: (deps, tenantId, id) => deps.utility.findDetail(tenantId, id),
  views: eachViewed(utilityDetailView),
});
export const getDetail = detailReads.get;

/** Seed 002 filters: utility_master_id, type (bank, bkash, nagad), is_active; search name, number. */
export async function listDetails(deps: CustomersDeps, caller: Caller, query: ListQuery) {
  const found = await deps.utility.listDetails(caller.tenantId, query, {
    utility_master_id: textFilter(query, 'utility_master_id'),
    type: enumFilter(query, 'type', UTILITY_TYPES),
    is_active: boolFilter(query, 'is_active'),
  });
  return detailReads.page(deps, caller, found);
}

const INFO_REFERENCE: Reference<UtilityInfo> = {
  aggregate: (deps) => deps.utility.infoAggregate,
  find: (deps, tenantId, id) => deps.utility.findInfo(tenantId, id),
  refusal: () =>
    invalid(
      'Invalid utility detail',
      'utility_master_id',
      'no such utility information in this account',
    ),
};

/** A detail belongs to an information master of the same tenant (its lock held, so it stays). */
async function withInfo<T>(
  deps: CustomersDeps,
  caller: Caller,
  infoId: string,
  fn: () => Promise<T>,
): Promise<T> {
  return withReferenced(deps, caller, INFO_REFERENCE, infoId, fn);
}

export async function createDetail(
  deps: CustomersDeps,
  caller: Caller,
  req: UtilityDetailRequest,
): Promise<UtilityDetailView> {
  const detail = await withInfo(deps, caller, req.utility_master_id, () =>
    deps.utility.insertDetail(
      newDocument(
        newId('utd'),
        caller,
        fieldsOf(req, true, DETAIL_DEFAULTS) as Omit<UtilityDetail, StampedFields>,
      ),
    ),
  );
  return utilityDetailView(detail);
}

export async function updateDetail(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
  req: UtilityDetailPatchRequest,
  full: boolean,
): Promise<UtilityDetailView> {
  const set = fieldsOf(req, full, DETAIL_DEFAULTS) as Partial<UtilityDetail>;
  const write = () =>
    deps.aggregates.change<UtilityDetail>(
      deps.utility.detailAggregate,
      { id, tenantId: caller.tenantId },
      () => ({ set: { ...set, updated_by: caller.userId } }),
    );
  const current = await detailReads.find(deps, caller, id);
  if (set.utility_master_id && set.utility_master_id !== current.utility_master_id) {
    await withInfo(deps, caller, set.utility_master_id, write);
  } else {
    await write();
  }
  return getDetail(deps, caller, id);
}

export async function deleteDetail(deps: CustomersDeps, caller: Caller, id: string) {
  await deps.aggregates.remove(deps.utility.detailAggregate, { id, tenantId: caller.tenantId });
}
