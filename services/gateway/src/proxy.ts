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
 * Copies the upstream's answer headers (undici's raw name/value buffers) onto the client's
 * response; a name the upstream sent twice (set-cookie) is appended, not replaced.
 */
function copyHeaders(raw: Buffer[], res: ServerResponse): void {
  const names: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    if (HOP_BY_HOP.has(name)) continue;
    const value = raw[i + 1]!.toString('latin1');
    if (names.includes(name)) res.appendHeader(name, value);
    else res.setHeader(name, value);
    names.push(name);
  }
}

/**
 * Streams a request to one upstream and its answer back, over a pool of keep-alive connections.
 * The answer is written straight into the client's response from undici's own parser callbacks
 * (`dispatch`): no stream, async resource or header object of undici's in between, which cost
 * more than the copy itself. The breaker sees the time to response headers: a connection failure
 * or timeout counts against the upstream, an HTTP error status does not.
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
    new Promise<{ done: Promise<void> }>((resolve, reject) => {
      let answered = false;
      let ended = false;
      let abort: ((err: Error) => void) | undefined;
      let finish!: () => void;
      const done = new Promise<void>((r) => (finish = r));
      // the client went away before the whole answer was written: free the upstream connection
      const onClose = () => {
        if (!ended) abort?.(Object.assign(new Error('client closed'), { code: 'ECONNRESET' }));
      };
      const hasBody =
        body !== undefined ||
        req.headers['content-length'] !== undefined ||
        req.headers['transfer-encoding'] !== undefined;
      pool.dispatch(
        {
          path: req.url ?? '/',
          method: req.method as 'GET',
          headers: forwardHeaders(req.headers, f),
          body: body ?? (hasBody ? req : null),
        },
        {
          onConnect(abortRequest: (err: Error) => void) {
            abort = abortRequest;
          },
          onHeaders(statusCode: number, raw: Buffer[], resume: () => void) {
            // the breaker already answered (timeout): this late answer is dropped
            if (res.headersSent) throw timeoutError();
            if (statusCode < 200) return true; // an interim answer (100): the final one follows
            answered = true;
            if (res.destroyed) {
              // the client left while the upstream answered: not the upstream's failure
              resolve({ done });
              throw Object.assign(new Error('client closed'), { code: 'ECONNRESET' });
            }
            copyHeaders(raw, res);
            res.statusCode = statusCode;
            res.on('drain', resume);
            res.once('close', onClose);
            resolve({ done });
            return true;
          },
          onData(chunk: Buffer) {
            return res.write(chunk); // false: undici pauses the upstream until 'drain'
          },
          onComplete() {
            ended = true;
            res.end();
            finish();
          },
          onError(err: Error & { code?: string }) {
            ended = true;
            finish();
            if (answered) {
              res.destroy(); // mid-body: the client sees the answer cut, as the upstream cut it
              return;
            }
            reject(err.code === 'UND_ERR_HEADERS_TIMEOUT' ? timeoutError() : err);
          },
        },
      );
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
      await done; // settles on the answer's end, cut or whole: nothing more to send either way
    },
  };
}
