import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Every test file under test/ (the suites that start a platform of their own). */
function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { platformEnv } = require(path.join(ROOT, 'scripts', 'platform.cjs')) as {
  platformEnv(opts: Record<string, unknown>): { env: { PORT: string; METRICS_PORT: string } }[];
};

/** The ports each `startTestPlatform` call of a file takes, as scripts/platform.cjs lays them out. */
function portsOf(source: string): number[][] {
  const constants = new Map(
    [...source.matchAll(/const (\w+) = (\d+);/g)].map((m) => [m[1]!, Number(m[2])]),
  );
  const value = (token: string) => (/^\d+$/.test(token) ? Number(token) : constants.get(token));
  return [...source.matchAll(/startTestPlatform\(([\s\S]*?)\)/g)].map((call) => {
    const args = call[1]!.slice(0, 400);
    const basePort = value(/basePort: (\w+)/.exec(args)?.[1] ?? '');
    const gatewayPort = value(/gatewayPort: (\w+)/.exec(args)?.[1] ?? '');
    if (basePort === undefined || gatewayPort === undefined)
      throw new Error(`a startTestPlatform call without literal ports: ${args.slice(0, 120)}`);
    const billingWorkers = Number(/billingWorkers: (\d+)/.exec(args)?.[1] ?? 1);
    return platformEnv({ basePort, gatewayPort, billingWorkers }).flatMap(({ env }) =>
      [Number(env.PORT), Number(env.METRICS_PORT)].filter((port) => port > 0),
    );
  });
}

describe('test platforms', () => {
  test('when every test file starts its platform, then no two files share a port', () => {
    // jest runs two files at once: a shared gateway port let one file's requests reach the other
    // file's platform until that one stopped (payments.test.ts and provider-renewal-runs.test.ts)
    const owner = new Map<number, string>();
    const shared: string[] = [];
    for (const file of testFiles(path.join(ROOT, 'test'))) {
      const name = path.relative(ROOT, file);
      for (const ports of portsOf(fs.readFileSync(file, 'utf8'))) {
        for (const port of ports) {
          const other = owner.get(port);
          if (other !== undefined && other !== name) shared.push(`${port}: ${other} and ${name}`);
          owner.set(port, name);
        }
      }
    }
    expect(owner.size).toBeGreaterThan(30 * 15);
    expect(shared).toEqual([]);
  });
});
