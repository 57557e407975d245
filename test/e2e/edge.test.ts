/**
 * The edge under abuse (issue 13): hostile JSON depth on every documented write, forged token
 * kids, spoofed X-Forwarded-For, /metrics and /readyz. A second gateway process (same upstreams,
 * TRUSTED_PROXIES=127.0.0.1, a low per-IP limit) stands for a deployment behind a load balancer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import {
  bearer,
  login,
  registerAndLogin,
  TEST_PASSWORD,
  type TestSession,
} from '../support/accounts';
import { eventually, ROOT, uniqueId } from '../support/infra';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(240_000);

const BASE_PORT = 2000;
const PROXIED_PORT = 2081;
// BASE_PORT + 89 is the webhooks service's metrics port (scripts/platform.cjs)
const PROXIED_METRICS_PORT = 2088;
const PROXIED_IP_LIMIT = 40;
const MAX_DEPTH = 32; // libs/platform MAX_JSON_DEPTH

let platform: RunningPlatform & { dbPrefix: string; topicPrefix: string };
let api: ReturnType<typeof request>;
let proxied: ChildProcess | undefined;
let proxiedApi: ReturnType<typeof request>;
let owner: TestSession;

/** `{"a":{"a":...1}}` nested `depth` objects deep, as text (supertest would recurse on it). */
const nestedBody = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
/** A random address from 198.18.0.0/15 (benchmarking), so runs never share a rate-limit bucket. */
const randomIp = () =>
  `198.${18 + Math.floor(Math.random() * 2)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

/** One sample of a Prometheus text exposition: the line's value, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const line = text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}
const metricsOf = async (name: string) => (await fetch(platform.metricsUrl(name))).text();

/** `count` calls by `workers` concurrent workers, each starting its next call when one ends. */
async function pool<T>(
  workers: number,
  count: number,
  fn: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) results.push(await fn(next++));
    }),
  );
  return results;
}

beforeAll(async () => {
  platform = await startTestPlatform('edge', { basePort: BASE_PORT, gatewayPort: 2080 });
  api = request(platform.gatewayUrl);
  const gatewayEnv = (
    platform.children.get('gateway') as unknown as { spec: { env: Record<string, string> } }
  ).spec.env;
  proxied = spawn(process.execPath, [path.join(ROOT, 'services/gateway/dist/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      ...gatewayEnv,
      PORT: String(PROXIED_PORT),
      METRICS_PORT: String(PROXIED_METRICS_PORT),
      TRUSTED_PROXIES: '127.0.0.1',
      RATE_LIMIT_IP_PER_MINUTE: String(PROXIED_IP_LIMIT),
    },
    stdio: 'ignore',
  });
  proxiedApi = request(`http://127.0.0.1:${PROXIED_PORT}`);
  await eventually(
    () =>
      fetch(`http://127.0.0.1:${PROXIED_PORT}/healthz`).then(
        (r) => r.status,
        () => 0,
      ),
    (s) => s === 200,
  );
  owner = await registerAndLogin(api, 'edge');
});

afterAll(async () => {
  if (proxied && proxied.exitCode === null) {
    const exited = new Promise((r) => proxied?.once('exit', r));
    proxied.kill('SIGTERM');
    await exited;
  }
  await platform?.stop();
});

describe('hostile JSON depth', () => {
  /** Every documented write, with its path parameters filled with ids nobody has. */
  async function documentedWrites(): Promise<{ method: 'post' | 'put' | 'patch'; path: string }[]> {
    const doc = await api.get('/api/docs/openapi.json');
    expect(doc.status).toBe(200);
    const writes = Object.entries(
      doc.body.paths as Record<string, Record<string, unknown>>,
    ).flatMap(([template, operations]) =>
      (['post', 'put', 'patch'] as const)
        .filter((m) => operations[m])
        .map((method) => ({ method, path: template.replace(/\{[^}]+\}/g, 'edge-none') })),
    );
    expect(writes.length).toBeGreaterThan(40);
    return writes;
  }

  test('when every documented POST/PUT/PATCH gets a body nested 10,000 levels, with and without an Idempotency-Key, then each answers 4xx, never 5xx', async () => {
    const writes = await documentedWrites();
    const body = nestedBody(10_000);
    const answers = await pool(4, writes.length * 2, async (i) => {
      const { method, path: target } = writes[Math.floor(i / 2)]!;
      let req = api[method](target)
        .set(bearer(owner.token))
        .set('Content-Type', 'application/json');
      if (i % 2 === 1) req = req.set('Idempotency-Key', `edge-deep-${i}-${randomUUID()}`);
      const res = await req.send(body);
      return { op: `${method.toUpperCase()} ${target}${i % 2 ? ' +key' : ''}`, status: res.status };
    });
    expect(answers.filter((a) => a.status < 400 || a.status >= 500)).toEqual([]);
    // the seeds' money routes named in the issue: refused as a client error in the envelope
    for (const target of ['/api/payments/payments/', '/v1/billing/credits/usage/']) {
      const res = await api
        .post(target)
        .set(bearer(owner.token))
        .set('Idempotency-Key', randomUUID())
        .set('Content-Type', 'application/json')
        .send(body);
      expect([target, res.status, res.body.type, res.body.error]).toEqual([
        target,
        422,
        'validation_error',
        'Request body is nested too deeply',
      ]);
    }
  });

  test(`when a body nests ${MAX_DEPTH} levels (the limit), then it is processed: refused for its fields if at all, never for its depth or with a 5xx`, async () => {
    // a throwaway account: these bodies reach the routes, some of which act on the caller
    const caller = await registerAndLogin(api, 'edgeflat');
    // logout ends the caller's session: it goes last, so every other route sees a live one
    const all = await documentedWrites();
    const isLogout = (w: { path: string }) => /\/logout\/?$/.test(w.path);
    const writes = [...all.filter((w) => !isLogout(w)), ...all.filter(isLogout)];
    const body = nestedBody(MAX_DEPTH - 1); // the object around the innermost value makes 32
    const payment = await api
      .post('/api/payments/payments/')
      .set(bearer(caller.token))
      .set('Idempotency-Key', randomUUID())
      .set('Content-Type', 'application/json')
      .send(body);
    expect(payment.status).toBe(422);
    expect(payment.body.details?.map((d: { field?: string }) => d.field)).not.toContain('body');
    const answers = await pool(1, writes.length, async (i) => {
      const { method, path: target } = writes[i]!;
      const res = await api[method](target)
        .set(bearer(caller.token))
        .set('Idempotency-Key', `edge-flat-${randomUUID()}`)
        .set('Content-Type', 'application/json')
        .send(body);
      return { op: `${method.toUpperCase()} ${target}`, status: res.status, error: res.body.error };
    });
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.filter((a) => a.error === 'Request body is nested too deeply')).toEqual([]);
    expect(answers.filter((a) => a.status === 401)).toEqual([]);
  });
});

describe('forged token kids', () => {
  test('when 1,000 tokens with random kids arrive while a real key is rotated in, then all are 401 and the real token is accepted', async () => {
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = () =>
      jwt.sign({ sub: owner.userId, tid: owner.tenantId, sid: 'ses_x', role: 'owner' }, forger, {
        algorithm: 'RS256',
        keyid: randomUUID(),
        issuer: 'ledgerline-auth',
        expiresIn: 300,
      });
    const admin = await api
      .post('/api/auth')
      .send({ username: 'admin', password: 'ledgerline-admin' });
    expect(admin.status).toBe(200);
    const rejectedBefore = sample(await metricsOf('gateway'), 'auth_rejected_tokens_total', {
      reason: 'unknown_kid',
    });
    const jwksRoute = { route: '/.well-known/jwks.json', status: '200' };
    const fetchesBefore = sample(
      await metricsOf('auth'),
      'http_request_duration_seconds_count',
      jwksRoute,
    );
    const started = Date.now();

    let rotation: Promise<number[]> | undefined;
    const statuses = await pool(20, 1000, async (i) => {
      if (i === 300) {
        rotation = (async () => {
          const rotated = await api.post('/api/auth/keys/rotate').set(bearer(admin.body.token));
          expect(rotated.status).toBe(201);
          const fresh = await login(api, owner.username, TEST_PASSWORD);
          const seen: number[] = [];
          while (seen.at(-1) !== 200 && seen.length < 200) {
            seen.push((await api.get('/api/bills/invoices/').set(bearer(fresh.token))).status);
            if (seen.at(-1) !== 200) await new Promise((r) => setTimeout(r, 100));
          }
          return seen;
        })();
      }
      return (await api.get('/api/bills/invoices/').set(bearer(forged()))).status;
    });
    const real = await rotation!;
    const elapsedS = (Date.now() - started) / 1000;

    expect(statuses.filter((s) => s !== 401)).toEqual([]);
    expect(statuses).toHaveLength(1000);
    // a real token of the rotated key: refused at most for one refresh interval (5 s), never 5xx
    expect(real.at(-1)).toBe(200);
    expect(real.filter((s) => s !== 200 && s !== 401)).toEqual([]);
    expect(real.length).toBeLessThanOrEqual(60);
    const gateway = await metricsOf('gateway');
    expect(
      sample(gateway, 'auth_rejected_tokens_total', { reason: 'unknown_kid' }) - rejectedBefore,
    ).toBeGreaterThanOrEqual(1000);
    // auth was asked for its keys about once per 5 s by the gateway (and once by billing)
    const fetches =
      sample(await metricsOf('auth'), 'http_request_duration_seconds_count', jwksRoute) -
      fetchesBefore;
    expect(fetches).toBeLessThanOrEqual(Math.ceil(elapsedS / 5) + 3);
  });
});

describe('client IP and X-Forwarded-For', () => {
  const attempt = (target: ReturnType<typeof request>, username: string, forwardedFor: string) =>
    target
      .post('/api/auth')
      .set('X-Forwarded-For', forwardedFor)
      .send({ username, password: 'not the password' })
      .then((r) => r.status);

  // account names nobody registered: the buckets count attempts on names, taken or not
  test('when an untrusted client makes up a new X-Forwarded-For per login attempt, then its brute-force bucket is still its own and fills (429)', async () => {
    const victim = uniqueId('edgevictim');
    const codes: number[] = [];
    for (let i = 0; i < 13; i++) codes.push(await attempt(api, victim, randomIp()));
    // RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE keeps its default (10) in test platforms
    expect(codes.slice(0, 10).filter((c) => c === 429)).toEqual([]);
    expect(codes.slice(10)).toEqual([429, 429, 429]);
  });

  test('when the peer is a trusted proxy (TRUSTED_PROXIES=127.0.0.1), then X-Forwarded-For names the client and its buckets', async () => {
    const victim = await registerAndLogin(api, 'edgeproxied');
    const manyClients: number[] = [];
    for (let i = 0; i < 13; i++)
      manyClients.push(await attempt(proxiedApi, victim.username, randomIp()));
    expect(manyClients.filter((c) => c === 429)).toEqual([]);
    const oneClient = randomIp();
    const sameClient: number[] = [];
    for (let i = 0; i < 12; i++)
      sameClient.push(await attempt(proxiedApi, victim.username, oneClient));
    expect(sameClient.slice(10)).toEqual([429, 429]);
  });
});

describe('/metrics and /readyz', () => {
  test('when /metrics is asked on the public port, then 404; on each process metrics port, then Prometheus text', async () => {
    const publicMetrics = await api.get('/metrics');
    expect([publicMetrics.status, publicMetrics.body.type]).toEqual([404, 'not_found']);
    for (const name of [
      'gateway',
      'auth',
      'tenants',
      'customers',
      'billing',
      'billing-worker',
      'payments',
    ]) {
      const res = await fetch(platform.metricsUrl(name));
      expect([name, res.status]).toEqual([name, 200]);
      expect(await res.text()).toContain(`process_cpu_seconds_total{service="${name}"}`);
    }
    const gateway = await metricsOf('gateway');
    expect(gateway).toContain('http_request_duration_seconds_count{service="gateway"');
    expect(gateway).toContain('readiness_probes_total{service="gateway"}');
    expect((await fetch(`http://127.0.0.1:${PROXIED_METRICS_PORT}/metrics`)).status).toBe(200);
  });

  test('when 50 clients ask the gateway /readyz at once, then the upstreams are probed at most twice', async () => {
    const probes = async () => ({
      gateway: sample(await metricsOf('gateway'), 'readiness_probes_total'),
      auth: sample(await metricsOf('auth'), 'http_request_duration_seconds_count', {
        route: '/readyz',
      }),
    });
    const before = await probes();
    const answers = await Promise.all(Array.from({ length: 50 }, () => api.get('/readyz')));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const after = await probes();
    expect(after.gateway - before.gateway).toBeLessThanOrEqual(2);
    expect(after.auth - before.auth).toBeLessThanOrEqual(2);
  });

  test('when one client asks /readyz beyond the per-IP limit, then 429 with Retry-After; /healthz stays open', async () => {
    const client = randomIp();
    const answers = await pool(5, PROXIED_IP_LIMIT + 5, () =>
      proxiedApi.get('/readyz').set('X-Forwarded-For', client),
    );
    const codes = answers.map((a) => a.status).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(PROXIED_IP_LIMIT);
    expect(codes.filter((c) => c === 429)).toHaveLength(5);
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited.body).toMatchObject({ success: false, code: 429, type: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await proxiedApi.get('/healthz').set('X-Forwarded-For', client)).status).toBe(200);
    // another client behind the same proxy has its own bucket
    expect((await proxiedApi.get('/readyz').set('X-Forwarded-For', randomIp())).status).toBe(200);
  });
});
