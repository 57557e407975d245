import request from 'supertest';
import { createLogger } from '../logger';
import { cachedReadiness, createServiceApp } from './app';
import { canonicalJson } from './idempotency';
import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth';

/** `{"a":{"a":...{"a":1}}}` with `depth` objects. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}
const nestedText = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

function echoApp() {
  return createServiceApp({
    name: 'edge',
    logger: createLogger('edge', 'silent'),
    routes: (a) => {
      a.post('/echo', (req, res) => {
        // what a careless handler would do with any body: a recursive walk
        res.json({ success: true, data: { canonical: canonicalJson(req.body).length } });
      });
    },
  });
}

describe('JSON depth', () => {
  test('when a value nests up to the limit, then it passes; one level more, then it does not', () => {
    expect(exceedsDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsDepth([[], { a: [{}] }, 'x', null])).toBe(false);
    expect(exceedsDepth('text')).toBe(false);
  });

  test('when a value nests 100,000 levels, then the check answers without overflowing the stack', () => {
    expect(exceedsDepth(JSON.parse(nestedText(100_000)))).toBe(true);
  });

  test('when canonical JSON is asked for a value deeper than the limit, then it refuses with a 422 error', () => {
    expect(canonicalJson(nested(MAX_JSON_DEPTH))).toContain('{"a":1}');
    expect(() => canonicalJson(JSON.parse(nestedText(10_000)))).toThrow(
      expect.objectContaining({ kind: 'validation_error' }),
    );
  });

  test('when a body nests 10,000 levels, then every service answers 422 in the envelope before any route runs', async () => {
    const res = await request(echoApp())
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send(nestedText(10_000));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      success: false,
      code: 422,
      type: 'validation_error',
      error: 'Request body is nested too deeply',
    });
    const ok = await request(echoApp())
      .post('/echo')
      .send(nested(MAX_JSON_DEPTH - 1) as object);
    expect(ok.status).toBe(200);
  });
});

describe('cached readiness', () => {
  test('when 50 callers ask at once, then one probe runs and all share its answer', async () => {
    let probes = 0;
    const ready = cachedReadiness([
      {
        name: 'mongo',
        check: async () => {
          probes++;
          await new Promise((r) => setTimeout(r, 20));
        },
      },
    ]);
    const reports = await Promise.all(Array.from({ length: 50 }, () => ready()));
    expect(probes).toBe(1);
    expect(new Set(reports.map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify({ ready: true, checks: { mongo: 'ok' } })]),
    );
  });

  test('when the answer is older than its maximum age, then the next caller probes again', async () => {
    let clock = 0;
    let probes = 0;
    const ready = cachedReadiness([{ name: 'redis', check: async () => probes++ }], {
      maxAgeMs: 1000,
      now: () => clock,
    });
    await ready();
    clock = 999;
    await ready();
    expect(probes).toBe(1);
    clock = 1000;
    await ready();
    expect(probes).toBe(2);
  });

  test('when /readyz is hammered, then the dependencies are probed once per second at most', async () => {
    let probes = 0;
    const app = createServiceApp({
      name: 'edge',
      logger: createLogger('edge', 'silent'),
      readiness: [{ name: 'kafka', check: async () => probes++ }],
      routes: () => undefined,
    });
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => request(app).get('/readyz')),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    expect(probes).toBe(1);
  });
});
