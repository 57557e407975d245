import type { Model } from 'mongoose';
import type { ListQuery, SortKey } from '@ledgerline/contracts';
import { findPage, searchClause, WITHOUT_OUTBOX, type SearchFields } from '@ledgerline/platform';

/** Fields every listing leaves out: the outbox is plumbing, not data. */
export const HIDDEN = WITHOUT_OUTBOX;

/**
 * Mongo sort from the client's ordering, keeping only the fields `allowed` maps (public name ->
 * stored field); the newest first by default, and always a unique tie-breaker so pages are stable.
 */
export function sortOf(
  keys: readonly SortKey[],
  allowed: Record<string, string>,
): Record<string, 1 | -1> {
  const sort: Record<string, 1 | -1> = {};
  for (const key of keys) {
    const field = allowed[key.field];
    if (field) sort[field] = key.direction;
  }
  if (Object.keys(sort).length === 0) sort.created_at = -1;
  sort._id = sort.created_at ?? 1;
  return sort;
}

/**
 * A list endpoint's page: `filter` narrowed by the query's search over `searchFields`, in the
 * client's order among the `sortable` fields (public name -> stored field).
 */
export function listPage<T>(
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  filter: Record<string, unknown>,
  query: ListQuery,
  searchFields: SearchFields,
  sortable: Record<string, string>,
): Promise<{ results: T[]; count: number }> {
  const search = searchClause(query, searchFields);
  return findPage<T>(model, { ...filter, ...search }, sortOf(query.sort, sortable), query);
}
