import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { createBreaker } from '@ledgerline/platform';
import type { Upstream } from './domain/route-table';

/** Never forwarded either way; undici also refuses to send most of them itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
]);

/** What the gateway decided about the request, forwarded so a service never re-derives it. */
export interface Forwarded {
  requestId: string;
  correlationId: string;
  /** The client as the gateway decided it (TRUSTED_PROXIES): a made-up header never reaches a service. */
  clientIp: string;
  protocol: string;
}

function forwardHeaders(headers: IncomingHttpHeaders, f: Forwarded): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  out['x-request-id'] = f.requestId;
  out['x-correlation-id'] = f.correlationId;
  out['x-forwarded-for'] = f.clientIp;
  out['x-forwarded-proto'] = f.protocol;
  return out;
}

export interface UpstreamProxy {
  /** Streams the request body through, or sends `body` when the gateway had to read it first. */
  forward(req: IncomingMessage, res: ServerResponse, f: Forwarded, body?: Buffer): Promise<void>;
  isOpen(): boolean;
  close(): Promise<void>;
}

/** A timeout of the upstream, as opossum names its own: the breaker wrapper answers 504 for it. */
function timeoutError(): Error {
  return Object.assign(new Error('upstream did not answer in time'), { code: 'ETIMEDOUT' });
}

/**
 * Streams a request to one upstream and its answer back, over a pool of keep-alive connections
 * (undici: the answer is written straight into the client's response, with no stream of its own
 * in between). The breaker sees the time to response headers: a connection failure or timeout
 * counts against the upstream, an HTTP error status does not.
 */
export function createUpstreamProxy(
  name: Upstream,
  baseUrl: string,
  opts: { timeoutMs: number; resetMs: number },
): UpstreamProxy {
  const pool = new Pool(baseUrl, {
    connections: 256,
    keepAliveTimeout: 10_000,
    // the breaker's own timeout answers 504 at timeoutMs; these free the connection soon after
    headersTimeout: opts.timeoutMs + 1000,
    bodyTimeout: opts.timeoutMs + 1000,
  });

  /** Resolves (with the promise of the body's end) once the upstream's headers were written. */
  const send = (req: IncomingMessage, res: ServerResponse, f: Forwarded, body?: Buffer) =>
    new Promise<{ done: Promise<unknown> }>((resolve, reject) => {
      let answered = false;
      const hasBody =
        body !== undefined ||
        req.headers['content-length'] !== undefined ||
        req.headers['transfer-encoding'] !== undefined;
      const done = pool.stream(
        {
          path: req.url ?? '/',
          method: req.method as 'GET',
          headers: forwardHeaders(req.headers, f),
          body: body ?? (hasBody ? req : null),
        },
        ({ statusCode, headers }) => {
          // the breaker already answered (timeout): this late answer is dropped
          if (res.headersSent) throw timeoutError();
          answered = true;
          for (const h in headers) {
            if (HOP_BY_HOP.has(h)) continue;
            const value = headers[h];
            if (value !== undefined) res.setHeader(h, value);
          }
          res.statusCode = statusCode;
          resolve({ done });
          return res;
        },
      );
      done.catch((err: { code?: string }) => {
        if (answered) return; // mid-body: the client's response is destroyed by undici
        reject(err.code === 'UND_ERR_HEADERS_TIMEOUT' ? timeoutError() : err);
      });
    });

  const call = createBreaker(send, {
    name,
    timeoutMs: opts.timeoutMs,
    resetTimeoutMs: opts.resetMs,
    volumeThreshold: 5,
  });

  return {
    isOpen: () => call.breaker.opened,
    close: () => pool.close(),
    async forward(req, res, f, body) {
      const { done } = await call.fire(req, res, f, body);
      await done.catch(() => undefined); // a client gone or an upstream cut mid-answer: nothing to send
    },
  };
}
