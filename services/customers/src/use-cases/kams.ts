import {
  AppError,
  type KamPatchRequest,
  type KamRequest,
  type KamView,
  type ListQuery,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import type { Kam } from '../store/kams';
import { kamView } from '../views';
import { fieldsOf, type Caller, type CustomersDeps } from './context';
import { resourceReads } from './reads';
import { boolFilter } from './filters';
import { invalid, newDocument, withReferenced, type Reference } from './writes';

const KAM_DEFAULTS = { phone: null, email: null, address: null, is_active: true };
type KamFields = Pick<Kam, 'kam_name' | 'phone' | 'email' | 'address' | 'is_active'>;

async function withCounts(deps: CustomersDeps, tenantId: string, kams: Kam[]): Promise<KamView[]> {
  const counts = await deps.customers.countByKam(
    tenantId,
    kams.map((k) => k._id),
  );
  return kams.map((k) => kamView(k, counts.get(k._id) ?? 0));
}

export async function listKams(deps: CustomersDeps, caller: Caller, query: ListQuery) {
  const { results, count } = await deps.kams.list(caller.tenantId, query, {
    is_active: boolFilter(query, 'is_active'),
  });
  return kamReads.page(deps, caller, { results, count });
}

const kamReads = resourceReads({
  label: 'KAM',
  find: (deps, tenantId, id) => deps.kams.findById(tenantId, id),
  views: withCounts,
});
export const getKam = kamReads.get;

export async function createKam(
  deps: CustomersDeps,
  caller: Caller,
  req: KamRequest,
): Promise<KamView> {
  const fields = fieldsOf(req, true, KAM_DEFAULTS) as KamFields;
  const kam = await deps.kams.insert(newDocument(newId('kam'), caller, fields));
  return kamView(kam, 0);
}

/** PATCH (`full` false) changes the fields sent; PUT (`full` true) replaces them all. */
export async function updateKam(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
  req: KamPatchRequest,
  full: boolean,
): Promise<KamView> {
  await deps.aggregates.change<Kam>(deps.kams.aggregate, { id, tenantId: caller.tenantId }, () => ({
    set: { ...fieldsOf(req, full, KAM_DEFAULTS), updated_by: caller.userId },
  }));
  return getKam(deps, caller, id);
}

/** A KAM who still looks after customers cannot be deleted: they would point at nobody. */
export async function deleteKam(deps: CustomersDeps, caller: Caller, id: string): Promise<void> {
  await deps.aggregates.remove(deps.kams.aggregate, { id, tenantId: caller.tenantId }, async () => {
    const assigned = (await deps.customers.countByKam(caller.tenantId, [id])).get(id) ?? 0;
    if (assigned > 0) {
      throw AppError.conflict(
        'in_use',
        `This KAM is assigned to ${assigned} customer${assigned === 1 ? '' : 's'}; reassign them first`,
      );
    }
  });
}

const KAM_REFERENCE: Reference<Kam> = {
  aggregate: (deps) => deps.kams.aggregate,
  find: (deps, tenantId, id) => deps.kams.findById(tenantId, id),
  refusal: () => invalid('Invalid customer', 'kam_id', 'no such KAM in this account'),
};

/**
 * Runs `fn` while the KAM named by a customer write cannot be deleted (its lock held), after
 * checking that it exists in the caller's tenant: 422 on `kam_id` otherwise.
 */
export async function withKam<T>(
  deps: CustomersDeps,
  caller: Caller,
  kamId: string | null | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  if (!kamId) return fn();
  return withReferenced(deps, caller, KAM_REFERENCE, kamId, fn);
}
