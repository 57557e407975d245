import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AppError } from '@ledgerline/contracts';
import { createLogger } from '../logger';
import { appMetricsRegistry, createServiceApp, serviceApp } from './app';
import { serveMetrics } from './metrics';

function app(readyCheck: () => Promise<unknown> = async () => undefined) {
  return createServiceApp({
    name: 'probe',
    logger: createLogger('probe', 'silent'),
    bodyLimit: '1kb',
    readiness: [{ name: 'mongo', check: readyCheck }],
    routes: (a) => {
      a.post('/echo', (req, res) => {
        res.json({ success: true, data: req.body });
      });
      a.get('/boom', async () => {
        throw new Error('secret connection string mongodb://user:pw@db');
      });
      a.get('/conflict', () => {
        throw AppError.conflict('duplicate', 'Already exists', [
          { field: 'customer_number', message: 'is taken' },
        ]);
      });
    },
  });
}

describe('service app', () => {
  test('when a request carries an id, then it is echoed; when not, then one is made', async () => {
    const withId = await request(app()).get('/healthz').set('x-request-id', 'req-123');
    expect(withId.headers['x-request-id']).toBe('req-123');
    expect(withId.body).toEqual({ success: true, data: { status: 'alive', service: 'probe' } });
    const without = await request(app()).get('/healthz');
    expect(without.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(without.headers['x-correlation-id']).toBe(without.headers['x-request-id']);
  });

  test('when no route matches, then 404 in the envelope', async () => {
    const res = await request(app()).get('/nope').set('x-request-id', 'r1');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      success: false,
      error: 'No route for GET /nope',
      code: 404,
      type: 'not_found',
      request_id: 'r1',
    });
  });

  test('when JSON is malformed or too large, then 400 or 413 in the envelope', async () => {
    const bad = await request(app())
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      success: false,
      code: 400,
      type: 'bad_request',
      error: 'Malformed JSON in request body',
    });
    const big = await request(app())
      .post('/echo')
      .send({ text: 'x'.repeat(2048) });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 413, type: 'payload_too_large' });
  });

  test('when a handler fails unexpectedly, then 500 says nothing internal and carries the request id', async () => {
    const res = await request(app()).get('/boom').set('x-request-id', 'r-500');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      success: false,
      error: 'Internal server error',
      code: 500,
      type: 'internal_error',
      request_id: 'r-500',
    });
    expect(JSON.stringify(res.body)).not.toContain('mongodb');
  });

  test('when an AppError is thrown, then its kind decides the status and its reason and details are kept', async () => {
    const res = await request(app()).get('/conflict');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'conflict',
      reason: 'duplicate',
      details: [{ field: 'customer_number', message: 'is taken' }],
    });
  });

  test('when a dependency is down, then readiness answers 503 naming it', async () => {
    const ready = await request(app()).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.data.checks).toEqual({ mongo: 'ok' });
    const down = await request(app(() => Promise.reject(new Error('connection refused')))).get(
      '/readyz',
    );
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      type: 'service_unavailable',
      details: [{ field: 'mongo', message: 'down: connection refused' }],
    });
  });

  test('when metrics are scraped, then request durations are exported on the metrics port, not on the app', async () => {
    const a = app();
    await request(a).get('/healthz');
    expect((await request(a).get('/metrics')).status).toBe(404);
    const server = await serveMetrics([appMetricsRegistry(a)!], 0, '127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(
        'http_request_duration_seconds_count{service="probe",method="GET",route="/healthz",status="200"} 1',
      );
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  test('when a process without an HTTP app serves its metrics port, then /healthz and /readyz answer there as those of a service do', async () => {
    let ready = true;
    const server = await serveMetrics([], 0, '127.0.0.1', {
      name: 'worker',
      readiness: async () =>
        ready ? { ready, checks: { mongo: 'ok' } } : { ready, checks: { mongo: 'timed out' } },
    });
    try {
      const { port } = server.address() as AddressInfo;
      const get = async (path: string) => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        return {
          status: res.status,
          body: res.headers.get('content-type')?.includes('json') ? await res.json() : null,
        };
      };
      expect(await get('/healthz')).toEqual({
        status: 200,
        body: { success: true, data: { status: 'alive', service: 'worker' } },
      });
      expect(await get('/readyz')).toEqual({
        status: 200,
        body: {
          success: true,
          data: { status: 'ready', service: 'worker', checks: { mongo: 'ok' } },
        },
      });
      ready = false;
      const unready = await get('/readyz');
      expect(unready.status).toBe(503);
      expect(unready.body).toMatchObject({
        type: 'service_unavailable',
        error: 'worker is not ready',
        details: [{ field: 'mongo', message: 'timed out' }],
      });
      expect((await get('/metrics')).status).toBe(200);
    } finally {
      server.close();
    }
  });

  test('when a service app puts a route behind its token check, then only a verified token reaches it', async () => {
    const svc = serviceApp(
      'probe',
      {
        logger: createLogger('probe', 'silent'),
        readiness: [],
        bodyLimit: '1kb',
        // a stand-in verifier: this test is about the mounting, jwks.test.ts verifies real tokens
        verifier: {
          verify: async (token) => {
            if (token !== 'good') throw AppError.unauthorized('Invalid token');
            return { tenantId: 't-1' } as never;
          },
        },
      },
      (a, authenticated) => {
        a.get('/open', (_req, res) => void res.json({ success: true, data: 'open' }));
        a.use('/closed', authenticated);
        a.get('/closed', (req, res) => void res.json({ success: true, data: req.auth?.tenantId }));
      },
    );
    expect((await request(svc).get('/open')).body).toEqual({ success: true, data: 'open' });
    const refused = await request(svc).get('/closed').set('x-request-id', 'r-401');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 401, type: 'unauthorized', request_id: 'r-401' });
    const allowed = await request(svc).get('/closed').set('Authorization', 'Bearer good');
    expect(allowed.body).toEqual({ success: true, data: 't-1' });
    expect((await request(svc).get('/healthz')).body.data).toEqual({
      status: 'alive',
      service: 'probe',
    });
    const big = await request(svc)
      .post('/open')
      .send({ text: 'x'.repeat(2048) });
    expect(big.status).toBe(413);
  });
});
