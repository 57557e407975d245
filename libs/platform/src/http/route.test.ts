import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import {
  AppError,
  binaryBody,
  binaryResponse,
  defineRoute,
  LEDGER_ROUTES,
  PAYMENT_ROUTES,
} from '@ledgerline/contracts';
import { errorHandler } from './errors';
import { bindRoute, expressPath, idempotentPaths } from './route';

describe('route paths', () => {
  test('when a spec path has {names}, then express gets :names', () => {
    expect(expressPath('/api/billing/{profile}/checkout/{id}')).toBe(
      '/api/billing/:profile/checkout/:id',
    );
  });

  test('when groups are given, then only their idempotent routes are keyed, as express paths', () => {
    expect(idempotentPaths(LEDGER_ROUTES, PAYMENT_ROUTES).sort()).toEqual(
      [
        '/api/billing/:profile/balance',
        '/api/billing/:profile/checkout',
        '/api/billing/:profile/checkout/paylater',
        '/api/payments/payment-details',
        '/api/payments/payments',
        '/api/payments/payments/:id/refund',
        '/api/payments/payments/:id/void',
      ].sort(),
    );
  });
});

describe('bindRoute with files', () => {
  const file = defineRoute({
    method: 'get',
    operationId: 'files.get',
    path: '/files/{id}',
    tag: 'test',
    summary: 'a file',
    public: true,
    produces: 'application/pdf',
    response: binaryResponse,
  });
  const upload = defineRoute({
    method: 'put',
    operationId: 'files.upload',
    path: '/files/{id}',
    tag: 'test',
    summary: 'an upload',
    public: true,
    body: binaryBody,
    rawBody: { types: ['image/png'], maxBytes: 8 },
    response: z.object({ bytes: z.number() }),
  });
  const app = express();
  const router = express.Router();
  bindRoute(router, file, async ({ params }) => {
    if (params.id === 'missing') throw AppError.notFound('File');
    return { data: Buffer.from(`%PDF-${params.id}`) };
  });
  bindRoute(router, upload, async ({ body }) => ({ data: { bytes: body.length } }));
  app.use(router);
  app.use(errorHandler);

  test('when a produces route answers, then the bytes are sent as they are with its media type; an error is still JSON', async () => {
    const res = await request(app).get('/files/7').buffer(true);
    expect([res.status, res.headers['content-type'], String(res.body)]).toEqual([
      200,
      'application/pdf',
      '%PDF-7',
    ]);
    const missing = await request(app).get('/files/missing');
    expect([missing.status, missing.body.type]).toEqual([404, 'not_found']);
  });

  test('when a raw body is another type, too long, empty or right, then 415, 413, 422 or the handler', async () => {
    const put = (type: string, body: Buffer) =>
      request(app).put('/files/1').set('content-type', type).send(body);
    expect((await put('image/gif', Buffer.from('GIF'))).status).toBe(415);
    expect((await put('image/png', Buffer.alloc(9))).status).toBe(413);
    expect((await request(app).put('/files/1').set('content-type', 'image/png')).status).toBe(422);
    const ok = await put('image/png; charset=binary', Buffer.alloc(8));
    expect([ok.status, ok.body.data]).toEqual([200, { bytes: 8 }]);
  });
});
