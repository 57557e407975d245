import express from 'express';
import request from 'supertest';
import type { Connection } from 'mongoose';
import { connectMongo } from '../mongo';
import { createLogger } from '../logger';
import { errorHandler } from './errors';
import { canonicalJson, idempotency } from './idempotency';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';

let mongo: Connection;

beforeAll(async () => {
  mongo = await connectMongo(MONGO_URL, `t_idem_${Date.now().toString(36)}`);
});

afterAll(async () => {
  await mongo.dropDatabase();
  await mongo.close();
});

/** An app whose POST counts its effects and can be slowed down, behind the middleware. */
function counterApp(opts: { delayMs?: number; inFlightTimeoutMs?: number; status?: number } = {}) {
  const keys = idempotency({
    connection: mongo,
    logger: createLogger('test', 'silent'),
    inFlightTimeoutMs: opts.inFlightTimeoutMs,
  });
  const effects: unknown[] = [];
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    req.auth = { tenantId: String(req.headers['x-tenant']) } as typeof req.auth;
    next();
  });
  app.post('/charges', keys.middleware, async (req, res) => {
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 0));
    effects.push(req.body);
    res.status(opts.status ?? 201).json({ success: true, data: { n: effects.length } });
  });
  app.use(errorHandler);
  return { app, effects, keys };
}

describe('idempotency middleware', () => {
  test('when the same key and body are sent 10 times in a row, then the effect happens once and every answer is the first', async () => {
    const { app, effects } = counterApp();
    const answers = [];
    for (let i = 0; i < 10; i++) {
      const res = await request(app)
        .post('/charges')
        .set({ 'x-tenant': 'ten_a', 'Idempotency-Key': 'k1' })
        .send({ amount: '1.00', b: [1, 2] });
      answers.push([res.status, res.text]);
    }
    expect(effects).toHaveLength(1);
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(
      new Set([JSON.stringify([201, '{"success":true,"data":{"n":1}}'])]),
    );
  });

  test('when requests race with one key, then one runs and the others get 409 while it is in flight', async () => {
    const { app, effects } = counterApp({ delayMs: 300 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(app)
          .post('/charges')
          .set({ 'x-tenant': 'ten_a', 'Idempotency-Key': 'race' })
          .send({ amount: '1.00' }),
      ),
    );
    expect(effects).toHaveLength(1);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  });

  test('when the key is reused with another body, then 422; when another tenant uses it, then it is a new key', async () => {
    const { app, effects } = counterApp();
    const send = (tenant: string, body: object) =>
      request(app)
        .post('/charges')
        .set({ 'x-tenant': tenant, 'Idempotency-Key': 'shared' })
        .send(body);
    expect((await send('ten_a', { amount: '1.00', x: 1 })).status).toBe(201);
    // the same body with keys in another order is the same request
    expect((await send('ten_a', { x: 1, amount: '1.00' })).status).toBe(201);
    const other = await send('ten_a', { amount: '2.00', x: 1 });
    expect([other.status, other.body.type]).toEqual([422, 'validation_error']);
    expect((await send('ten_b', { amount: '2.00' })).status).toBe(201);
    expect(effects).toEqual([{ amount: '1.00', x: 1 }, { amount: '2.00' }]);
  });

  test('when a request crashed and left its key in flight, then a retry after the timeout takes it over', async () => {
    const { app, effects, keys } = counterApp({ inFlightTimeoutMs: 200 });
    const send = () =>
      request(app)
        .post('/charges')
        .set({ 'x-tenant': 'ten_c', 'Idempotency-Key': 'crash' })
        .send({});
    // simulate the crash: claim the key, then forget the record's answer
    expect((await send()).status).toBe(201);
    await keys.model.updateMany(
      { key: 'crash' },
      { $set: { state: 'in_flight', locked_at: new Date(Date.now() - 1000) } },
    );
    expect((await send()).status).toBe(201);
    expect(effects).toHaveLength(2);
  });

  test('when a key has expired, then the sweep deletes it; 5xx answers are not kept', async () => {
    const { app, effects, keys } = counterApp({ status: 503 });
    const send = () =>
      request(app)
        .post('/charges')
        .set({ 'x-tenant': 'ten_d', 'Idempotency-Key': 'retry-me' })
        .send({});
    expect((await send()).status).toBe(503);
    expect((await send()).status).toBe(503);
    expect(effects).toHaveLength(2);
    const swept = await keys.sweep(new Date(Date.now() + 25 * 60 * 60 * 1000));
    expect(swept).toBeGreaterThan(0);
    expect(await keys.model.countDocuments({})).toBe(0);
  });

  test('when the answer is 403 (the route refused the caller), then the key is released', async () => {
    const { app, effects } = counterApp({ status: 403 });
    const send = () =>
      request(app)
        .post('/charges')
        .set({ 'x-tenant': 'ten_f', 'Idempotency-Key': 'not-yet-allowed' })
        .send({});
    expect((await send()).status).toBe(403);
    expect((await send()).status).toBe(403);
    expect(effects).toHaveLength(2);
  });

  test('when bodies differ only in key order, then their canonical JSON is equal', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });
});
