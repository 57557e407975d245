import { Schema, type Connection, type Model } from 'mongoose';
import type { Redis } from 'ioredis';
import { connectMongo } from './mongo';
import { connectRedis } from './redis';
import { redisLocks } from './locks';
import { snapshotCopy } from './snapshot-copy';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6391';

jest.setTimeout(30_000);

interface Copy {
  _id: string;
  name: string;
  revision: number;
  deleted: boolean;
}

let mongo: Connection;
let redis: Redis;
let model: Model<Copy>;

beforeAll(async () => {
  mongo = await connectMongo(MONGO_URL, `t_copy_${Date.now().toString(36)}`);
  redis = await connectRedis(REDIS_URL);
  model = mongo.model<Copy>(
    'Copy',
    new Schema(
      { _id: String, name: String, revision: Number, deleted: Boolean },
      { versionKey: false },
    ),
  );
});

afterAll(async () => {
  await mongo.dropDatabase();
  await mongo.close();
  redis.disconnect();
});

/** Copies kept by a higher revision, under a lock name of their own. */
const byRevision = () =>
  snapshotCopy<Copy>({
    name: `copy-${Math.random().toString(36).slice(2)}`,
    model,
    locks: redisLocks(redis),
    isNewer: (next, current) => next.revision > current.revision,
  });

/** A live snapshot of object `id` at `revision`. */
const atRevision = (id: string, revision: number): Copy => ({
  _id: id,
  name: `r${revision}`,
  revision,
  deleted: false,
});

describe('snapshot copy', () => {
  test('when snapshots arrive out of order and twice at once, then the newest is kept and a deletion stays', async () => {
    const copies = snapshotCopy<Copy>({
      name: `copy-${Math.random().toString(36).slice(2)}`,
      model,
      locks: redisLocks(redis),
      isNewer: (next, current) =>
        next.revision > current.revision || (next.deleted && !current.deleted),
      merge: (next, current) => ({ ...next, deleted: next.deleted || (current?.deleted ?? false) }),
    });
    const snap = (revision: number, deleted = false): Copy => ({
      _id: 'c1',
      name: `r${revision}`,
      revision,
      deleted,
    });
    const results = await Promise.all([3, 1, 2, 3, 1].map((r) => copies.keep(snap(r))));
    expect(await model.findById('c1').lean()).toEqual(snap(3));
    expect(results.filter((r) => r.applied).length).toBeGreaterThanOrEqual(1);
    expect((await copies.keep(snap(2))).applied).toBe(false);
    expect((await copies.keep(snap(3, true))).kept).toEqual(snap(3, true));
    // a later revision cannot bring the deleted object back
    await copies.keep(snap(4));
    expect(await model.findById('c1').lean()).toEqual({ ...snap(4), deleted: true });
  });
  test('when the first snapshot of an object arrives after a later one, then the insert is refused and the later one stays; a new object is inserted at once', async () => {
    const copies = byRevision();
    await copies.keep(atRevision('late-first', 2));
    expect(await copies.keep(atRevision('late-first', 1), { first: true })).toEqual({
      kept: atRevision('late-first', 2),
      applied: false,
      previous: atRevision('late-first', 2),
    });
    expect(await copies.keep(atRevision('new-one', 1), { first: true })).toEqual({
      kept: atRevision('new-one', 1),
      applied: true,
      previous: null,
    });
    expect(await model.findById('new-one').lean()).toEqual(atRevision('new-one', 1));
    expect(await model.findById('late-first').lean()).toEqual(atRevision('late-first', 2));
  });
  test('when many first snapshots are inserted at once and one object already has a later copy, then the others are stored and only that one is answered back', async () => {
    const copies = byRevision();
    await copies.keep(atRevision('many-late', 3));
    const refused = await copies.keepFirsts([
      atRevision('many-a', 1),
      atRevision('many-late', 1),
      atRevision('many-b', 1),
    ]);
    expect(refused).toEqual([atRevision('many-late', 1)]);
    expect(
      await model
        .find({ _id: { $in: ['many-a', 'many-b', 'many-late'] } })
        .sort({ _id: 1 })
        .lean(),
    ).toEqual([atRevision('many-a', 1), atRevision('many-b', 1), atRevision('many-late', 3)]);
    expect(await copies.keepFirsts([])).toEqual([]);
  });
  test('when copies are kept with a replaces filter, then an older copy is replaced in one command, a first one stored, and one the filter does not match is still decided by isNewer', async () => {
    const copies = snapshotCopy<Copy>({
      name: `copy-${Math.random().toString(36).slice(2)}`,
      model,
      locks: redisLocks(redis),
      isNewer: (next, current) => next.revision > current.revision,
      replaces: (next) => ({ revision: { $lt: next.revision } }),
    });
    expect(await copies.keep(atRevision('rep', 2))).toEqual({
      kept: atRevision('rep', 2),
      applied: true,
      previous: null,
    });
    expect(await copies.keep(atRevision('rep', 5))).toEqual({
      kept: atRevision('rep', 5),
      applied: true,
      previous: atRevision('rep', 2),
    });
    // older and equal revisions: the filter does not match, isNewer refuses them
    for (const revision of [3, 5])
      expect(await copies.keep(atRevision('rep', revision))).toEqual({
        kept: atRevision('rep', 5),
        applied: false,
        previous: atRevision('rep', 5),
      });
    // racing deliveries under the lock: the newest stays
    await Promise.all([7, 6, 9, 8].map((r) => copies.keep(atRevision('rep', r))));
    expect(await model.findById('rep').lean()).toEqual(atRevision('rep', 9));
  });
});
