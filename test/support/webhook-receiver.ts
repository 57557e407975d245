import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface Received {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP receiver of webhooks on 127.0.0.1: records every request and answers what
 * `respond` says (a status, after an optional delay), 200 by default.
 */
export async function startReceiver(
  respond: (n: number, req: Received) => { status: number; delayMs?: number } = () => ({
    status: 200,
  }),
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got: Received = {
        at: Date.now(),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(got);
      const answer = respond(received.length, got);
      const send = () => res.writeHead(answer.status, { 'content-type': 'text/plain' }).end('ok');
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Which of the header's signatures verify with `secret` (a receiver's check, written as a
 * receiver would: node:crypto only, constant-time comparison).
 */
export function verifiedSignatures(secret: string, got: Received): string[] {
  const id = String(got.headers['webhook-id']);
  const timestamp = String(got.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${got.body}`).digest();
  return String(got.headers['webhook-signature'] ?? '')
    .split(' ')
    .filter((sig) => {
      const [version, value = ''] = sig.split(',');
      const given = Buffer.from(value, 'base64');
      return (
        version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)
      );
    });
}
