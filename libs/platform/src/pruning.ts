import { setTimeout as sleep } from 'node:timers/promises';
import type { FilterQuery, Model } from 'mongoose';
import type { Logger } from './logger';
import { everyInterval } from './periodic';

/**
 * Deletes the documents matching `filter`, `batchSize` at a time: each batch's ids are found, then
 * deleted by `_id` (the one filter FerretDB's SQLite backend answers from an index), with a pause
 * between batches. One unbounded deleteMany would hold SQLite's write lock for as long as it takes,
 * stalling every other write of the database; a batch holds it briefly. Answers how many went.
 */
export async function pruneInBatches<T>(
  model: Model<T>,
  filter: FilterQuery<T>,
  opts: { batchSize?: number; pauseMs?: number; maxBatches?: number } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 500;
  let deleted = 0;
  for (let batch = 0; batch < (opts.maxBatches ?? 1000); batch++) {
    const ids = (
      await model.find(filter, { _id: 1 }).limit(batchSize).lean<{ _id: unknown }[]>()
    ).map((doc) => doc._id);
    if (ids.length === 0) break;
    const results = await Promise.all(ids.map((_id) => model.deleteOne({ _id } as FilterQuery<T>)));
    deleted += results.reduce((n, r) => n + (r.deletedCount ?? 0), 0);
    if (ids.length < batchSize) break;
    await sleep(opts.pauseMs ?? 50);
  }
  return deleted;
}

/**
 * Runs `prune` every `intervalMs` (first after a random part of it, so a fleet started together
 * does not prune at once; never two runs at once); answers the stop function. A failed run is
 * logged and retried next time.
 */
export function startPruner(
  name: string,
  prune: () => Promise<number>,
  intervalMs: number,
  logger: Logger,
): () => Promise<void> {
  return everyInterval(
    intervalMs,
    async () => {
      const deleted = await prune();
      if (deleted > 0) logger.info({ deleted, pruned: name }, 'old records pruned');
    },
    { logger, failure: `pruning ${name} failed; retried later`, spreadStart: true },
  );
}
