import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkedAddress, UnsafeUrlError } from './safe-address';

/** What one attempt came to: a response (any status) or an error before one. */
export interface AttemptOutcome {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  error: string | null;
  /** The first 1 KB of the answer. */
  body: string | null;
}

/** A receiver's answer is read up to this much; more is cut off (the socket is dropped). */
export const MAX_RESPONSE_READ = 64 * 1024;
/** And stored up to this much. */
export const MAX_RESPONSE_STORED = 1024;

export interface SenderOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

// keep-alive per origin: the agents pool sockets by host and port
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * POSTs one signed body. The host is resolved and checked on every attempt and the request
 * connects to that checked address (a `lookup` that answers it), so no DNS answer between the
 * check and the connection can point it elsewhere. No redirect is followed: a 3xx is a failure.
 * Never throws: every failure is an outcome with its reason.
 */
export async function sendWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  opts: SenderOptions,
): Promise<AttemptOutcome> {
  const started = Date.now();
  const failed = (error: string, status: number | null = null): AttemptOutcome => ({
    ok: false,
    status,
    latencyMs: Date.now() - started,
    error,
    body: null,
  });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return failed('invalid URL');
  }
  let checked;
  try {
    checked = await checkedAddress(url, opts.allowPrivate);
  } catch (err) {
    return failed(err instanceof UnsafeUrlError ? err.message : 'address check failed');
  }
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: checked.address, family: checked.family },
      ]);
    else callback(null, checked.address, checked.family);
  };
  const isHttps = url.protocol === 'https:';
  const client = isHttps ? https : http;
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        agent: isHttps ? httpsAgent : httpAgent,
        lookup,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_STORED).toString('utf8');
          const ok = status >= 200 && status < 300;
          finish({
            ok,
            status,
            latencyMs: Date.now() - started,
            error: ok
              ? null
              : status >= 300 && status < 400
                ? `redirect (${status}) not followed`
                : `receiver answered ${status}`,
            body: text,
          });
        };
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_READ) chunks.push(chunk);
          else {
            // enough read: the status decides, the rest is not waited for
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', () => done());
      },
    );
    const timer = setTimeout(() => {
      finish(failed(`no answer within ${opts.timeoutMs} ms`));
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish(failed(err.code ?? err.message)));
    req.end(body);
  });
}
