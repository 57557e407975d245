import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { ROOT } from '../support/infra';
import { bearer, registerAndLogin } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

/**
 * Schemathesis (PyPI) against the gateway's own OpenAPI document, authenticated as a tenant owner
 * with some data, every check on. CI size: FUZZ_EXAMPLES examples per operation in the fuzzing
 * phase (default 20; with the coverage phase about 11,900 requests in all, at least 10,000 checked); raise
 * it for a longer local run.
 */
jest.setTimeout(900_000);

const EXAMPLES = process.env.FUZZ_EXAMPLES ?? '20';
let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startTestPlatform('fuzz', {
    basePort: 10000,
    gatewayPort: 11080,
    env: {
      RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
      RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: '100000',
    },
  });
});

afterAll(async () => {
  await platform?.stop();
});

test('when schemathesis sends ~10,000 generated requests with every check on, then it finds no failure', async () => {
  const st = execFileSync('bash', [path.join(ROOT, 'scripts/fuzz/install.sh')], {
    encoding: 'utf8',
  }).trim();
  const api = request(platform.gatewayUrl);
  const owner = await registerAndLogin(api, 'fuzz');
  // a little real data, so ids in lists and filters point somewhere
  const customer = await api
    .post('/api/customers/customers')
    .set(bearer(owner.token))
    .send({ customer_name: 'Fuzz Customer', customer_type: 'bw' });
  expect(customer.status).toBe(201);

  const reportDir = path.join(ROOT, '.run', 'fuzz');
  fs.mkdirSync(reportDir, { recursive: true });
  const run = spawnSync(
    st,
    [
      '--config-file',
      path.join(__dirname, 'schemathesis.toml'),
      'run',
      `${platform.gatewayUrl}/api/docs/openapi.json`,
      '--header',
      `Authorization: Bearer ${owner.token}`,
      '--checks',
      'all',
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      EXAMPLES,
      // one worker: CPython 3.11's ast module keeps its recursion depth per interpreter, so two
      // threads parsing at once (hypothesis describes lambdas with ast) can fail with
      // "SystemError: AST constructor recursion depth mismatch" (cpython gh-106905)
      '--workers',
      '1',
      '--request-timeout',
      '10',
      '--seed',
      '20261122',
      // these end or change the fuzzer's own session; they have their own tests
      '--exclude-path-regex',
      '^/api/auth/(logout|password|switch|keys/.*)$',
      '--report',
      'junit',
      '--report-dir',
      reportDir,
      '--no-color',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: reportDir },
  );
  const output = `${run.stdout}\n${run.stderr}`;
  fs.writeFileSync(path.join(reportDir, 'output.txt'), output);
  const generated = Number(/(\d+) generated/.exec(output)?.[1] ?? 0);
  console.log(`schemathesis: ${generated} generated test cases; output in .run/fuzz/output.txt`);
  // on a non-zero exit, the FAILURES/ERRORS sections and the summary say which check or request
  // failed (the whole output is in output.txt, which CI does not keep)
  expect([run.status, run.status === 0 ? 'passed' : problemReport(output)]).toEqual([0, 'passed']);
  expect(generated).toBeGreaterThanOrEqual(process.env.FUZZ_EXAMPLES ? 1 : 10_000);
});

/** Schemathesis's FAILURES and ERRORS sections plus its summary, capped so a CI log stays readable. */
function problemReport(output: string): string {
  const starts = ['= FAILURES =', '= ERRORS =', '= SUMMARY =']
    .map((banner) => output.indexOf(banner))
    .filter((at) => at >= 0);
  const from = starts.length > 0 ? Math.min(...starts) : Math.max(0, output.length - 6000);
  const report = output.slice(from);
  return report.length > 12_000 ? `${report.slice(0, 12_000)}\n[...]` : report;
}
