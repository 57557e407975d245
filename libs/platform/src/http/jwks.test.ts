import { generateKeyPairSync, randomUUID } from 'node:crypto';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { createJwksVerifier } from './auth';
import { processRegistry } from './metrics';

/** A signing key as auth keeps it: a kid, the private key to sign, the public JWK to publish. */
function signingKey() {
  const kid = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256' } };
}
type Key = ReturnType<typeof signingKey>;

const ISSUER = 'ledgerline-auth';
const tokenFor = (key: Key, kid = key.kid) =>
  jwt.sign({ sub: 'u1', tid: 't1', sid: 's1', role: 'owner' }, key.privateKey, {
    algorithm: 'RS256',
    keyid: kid,
    issuer: ISSUER,
    expiresIn: 300,
  });

/** A real JWKS endpoint that counts how often it is fetched. */
async function jwksServer(keys: Key[]) {
  const state = { keys, fetches: 0, down: false };
  const server: Server = http.createServer((_req, res) => {
    state.fetches++;
    if (state.down) return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: state.keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return { state, url, close: () => new Promise((r) => server.close(r)) };
}

const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (err: { status?: number }) => err.status ?? 500,
  );

/**
 * Calls of `fn` by `workers` concurrent workers, each starting its next call when one ends, until
 * `count` calls started or `more()` says stop.
 */
async function pool(
  workers: number,
  count: number,
  fn: () => Promise<number>,
  more: () => boolean = () => true,
): Promise<number[]> {
  const answers: number[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (started < count && more()) {
        started++;
        answers.push(await fn());
      }
    }),
  );
  return answers;
}

async function rejectedUnknownKid(): Promise<number> {
  const metric = await processRegistry.getSingleMetric('auth_rejected_tokens_total')?.get();
  return metric?.values.find((v) => v.labels.reason === 'unknown_kid')?.value ?? 0;
}

describe('JWKS verifier', () => {
  const current = signingKey();
  let jwks: Awaited<ReturnType<typeof jwksServer>>;
  beforeEach(async () => {
    jwks = await jwksServer([current]);
  });
  afterEach(() => jwks.close());

  test('when 20 first tokens arrive at once, then the key set is fetched once and all pass', async () => {
    const verifier = createJwksVerifier({ jwksUrl: jwks.url, issuer: ISSUER });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => statusOf(verifier.verify(tokenFor(current)))),
    );
    expect(answers).toEqual(Array(20).fill(200));
    expect(jwks.state.fetches).toBe(1);
  });

  test('when 500 tokens with random kids arrive, then all are 401, auth is asked at most once per interval, and they are counted', async () => {
    const verifier = createJwksVerifier({
      jwksUrl: jwks.url,
      issuer: ISSUER,
      minRefreshIntervalMs: 1000,
    });
    expect(await statusOf(verifier.verify(tokenFor(current)))).toBe(200);
    const before = await rejectedUnknownKid();
    const forger = signingKey();
    const started = Date.now();
    const answers = await pool(20, 500, () =>
      statusOf(verifier.verify(tokenFor(forger, randomUUID()))),
    );
    const elapsed = Date.now() - started;
    expect(answers.filter((s) => s !== 401)).toEqual([]);
    expect(answers).toHaveLength(500);
    expect(jwks.state.fetches).toBeLessThanOrEqual(1 + Math.ceil(elapsed / 1000));
    expect((await rejectedUnknownKid()) - before).toBe(500);
    // known keys were never in question
    expect(await statusOf(verifier.verify(tokenFor(current)))).toBe(200);
  });

  test('when a key is rotated in during a flood of forged kids, then its tokens pass within one interval, never with a 5xx', async () => {
    const verifier = createJwksVerifier({
      jwksUrl: jwks.url,
      issuer: ISSUER,
      minRefreshIntervalMs: 300,
    });
    expect(await statusOf(verifier.verify(tokenFor(current)))).toBe(200);
    const forger = signingKey();
    let flooding = true;
    const flood = pool(
      20,
      Number.MAX_SAFE_INTEGER,
      () => statusOf(verifier.verify(tokenFor(forger, randomUUID()))),
      () => flooding,
    );
    await new Promise((r) => setTimeout(r, 200));
    const rotated = signingKey();
    jwks.state.keys = [rotated, current];
    const rotatedAt = Date.now();
    const realAnswers: number[] = [];
    while (realAnswers.at(-1) !== 200 && Date.now() - rotatedAt < 3000) {
      realAnswers.push(await statusOf(verifier.verify(tokenFor(rotated))));
    }
    flooding = false;
    const forged = await flood;
    expect(realAnswers.at(-1)).toBe(200);
    expect(realAnswers.filter((s) => s !== 200 && s !== 401)).toEqual([]);
    expect(Date.now() - rotatedAt).toBeLessThan(1000);
    expect(forged.filter((s) => s !== 401)).toEqual([]);
    // one fetch per 300 ms at most (+1 for the first, +1 for rounding)
    expect(jwks.state.fetches).toBeLessThanOrEqual(
      2 + Math.ceil((Date.now() - rotatedAt + 200) / 300),
    );
  });

  test('when a key is rotated in and the key set was fetched a moment ago, then its first token waits for the next fetch and passes', async () => {
    const verifier = createJwksVerifier({
      jwksUrl: jwks.url,
      issuer: ISSUER,
      minRefreshIntervalMs: 300,
    });
    expect(await statusOf(verifier.verify(tokenFor(current)))).toBe(200);
    const rotated = signingKey();
    jwks.state.keys = [rotated, current];
    expect(await statusOf(verifier.verify(tokenFor(rotated)))).toBe(200);
    expect(jwks.state.fetches).toBe(2);
  });

  test('when the JWKS cannot be fetched, then an unknown kid is a 503 (try again) and known keys keep working', async () => {
    const verifier = createJwksVerifier({
      jwksUrl: jwks.url,
      issuer: ISSUER,
      minRefreshIntervalMs: 100,
    });
    expect(await statusOf(verifier.verify(tokenFor(current)))).toBe(200);
    jwks.state.down = true;
    await new Promise((r) => setTimeout(r, 150));
    const rotated = signingKey();
    expect(await statusOf(verifier.verify(tokenFor(rotated)))).toBe(503);
    expect(await statusOf(verifier.verify(tokenFor(current)))).toBe(200);
    jwks.state.down = false;
    jwks.state.keys = [rotated, current];
    await new Promise((r) => setTimeout(r, 150));
    expect(await statusOf(verifier.verify(tokenFor(rotated)))).toBe(200);
  });
});
