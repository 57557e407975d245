import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createLogger, createServiceApp } from '@ledgerline/platform';
import { dashboardCsp, dashboardRoutes, NONCE_PLACEHOLDER } from './static-app';

const SHELL = `<!doctype html><html><head><meta name="csp-nonce" content="${NONCE_PLACEHOLDER}"></head><body><div id="root"></div></body></html>`;

/** The shell as served: its nonce in place of the placeholder, and the same nonce in the CSP. */
function expectShell(res: request.Response) {
  const nonce = /content="([^"]+)"/.exec(res.text)![1]!;
  expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  expect(res.text).toBe(SHELL.replace(NONCE_PLACEHOLDER, nonce));
  expect(res.headers['content-security-policy']).toBe(dashboardCsp(nonce));
  expect(res.headers['cache-control']).toBe('no-cache');
  return nonce;
}

function appServing(dir: string) {
  return createServiceApp({
    name: 'gateway',
    logger: createLogger('gateway', 'silent'),
    parseJson: false,
    routes: (app) => {
      app.use(dashboardRoutes(dir));
      app.get('/api/elsewhere', (_req, res) => {
        res.json({ success: true, data: 'api' });
      });
    },
  });
}

function builtDashboard(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dashboard-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), SHELL);
  writeFileSync(path.join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'assets', 'index-AbC123.css'), 'body{}');
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('the gateway serves the dashboard at /app/', () => {
  const api = request(appServing(builtDashboard()));

  test('when /app/ is asked for, then the shell answers uncached under a strict CSP', async () => {
    const res = await api.get('/app/').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const nonce = expectShell(res);
    expect(expectShell(await api.get('/app/').expect(200))).not.toBe(nonce); // one per response
    const csp = dashboardCsp(nonce);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self';",
      "frame-ancestors 'none'",
      "connect-src 'self'",
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe-inline');
  });

  test('when an unknown /app/... path is asked for, then the shell answers (client routing), also for index.html by name', async () => {
    for (const url of ['/app/sales/customers/cus_1', '/app/billing?x=1', '/app/index.html']) {
      expectShell(await api.get(url).expect(200));
    }
  });

  test('when a hashed asset is asked for, then it answers with its type and a year-long immutable cache', async () => {
    const js = await api.get('/app/assets/index-AbC123.js').expect(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await api.get('/app/assets/index-AbC123.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const icon = await api.get('/app/favicon.svg').expect(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  test('when a missing asset is asked for, then a 404 in the error envelope answers, not the shell', async () => {
    const res = await api.get('/app/assets/gone-123.js').expect(404);
    expect(res.body).toMatchObject({ success: false, code: 404, type: 'not_found' });
  });

  test('when /app is asked for without its slash, then it redirects to /app/; other paths are untouched', async () => {
    expect((await api.get('/app').expect(301)).headers.location).toBe('/app/');
    expect((await api.get('/api/elsewhere').expect(200)).body.data).toBe('api');
    expect((await api.get('/application').expect(404)).body.type).toBe('not_found');
  });

  test('when the dashboard is not built, then /app/ answers a 503 in the error envelope saying so', async () => {
    const missing = request(appServing(path.join(tmpdir(), 'no-such-dashboard-dir')));
    const res = await missing.get('/app/').expect(503);
    expect(res.body).toMatchObject({ success: false, code: 503, type: 'service_unavailable' });
    expect(res.body.error).toContain('dashboard is not built');
  });
});
