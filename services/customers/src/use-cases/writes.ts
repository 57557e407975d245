import { AppError, toMinor } from '@ledgerline/contracts';
import type { AggregateDefinition } from '@ledgerline/platform';
import type { Caller, CustomersDeps } from './context';

/** What the write use cases share: a refused field, a sent amount, a new document's own fields. */

/** A 422 naming the one field that is wrong. */
export function invalid(title: string, field: string, message: string): AppError {
  return AppError.validation(title, [{ field, message }]);
}

/** An amount sent in a request, in the currency's minor units; a negative one is refused. */
export function nonNegativeMinor(
  value: string | number,
  currency: string,
  field: string,
  title: string,
): number {
  const minor = toMinor(value, currency, field);
  if (minor < 0) throw invalid(title, field, 'must not be negative');
  return minor;
}

/** A new document of the caller's tenant: its id, its tenant, `fields`, and the caller as author. */
export function newDocument<F extends object>(id: string, caller: Caller, fields: F) {
  return {
    _id: id,
    tenant_id: caller.tenantId,
    ...fields,
    created_by: caller.userId,
    updated_by: caller.userId,
  };
}

/** The fields newDocument and newRevisioned stamp themselves (a create sends the rest). */
export type StampedFields =
  | '_id'
  | 'tenant_id'
  | 'revision'
  | 'deleted_at'
  | 'created_by'
  | 'updated_by'
  | 'created_at'
  | 'updated_at';

/**
 * A new document whose events carry a revision (customer, pricing, utility information): its
 * first revision, not deleted, with its times set here because its first event is built from it.
 */
export function newRevisioned<F extends object>(id: string, caller: Caller, fields: F) {
  const now = new Date();
  return {
    ...newDocument(id, caller, { ...fields, revision: 1, deleted_at: null }),
    created_at: now,
    updated_at: now,
  };
}

/**
 * A document a write names by reference (a customer's KAM, a pricing's package...): the lock that
 * keeps it from being deleted meanwhile, its read in a tenant, and the 422 when the tenant has none.
 */
export interface Reference<D> {
  aggregate: (deps: CustomersDeps) => AggregateDefinition;
  find: (deps: CustomersDeps, tenantId: string, id: string) => Promise<D | null>;
  refusal: () => AppError;
}

/** Runs `fn` with the document `id` names in the caller's tenant, its lock held (see Reference). */
export function withReferenced<D, T>(
  deps: CustomersDeps,
  caller: Caller,
  ref: Reference<D>,
  id: string,
  fn: (doc: D) => Promise<T>,
): Promise<T> {
  return deps.aggregates.guard(ref.aggregate(deps), id, async () => {
    const doc = await ref.find(deps, caller.tenantId, id);
    if (!doc) throw ref.refusal();
    return fn(doc);
  });
}
