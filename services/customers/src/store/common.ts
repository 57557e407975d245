import type { Model } from 'mongoose';
import type { ListQuery, SortKey } from '@ledgerline/contracts';

/** Fields every listing leaves out: the outbox is plumbing, not data. */
export const HIDDEN = { _outbox: 0, _outbox_pending: 0 } as const;

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

/** One page of a collection and the total count for the same filter. */
export async function pageOf<T>(
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
  query: Pick<ListQuery, 'page' | 'perPage'>,
): Promise<{ results: T[]; count: number }> {
  const [results, count] = await Promise.all([
    model
      .find(filter, HIDDEN)
      .sort(sort)
      .skip((query.page - 1) * query.perPage)
      .limit(query.perPage)
      .lean<T[]>(),
    model.countDocuments(filter),
  ]);
  return { results, count };
}
