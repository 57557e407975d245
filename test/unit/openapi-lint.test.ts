import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildOpenApiDocument } from '@ledgerline/contracts';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; message: string; location: { pointer?: string }[] }[];
}

/**
 * `@redocly/cli lint` (recommended ruleset, redocly.yaml) on the document the gateway serves: SDK
 * generators read it, so any warning fails like an error. No telemetry and no update check: the
 * machines have no internet, and a lint must not wait for one.
 */
async function lint(doc: object): Promise<LintReport> {
  const dir = mkdtempSync(path.join(tmpdir(), 'openapi-lint-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const cli = path.join(ROOT, 'node_modules/.bin/redocly');
    const args = ['lint', file, '--format=json', `--config=${path.join(ROOT, 'redocly.yaml')}`];
    const env = {
      ...process.env,
      REDOCLY_TELEMETRY: 'off',
      REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
      NO_COLOR: '1',
    };
    // a problem makes the CLI exit 1 with the same JSON report on stdout
    const { stdout } = await run(cli, args, { cwd: ROOT, env }).catch((e: { stdout?: string }) => ({
      stdout: e.stdout ?? '',
    }));
    return JSON.parse(stdout) as LintReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const brief = (r: LintReport) =>
  r.problems.map((p) => `${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? ''})`);

describe('redocly lint of the OpenAPI document', () => {
  jest.setTimeout(60_000);

  test('when the served document is linted, then it has no error and no warning', async () => {
    const report = await lint(buildOpenApiDocument('/'));
    expect(brief(report)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  });

  test('when an operation loses its operationId and a tag its description, then the lint says so', async () => {
    const doc = buildOpenApiDocument('/') as unknown as {
      paths: Record<string, Record<string, { operationId?: string }>>;
      tags: { description?: string }[];
    };
    delete doc.paths['/api/bills/invoices']!.get!.operationId;
    delete doc.tags[0]!.description;
    const rules = (await lint(doc)).problems.map((p) => p.ruleId).sort();
    expect(rules).toEqual(['operation-operationId', 'tag-description']);
  });
});
