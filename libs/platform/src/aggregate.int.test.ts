import { Schema, type Connection, type Model } from 'mongoose';
import type { Redis } from 'ioredis';
import { buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import { connectMongo, isDuplicateKeyError } from './mongo';
import { connectRedis } from './redis';
import { redisLocks } from './locks';
import { outboxSchemaFields } from './events/outbox';
import { aggregateWriter, defineAggregate, detectStoreWrites } from './aggregate';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';

jest.setTimeout(30_000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6391';

interface Counter {
  _id: string;
  tenant_id: string;
  value: number;
  version: number;
  _outbox?: EventEnvelope[];
}

let mongo: Connection;
let redis: Redis;
let model: Model<Counter>;
const woken: string[][] = [];
/** The outboxes handed to the relay with each wake-up, by document id. */
const handed = new Map<string, EventEnvelope[]>();

beforeAll(async () => {
  mongo = await connectMongo(MONGO_URL, `t_aggregate_${Date.now().toString(36)}`);
  redis = await connectRedis(REDIS_URL);
  model = mongo.model<Counter>(
    'Counter',
    new Schema(
      { _id: String, tenant_id: String, value: Number, version: Number, ...outboxSchemaFields },
      { versionKey: false },
    ),
  );
});

afterAll(async () => {
  await mongo.dropDatabase();
  await mongo.close();
  redis.disconnect();
});

function setUp(writes: 'atomic' | 'locked') {
  const unique = Math.random().toString(36).slice(2);
  const counters = defineAggregate({ name: `counter-${unique}`, label: 'Counter', model });
  const writer = aggregateWriter({
    locks: redisLocks(redis, { prefix: `test:${unique}:` }),
    writes,
    publishSoon: (ids, born) => {
      woken.push([...(ids ?? [])]);
      for (const [docId, events] of born?.outboxes ?? []) handed.set(docId, [...events]);
    },
  });
  return { counters, writer, id: `c_${unique}`, tenantId: `ten_${unique}` };
}

const changedEvent = (tenantId: string, id: string) =>
  buildEvent('TenantDeleted', {
    tenant_id: tenantId,
    data: { tenant_id: tenantId, deleted_at: `2025-01-01T00:00:00.000Z#${id}` },
  });

describe('aggregate writer', () => {
  test('when the store is FerretDB, then it is detected as needing locks; STORE_WRITES overrides', async () => {
    expect(await detectStoreWrites(mongo)).toBe('locked');
    expect(await detectStoreWrites(mongo, 'atomic')).toBe('atomic');
  });

  test('when 30 changes of one document run at once under locked writes, then none is lost and each event joins the outbox', async () => {
    const { counters, writer, id, tenantId } = setUp('locked');
    await model.create({ _id: id, tenant_id: tenantId, value: 0, version: 1 });
    await Promise.all(
      Array.from({ length: 30 }, () =>
        writer.change<Counter>(counters, { id, tenantId }, (c) => ({
          set: { value: c.value + 1 },
          events: [changedEvent(tenantId, id)],
        })),
      ),
    );
    const doc = await model.findById(id).lean<Counter>();
    expect(doc?.value).toBe(30);
    expect(doc?.version).toBe(31);
    expect(doc?._outbox).toHaveLength(30);
    expect(woken.filter((ids) => ids.includes(id))).toHaveLength(30);
  });

  test('when a change carries events, then the relay is handed them without a read back, unless the outbox still held earlier ones (then it reads the document); the decision never sees the outbox', async () => {
    const { counters, writer, id, tenantId } = setUp('locked');
    await model.create({ _id: id, tenant_id: tenantId, value: 0, version: 1 });
    const first = changedEvent(tenantId, `${id}-first`);
    let seen: Record<string, unknown> = {};
    await writer.change<Counter>(counters, { id, tenantId }, (c) => {
      seen = { ...c };
      return { set: { value: 1 }, events: [first] };
    });
    expect(seen).not.toHaveProperty('_outbox');
    expect(handed.get(id)?.map((e) => e.id)).toEqual([first.id]);

    // not published yet: the next change's events are announced by id only
    handed.delete(id);
    const second = changedEvent(tenantId, `${id}-second`);
    await writer.change<Counter>(counters, { id, tenantId }, () => ({
      set: { value: 2 },
      events: [second],
    }));
    expect(handed.has(id)).toBe(false);
    expect(woken.at(-1)).toEqual([id]);
    const stored = await model.findById(id).lean<Counter>();
    expect(stored?._outbox?.map((e) => e.id)).toEqual([first.id, second.id]);
  });

  test('when another writer moves the version between read and write under atomic writes, then the decision is taken again on fresh data', async () => {
    const { counters, writer, id, tenantId } = setUp('atomic');
    await model.create({ _id: id, tenant_id: tenantId, value: 10, version: 1 });
    const seen: number[] = [];
    const result = await writer.change<Counter>(counters, { id, tenantId }, async (c) => {
      seen.push(c.value);
      // a concurrent writer, once: its change must survive ours
      if (seen.length === 1) await model.updateOne({ _id: id }, { $inc: { value: 5, version: 1 } });
      return { set: { value: c.value * 2 } };
    });
    expect(seen).toEqual([10, 15]);
    expect(result.after.value).toBe(30);
    expect((await model.findById(id).lean<Counter>())?.value).toBe(30);
  });

  test('when the document belongs to another tenant, then it is not found and nothing changes', async () => {
    const { counters, writer, id, tenantId } = setUp('locked');
    await model.create({ _id: id, tenant_id: tenantId, value: 1, version: 1 });
    await expect(
      writer.change<Counter>(counters, { id, tenantId: 'ten_other' }, () => ({
        set: { value: 9 },
      })),
    ).rejects.toMatchObject({ kind: 'not_found', message: 'Counter not found' });
    expect((await model.findById(id).lean<Counter>())?.value).toBe(1);
  });

  test('when the decision refuses or changes nothing, then nothing is written and the relay is not woken', async () => {
    const { counters, writer, id, tenantId } = setUp('locked');
    await model.create({ _id: id, tenant_id: tenantId, value: 1, version: 1 });
    const before = woken.length;
    await expect(
      writer.change<Counter>(counters, { id, tenantId }, () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    const same = await writer.change<Counter>(counters, { id, tenantId }, () => undefined);
    expect(same.changed).toBe(false);
    expect(await model.findById(id).lean<Counter>()).toMatchObject({ value: 1, version: 1 });
    expect(woken.length).toBe(before);
  });

  test('when changeOrInsert meets a missing document, then the first state is inserted once and the change applied to it, even by racing writers under locks', async () => {
    for (const writes of ['locked', 'atomic'] as const) {
      const { counters, writer, id, tenantId } = setUp(writes);
      let inserts = 0;
      const insert = async () => {
        inserts++;
        await model
          .create({ _id: id, tenant_id: tenantId, value: 100, version: 1 })
          .catch((err) => {
            if (!isDuplicateKeyError(err)) throw err;
          });
      };
      const once = () =>
        writer.changeOrInsert<Counter>(counters, { id, tenantId }, insert, (c) => ({
          set: { value: c.value + 1 },
        }));
      // racing writers under locks; under atomic writes one after the other, since this test's
      // store is FerretDB, whose conditional updates are not atomic (a race there may lose one:
      // that is why it is detected as 'locked', above)
      if (writes === 'locked') await Promise.all(Array.from({ length: 5 }, once));
      else for (let i = 0; i < 5; i++) await once();
      const doc = await model.findById(id).lean<Counter>();
      expect([doc?.value, doc?.version]).toEqual([105, 6]);
      // the document exists now: no further insert is tried
      const before = inserts;
      await writer.changeOrInsert<Counter>(counters, { id, tenantId }, insert, (c) => ({
        set: { value: c.value + 1 },
      }));
      expect(inserts).toBe(before);
      expect((await model.findById(id).lean<Counter>())?.value).toBe(106);
    }
  });

  test('when changeExpected meets the expected state, then one update writes it; in any other state the decision runs on the document as read', async () => {
    const { counters, writer, id, tenantId } = setUp('locked');
    await model.create({ _id: id, tenant_id: tenantId, value: 0, version: 1 });
    let decided = 0;
    const decide = (c: Counter) => {
      decided++;
      return c.value === 7 ? undefined : { set: { value: c.value + 10 } };
    };
    const expected = { when: { value: 0 }, set: { value: 7 } };
    // racing callers under the lock: the first finds the expected state, the rest decide on 7
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        writer.changeExpected<Counter>(counters, { id, tenantId }, expected, decide),
      ),
    );
    expect(outcomes.map((o) => o.changed).sort()).toEqual([false, false, false, false, true]);
    expect(decided).toBe(4);
    expect(await model.findById(id).lean<Counter>()).toMatchObject({ value: 7, version: 2 });
    // another tenant's key finds nothing in either branch: its 404
    await expect(
      writer.changeExpected<Counter>(
        counters,
        { id, tenantId: `${tenantId}_other` },
        expected,
        decide,
      ),
    ).rejects.toMatchObject({ kind: 'not_found' });
    expect(await model.findById(id).lean<Counter>()).toMatchObject({ value: 7, version: 2 });
  });
});
