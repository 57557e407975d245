import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_RESPONSE_STORED, sendWebhook } from './http-sender';

let server: http.Server;
let base: string;
let hits = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    req.resume();
    if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
    else if (req.url === '/big') res.writeHead(200).end('x'.repeat(200 * 1024));
    else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 2000).unref();
    else res.writeHead(req.url === '/fail' ? 500 : 200).end('fine');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const send = (path: string, opts: { allowPrivate?: boolean; timeoutMs?: number } = {}) =>
  sendWebhook(`${base}${path}`, { 'content-type': 'application/json' }, '{}', {
    allowPrivate: opts.allowPrivate ?? true,
    timeoutMs: opts.timeoutMs ?? 5000,
  });

describe('sending one webhook attempt', () => {
  it('when the receiver answers 200, then the attempt succeeded with its status and body', async () => {
    expect(await send('/ok')).toMatchObject({ ok: true, status: 200, error: null, body: 'fine' });
  });

  it('when the receiver answers 500, then the attempt failed naming the status', async () => {
    expect(await send('/fail')).toMatchObject({
      ok: false,
      status: 500,
      error: 'receiver answered 500',
    });
  });

  it('when the receiver redirects, then the redirect is not followed and the attempt failed', async () => {
    const before = hits;
    expect(await send('/redirect')).toMatchObject({
      ok: false,
      status: 302,
      error: 'redirect (302) not followed',
    });
    expect(hits).toBe(before + 1);
  });

  it('when the answer is larger than 64 KB, then at most 1 KB of it is kept', async () => {
    const outcome = await send('/big');
    expect(outcome.ok).toBe(true);
    expect(outcome.body).toHaveLength(MAX_RESPONSE_STORED);
  });

  it('when the receiver does not answer in time, then the attempt failed as a timeout', async () => {
    expect(await send('/slow', { timeoutMs: 300 })).toMatchObject({
      ok: false,
      status: null,
      error: 'no answer within 300 ms',
    });
  });

  it('when the target resolves to a loopback address and private targets are refused, then nothing is sent and the reason is recorded', async () => {
    const before = hits;
    const outcome = await send('/ok', { allowPrivate: false });
    expect(outcome).toMatchObject({
      ok: false,
      status: null,
      error: 'host 127.0.0.1 resolves to 127.0.0.1: loopback addresses are refused',
    });
    expect(hits).toBe(before);
  });
});
