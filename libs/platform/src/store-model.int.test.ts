import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { EventEnvelope } from '@ledgerline/contracts';
import { connectMongo } from './mongo';
import { outboxOnInsert, outboxSchemaFields, type OutboxFields } from './events/outbox';
import {
  auditSchemaFields,
  findPage,
  insertPlain,
  insertWithOutbox,
  lockedAggregate,
  modelOf,
  storeSchema,
  tenantKeyFields,
  type Audited,
  type Unsaved,
} from './store-model';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';

jest.setTimeout(30_000);

interface Note extends Audited {
  _id: string;
  tenant_id: string;
  text: string;
}

const noteSchema = storeSchema<Note & OutboxFields>(
  {
    ...tenantKeyFields,
    text: { type: String, required: true },
    ...auditSchemaFields,
    ...outboxSchemaFields,
  },
  { collection: 'notes' },
);

let mongo: Connection;

beforeAll(async () => {
  mongo = await connectMongo(MONGO_URL, `t_store_model_${Date.now().toString(36)}`);
});

afterAll(async () => {
  await mongo.dropDatabase();
  await mongo.close();
});

const notes = () => modelOf<Note & OutboxFields>(mongo, 'Note', noteSchema);

function noteEvent(id: string): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'NoteWritten',
    version: 1,
    occurred_at: new Date().toISOString(),
    tenant_id: 't1',
    correlation_id: randomUUID(),
    data: { id },
  } as unknown as EventEnvelope;
}

describe('store model', () => {
  test('when a store is built twice on one connection, then both get the one compiled model', () => {
    expect(notes()).toBe(notes());
    expect(mongo.models.Note).toBe(notes());
  });

  test('when a document is inserted with its events, then they wait in its outbox and the answer leaves them out', async () => {
    const tenantId = `t-${randomUUID()}`;
    const event = noteEvent('n1');
    const saved = await insertWithOutbox<Note>(
      notes(),
      {
        _id: `n-${randomUUID()}`,
        tenant_id: tenantId,
        text: 'hello',
        created_by: 'u1',
        updated_by: null,
      },
      [event],
    );
    expect(saved).toEqual({
      _id: saved._id,
      tenant_id: tenantId,
      text: 'hello',
      created_by: 'u1',
      updated_by: null,
      created_at: expect.any(Date),
      updated_at: expect.any(Date),
    });
    const stored = await notes().collection.findOne({ _id: saved._id as never });
    // no `__v`; the audit dates set by the schema; the events pending in the same document
    expect(Object.keys(stored ?? {}).sort()).toEqual(
      [
        '_id',
        'tenant_id',
        'text',
        'created_by',
        'updated_by',
        '_outbox',
        '_outbox_pending',
        'created_at',
        'updated_at',
      ].sort(),
    );
    expect(stored?._outbox_pending).toBe(true);
    expect(stored?._outbox).toEqual([event]);
  });

  test('when a document is inserted plainly, then it is stored as create stores it: defaults filled, audit dates set, no __v', async () => {
    const tenantId = `t-${randomUUID()}`;
    const event = noteEvent('plain');
    // created_by and updated_by left out: the schema's defaults (null) fill them
    const fields = { tenant_id: tenantId, text: 'plain', ...outboxOnInsert([event]) };
    const viaCreate = `n-${randomUUID()}`;
    const viaPlain = `n-${randomUUID()}`;
    await notes().create({ _id: viaCreate, ...fields });
    const answered = await insertPlain(notes(), { _id: viaPlain, ...fields } as Unsaved<
      Note & OutboxFields
    >);
    const read = (id: string) => notes().collection.findOne({ _id: id as never });
    const [created, plain] = await Promise.all([read(viaCreate), read(viaPlain)]);
    const withoutKeyAndDates = (d: Record<string, unknown> | null) => {
      const { _id: _key, created_at: _created, updated_at: _updated, ...rest } = d ?? {};
      return rest;
    };
    expect(withoutKeyAndDates(plain)).toEqual(withoutKeyAndDates(created));
    expect(withoutKeyAndDates(plain)).toEqual({
      tenant_id: tenantId,
      text: 'plain',
      created_by: null,
      updated_by: null,
      _outbox: [event],
      _outbox_pending: true,
    });
    expect(plain?.created_at).toBeInstanceOf(Date);
    expect(plain?.updated_at).toEqual(plain?.created_at);
    expect(answered).toEqual(plain);
  });

  test('when a page is asked, then it holds that page in order without outboxes, counting the whole filter', async () => {
    const tenantId = `t-${randomUUID()}`;
    for (const n of [1, 2, 3, 4, 5]) {
      await insertWithOutbox<Note>(
        notes(),
        {
          _id: `${tenantId}-${n}`,
          tenant_id: tenantId,
          text: `note ${n}`,
          created_by: null,
          updated_by: null,
        },
        [noteEvent(`${n}`)],
      );
    }
    const page = await findPage<Note>(
      notes(),
      { tenant_id: tenantId },
      { _id: -1 },
      {
        page: 2,
        perPage: 2,
      },
    );
    expect(page.count).toBe(5);
    expect(page.results.map((r) => r.text)).toEqual(['note 3', 'note 2']);
    expect(page.results.every((r) => !('_outbox' in r) && !('_outbox_pending' in r))).toBe(true);
  });

  test('when an aggregate is locked, then it has neither a version nor an outbox', () => {
    const def = lockedAggregate({ name: 'note', label: 'Note', model: notes() });
    expect(def.versionField).toBeUndefined();
    expect(def.outbox).toBe(false);
    expect(def.tenantScoped).toBe(true);
    expect(def.lockKey('n1')).toBe('note:n1');
    const platformWide = lockedAggregate({
      name: 'note',
      label: 'Note',
      model: notes(),
      tenantScoped: false,
    });
    expect(platformWide.tenantScoped).toBe(false);
  });
});
