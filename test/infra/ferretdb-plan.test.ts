import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { MONGO_URL, ROOT, uniqueId } from '../support/infra';

/**
 * The FerretDB build's statements by `_id` must use the collection's `_id` index: SQLite matches
 * an index to an expression by its text, and the stock build's `_ferretdb_sjson->'$._id'` did not
 * match the index's `_ferretdb_sjson->"_id"`, so every find, update and delete by id scanned the
 * table (scripts/infra/install.sh, patch_id_column). This asks SQLite itself for the plan of the
 * statements the build issues, on a collection the build created.
 */
const INFRA = process.env.LEDGERLINE_INFRA_DIR ?? path.join(ROOT, '.infra');
const ID_COLUMN_FILE = path.join(INFRA, 'bin', 'ferretdb.id-column');

// SQLite's own answer (Python's sqlite3 module, opened read-only beside the running server)
const PLAN = `
import json, sqlite3, sys
db, collection, expr = sys.argv[1:4]
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
(table,) = con.execute("SELECT table_name FROM _ferretdb_collections WHERE name = ?", (collection,)).fetchone()
statements = {
  "find": f'SELECT _ferretdb_sjson FROM "{table}" WHERE {expr} = ?',
  "update": f'UPDATE "{table}" SET _ferretdb_sjson = ? WHERE {expr} = ?',
  "delete": f'DELETE FROM "{table}" WHERE {expr} = ?',
}
plans = {}
for name, sql in statements.items():
  args = ("x",) * sql.count("?")
  plans[name] = " | ".join(row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql, args))
print(json.dumps(plans))
`;

let client: MongoClient;

beforeAll(async () => {
  client = await MongoClient.connect(MONGO_URL);
});

afterAll(async () => {
  await client?.close();
});

test("when SQLite plans the build's find, update and delete by _id, then each searches the _id index and none scans the table", async () => {
  const idColumn = fs.readFileSync(ID_COLUMN_FILE, 'utf8').trim();
  const dbName = `t_${uniqueId('plan')}`;
  const db = client.db(dbName);
  try {
    await db
      .collection('docs')
      .insertMany(
        Array.from({ length: 50 }, (_, i) => ({ _id: `doc_${i}` as never, tenant_id: 't', n: i })),
      );
    await db.collection('docs').createIndex({ tenant_id: 1 });
    const file = path.join(INFRA, 'data', 'mongo', `${dbName}.sqlite`);
    const plans = JSON.parse(
      execFileSync('python3', ['-c', PLAN, file, 'docs', idColumn], { encoding: 'utf8' }),
    ) as Record<string, string>;
    expect(Object.keys(plans)).toEqual(['find', 'update', 'delete']);
    for (const [statement, plan] of Object.entries(plans)) {
      expect([statement, plan]).toEqual([
        statement,
        expect.stringMatching(/^SEARCH .* USING INDEX/),
      ]);
      expect([statement, plan]).not.toEqual([statement, expect.stringContaining('SCAN')]);
    }
    // and the server answers by id as before
    await db
      .collection('docs')
      .updateOne({ _id: 'doc_7' as never, tenant_id: 't' }, { $inc: { n: 1 } });
    expect(await db.collection('docs').findOne({ _id: 'doc_7' as never, tenant_id: 't' })).toEqual({
      _id: 'doc_7',
      tenant_id: 't',
      n: 8,
    });
    await db.collection('docs').deleteOne({ _id: 'doc_7' as never, tenant_id: 't' });
    expect(await db.collection('docs').countDocuments({})).toBe(49);
  } finally {
    await db.dropDatabase();
  }
});

test('when the stock expression is planned on the same table, then SQLite scans it (what the patch removes)', async () => {
  const dbName = `t_${uniqueId('plan')}`;
  const db = client.db(dbName);
  try {
    await db.collection('docs').insertOne({ _id: 'doc_1' as never, tenant_id: 't' });
    const file = path.join(INFRA, 'data', 'mongo', `${dbName}.sqlite`);
    const plans = JSON.parse(
      execFileSync('python3', ['-c', PLAN, file, 'docs', "_ferretdb_sjson->'$._id'"], {
        encoding: 'utf8',
      }),
    ) as Record<string, string>;
    expect(plans.update).toMatch(/SCAN/);
  } finally {
    await db.dropDatabase();
  }
});
