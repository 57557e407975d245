import type { Model } from 'mongoose';
import type { AggregateLocks } from './locks';
import { allDuplicates, isDuplicateKeyError, refusedAsDuplicates } from './mongo';

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
  /**
   * A filter matching a stored copy that `next` certainly replaces (part of `isNewer`: an older
   * timestamp, a lower revision). With it, `keep` replaces such a copy, or stores the first one,
   * in one command that answers what was there; a copy the filter does not match is decided by
   * `isNewer` on a read, as without it. Not with `merge`, which must see the copy first.
   */
  replaces?: (next: T) => Record<string, unknown>;
}) {
  if (opts.replaces && opts.merge)
    throw new Error(`${opts.name}: replaces and merge exclude each other`);
  const merge = opts.merge ?? ((next: T) => next);
  /** `next` over a copy it certainly replaces, or as the first: what was there; false if neither. */
  const replaceOlder = async (next: T): Promise<{ previous: T | null } | false> => {
    if (!opts.replaces) return false;
    const { _id, ...fields } = next;
    try {
      const previous = (await opts.model
        .findOneAndReplace({ _id, ...opts.replaces(next) }, fields, {
          upsert: true,
          returnDocument: 'before',
        })
        .lean()) as T | null;
      return { previous };
    } catch (err) {
      // a copy is there that the filter does not match: the upsert's insert collided with it
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  };
  return {
    lockKey: (id: string) => `${opts.name}:${id}`,

    /**
     * `first`: `next` is the snapshot that starts the object's life (every other ranks above it,
     * e.g. a Created event). It is tried as an insert, without the lock: an insert is atomic on
     * both stores, and a copy already there (a later snapshot that came first) refuses it, after
     * which it is decided like any other. Saves the lock and the read for most new objects.
     */
    async keep(next: T, how: { first?: boolean } = {}): Promise<Kept<T>> {
      if (how.first) {
        const born = merge(next, null);
        try {
          await opts.model.create(born);
          return { kept: born, applied: true, previous: null };
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
        }
      }
      return opts.locks.withLock(`${opts.name}:${next._id}`, async () => {
        const replaced = await replaceOlder(next);
        if (replaced) return { kept: next, applied: true, previous: replaced.previous };
        const previous = (await opts.model.findById(next._id).lean()) as T | null;
        if (previous && !opts.isNewer(next, previous))
          return { kept: previous, applied: false, previous };
        const { _id, ...fields } = merge(next, previous);
        await opts.model.replaceOne({ _id }, fields, { upsert: true });
        return { kept: { _id, ...fields } as T, applied: true, previous };
      });
    },

    /**
     * Many `first` snapshots (see `keep`) in one unordered insert. Answers those refused because
     * a copy was there already (all of them when the store does not say which), for the caller
     * to decide one by one with `keep`.
     */
    async keepFirsts(nexts: T[]): Promise<T[]> {
      if (nexts.length === 0) return [];
      try {
        await opts.model.insertMany(
          nexts.map((next) => merge(next, null)),
          { ordered: false },
        );
        return [];
      } catch (err) {
        if (!allDuplicates(err)) throw err;
        return (refusedAsDuplicates(err) ?? nexts.map((_, i) => i)).map((i) => nexts[i]!);
      }
    },
  };
}
