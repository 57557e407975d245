import http, { type IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { createBreaker } from '@ledgerline/platform';
import type { Upstream } from './domain/route-table';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

function forwardHeaders(req: Request): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  }
  headers['x-request-id'] = String(req.id);
  headers['x-correlation-id'] = req.correlationId;
  // the client as this gateway decided it (trust proxy): a header an untrusted client made up
  // never reaches a service
  headers['x-forwarded-for'] = req.ip ?? req.socket.remoteAddress ?? '';
  headers['x-forwarded-proto'] = req.protocol;
  return headers;
}

export interface UpstreamProxy {
  /** Streams the request body through, or sends `body` when the gateway had to read it first. */
  forward(req: Request, res: Response, body?: Buffer): Promise<void>;
  isOpen(): boolean;
}

/**
 * Streams a request to one upstream and its answer back. The breaker sees the time to response
 * headers: a connection failure or timeout counts against the upstream, an HTTP error status does not.
 */
export function createUpstreamProxy(
  name: Upstream,
  baseUrl: string,
  opts: { timeoutMs: number; resetMs: number },
): UpstreamProxy {
  const target = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });

  const send = (req: Request, body?: Buffer): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const upstreamReq = http.request({
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.originalUrl,
        headers: forwardHeaders(req),
        agent,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      upstreamReq.once('response', resolve);
      upstreamReq.once('error', reject);
      if (body) upstreamReq.end(body);
      else req.pipe(upstreamReq);
    });

  const call = createBreaker(send, {
    name,
    timeoutMs: opts.timeoutMs,
    resetTimeoutMs: opts.resetMs,
    volumeThreshold: 5,
  });

  return {
    isOpen: () => call.breaker.opened,
    async forward(req, res, body) {
      const upstreamRes = await call.fire(req, body);
      const headers = { ...upstreamRes.headers };
      for (const h of HOP_BY_HOP) delete headers[h];
      res.status(upstreamRes.statusCode ?? 502);
      for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
      await new Promise<void>((resolve, reject) => {
        upstreamRes.pipe(res);
        upstreamRes.once('end', resolve);
        upstreamRes.once('error', reject);
        res.once('close', resolve);
      });
    },
  };
}
