/**
 * The deployment checker (test/deploy-check, Go: compose-go, kustomize, the Kubernetes API types),
 * built from the Go module proxy the first time and kept in the infra cache like FerretDB
 * (scripts/infra/install.sh), under a name keyed by a hash of its sources and the Go toolchain:
 * a warm run only hashes a few files. A cold build takes about a minute on two cores.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const SOURCE = path.join(ROOT, 'test', 'deploy-check');
const INFRA = process.env.LEDGERLINE_INFRA_DIR ?? path.join(ROOT, '.infra');
const BIN = path.join(INFRA, 'bin');

/** From the module dir with GOWORK=off, so no go.work of the caller gets in the way. */
const GO_ENV = {
  ...process.env,
  GOWORK: 'off',
  CGO_ENABLED: '0',
  // go.sum must already name every module: a build never edits the module files
  GOFLAGS: '-mod=readonly -buildvcs=false -trimpath',
};

function sourceHash(goVersion: string): string {
  const hash = crypto.createHash('sha256').update(goVersion);
  const files = fs
    .readdirSync(SOURCE)
    .filter((f) => f === 'go.mod' || f === 'go.sum' || f.endsWith('.go'))
    .sort();
  for (const file of files) {
    hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(SOURCE, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

let toolchain: string | undefined;
function goVersion(): string {
  try {
    toolchain ??= execFileSync('go', ['env', 'GOVERSION'], { env: GO_ENV, encoding: 'utf8' });
    return toolchain.trim();
  } catch {
    throw new Error(
      'deploy-check needs Go (https://go.dev/dl; scripts/infra/install.sh needs it for FerretDB too)',
    );
  }
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The checker's path: the cached binary for these sources, built first when there is none. */
export function deployCheckBinary(): string {
  const binary = path.join(BIN, `deploy-check-${sourceHash(goVersion())}`);
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(BIN, { recursive: true });
  // a unique temporary name, then a rename: a concurrent build never runs a half-written binary
  const tmp = `${binary}.${process.pid}.tmp`;
  execFileSync('go', ['build', '-ldflags=-s -w', '-o', tmp, '.'], {
    cwd: SOURCE,
    env: GO_ENV,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  fs.renameSync(tmp, binary);
  // builds of other sources go after a week unused (other checkouts may share this cache)
  for (const other of fs.readdirSync(BIN).filter((f) => f.startsWith('deploy-check-'))) {
    const file = path.join(BIN, other);
    if (Date.now() - fs.statSync(file).atimeMs > WEEK_MS) fs.rmSync(file, { force: true });
  }
  return binary;
}

export interface CheckResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the checker; answers its exit status and output (never throws on a failed check). */
export function runDeployCheck(args: string[], env: NodeJS.ProcessEnv = {}): CheckResult {
  const result = spawnSync(deployCheckBinary(), args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The objects kustomize renders for a kustomization directory. */
export function renderKustomization(dir: string): K8sObject[] {
  const { status, stdout, stderr } = runDeployCheck(['render', dir]);
  if (status !== 0) throw new Error(`deploy-check render ${dir} failed: ${stderr}`);
  return JSON.parse(stdout) as K8sObject[];
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}
