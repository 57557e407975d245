import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { initialJs } = require('../../apps/dashboard/scripts/initial-js.cjs') as {
  initialJs(dir: string): { files: string[]; gzipBytes: number };
};

const DIST = path.resolve(__dirname, '..', '..', 'apps', 'dashboard', 'dist');

/** Issue 20's budget for the first load, measured on the built files (`npx turbo run build`). */
describe('the dashboard build', () => {
  test('when the built dashboard is measured, then its initial JavaScript is under 300 KB gzip and the chart library is not in it', () => {
    expect(existsSync(path.join(DIST, '.vite', 'manifest.json'))).toBe(true);
    const { files, gzipBytes } = initialJs(DIST);
    expect(files.length).toBeGreaterThan(0);
    expect(gzipBytes).toBeLessThan(300 * 1024);
    // recharts (its class names say where it is) comes with the analytics page's chunk only
    const charting = (file: string) =>
      readFileSync(path.join(DIST, file), 'utf8').includes('recharts-wrapper');
    expect(files.filter(charting)).toEqual([]);
    const chunks = readdirSync(path.join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
    expect(chunks.filter((f) => charting(`assets/${f}`))).toEqual([
      expect.stringMatching(/^UsageAnalyticsPage-/),
    ]);
  });
});
