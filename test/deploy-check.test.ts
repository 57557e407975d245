/**
 * The deployment files checked by tools nobody here wrote (test/deploy-check, Go): docker-compose.yml
 * by the Compose Specification's reference loader (compose-go), each Kubernetes overlay rendered by
 * kustomize's Go API and every object decoded strictly with the Kubernetes API types. Each check
 * also runs on a deliberately broken copy and must fail there: a checker that passes everything
 * would pass these files too.
 *
 * Cost: the checker is built once per source change (about a minute on two cores, cached in the
 * infra dir); warm, each run below takes well under a second.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deployCheckBinary, ROOT, runDeployCheck } from './support/deploy-check';

const K8S = path.join(ROOT, 'deploy', 'k8s');
const OVERLAYS = ['local', 'production'].map((o) => path.join('deploy', 'k8s', 'overlays', o));
const KEDA = path.join('deploy', 'k8s', 'components', 'keda');
/** What the operator supplies to `docker compose` (compose refuses to start without it). */
const COMPOSE_ENV = { LEDGERLINE_ADMIN_PASSWORD: 'operator-supplied-secret' };

let scratch: string;

beforeAll(() => {
  deployCheckBinary();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-deploy-check-'));
}, 600_000);

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** docker-compose.yml with one exact edit, written beside nothing else (a fresh directory). */
function brokenCompose(label: string, from: string, to: string): string {
  const text = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
  expect(text).toContain(from);
  const dir = path.join(scratch, `compose-${label}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, 'docker-compose.yml');
  fs.writeFileSync(file, text.replace(from, to));
  return file;
}

/** A copy of deploy/k8s with one exact edit in one file; answers the copy's root. */
function brokenK8s(label: string, file: string, from: string, to: string): string {
  const copy = path.join(scratch, `k8s-${label}`);
  fs.cpSync(K8S, copy, { recursive: true });
  const target = path.join(copy, file);
  const text = fs.readFileSync(target, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(target, text.replace(from, to));
  return copy;
}

describe('docker-compose.yml through compose-go', () => {
  test('when the file is loaded by the reference loader, then it is valid and every long-running service has a healthcheck', () => {
    const result = runDeployCheck(['compose', 'docker-compose.yml'], COMPOSE_ENV);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/valid, 11 services/);
  });

  test('when the administrator password is not supplied, then the loader refuses the file', () => {
    const result = runDeployCheck(['compose', 'docker-compose.yml'], {
      LEDGERLINE_ADMIN_PASSWORD: '',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/LEDGERLINE_ADMIN_PASSWORD/);
  });

  test('when a copy has a misspelt key (enviroment), then the loader refuses it', () => {
    const file = brokenCompose(
      'unknown-key',
      '  gateway:\n    <<: *service\n',
      '  gateway:\n    <<: *service\n    enviroment: {}\n',
    );
    const result = runDeployCheck(['compose', file], COMPOSE_ENV);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/services\.gateway\.enviroment/);
  });

  test('when a copy has a value of the wrong type (a list for PORT, a word for retries), then the loader refuses it', () => {
    const list = brokenCompose('wrong-type', "      PORT: '8080'", '      PORT: [8080]');
    const listResult = runDeployCheck(['compose', list], COMPOSE_ENV);
    expect(listResult.status).toBe(1);
    expect(listResult.stderr).toMatch(/services\.gateway\.environment\.PORT must be/);

    const word = brokenCompose('not-a-number', '  retries: 6', '  retries: six');
    const wordResult = runDeployCheck(['compose', word], COMPOSE_ENV);
    expect(wordResult.status).toBe(1);
    expect(wordResult.stderr).toMatch(/healthcheck\.retries/);
  });

  test('when a copy drops the billing worker healthcheck, then the check names the worker', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const worker = text.slice(text.indexOf('  billing-worker:'), text.indexOf('  payments:'));
    const healthcheck = worker.slice(worker.indexOf('    healthcheck:'));
    const file = brokenCompose('no-healthcheck', worker, worker.replace(healthcheck, ''));
    const result = runDeployCheck(['compose', file], COMPOSE_ENV);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/without a healthcheck: billing-worker$/m);
  });
});

describe('deploy/k8s through kustomize and the Kubernetes API types', () => {
  test('when each overlay, and production with the KEDA component, is rendered, then every object decodes strictly', () => {
    const result = runDeployCheck(['k8s', ...OVERLAYS, `${OVERLAYS[1]}+${KEDA}`]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/: 30 objects .*Deployment:8 /);
    expect(lines[2]).toMatch(/ScaledObject:1/);
    expect(lines[2]).not.toMatch(/HorizontalPodAutoscaler/);
  });

  test('when a copy has an unknown field in a Deployment (spec.replicass), then both overlays fail on it', () => {
    const copy = brokenK8s(
      'unknown-field',
      'base/auth.yaml',
      '  replicas: 1\n',
      '  replicass: 1\n',
    );
    const overlays = ['local', 'production'].map((o) => path.join(copy, 'overlays', o));
    const result = runDeployCheck(['k8s', ...overlays]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/2 invalid/);
    expect(result.stderr).toMatch(
      /Deployment ledgerline\/auth: strict decoding error: unknown field "spec\.replicass"/,
    );
  });

  test('when a copy has a misspelt field deep in a pod template (readinessProbe.httpGet.paht), then the check fails on it', () => {
    const copy = brokenK8s('deep-field', 'base/payments.yaml', 'path: /readyz', 'paht: /readyz');
    const result = runDeployCheck(['k8s', path.join(copy, 'overlays', 'local')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /unknown field "spec\.template\.spec\.containers\[0\]\.readinessProbe\.httpGet\.paht"/,
    );
  });

  test('when a copy has a kind no registered group defines, then the check fails on it', () => {
    const copy = brokenK8s(
      'unknown-kind',
      'base/network-policy.yaml',
      'kind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress',
      'kind: NetworkPolicyy\nmetadata:\n  name: default-deny-ingress',
    );
    const result = runDeployCheck(['k8s', path.join(copy, 'overlays', 'local')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no kind "NetworkPolicyy" is registered/);
  });

  test('when a copy of the KEDA component has an unknown field, then the check fails on it', () => {
    const copy = brokenK8s(
      'keda-field',
      'components/keda/scaled-object.yaml',
      '  maxReplicaCount: 4',
      '  maxReplicas: 4',
    );
    const overlay = path.join(copy, 'overlays', 'production');
    const result = runDeployCheck(['k8s', `${overlay}+${path.join(copy, 'components', 'keda')}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /ScaledObject .*billing-worker: strict decoding error: .*"maxReplicas"/,
    );
  });
});
