import type { Model } from 'mongoose';
import type { AggregateLocks } from './locks';

export interface Kept<T> {
  /** The copy as stored after the call: `next` (merged) when applied, else what was there. */
  kept: T;
  applied: boolean;
  /** What was stored before, if anything. */
  previous: T | null;
}

/**
 * A copy of another service's objects kept from its events, which arrive late, twice and out of
 * order: each object's stored snapshot is replaced only by a newer one. The read, the comparison
 * and the replacement run under the object's lock (FerretDB's writes are read-then-write), so two
 * deliveries of different snapshots can never leave the older one standing.
 */
export function snapshotCopy<T extends { _id: string }>(opts: {
  /** Lock-key prefix: `<name>:<id>`. */
  name: string;
  model: Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  locks: AggregateLocks;
  /** Whether `next` should replace `current`. */
  isNewer: (next: T, current: T) => boolean;
  /** What is stored when `next` wins (default `next` itself), e.g. to keep a sticky field. */
  merge?: (next: T, current: T | null) => T;
}) {
  const merge = opts.merge ?? ((next: T) => next);
  return {
    lockKey: (id: string) => `${opts.name}:${id}`,

    async keep(next: T): Promise<Kept<T>> {
      return opts.locks.withLock(`${opts.name}:${next._id}`, async () => {
        const previous = (await opts.model.findById(next._id).lean()) as T | null;
        if (previous && !opts.isNewer(next, previous))
          return { kept: previous, applied: false, previous };
        const { _id, ...fields } = merge(next, previous);
        await opts.model.replaceOne({ _id }, fields, { upsert: true });
        return { kept: { _id, ...fields } as T, applied: true, previous };
      });
    },
  };
}
